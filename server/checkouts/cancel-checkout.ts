/**
 * Ending a checkout that was not paid, so that its PaySG link can never be paid: PaySG's links
 * never expire (paysg-api.md §10). A cancel counts only once PaySG confirms it; an answer that is
 * lost or unclear is settled by asking PaySG (retrieve), and until then the checkout keeps
 * `cancelRequestedAt`, hands out no link, and whoever touches it next (the reconciler included)
 * finishes the cancel.
 * @module
 */
import type { AppContext } from '../deps.js';
import { ApiError } from '../errors.js';
import { PaysgError } from '../paysg/errors.js';
import type { Payment } from '../paysg/schemas.js';
import { present } from '../present.js';
import { storedCheckout, type Checkout } from '../storage/checkout-store.js';
import { ownsCheckout, type Requester } from './checkout-owner.js';
import { paymentMadeUnderKey } from './paysg-key.js';
import { applyPaysgPayment } from './verify-checkout.js';

/** Why a checkout is being ended, for the log. */
export type EndReason = 'payer' | 'staff' | 'superseded' | 'orphan' | 'reconciler';

function unavailable(message = 'PaySG is not answering; try again shortly'): ApiError {
  return new ApiError(503, 'upstream_unavailable', message, { retryAfter: 2 });
}

/** `POST /checkouts/{id}/cancel`: only the browser (or order token) that made it may. */
export async function cancelCheckout(
  ctx: AppContext,
  checkout: Checkout,
  requester: Requester,
): Promise<Checkout> {
  if (!ownsCheckout(checkout, requester)) {
    throw new ApiError(
      403,
      'not_checkout_owner',
      'Only the browser that started this payment can cancel it',
    );
  }
  return endCheckout(ctx, checkout, 'payer');
}

/**
 * Ends a checkout that holds its order without being paid. Resolves to the checkout as
 * `cancelled` (or `failed`, when PaySG never made its payment and the payer did not ask); throws `order_already_paid` when PaySG says it was paid (recorded, verified),
 * or `upstream_unavailable` / `checkout_in_progress` when it cannot be ended yet.
 */
export async function endCheckout(
  ctx: AppContext,
  checkout: Checkout,
  reason: EndReason,
): Promise<Checkout> {
  switch (checkout.status) {
    case 'cancelled':
      return checkout;
    case 'paid':
      throw new ApiError(409, 'order_already_paid', 'This order has already been paid');
    case 'failed':
      // Nothing at PaySG to end; only a payer's cancel needs telling that it had failed.
      if (reason !== 'payer' && reason !== 'staff') return checkout;
      throw new ApiError(409, 'checkout_not_payable', 'This checkout has failed');
    case 'unpaid':
      return cancelPayment(ctx, checkout, reason);
    case 'created':
      return endUnfinished(ctx, checkout, reason);
  }
}

/**
 * A `created` checkout has no link out, but its key may have made a payment at PaySG: ask with
 * the same key, and cancel what PaySG made before calling the checkout cancelled.
 */
async function endUnfinished(
  ctx: AppContext,
  checkout: Checkout,
  reason: EndReason,
): Promise<Checkout> {
  const now = ctx.now();
  const locked = await ctx.store.lockForCreate(
    checkout.id,
    now.toISOString(),
    new Date(now.getTime() + ctx.createLockMs).toISOString(),
  );
  if (!locked) {
    const current = await ctx.store.get(checkout.id);
    if (current && current.status !== 'created') return endCheckout(ctx, current, reason);
    throw new ApiError(
      409,
      'checkout_in_progress',
      'This order is being set up; try again shortly',
      { retryAfter: 2 },
    );
  }
  let payment: Payment | undefined;
  try {
    payment = await paymentMadeUnderKey(ctx, locked);
  } catch (err) {
    await ctx.store.update(locked.id, 'created', { lockedUntil: null }, ctx.now().toISOString());
    if (err instanceof PaysgError) throw unavailable();
    throw err;
  }
  if (!payment) {
    const cancelled = await ctx.store.update(
      locked.id,
      'created',
      { status: 'cancelled', lockedUntil: null },
      ctx.now().toISOString(),
    );
    ctx.logger.log('info', 'checkout_cancelled', {
      checkoutId: locked.id,
      reason,
      paymentId: null,
    });
    return cancelled ?? (await storedCheckout(ctx.store, locked.id));
  }
  return holdAndCancel(ctx, locked, payment, reason);
}

