/**
 * The PaySG side of creating a checkout: sending the stored request with the stored
 * Idempotency-Key, and deciding what an answer means. A payment PaySG made is either handed out
 * (usable: on PaySG's origin, for this amount and reference) or cancelled, never left payable
 * and forgotten (no orphans).
 * @module
 */
import type { AppContext } from '../deps.js';
import { ApiError } from '../errors.js';
import { PaysgError, PaysgInvalidRequestError, PaysgInvalidResponseError, PaysgUpstreamError } from '../paysg/errors.js';
import { findPayment } from '../paysg/find-payment.js';
import type { Payment } from '../paysg/schemas.js';
import type { Checkout } from '../storage/checkout-store.js';
import { cancelUnrecorded, holdAndCancel } from './cancel-checkout.js';
import { nextPaysgIdempotencyKey } from './checkout-ids.js';

/** Calls PaySG for a `created` checkout this request holds the creation lock of. */
export async function createPayment(ctx: AppContext, checkout: Checkout): Promise<Checkout> {
  let sending = checkout;
  if (!sending.paysgKeySent) {
    // Recorded first: from here on this key may make a payment, so it is never failed unasked.
    const marked = await ctx.store.update(checkout.id, 'created', { paysgKeySent: true }, ctx.now().toISOString());
    if (!marked) return (await ctx.store.get(checkout.id))!;
    sending = marked;
  }
  let payment: Payment | undefined;
  try {
    payment = await ctx.paysg.payments.create(sending.paysgRequest, { idempotencyKey: sending.paysgIdempotencyKey });
  } catch (err) {
    payment = err instanceof PaysgInvalidResponseError ? await findPaymentOf(ctx, sending) : undefined;
    if (!payment) return failOrRelease(ctx, sending, err);
  }
  return acceptPayment(ctx, sending, payment);
}

/**
 * Asks PaySG again with the same Idempotency-Key whether it made a payment for this checkout:
 * PaySG replays a payment it made (or makes it now, when the first request never arrived).
 * Returns `undefined` when PaySG definitely made none; throws when that cannot be known yet.
 */
export async function paymentMadeFor(ctx: AppContext, checkout: Checkout): Promise<Payment | undefined> {
  if (!checkout.paysgKeySent) return undefined;
  try {
    return await ctx.paysg.payments.create(checkout.paysgRequest, { idempotencyKey: checkout.paysgIdempotencyKey });
  } catch (err) {
    if (err instanceof PaysgInvalidResponseError) {
      const found = await findPaymentOf(ctx, checkout);
      if (found) return found;
      throw err;
    }
    // PaySG refused the parameters, or answered with its own 500/503 (stored for the key and
    // replayed): nothing was made. Anything else (a key or permission problem) says nothing.
    if (err instanceof PaysgInvalidRequestError || isStoredFailure(err)) return undefined;
    throw err;
  }
}

/** How far back, and through how many payments, the list is searched for a lost answer. */
const LOOKUP_MARGIN_MS = 10 * 60 * 1000;
const LOOKUP_MAX_PAYMENTS = 500;

/**
 * Finds the payment PaySG made for this checkout when its create answer could not be read:
 * PaySG lists payments newest first, and only this checkout's payment has its `return_url`.
 */
export async function findPaymentOf(ctx: AppContext, checkout: Checkout, maxPayments = LOOKUP_MAX_PAYMENTS): Promise<Payment | undefined> {
  const since = Date.parse(checkout.createdAt) - LOOKUP_MARGIN_MS;
  const ours = (payment: Payment) => payment.return_url === checkout.paysgRequest.return_url && payment.reference_id === checkout.referenceId;
  try {
    return await findPayment(ctx.paysg, ours, { since, maxPayments });
  } catch (err) {
    ctx.logger.log('warn', 'paysg_lookup_failed', { checkoutId: checkout.id, kind: err instanceof PaysgError ? err.kind : err instanceof Error ? err.name : 'unexpected' });
    return undefined;
  }
}

