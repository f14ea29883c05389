/**
 * The simulator's in-memory payments, with the state rules PaySG documents (paysg-api.md §9, §10):
 * a link stays payable until paid or cancelled; only unpaid payments can be cancelled; only paid
 * ones refunded, within what is still refundable, one refund at a time, within 90 days.
 * @module
 */
import { randomBytes, randomUUID } from 'node:crypto';
import {
  EMAIL_DELIVERY_STATUS,
  type EmailDeliveryStatus,
  LATEST_STATUS,
  type LatestStatus,
  PAYMENT_STATUS,
  type PaymentStatus,
  REFUND_STATUS,
  type RefundStatus,
} from './payment-status.js';
import type { CreateRequest } from './request-rules.js';

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
const REFUND_WINDOW_MS = 90 * 24 * 60 * 60 * 1000;

/** A 21-character URL-safe id, the shape of PaySG's payment ids (`ZbzTvadjmP0wd7RRxhWtj`). */
export function newPaymentId(): string {
  return Array.from(randomBytes(21), (byte) => ID_ALPHABET[byte & 63]).join('');
}

/** PaySG writes times in Singapore time with milliseconds: `2023-08-03T17:36:52.634+08:00`. */
export function singaporeTimestamp(date: Date): string {
  const shifted = new Date(date.getTime() + 8 * 60 * 60 * 1000);
  return shifted.toISOString().replace('Z', '+08:00');
}

