/**
 * A refund's statuses and the one table of which status may follow which, in the shape of
 * `checkout-status.ts`. Every refund status change goes through `store.updateRefund`, which
 * applies this table.
 *
 *   awaiting_approval ──(approved by a second person)──▶ requested ──(PaySG refunded)──▶ succeeded
 *      └──(declined)──▶ declined                           └──(PaySG refused it)──▶ failed
 *
 * `requested` is written before PaySG is asked, so a crash never hides a refund PaySG made.
 * @module
 */
import { assertMayFollow, type Transitions } from './status-transitions.js';

export const REFUND_STATUS = {
  awaitingApproval: 'awaiting_approval',
  requested: 'requested',
  succeeded: 'succeeded',
  failed: 'failed',
  declined: 'declined',
} as const;

export type RefundStatus = (typeof REFUND_STATUS)[keyof typeof REFUND_STATUS];

/** Which status may follow which. A status may always stay what it is (other fields change). */
export const REFUND_TRANSITIONS: Transitions<RefundStatus> = {
  awaiting_approval: ['requested', 'declined'],
  requested: ['succeeded', 'failed'],
  succeeded: [],
  failed: [],
  declined: [],
};

/** A checkout has at most one of these at a time (a database constraint). */
export const OPEN_REFUND_STATUSES: readonly RefundStatus[] = ['awaiting_approval', 'requested'];

/**
 * The condition on `refunds` that the one-open-refund-per-checkout index covers, word for word,
 * so the planner uses it: `status IN ('awaiting_approval', 'requested')`, for both stores.
 */
export const OPEN_REFUND_SQL = `status IN (${OPEN_REFUND_STATUSES.map((status) => `'${status}'`).join(', ')})`;

export function isOpenRefund(status: RefundStatus): boolean {
  return OPEN_REFUND_STATUSES.includes(status);
}

/**
 * Sets a paid checkout's refund totals from its succeeded refunds, one text for both stores:
 * each gives its own spelling of the three parameters (the checkout's id; whether PaySG says it
 * is fully refunded, a boolean or 0/1; the time of the change).
 */
export function refundTotalsSql(param: { id: string; fullyRefunded: string; now: string }): string {
  return `UPDATE checkouts
  SET refunded_in_cents = totals.cents,
      refund_status = CASE WHEN ${param.fullyRefunded} OR totals.cents >= checkouts.amount_in_cents THEN 'refunded' ELSE 'partially_refunded' END,
      updated_at = ${param.now}
  FROM (SELECT COALESCE(SUM(amount_in_cents), 0) AS cents FROM refunds WHERE checkout_id = ${param.id} AND status = '${REFUND_STATUS.succeeded}') AS totals
  WHERE checkouts.id = ${param.id} AND checkouts.status = 'paid'`;
}

export class IllegalRefundTransitionError extends Error {
  override name = 'IllegalRefundTransitionError';
  constructor(from: RefundStatus, to: RefundStatus) {
    super(`A refund cannot go from ${from} to ${to}`);
  }
}

/** Throws when `to` may not follow `from`: a bug in the caller, never a race. */
export function assertRefundTransition(from: RefundStatus, to: RefundStatus | undefined): void {
  assertMayFollow(REFUND_TRANSITIONS, from, to, IllegalRefundTransitionError);
}
