/**
 * Paid means verified: a checkout becomes `paid` only after PaySG, asked by us, says its payment
 * is paid and the payment's id, amount, reference and payment service are the ones we created.
 * The return URL's parameters and anything the browser says are hints at most.
 * @module
 */
import type { AppContext } from '../deps.js';
import type { Payment } from '../paysg/schemas.js';
import { FINAL_STATUSES, storedCheckout, type Checkout } from '../storage/checkout-store.js';

/** Concurrent refreshes of one checkout share one PaySG call (many tabs polling at once). */
const inFlight = new WeakMap<AppContext, Map<string, Promise<Checkout>>>();

export interface RefreshOptions {
  /** Ask PaySG even when it was asked moments ago (the payer just came back from paying). */
  force?: boolean;
}

/**
 * Returns the checkout as PaySG now says it is. Final checkouts are answered from the store; an
 * unfinished one is checked with PaySG at most once per `statusRecheckMs` unless forced.
 * PaySG failures propagate as `PaysgError`.
 */
export async function refreshCheckout(
  ctx: AppContext,
  checkout: Checkout,
  options: RefreshOptions = {},
): Promise<Checkout> {
  const paymentId = checkout.paymentId;
  if (FINAL_STATUSES.includes(checkout.status) || paymentId === null) return checkout;
  if (!options.force && checkout.verifiedAt !== null) {
    const age = ctx.now().getTime() - Date.parse(checkout.verifiedAt);
    if (age < ctx.statusRecheckMs) return checkout;
  }

  const calls = inFlight.get(ctx) ?? new Map<string, Promise<Checkout>>();
  inFlight.set(ctx, calls);
  const pending = calls.get(checkout.id);
  if (pending) return pending;
  const call = verifyWithPaysg(ctx, checkout, paymentId).finally(() => calls.delete(checkout.id));
  calls.set(checkout.id, call);
  return call;
}

async function verifyWithPaysg(
  ctx: AppContext,
  checkout: Checkout,
  paymentId: string,
): Promise<Checkout> {
  return applyPaysgPayment(ctx, checkout, await ctx.paysg.payments.retrieve(paymentId));
}

/**
 * Records what PaySG says of this checkout's payment: `paid` only when its id, payment service,
 * amount and reference are the ones this checkout created; `cancelled` when PaySG cancelled it.
 */
export async function applyPaysgPayment(
  ctx: AppContext,
  checkout: Checkout,
  payment: Payment,
): Promise<Checkout> {
  const now = ctx.now().toISOString();
  const mismatch = mismatchOf(ctx, checkout, payment);
  if (mismatch) {
    // Someone or something is wrong: never show this as paid, and make it loud.
    ctx.logger.log('error', 'payment_verification_mismatch', {
      alert: true,
      checkoutId: checkout.id,
      paymentId: payment.id,
      field: mismatch,
    });
    return (
      (await ctx.store.update(checkout.id, checkout.status, { verifiedAt: now }, now)) ?? checkout
    );
  }

  if (payment.payment_status === 'paid') {
    const paid = await ctx.store.update(
      checkout.id,
      checkout.status,
      {
        status: 'paid',
        paidAt: payment.payment_succeeded_timestamp ?? now,
        verifiedAt: now,
        lockedUntil: null,
        cancelRequestedAt: null,
      },
      now,
    );
    if (paid)
      ctx.logger.log('info', 'checkout_paid', { checkoutId: checkout.id, paymentId: payment.id });
    return paid ?? (await storedCheckout(ctx.store, checkout.id));
  }
  if (payment.latest_status === 'cancelled') {
    const cancelled = await ctx.store.update(
      checkout.id,
      checkout.status,
      { status: 'cancelled', verifiedAt: now, cancelRequestedAt: null },
      now,
    );
    return cancelled ?? (await storedCheckout(ctx.store, checkout.id));
  }
  return (
    (await ctx.store.update(checkout.id, checkout.status, { verifiedAt: now }, now)) ?? checkout
  );
}

/** The first field in which PaySG's payment differs from the one this checkout created. */
function mismatchOf(ctx: AppContext, checkout: Checkout, payment: Payment): string | undefined {
  if (payment.id !== checkout.paymentId) return 'id';
  if (payment.payment_service_id !== ctx.paysg.paymentServiceId) return 'payment_service_id';
  if (payment.amount_in_cents !== checkout.amountInCents) return 'amount_in_cents';
  if (payment.reference_id !== checkout.referenceId) return 'reference_id';
  return undefined;
}
