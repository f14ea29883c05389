/**
 * A refund from the back office: only of a paid checkout, never more than is left, under the
 * staff member's Idempotency-Key (a retried click replays, never refunds twice), and recorded
 * from PaySG's answer, as "paid" is.
 * @module
 */
import type { AppContext } from '../deps.js';
import { ApiError } from '../errors.js';
import { PaysgError } from '../paysg/errors.js';
import type { Checkout } from '../storage/checkout-store.js';

export async function refundCheckout(ctx: AppContext, checkout: Checkout, amountInCents: number | undefined, idempotencyKey: string): Promise<Checkout> {
  if (checkout.status !== 'paid' || !checkout.paymentId) {
    throw new ApiError(409, 'not_refundable', `Only a paid checkout can be refunded; this one is ${checkout.status}`);
  }
  const remaining = checkout.amountInCents - checkout.refundedInCents;
  if (remaining <= 0) throw new ApiError(409, 'not_refundable', 'This checkout has been refunded in full');
  const amount = amountInCents ?? remaining;
  if (amount > remaining) {
    throw new ApiError(400, 'invalid_request', `At most SGD ${(remaining / 100).toFixed(2)} can still be refunded`, {
      issues: [{ path: 'amountInCents', message: `At most ${remaining}` }],
    });
  }
  let payment;
  try {
    payment = await ctx.paysg.payments.refund(checkout.paymentId, { refund_amount_in_cents: amount }, { idempotencyKey: `paysg-checkout:${checkout.id}:refund:${idempotencyKey}` });
  } catch (err) {
    if (!(err instanceof PaysgError)) throw err;
    if (err.retryable) {
      throw new ApiError(503, 'upstream_unavailable', 'PaySG cannot be reached right now; try again with the same request', { retryAfter: 5 });
    }
    // PaySG's refusal says why (a refund still in progress, past 90 days): staff read it.
    throw new ApiError(409, 'refund_refused', `PaySG refused the refund: ${err.message}`);
  }
  const recorded = await ctx.store.recordRefund(
    { idempotencyKey, checkoutId: checkout.id, amountInCents: amount, createdAt: ctx.now().toISOString() },
    payment.refund_status === 'fully_refunded',
  );
  if (!recorded) throw new ApiError(409, 'not_refundable', 'This checkout is no longer paid');
  return recorded;
}
