/**
 * The e-mails the simulator would have sent: one entry per `send-email` PaySG accepted. PaySG
 * e-mails the payment link itself (paysg-api.md §10) and a stand-in has no mail server, so a
 * test, or a person trying the demo, reads what would have gone out here instead of an inbox.
 * "Exactly one e-mail for one submission" is then something a test can count.
 *
 * Kept in memory, as the payments are; newest first, as a mail client shows an outbox.
 * @module
 */
import type { SimulatedPayment } from './payment-ledger.js';

/** One e-mail as the simulator records it: who, which payment, its link, and when. */
export interface SimulatedEmail {
  /** The payment's `payer_email`. */
  to: string;
  paymentId: string;
  paymentUrl: string;
  referenceId: string;
  amountInCents: number;
  description: string;
  /** When PaySG accepted the request: the payment's `payment_sent_timestamp`. */
  sentAt: string;
}

export class EmailOutbox {
  readonly #sent: SimulatedEmail[] = [];

  /** Records the e-mail for a payment whose send-email was just accepted. */
  record(payment: SimulatedPayment): SimulatedEmail {
    // The ledger refuses send-email without an address and stamps the time; a payment reaching
    // here without either is a bug in the simulator, not a request to answer.
    if (!payment.payer_email || !payment.payment_sent_timestamp)
      throw new Error(`simulator: payment ${payment.id} was e-mailed without an address or time`);
    const email: SimulatedEmail = {
      to: payment.payer_email,
      paymentId: payment.id,
      paymentUrl: payment.payment_url,
      referenceId: payment.reference_id,
      amountInCents: payment.amount_in_cents,
      description: payment.description,
      sentAt: payment.payment_sent_timestamp,
    };
    this.#sent.push(email);
    return { ...email };
  }

  /**
   * Newest first. The simulator's clock only moves forward, so the order they were sent in is
   * their order in time, and two sent in the same millisecond still keep theirs.
   */
  list(): SimulatedEmail[] {
    return this.#sent.map((email) => ({ ...email })).reverse();
  }

  get count(): number {
    return this.#sent.length;
  }
}
