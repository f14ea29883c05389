/**
 * The PaySG side of creating a checkout: sending the stored request under its key
 * (`paysg-key.ts`), and deciding what an answer means. A payment PaySG made is either handed out
 * (usable: on PaySG's origin, for this amount and reference) or cancelled, never left payable
 * and forgotten (no orphans).
 * @module
 */
import type { AppContext } from '../deps.js';
import { ApiError } from '../errors.js';
import { PaysgError, PaysgInvalidResponseError } from '../paysg/errors.js';
import type { Payment } from '../paysg/schemas.js';
import { present } from '../present.js';
import { storedCheckout, type Checkout } from '../storage/checkout-store.js';
import { cancelUnrecorded, holdAndCancel } from './cancel-checkout.js';
import { keyAfterFailedSend, markPaysgKeySent, sendUnderKey } from './paysg-key.js';

/** Calls PaySG for a `created` checkout this request holds the creation lock of. */
export async function createPayment(ctx: AppContext, checkout: Checkout): Promise<Checkout> {
  const sending = await markPaysgKeySent(ctx, checkout);
  if (!sending) return storedCheckout(ctx.store, checkout.id);
  let payment: Payment;
  try {
    payment = await sendUnderKey(ctx, sending);
  } catch (err) {
    return failOrRelease(ctx, sending, err);
  }
  return acceptPayment(ctx, sending, payment);
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

/**
 * Records a payment PaySG made for a `created` checkout this request holds the creation lock of:
 * from a create's answer, or found in PaySG's list (a fine's payment after the 24 h key window).
 */
export async function acceptPayment(
  ctx: AppContext,
  checkout: Checkout,
  payment: Payment,
): Promise<Checkout> {
  const now = ctx.now().toISOString();
  const problem = paymentProblem(ctx, checkout, payment);
  if (problem) {
    ctx.logger.log('error', 'paysg_create_mismatch', {
      alert: true,
      checkoutId: checkout.id,
      paymentId: payment.id,
      problem,
    });
    // PaySG made a payment nobody may be sent to: hold it (no link) and cancel it.
    await holdAndCancel(ctx, checkout, payment, 'orphan').catch(() => undefined); // else the reconciler finishes it
    throw new ApiError(
      502,
      'upstream_rejected',
      'PaySG returned a payment that does not match this order',
    );
  }

  const updated = await ctx.store.update(
    checkout.id,
    'created',
    {
      status: 'unpaid',
      paymentId: payment.id,
      paymentUrl: present(payment.payment_url, 'the payment URL (checked above)'),
      lockedUntil: null,
    },
    now,
  );
  if (updated) {
    ctx.logger.log('info', 'checkout_created', { checkoutId: checkout.id, paymentId: payment.id });
    return updated;
  }
  // Another path moved it on meanwhile (its lock had expired); a payment it does not record is
  // cancelled, never left payable.
  const stored = await storedCheckout(ctx.store, checkout.id);
  if (stored.paymentId !== payment.id) await cancelUnrecorded(ctx, checkout.id, payment.id);
  return stored;
}

/**
 * A failure that may have reached PaySG keeps the checkout `created` (lock released) so a retry
 * resends the same key (or, after PaySG's own 500 or 503, the next one: `keyAfterFailedSend`);
 * a definite refusal frees the order by failing the checkout.
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
  await ctx.store.update(
    checkout.id,
    'created',
    { lockedUntil: null, ...keyAfterFailedSend(checkout, err) },
    now,
  );
  throw new ApiError(503, 'upstream_unavailable', 'PaySG is not answering; try again shortly', {
    retryAfter: 2,
  });
}
