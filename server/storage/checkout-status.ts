/**
 * A checkout's statuses and the one table of which status may follow which. Every status change
 * in the BFF goes through `store.update`, which applies this table: a change it does not list is
 * a programming error, and a change from a status the row no longer has does nothing.
 *
 *   created ──(PaySG created a payment)──▶ unpaid ──(verified paid)──▶ paid
 *      │ │ └──(verified paid: found by the reconciler)─────────────────▲
 *      │ └──(PaySG refused, or nothing was created in time)──▶ failed
 *      └──(cancelled: any payment PaySG made is cancelled first)──▶ cancelled ◀──(PaySG confirmed the cancel)── unpaid
 * @module
 */
import { assertMayFollow, type Transitions } from './status-transitions.js';

export const CHECKOUT_STATUS = {
  created: 'created',
  unpaid: 'unpaid',
  paid: 'paid',
  cancelled: 'cancelled',
  failed: 'failed',
} as const;

export type CheckoutStatus = (typeof CHECKOUT_STATUS)[keyof typeof CHECKOUT_STATUS];

/** Which status may follow which. A status may always stay what it is (other fields change). */
export const CHECKOUT_TRANSITIONS: Transitions<CheckoutStatus> = {
  created: ['unpaid', 'paid', 'cancelled', 'failed'],
  unpaid: ['paid', 'cancelled'],
  paid: [],
  cancelled: [],
  failed: [],
};

/** Statuses that hold an order: a second checkout for the same order is refused while one exists. */
export const ORDER_HOLDING_STATUSES: readonly CheckoutStatus[] = ['created', 'unpaid', 'paid'];

/** The same statuses as an SQL list, `('created', 'unpaid', 'paid')`, for both stores' queries. */
export const ORDER_HOLDING_SQL = `(${ORDER_HOLDING_STATUSES.map((status) => `'${status}'`).join(', ')})`;

/** Statuses after which nothing changes (until refunds exist). */
export const FINAL_STATUSES: readonly CheckoutStatus[] = ['paid', 'cancelled', 'failed'];

export class IllegalTransitionError extends Error {
  override name = 'IllegalTransitionError';
  constructor(from: CheckoutStatus, to: CheckoutStatus) {
    super(`A checkout cannot go from ${from} to ${to}`);
  }
}

/** Throws when `to` may not follow `from`: a bug in the caller, never a race. */
export function assertTransition(from: CheckoutStatus, to: CheckoutStatus | undefined): void {
  assertMayFollow(CHECKOUT_TRANSITIONS, from, to, IllegalTransitionError);
}
