/**
 * Turns an order into exactly one PaySG payment, however often the browser retries.
 *
 * The order is claimed in the database before PaySG is called (one checkout per order, by a
 * unique index), and the Idempotency-Key sent to PaySG is derived from the checkout and stored
 * with it. A retry after a timeout or a crash therefore resends the same key and gets PaySG's
 * replay, never a second payment (reliability.md §1, Brandur's recovery points):
 *
 *   created ──(PaySG create)──▶ unpaid ──(verified paid)──▶ paid
 *      │                           └──(cancel)──▶ cancelled
 *      └──(PaySG refused)──▶ failed
 * @module
 */
import type { AppContext } from '../deps.js';
import { ApiError } from '../errors.js';
import { orderKeyOf, type ResolvedOrder } from '../orders/order.js';
import { orderTerms } from '../orders/resolve-order.js';
import { PaysgError, PaysgPaymentStateError, PaysgUpstreamError } from '../paysg/errors.js';
import type { CreatePaymentParams, Payment } from '../paysg/schemas.js';
import type { Checkout } from '../storage/checkout-store.js';
import { newCheckoutId, nextPaysgIdempotencyKey, paysgIdempotencyKeyFor, referenceForCheckout, sha256Hex } from './checkout-ids.js';
import { refreshCheckout } from './verify-checkout.js';

export interface CreateCheckoutResult {
  checkout: Checkout;
  /** False when an existing checkout for the same order (or the same request) was returned. */
  created: boolean;
}

export interface ReturnTarget {
  returnTo: string;
  mode: 'redirect' | 'popup';
}

export async function createCheckout(
  ctx: AppContext,
  order: ResolvedOrder,
  target: ReturnTarget,
  idempotencyKey: string | undefined,
): Promise<CreateCheckoutResult> {
  const { returnTo } = target;
  if (!order.payer.name) {
    throw new ApiError(400, 'payer_details_required', 'PaySG needs the payer’s name', {
      issues: [{ path: 'payer.name', message: 'Required' }],
    });
  }
  const terms = await orderTerms(order);
  const checkoutId = await checkoutIdFor(ctx, order, terms, returnTo, idempotencyKey);
  const candidate = await newCheckout(ctx, checkoutId, order, terms, target);

  // A holder that charges something else is superseded; then the claim is tried once more.
  for (let attempt = 0; attempt < 2; attempt++) {
    const claim = await ctx.store.claim(candidate);
    if (claim.claimed) return { checkout: await createPayment(ctx, claim.checkout), created: true };
    const existing = claim.checkout;
    if (existing.id === candidate.id || existing.orderFingerprint === terms || existing.status !== 'unpaid') {
      return { checkout: await resumeExisting(ctx, existing), created: false };
    }
    await supersede(ctx, existing);
  }
  throw new ApiError(409, 'checkout_in_progress', 'This order is changing; try again shortly', { retryAfter: 2 });
}

async function newCheckout(ctx: AppContext, id: string, order: ResolvedOrder, terms: string, target: ReturnTarget): Promise<Checkout> {
  const referenceId = order.referenceId ?? (await referenceForCheckout(id));
  const now = ctx.now();
  const payer = order.payer;
  const paysgRequest: CreatePaymentParams = {
    reference_id: referenceId,
    payer_name: payer.name!,
    ...(payer.email && { payer_email: payer.email }),
    ...(payer.identifier && { payer_identifier: payer.identifier }),
    ...(payer.address && { payer_address: payer.address }),
    description: order.description,
    amount_in_cents: order.amountInCents,
    metadata: order.metadata,
    return_url: `${ctx.publicUrl}/return/${id}`,
  };
  return {
    id,
    orderKey: orderKeyOf(order, referenceId),
    orderFingerprint: terms,
    item: order.item,
    referenceId,
    description: order.description,
    amountInCents: order.amountInCents,
    currency: order.currency,
    lineItems: order.lineItems,
    status: 'created',
    returnTo: target.returnTo,
    returnMode: target.mode,
    paysgIdempotencyKey: paysgIdempotencyKeyFor(id),
    paysgRequest,
    paymentId: null,
    paymentUrl: null,
    paidAt: null,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    verifiedAt: null,
    // The claimer holds the creation lock from the first instant.
    lockedUntil: new Date(now.getTime() + ctx.createLockMs).toISOString(),
  };
}

