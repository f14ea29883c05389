/**
 * Turns an order into exactly one PaySG payment, however often the browser retries.
 *
 * The order is claimed in the database before PaySG is called (one checkout per order, by a
 * unique index), and the Idempotency-Key sent to PaySG is derived from the checkout and stored
 * with it. A retry after a timeout or a crash therefore resends the same key and gets PaySG's
 * replay, never a second payment (reliability.md §1, Brandur's recovery points).
 * @module
 */
import { ApiError } from '../errors.js';
import type { AppContext } from '../deps.js';
import { PaysgError } from '../paysg/errors.js';
import type { CreatePaymentParams, Payment } from '../paysg/schemas.js';
import type { Checkout } from '../storage/checkout-store.js';
import {
  newCheckoutId,
  paysgIdempotencyKeyFor,
  referenceForCheckout,
  sha256Hex,
} from './checkout-ids.js';

export interface PayerDetails {
  name?: string | undefined;
  email?: string | undefined;
  identifier?: string | undefined;
  address?: string | undefined;
}

export interface CheckoutRequest {
  item: string;
  reference?: string | undefined;
  payer?: PayerDetails | undefined;
  returnTo: string;
}

export interface CreateCheckoutResult {
  checkout: Checkout;
  /** False when an existing checkout for the same order (or the same request) was returned. */
  created: boolean;
}

export async function createCheckout(
  ctx: AppContext,
  request: CheckoutRequest,
  idempotencyKey: string | undefined,
): Promise<CreateCheckoutResult> {
  const item = ctx.catalog.get(request.item);
  if (!item) throw new ApiError(404, 'unknown_item', `There is no catalog item "${request.item}"`);
  if (!request.payer?.name) {
    throw new ApiError(400, 'payer_details_required', 'PaySG needs the payer’s name', {
      issues: [{ path: 'payer.name', message: 'Required' }],
    });
  }

  const checkoutId = await checkoutIdFor(ctx, request, idempotencyKey);
  const referenceId = request.reference ?? (await referenceForCheckout(checkoutId));
  const now = ctx.now();
  const paysgRequest: CreatePaymentParams = {
    reference_id: referenceId,
    payer_name: request.payer.name,
    ...(request.payer.email && { payer_email: request.payer.email }),
    ...(request.payer.identifier && { payer_identifier: request.payer.identifier }),
    ...(request.payer.address && { payer_address: request.payer.address }),
    description: item.description,
    amount_in_cents: item.amountInCents,
    metadata: {},
    return_url: `${ctx.publicUrl}/return/${checkoutId}`,
  };
  const candidate: Checkout = {
    id: checkoutId,
    orderKey: `catalog:${item.id}:${referenceId}`,
    item: item.id,
    referenceId,
    description: item.description,
    amountInCents: item.amountInCents,
    currency: item.currency,
    status: 'created',
    returnTo: request.returnTo,
    paysgIdempotencyKey: paysgIdempotencyKeyFor(checkoutId),
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

  const claim = await ctx.store.claim(candidate);
  if (claim.claimed) return { checkout: await createPayment(ctx, claim.checkout), created: true };
  return { checkout: await resumeExisting(ctx, claim.checkout), created: false };
}

/**
 * With an Idempotency-Key, the first request decides the checkout id and every retry of it
 * finds the same one; the same key for a different order is refused.
 */
async function checkoutIdFor(
  ctx: AppContext,
  request: CheckoutRequest,
  idempotencyKey: string | undefined,
): Promise<string> {
  const candidateId = newCheckoutId();
  if (idempotencyKey === undefined) return candidateId;
  const fingerprint = await sha256Hex(
    JSON.stringify([request.item, request.reference ?? null, request.payer ?? null, request.returnTo]),
  );
  const held = await ctx.store.rememberIdempotencyKey(
    { key: idempotencyKey, fingerprint, checkoutId: candidateId },
    ctx.now().toISOString(),
  );
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
      const locked = await ctx.store.lockForCreate(
        existing.id,
        now.toISOString(),
        new Date(now.getTime() + ctx.createLockMs).toISOString(),
      );
      if (!locked) {
        throw new ApiError(409, 'checkout_in_progress', 'This order is being set up; try again shortly', {
          retryAfter: 2,
        });
      }
      return createPayment(ctx, locked);
    }
    default:
      // Only order-holding checkouts come back from a claim.
      throw new ApiError(409, 'checkout_not_payable', `This checkout is ${existing.status}`);
  }
}

/** Calls PaySG for a `created` checkout this request holds the lock of. */
async function createPayment(ctx: AppContext, checkout: Checkout): Promise<Checkout> {
  let payment: Payment;
  try {
    payment = await ctx.paysg.payments.create(checkout.paysgRequest, {
      idempotencyKey: checkout.paysgIdempotencyKey,
    });
  } catch (err) {
    return failOrRelease(ctx, checkout, err);
  }

  const problem = paymentProblem(ctx, checkout, payment);
  if (problem) {
    ctx.logger.log('error', 'paysg_create_mismatch', { checkoutId: checkout.id, paymentId: payment.id, problem });
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
  // Another path (a webhook, a reconciler) may already have moved it on; report what is stored.
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
 * resends the same key; a definite refusal frees the order by failing the checkout.
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
  ctx.logger.log('warn', 'paysg_create_unavailable', {
    checkoutId: checkout.id,
    kind: err instanceof PaysgError ? err.kind : 'unexpected',
  });
  await ctx.store.update(checkout.id, ['created'], { lockedUntil: null }, now);
  throw new ApiError(503, 'upstream_unavailable', 'PaySG is not answering; try again shortly', {
    retryAfter: 2,
  });
}
