/**
 * The simulator's in-memory record of payments and idempotent requests, with the state rules
 * PaySG documents: a payment link stays payable until it is paid or cancelled, and a paid
 * payment cannot be paid again (paysg-api.md §10).
 * @module
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { CreatePaymentParams, Payment } from '../../server/paysg/schemas.js';

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

/** A 21-character URL-safe id, the shape of PaySG's payment ids (`ZbzTvadjmP0wd7RRxhWtj`). */
export function newPaymentId(): string {
  return Array.from(randomBytes(21), (byte) => ID_ALPHABET[byte & 63]).join('');
}

/** PaySG writes times in Singapore time with milliseconds: `2023-08-03T17:36:52.634+08:00`. */
export function singaporeTimestamp(date: Date): string {
  const shifted = new Date(date.getTime() + 8 * 60 * 60 * 1000);
  return shifted.toISOString().replace('Z', '+08:00');
}

export interface StoredResponse {
  status: number;
  body: unknown;
}

interface IdempotencyRecord {
  fingerprint: string;
  response: StoredResponse | undefined;
}

export type PayOutcome = 'paid' | 'already_paid' | 'cancelled' | 'not_found';

export class PaymentLedger {
  readonly #payments = new Map<string, Payment>();
  readonly #idempotency = new Map<string, IdempotencyRecord>();
  readonly #createsByReference = new Map<string, number>();
  #idempotentReplays = 0;
  readonly #now: () => Date;

  constructor(now: () => Date) {
    this.#now = now;
  }

  create(
    paymentServiceId: string,
    params: CreatePaymentParams,
    paymentUrlFor: (id: string) => string,
  ): Payment {
    const id = newPaymentId();
    const now = singaporeTimestamp(this.#now());
    const payment: Payment = {
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
      return_url: params.return_url ?? null,
      payment_url: paymentUrlFor(id),
      payment_status: 'unpaid',
      latest_status: 'unpaid',
      refund_status: 'not_refunded',
      email_delivery_status: 'unsent',
      stripe_payment_intent_id: null,
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
    this.#payments.set(id, payment);
    const key = `${paymentServiceId}\n${params.reference_id}`;
    this.#createsByReference.set(key, (this.#createsByReference.get(key) ?? 0) + 1);
    return structuredClone(payment);
  }

  get(paymentServiceId: string, id: string): Payment | undefined {
    const payment = this.#payments.get(id);
    if (!payment || payment.payment_service_id !== paymentServiceId) return undefined;
    return structuredClone(payment);
  }

  /** Any payment by id, whatever its service: for the hosted page, which needs no API key. */
  find(id: string): Payment | undefined {
    const payment = this.#payments.get(id);
    return payment && structuredClone(payment);
  }

  pay(id: string): PayOutcome {
    const payment = this.#payments.get(id);
    if (!payment) return 'not_found';
    if (payment.payment_status === 'paid') return 'already_paid';
    if (payment.latest_status === 'cancelled') return 'cancelled';
    const now = singaporeTimestamp(this.#now());
    payment.payment_status = 'paid';
    payment.latest_status = 'paid';
    payment.payment_succeeded_timestamp = now;
    payment.updated_at = now;
    return 'paid';
  }

  /**
   * Starts an idempotent request: `undefined` when the caller should execute it, the stored
   * response to replay, or `'conflict'`/`'mismatch'` (paysg-api.md §6).
   */
  beginIdempotent(
    scope: string,
    key: string,
    fingerprint: string,
  ): StoredResponse | 'in_flight' | 'mismatch' | undefined {
    const record = this.#idempotency.get(`${scope}\n${key}`);
    if (!record) {
      this.#idempotency.set(`${scope}\n${key}`, { fingerprint, response: undefined });
      return undefined;
    }
    if (record.fingerprint !== fingerprint) return 'mismatch';
    if (!record.response) return 'in_flight';
    this.#idempotentReplays++;
    return record.response;
  }

  finishIdempotent(scope: string, key: string, response: StoredResponse): void {
    const record = this.#idempotency.get(`${scope}\n${key}`);
    if (record) record.response = response;
  }

  /** Nothing is stored when the endpoint never began executing (validation failures). */
  abandonIdempotent(scope: string, key: string): void {
    this.#idempotency.delete(`${scope}\n${key}`);
  }

  /** How many payments were created for a reference: tests assert "exactly one". */
  createCount(paymentServiceId: string, referenceId: string): number {
    return this.#createsByReference.get(`${paymentServiceId}\n${referenceId}`) ?? 0;
  }

  get paymentCount(): number {
    return this.#payments.size;
  }

  get idempotentReplays(): number {
    return this.#idempotentReplays;
  }
}