/** A rule PaySG's state refused, with the status and code the simulator answers with. */
export class LedgerRefusal extends Error {
  constructor(
    readonly status: 400 | 402 | 404 | 409,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A payment as the simulator keeps and answers it: every field PaySG's samples show (§3.2), the
 * undocumented `payment_qr_code_url` PaySG returns (§16.5), and the `line_items` it was given.
 */
export interface SimulatedPayment {
  id: string;
  payment_service_id: string;
  reference_id: string;
  payer_name: string;
  payer_address: string | null;
  payer_identifier: string | null;
  payer_email: string | null;
  description: string;
  amount_in_cents: number;
  due_date: string | null;
  metadata: Record<string, string>;
  line_items?: CreateRequest['line_items'];
  return_url: string | null;
  payment_url: string;
  payment_qr_code_url: string;
  payment_status: PaymentStatus;
  latest_status: LatestStatus;
  refund_status: RefundStatus;
  email_delivery_status: EmailDeliveryStatus;
  stripe_payment_intent_id: string | null;
  payout_id: string | null;
  creator_id: string;
  created_at: string;
  updated_at: string;
  payment_sent_timestamp: string | null;
  payment_succeeded_timestamp: string | null;
  payment_cancelled_timestamp: string | null;
  payment_fully_refunded_timestamp: string | null;
  paid_out_timestamp: string | null;
}

interface Entry {
  payment: SimulatedPayment;
  refundedCents: number;
  /** While set and in the future, a refund is still being processed. */
  refundSettlesAt: number | undefined;
}

export interface PageRequest {
  limit: number;
  before?: string | undefined;
  after?: string | undefined;
}

export interface Page {
  data: SimulatedPayment[];
  page_info: {
    has_next_page: boolean;
    has_previous_page: boolean;
    start_cursor: string | null;
    end_cursor: string | null;
  };
}

/** Where a payment's hosted page and QR code image are. */
export interface PaymentUrls {
  page: (id: string) => string;
  qrCode: (id: string) => string;
}

export class PaymentLedger {
  readonly #entries = new Map<string, Entry>();
  readonly #createsByReference = new Map<string, number>();
  readonly #now: () => Date;
  readonly #refundSettleMs: number;

  constructor(now: () => Date, options: { refundSettleMs?: number } = {}) {
    this.#now = now;
    this.#refundSettleMs = options.refundSettleMs ?? 0;
  }

  create(paymentServiceId: string, params: CreateRequest, urls: PaymentUrls): SimulatedPayment {
    const id = newPaymentId();
    const now = singaporeTimestamp(this.#now());
    const payment: SimulatedPayment = {
      id,
      payment_service_id: paymentServiceId,
      reference_id: params.reference_id,
      payer_name: params.payer_name,
      payer_address: params.payer_address ?? null,
      payer_identifier: params.payer_identifier ?? null,
      payer_email: params.payer_email ?? null,
      description: params.description,
      amount_in_cents: params.amount_in_cents,
      due_date: params.due_date ?? null,
      metadata: params.metadata ?? {},
      ...(params.line_items && { line_items: params.line_items }),
      return_url: params.return_url ?? null,
      payment_url: urls.page(id),
      payment_qr_code_url: urls.qrCode(id),
      payment_status: PAYMENT_STATUS.unpaid,
      latest_status: LATEST_STATUS.unpaid,
      refund_status: REFUND_STATUS.notRefunded,
      email_delivery_status: EMAIL_DELIVERY_STATUS.unsent,
      // Stripe's id is there from creation in a real staging answer (§16.6).
      // As a real staging answer has it: `pi_` and 24 letters and digits (FormSG's paysg.service.ts).
      stripe_payment_intent_id: `pi_${alphanumerics(24)}`,
      payout_id: null,
      creator_id: `user_${randomUUID()}`,
      created_at: now,
      updated_at: now,
      payment_sent_timestamp: null,
      payment_succeeded_timestamp: null,
      payment_cancelled_timestamp: null,
      payment_fully_refunded_timestamp: null,
      paid_out_timestamp: null,
    };
    this.#entries.set(id, { payment, refundedCents: 0, refundSettlesAt: undefined });
    const key = `${paymentServiceId}\n${params.reference_id}`;
    this.#createsByReference.set(key, (this.#createsByReference.get(key) ?? 0) + 1);
    return structuredClone(payment);
  }

  get(paymentServiceId: string, id: string): SimulatedPayment | undefined {
    const entry = this.#entries.get(id);
    if (!entry || entry.payment.payment_service_id !== paymentServiceId) return undefined;
    return structuredClone(entry.payment);
  }

  /** Any payment by id, whatever its service: for the hosted page, which needs no API key. */
  find(id: string): SimulatedPayment | undefined {
    const entry = this.#entries.get(id);
    return entry && structuredClone(entry.payment);
  }

  /** What has been refunded of a payment, in cents: PaySG's payment object does not say, tests ask. */
  refundedCents(id: string): number {
    return this.#entry(id).refundedCents;
  }

  /** The payer completes the payment on the hosted page. */
  pay(id: string): SimulatedPayment {
    const entry = this.#entry(id);
    const payment = entry.payment;
    if (payment.payment_status === PAYMENT_STATUS.paid)
      throw new LedgerRefusal(409, 'payment_already_paid', 'This payment has been paid');
    if (payment.latest_status === LATEST_STATUS.cancelled)
      throw new LedgerRefusal(409, 'payment_cancelled', 'This payment was cancelled');
    const now = singaporeTimestamp(this.#now());
    payment.payment_status = PAYMENT_STATUS.paid;
    payment.latest_status = LATEST_STATUS.paid;
    payment.payment_succeeded_timestamp = now;
    payment.updated_at = now;
    return structuredClone(payment);
  }

  cancel(paymentServiceId: string, id: string): SimulatedPayment {
    const entry = this.#owned(paymentServiceId, id);
    const payment = entry.payment;
    if (!isOpen(payment)) {
      throw new LedgerRefusal(
        402,
        'payment_not_cancellable',
        'Only unpaid payments can be cancelled',
      );
    }
    const now = singaporeTimestamp(this.#now());
    payment.latest_status = LATEST_STATUS.cancelled;
    payment.payment_cancelled_timestamp = now;
    payment.updated_at = now;
    return structuredClone(payment);
  }

  /**
   * PaySG e-mails the link (§10). Without a `payer_email` there is nobody to send it to: PaySG's
   * answer is unknown, and the simulator refuses with 400 rather than pretend (docs/simulator.md).
   * Returns the payment as sent, for the outbox.
   */
  sendEmail(paymentServiceId: string, id: string): SimulatedPayment {
    const payment = this.#owned(paymentServiceId, id).payment;
    if (!payment.payer_email)
      throw new LedgerRefusal(400, 'payer_email_missing', 'This payment has no payer_email');
    if (!isOpen(payment)) {
      throw new LedgerRefusal(402, 'payment_not_unpaid', 'Only unpaid payments can be sent');
    }
    const now = singaporeTimestamp(this.#now());
    payment.email_delivery_status = EMAIL_DELIVERY_STATUS.sent;
    payment.payment_sent_timestamp = now;
    payment.updated_at = now;
    return structuredClone(payment);
  }

  refund(paymentServiceId: string, id: string, amountInCents: number): SimulatedPayment {
    const entry = this.#owned(paymentServiceId, id);
    const payment = entry.payment;
    const now = this.#now();
    if (payment.payment_status !== PAYMENT_STATUS.paid)
      throw new LedgerRefusal(402, 'payment_not_refundable', 'Only paid payments can be refunded');
    if (entry.refundedCents >= payment.amount_in_cents) {
      throw new LedgerRefusal(
        402,
        'payment_fully_refunded',
        'This payment has been fully refunded',
      );
    }
    if (entry.refundSettlesAt !== undefined && entry.refundSettlesAt > now.getTime()) {
      throw new LedgerRefusal(
        409,
        'refund_in_progress',
        'An earlier refund of this payment is still being processed',
      );
    }
    const paidAt = Date.parse(payment.payment_succeeded_timestamp ?? '');
    if (now.getTime() - paidAt > REFUND_WINDOW_MS) {
      throw new LedgerRefusal(
        402,
        'refund_window_passed',
        'Refunds are possible within 90 days of payment',
      );
    }
    const remaining = payment.amount_in_cents - entry.refundedCents;
    if (amountInCents > remaining) {
      throw new LedgerRefusal(
        402,
        'refund_exceeds_remaining',
        `At most ${remaining} cents can still be refunded`,
      );
    }
    entry.refundedCents += amountInCents;
    entry.refundSettlesAt = now.getTime() + this.#refundSettleMs;
    const stamp = singaporeTimestamp(now);
    const full = entry.refundedCents === payment.amount_in_cents;
    const refundStatus = full ? REFUND_STATUS.fullyRefunded : REFUND_STATUS.partiallyRefunded;
    payment.refund_status = refundStatus;
    payment.latest_status = refundStatus;
    if (full) payment.payment_fully_refunded_timestamp = stamp;
    payment.updated_at = stamp;
    return structuredClone(payment);
  }

  /** Newest first: `created_at` descending, ties by `id` descending (pagination page). */
  list(paymentServiceId: string, request: PageRequest): Page {
    const all = [...this.#entries.values()]
      .map((e) => e.payment)
      .filter((p) => p.payment_service_id === paymentServiceId)
      .sort(newestFirst);
    let from = 0;
    let to = all.length;
    if (request.after !== undefined) {
      const position = decodeCursor(request.after);
      from = all.findIndex((p) => newestFirst(p, position) > 0);
      if (from < 0) from = all.length;
      to = Math.min(all.length, from + request.limit);
    } else if (request.before !== undefined) {
      const position = decodeCursor(request.before);
      to = all.findIndex((p) => newestFirst(p, position) >= 0);
      if (to < 0) to = all.length;
      from = Math.max(0, to - request.limit);
    } else {
      to = Math.min(all.length, request.limit);
    }
    const data = all.slice(from, to).map((p) => structuredClone(p));
    const first = data[0];
    const last = data.at(-1);
    return {
      data,
      page_info: {
        has_next_page: to < all.length,
        has_previous_page: from > 0,
        start_cursor: first ? encodeCursor(first) : null,
        end_cursor: last ? encodeCursor(last) : null,
      },
    };
  }

  /** How many payments were created for a reference: tests assert "exactly one". */
  createCount(paymentServiceId: string, referenceId: string): number {
    return this.#createsByReference.get(`${paymentServiceId}\n${referenceId}`) ?? 0;
  }

  createsByReference(): Record<string, number> {
    return Object.fromEntries(
      [...this.#createsByReference].map(([key, n]) => [key.split('\n')[1] ?? '', n]),
    );
  }

  get paymentCount(): number {
    return this.#entries.size;
  }

  #entry(id: string): Entry {
    const entry = this.#entries.get(id);
    if (!entry) throw new LedgerRefusal(404, 'payment_not_found', 'No such payment');
    return entry;
  }

  #owned(paymentServiceId: string, id: string): Entry {
    const entry = this.#entry(id);
    if (entry.payment.payment_service_id !== paymentServiceId)
      throw new LedgerRefusal(404, 'payment_not_found', 'No such payment');
    return entry;
  }
}

/** Unpaid and not cancelled: a payment that can still be paid, cancelled or e-mailed. */
export function isOpen(
  payment: Pick<SimulatedPayment, 'payment_status' | 'latest_status'>,
): boolean {
  return (
    payment.payment_status === PAYMENT_STATUS.unpaid &&
    payment.latest_status !== LATEST_STATUS.cancelled
  );
}

type Position = Pick<SimulatedPayment, 'created_at' | 'id'>;

function newestFirst(a: Position, b: Position): number {
  const byTime = (b.created_at ?? '').localeCompare(a.created_at ?? '');
  return byTime !== 0 ? byTime : b.id < a.id ? -1 : b.id > a.id ? 1 : 0;
}

/** Opaque to clients; `base64url(JSON([created_at, id]))`, the shape PaySG's samples suggest. */
function encodeCursor(p: Position): string {
  return Buffer.from(JSON.stringify([p.created_at, p.id])).toString('base64url');
}

function decodeCursor(cursor: string): Position {
  try {
    const [created_at, id] = JSON.parse(
      Buffer.from(cursor, 'base64url').toString('utf8'),
    ) as unknown[];
    if (typeof created_at === 'string' && typeof id === 'string') return { created_at, id };
  } catch {
    // fall through
  }
  throw new LedgerRefusal(400, 'invalid_cursor', 'The cursor is not valid');
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `length` random letters and digits (the bias of `% 62` on one byte is no matter for a stand-in id). */
function alphanumerics(length: number): string {
  return Array.from(randomBytes(length), (b) => ALPHANUMERIC[b % ALPHANUMERIC.length]).join('');
}
