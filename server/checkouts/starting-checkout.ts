/**
 * How every checkout starts, whatever made it (a payer's browser, a FormSG submission): nothing
 * at PaySG yet, and held by its creation lock from the first instant, so the request that claims
 * it is the one that calls PaySG.
 * @module
 */
import type { AppContext } from '../deps.js';
import type { Checkout } from '../storage/checkout-store.js';

/** The fields a checkout starts with, the same for every kind of order. */
type StartingFields =
  | 'status'
  | 'paymentId'
  | 'paymentUrl'
  | 'paidAt'
  | 'createdAt'
  | 'updatedAt'
  | 'verifiedAt'
  | 'lockedUntil'
  | 'cancelRequestedAt'
  | 'refundedInCents'
  | 'refundStatus';

export function startingCheckout(
  ctx: Pick<AppContext, 'now' | 'createLockMs'>,
  order: Omit<Checkout, StartingFields>,
): Checkout {
  const now = ctx.now();
  return {
    ...order,
    status: 'created',
    paymentId: null,
    paymentUrl: null,
    paidAt: null,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    verifiedAt: null,
    // The claimer holds the creation lock from the first instant.
    lockedUntil: new Date(now.getTime() + ctx.createLockMs).toISOString(),
    cancelRequestedAt: null,
    refundedInCents: 0,
    refundStatus: null,
  };
}