/**
 * With an Idempotency-Key, the first request decides the checkout id and every retry of it
 * finds the same one; the same key for a different order is refused.
 */
async function checkoutIdFor(
  ctx: AppContext,
  order: ResolvedOrder,
  terms: string,
  returnTo: string,
  idempotencyKey: string | undefined,
): Promise<string> {
  const candidateId = newCheckoutId();
  if (idempotencyKey === undefined) return candidateId;
  const fingerprint = await sha256Hex(JSON.stringify([order.item, order.referenceId ?? null, terms, order.payer, returnTo]));
  const held = await ctx.store.rememberIdempotencyKey({ key: idempotencyKey, fingerprint, checkoutId: candidateId }, ctx.now().toISOString());
  if (held.fingerprint !== fingerprint) {
    throw new ApiError(422, 'idempotency_mismatch', 'This Idempotency-Key was used for a different order');
  }
  return held.checkoutId;
}

async function resumeExisting(ctx: AppContext, existing: Checkout): Promise<Checkout> {
  switch (existing.status) {
    case 'unpaid':
      return existing;
    case 'paid':
      throw new ApiError(409, 'order_already_paid', 'This order has already been paid');
    case 'created': {
      const now = ctx.now();
      const locked = await ctx.store.lockForCreate(existing.id, now.toISOString(), new Date(now.getTime() + ctx.createLockMs).toISOString());
      if (!locked) {
        throw new ApiError(409, 'checkout_in_progress', 'This order is being set up; try again shortly', { retryAfter: 2 });
      }
      return createPayment(ctx, locked);
    }
    default:
      throw new ApiError(409, 'checkout_not_payable', `This checkout is ${existing.status}`);
  }
}

/**
 * The order's terms changed (a new order token for the same reference): the old PaySG link
 * never expires, so it is cancelled at PaySG before a new one exists, or the payer could pay
 * twice (paysg-api.md §10).
 */
async function supersede(ctx: AppContext, existing: Checkout): Promise<void> {
  try {
    await cancelCheckout(ctx, existing);
  } catch (err) {
    // `order_already_paid` and the like pass through; PaySG failing to answer is retryable.
    throw err instanceof ApiError ? err : new ApiError(503, 'upstream_unavailable', 'PaySG is not answering; try again shortly', { retryAfter: 2 });
  }
  ctx.logger.log('info', 'checkout_superseded', { checkoutId: existing.id });
}

/**
 * Cancels an unpaid checkout and its PaySG payment. Answers `order_already_paid` if PaySG says
 * it was paid meanwhile (then the checkout is verified and stored as paid).
 */
export async function cancelCheckout(ctx: AppContext, checkout: Checkout): Promise<Checkout> {
  const now = () => ctx.now().toISOString();
  if (checkout.status === 'cancelled') return checkout;
  if (checkout.status === 'paid') throw new ApiError(409, 'order_already_paid', 'This order has already been paid');
  if (checkout.status === 'failed') throw new ApiError(409, 'checkout_not_payable', 'This checkout has failed');
  if (checkout.status === 'created') {
    // No payment link was ever handed out; a lock means a request is creating one right now.
    if (checkout.lockedUntil && checkout.lockedUntil > now()) {
      throw new ApiError(409, 'checkout_in_progress', 'This order is being set up; try again shortly', { retryAfter: 2 });
    }
    const cancelled = await ctx.store.update(checkout.id, ['created'], { status: 'cancelled', lockedUntil: null }, now());
    return cancelled ?? cancelCheckout(ctx, (await ctx.store.get(checkout.id))!);
  }
  try {
    await ctx.paysg.payments.cancel(checkout.paymentId!);
  } catch (err) {
    if (!(err instanceof PaysgPaymentStateError)) throw err;
    // PaySG refused: paid (or already cancelled) in the meantime. Find out which, verified.
    const refreshed = await refreshCheckout(ctx, checkout, { force: true });
    if (refreshed.status === 'paid') throw new ApiError(409, 'order_already_paid', 'This order has already been paid');
    if (refreshed.status === 'cancelled') return refreshed;
    throw new ApiError(409, 'checkout_not_payable', 'PaySG would not cancel this payment');
  }
  const cancelled = await ctx.store.update(checkout.id, ['unpaid'], { status: 'cancelled', verifiedAt: now() }, now());
  ctx.logger.log('info', 'checkout_cancelled', { checkoutId: checkout.id, paymentId: checkout.paymentId });
  return cancelled ?? (await ctx.store.get(checkout.id))!;
}

