/**
 * The check both stores apply to a refund's status change, from the one table of which status
 * may follow which (`REFUND_TRANSITIONS`, beside the statuses). A change the table does not list
 * is a bug in the caller, never a race: a race shows as a compare and set that finds nothing.
 * @module
 */
import { REFUND_TRANSITIONS, type RefundStatus } from './staff-records.js';

/** A status may always stay what it is (other fields change). */
export function canRefundTransition(from: RefundStatus, to: RefundStatus): boolean {
  return from === to || REFUND_TRANSITIONS[from].includes(to);
}

export class IllegalRefundTransitionError extends Error {
  override name = 'IllegalRefundTransitionError';
  constructor(from: RefundStatus, to: RefundStatus) {
    super(`A refund cannot go from ${from} to ${to}`);
  }
}

export function assertRefundTransition(from: RefundStatus, to: RefundStatus | undefined): void {
  if (to !== undefined && !canRefundTransition(from, to))
    throw new IllegalRefundTransitionError(from, to);
}