/** Why a freshly created payment cannot be handed to the browser, or `undefined`. */
function paymentProblem(ctx: AppContext, checkout: Checkout, payment: Payment): string | undefined {
  if (payment.amount_in_cents !== checkout.amountInCents) return 'amount';
  if (payment.reference_id !== checkout.referenceId) return 'reference';
  let origin: string;
  try {
    origin = new URL(payment.payment_url ?? '').origin;
  } catch {
    return 'payment_url';
  }
  // Never send a payer to a page that is not PaySG's (reliability.md §3, PCI SAQ A).
  if (!ctx.paymentPageOrigins.has(origin)) return 'payment_url_origin';
  return undefined;
}

async function acceptPayment(ctx: AppContext, checkout: Checkout, payment: Payment): Promise<Checkout> {
  const now = ctx.now().toISOString();
  const problem = paymentProblem(ctx, checkout, payment);
  if (problem) {
    ctx.logger.log('error', 'paysg_create_mismatch', { alert: true, checkoutId: checkout.id, paymentId: payment.id, problem });
    // PaySG made a payment nobody may be sent to: hold it (no link) and cancel it.
    await holdAndCancel(ctx, checkout, payment, 'orphan').catch(() => undefined); // else the reconciler finishes it
    throw new ApiError(502, 'upstream_rejected', 'PaySG returned a payment that does not match this order');
  }

  const updated = await ctx.store.update(
    checkout.id,
    'created',
    { status: 'unpaid', paymentId: payment.id, paymentUrl: payment.payment_url!, lockedUntil: null },
    now,
  );
  if (updated) {
    ctx.logger.log('info', 'checkout_created', { checkoutId: checkout.id, paymentId: payment.id });
    return updated;
  }
  // Another path moved it on meanwhile (its lock had expired); a payment it does not record is
  // cancelled, never left payable.
  const stored = (await ctx.store.get(checkout.id))!;
  if (stored.paymentId !== payment.id) await cancelUnrecorded(ctx, checkout.id, payment.id);
  return stored;
}

/** 500 and 503 are PaySG's own answers, stored under the key; a gateway's 502 or 504 is not. */
function isStoredFailure(err: unknown): boolean {
  return err instanceof PaysgUpstreamError && (err.status === 500 || err.status === 503);
}

/**
 * A failure that may have reached PaySG keeps the checkout `created` (lock released) so a retry
 * resends the same key; a definite refusal frees the order by failing the checkout. After
 * PaySG's own 500 or 503, which it would replay for that key forever, the next attempt uses the
 * next derived key, and nothing exists at PaySG until it is sent.
 */
async function failOrRelease(ctx: AppContext, checkout: Checkout, err: unknown): Promise<never> {
  const now = ctx.now().toISOString();
  if (err instanceof PaysgError && !err.retryable && !(err instanceof PaysgInvalidResponseError)) {
    ctx.logger.log('error', 'paysg_create_refused', {
      checkoutId: checkout.id,
      kind: err.kind,
      status: err.status,
      code: err.code,
      paysgRequestId: err.requestId,
    });
    await ctx.store.update(checkout.id, 'created', { status: 'failed', lockedUntil: null }, now);
    throw new ApiError(502, 'upstream_rejected', 'PaySG could not create this payment');
  }
  ctx.logger.log('warn', 'paysg_create_unavailable', {
    checkoutId: checkout.id,
    kind: err instanceof PaysgError ? err.kind : 'unexpected',
    status: err instanceof PaysgError ? err.status : undefined,
  });
  const stored = isStoredFailure(err);
  await ctx.store.update(
    checkout.id,
    'created',
    { lockedUntil: null, ...(stored && { paysgIdempotencyKey: nextPaysgIdempotencyKey(checkout.paysgIdempotencyKey), paysgKeySent: false }) },
    now,
  );
  throw new ApiError(503, 'upstream_unavailable', 'PaySG is not answering; try again shortly', { retryAfter: 2 });
}