/** Calls PaySG for a `created` checkout this request holds the lock of. */
export async function createPayment(ctx: AppContext, checkout: Checkout): Promise<Checkout> {
  let payment: Payment;
  try {
    payment = await ctx.paysg.payments.create(checkout.paysgRequest, { idempotencyKey: checkout.paysgIdempotencyKey });
  } catch (err) {
    return failOrRelease(ctx, checkout, err);
  }

  const problem = paymentProblem(ctx, checkout, payment);
  if (problem) {
    ctx.logger.log('error', 'paysg_create_mismatch', { alert: true, checkoutId: checkout.id, paymentId: payment.id, problem });
    await ctx.store.update(checkout.id, ['created'], { status: 'failed', lockedUntil: null }, ctx.now().toISOString());
    throw new ApiError(502, 'upstream_rejected', 'PaySG returned a payment that does not match this order');
  }

  const updated = await ctx.store.update(
    checkout.id,
    ['created'],
    { status: 'unpaid', paymentId: payment.id, paymentUrl: payment.payment_url, lockedUntil: null },
    ctx.now().toISOString(),
  );
  ctx.logger.log('info', 'checkout_created', { checkoutId: checkout.id, paymentId: payment.id });
  // Another path (a webhook, the reconciler) may already have moved it on; report what is stored.
  return updated ?? (await ctx.store.get(checkout.id))!;
}

/** Why a freshly created payment cannot be handed to the browser, or `undefined`. */
function paymentProblem(ctx: AppContext, checkout: Checkout, payment: Payment): string | undefined {
  if (payment.amount_in_cents !== checkout.amountInCents) return 'amount';
  if (payment.reference_id !== checkout.referenceId) return 'reference';
  let origin: string;
  try {
    origin = new URL(payment.payment_url).origin;
  } catch {
    return 'payment_url';
  }
  // Never send a payer to a page that is not PaySG's (reliability.md §3, PCI SAQ A).
  if (!ctx.paymentPageOrigins.has(origin)) return 'payment_url_origin';
  return undefined;
}

/**
 * A failure that may have reached PaySG keeps the checkout `created` (lock released) so a retry
 * resends the same key; a definite refusal frees the order by failing the checkout. PaySG
 * stores a 5xx under its Idempotency-Key and would replay it forever, so after one the next
 * attempt uses the next derived key: that request failed at PaySG, so no payment exists for it.
 */
async function failOrRelease(ctx: AppContext, checkout: Checkout, err: unknown): Promise<never> {
  const now = ctx.now().toISOString();
  if (err instanceof PaysgError && !err.retryable) {
    ctx.logger.log('error', 'paysg_create_refused', {
      checkoutId: checkout.id,
      kind: err.kind,
      status: err.status,
      code: err.code,
      paysgRequestId: err.requestId,
    });
    await ctx.store.update(checkout.id, ['created'], { status: 'failed', lockedUntil: null }, now);
    throw new ApiError(502, 'upstream_rejected', 'PaySG could not create this payment');
  }
  // 500 and 503 are PaySG's own answers, stored under the key; a gateway's 502 or 504 is not
  // (PaySG may have committed behind it), so those keep the key like a timeout does.
  const answeredWith5xx = err instanceof PaysgUpstreamError && (err.status === 500 || err.status === 503);
  ctx.logger.log('warn', 'paysg_create_unavailable', {
    checkoutId: checkout.id,
    kind: err instanceof PaysgError ? err.kind : 'unexpected',
    status: err instanceof PaysgError ? err.status : undefined,
  });
  await ctx.store.update(
    checkout.id,
    ['created'],
    { lockedUntil: null, ...(answeredWith5xx && { paysgIdempotencyKey: nextPaysgIdempotencyKey(checkout.paysgIdempotencyKey) }) },
    now,
  );
  throw new ApiError(503, 'upstream_unavailable', 'PaySG is not answering; try again shortly', { retryAfter: 2 });
}