/**
 * A `created` checkout (whose lock the caller holds) whose PaySG payment must not be handed out:
 * the payment is recorded without a link, with its cancel requested, and then cancelled. If that
 * cancel cannot be confirmed now, the reconciler finishes it.
 */
export async function holdAndCancel(
  ctx: AppContext,
  locked: Checkout,
  payment: Payment,
  reason: EndReason,
): Promise<Checkout> {
  const at = ctx.now().toISOString();
  const held = await ctx.store.update(
    locked.id,
    'created',
    {
      status: 'unpaid',
      paymentId: payment.id,
      paymentUrl: null,
      lockedUntil: null,
      cancelRequestedAt: at,
    },
    at,
  );
  if (!held) {
    // Moved on meanwhile without this payment (its lock had expired): cancel it all the same.
    await cancelUnrecorded(ctx, locked.id, payment.id);
    return endCheckout(ctx, await storedCheckout(ctx.store, locked.id), reason);
  }
  return cancelPayment(ctx, held, reason);
}

/**
 * Cancels a PaySG payment no checkout records (its checkout had moved on when PaySG answered),
 * so it cannot stay payable. Alerts when PaySG cannot confirm it: a person must look.
 */
export async function cancelUnrecorded(
  ctx: AppContext,
  checkoutId: string,
  paymentId: string,
): Promise<void> {
  try {
    const answer = await ctx.paysg.payments.cancel(paymentId).catch(() => undefined);
    const confirmed =
      answer?.latest_status === 'cancelled' ? answer : await ctx.paysg.payments.retrieve(paymentId);
    if (confirmed.latest_status === 'cancelled') {
      ctx.logger.log('info', 'orphan_cancelled', { checkoutId, paymentId, reason: 'unrecorded' });
      return;
    }
  } catch {
    // Reported below.
  }
  ctx.logger.log('error', 'orphan_left_payable', { alert: true, checkoutId, paymentId });
}

/**
 * Cancels an `unpaid` checkout's PaySG payment, confirmed: PaySG's answer to the cancel if it
 * says `cancelled`, otherwise PaySG's own word when asked afterwards.
 */
export async function cancelPayment(
  ctx: AppContext,
  checkout: Checkout,
  reason: EndReason,
): Promise<Checkout> {
  let pending = checkout;
  if (!pending.cancelRequestedAt) {
    const at = ctx.now().toISOString();
    const marked = await ctx.store.update(checkout.id, 'unpaid', { cancelRequestedAt: at }, at);
    if (!marked) return endCheckout(ctx, await storedCheckout(ctx.store, checkout.id), reason);
    pending = marked;
  }

  const paymentId = present(
    pending.paymentId,
    `the PaySG payment of unpaid checkout ${pending.id}`,
  );
  let payment: Payment | undefined;
  try {
    const answer = await ctx.paysg.payments.cancel(paymentId);
    if (answer?.id === paymentId && answer.latest_status === 'cancelled') payment = answer;
  } catch (err) {
    if (!(err instanceof PaysgError)) throw err;
    // Refused (paid meanwhile, or already cancelled), lost or unreadable: PaySG is asked below.
    ctx.logger.log('warn', 'paysg_cancel_unclear', {
      checkoutId: pending.id,
      kind: err.kind,
      status: err.status,
    });
  }
  if (!payment) {
    try {
      payment = await ctx.paysg.payments.retrieve(paymentId);
    } catch (err) {
      if (err instanceof PaysgError) throw unavailable();
      throw err;
    }
  }

  if (payment.payment_status === 'paid') {
    // Paid before the cancel landed: recorded as paid once verified, like any payment.
    const verified = await applyPaysgPayment(ctx, pending, payment);
    if (verified.status !== 'paid')
      throw unavailable(
        'PaySG reports this payment paid but it does not match; the agency has been alerted',
      );
    throw new ApiError(409, 'order_already_paid', 'This order has already been paid');
  }
  if (payment.id !== pending.paymentId || payment.latest_status !== 'cancelled') {
    throw unavailable('PaySG has not cancelled this payment yet; try again shortly');
  }
  const at = ctx.now().toISOString();
  const cancelled = await ctx.store.update(
    pending.id,
    'unpaid',
    { status: 'cancelled', cancelRequestedAt: null, verifiedAt: at },
    at,
  );
  ctx.logger.log('info', reason === 'orphan' ? 'orphan_cancelled' : 'checkout_cancelled', {
    checkoutId: pending.id,
    paymentId: pending.paymentId,
    reason,
  });
  return cancelled ?? endCheckout(ctx, await storedCheckout(ctx.store, pending.id), reason);
}
