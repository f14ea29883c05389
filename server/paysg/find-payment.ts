/**
 * Finding a payment whose create answer was lost, in PaySG's list (newest first, paysg-api.md
 * §7): PaySG offers no search, so the list is walked back to when the payment could have been
 * made, within a bound. Shared by the BFF and the payment-links command.
 * @module
 */
import type { PaysgClient } from './client.js';
import type { Payment } from './schemas.js';

/** The search reached its bound before the time it was searching back to. */
export class PaymentSearchIncomplete extends Error {
  override name = 'PaymentSearchIncomplete';
}

export interface FindPaymentOptions {
  /** Milliseconds since the epoch: payments created before this are not looked at. */
  since: number;
  /** Payments looked at, at most. */
  maxPayments: number;
}

/**
 * The first payment `matches` accepts, or `undefined` when none was made since `since`. Throws
 * `PaymentSearchIncomplete` at the bound, and PaySG's errors as they come: not knowing is never
 * taken for "none" here; callers decide.
 */
export async function findPayment(
  paysg: PaysgClient,
  matches: (payment: Payment) => boolean,
  options: FindPaymentOptions,
): Promise<Payment | undefined> {
  let seen = 0;
  for await (const payment of paysg.payments.listAll({ limit: 100 })) {
    if (++seen > options.maxPayments)
      throw new PaymentSearchIncomplete(
        `searched ${options.maxPayments} payments without reaching the first attempt`,
      );
    if (matches(payment)) return payment;
    if (payment.created_at && Date.parse(payment.created_at) < options.since) return undefined;
  }
  return undefined;
}
