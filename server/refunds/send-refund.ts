/**
 * Sending a refund to PaySG and recording what PaySG did. A refund is in the store as
 * `requested` before this runs (non-negotiable 9), and every send uses the refund's own derived
 * Idempotency-Key (`paysgRefundKey`, stored with the refund), so sending again after a lost
 * answer, a timeout or a crash is PaySG replaying its first answer (or doing the refund once, if
 * the first request never reached it): never a second refund. Whoever touches an unsettled refund next sends it again: the person opening the
 * checkout, the next refund attempt, the reconciler.
 * @module
 */
import { recordAudit } from '../audit/record-audit.js';
import type { AppContext } from '../deps.js';
import { PaysgError } from '../paysg/errors.js';
import type { Payment } from '../paysg/schemas.js';
import { IDEMPOTENCY_KEY_SAFE_FOR_MS } from '../checkouts/paysg-key.js';
import type { Checkout } from '../storage/checkout-store.js';
import type { Refund, StaffActor } from '../storage/staff-records.js';

export interface SendContext {
  /** Who caused this send (the person asking or approving, or the reconciler), for the audit. */
  actor: StaffActor;
  requestId?: string | null;
}

/**
 * Sends a `requested` refund (again) and records PaySG's answer. Resolves to the refund as it
 * stands afterwards: `succeeded`, `failed` (PaySG refused it: its reason in `failure`), or still
 * `requested` when PaySG did not answer clearly (unreachable, slow, a concurrent send of the same
 * key). Any other status is returned as it is.
 */
export async function sendRefund(
  ctx: AppContext,
  refund: Refund,
  checkout: Checkout,
  by: SendContext,
): Promise<Refund> {
  if (refund.status !== 'requested' || !checkout.paymentId) return refund;
  const now = ctx.now();
  if (refund.sentAt && now.getTime() - Date.parse(refund.sentAt) > IDEMPOTENCY_KEY_SAFE_FOR_MS) {
    // PaySG keeps a key's answer for at least 24 h (paysg-api.md §6); past that a resend could be
    // a second refund. A person checks PaySG's dashboard instead.
    ctx.logger.log('error', 'refund_needs_review', {
      alert: true,
      refundId: refund.id,
      checkoutId: refund.checkoutId,
    });
    return refund;
  }
  if (!refund.sentAt) {
    refund =
      (await ctx.store.updateRefund(
        refund.id,
        'requested',
        { sentAt: now.toISOString() },
        now.toISOString(),
      )) ?? refund;
    if (refund.status !== 'requested') return refund;
  }
  await recordAudit(ctx, {
    actor: by.actor,
    action: 'refund_sent',
    checkoutId: refund.checkoutId,
    refundId: refund.id,
    amountInCents: refund.amountInCents,
    requestId: by.requestId ?? null,
    outcome: 'pending',
  });

  let payment: Payment;
  try {
    payment = await ctx.paysg.payments.refund(
      checkout.paymentId,
      { refund_amount_in_cents: refund.amountInCents },
      { idempotencyKey: refund.paysgIdempotencyKey },
    );
  } catch (err) {
    if (!(err instanceof PaysgError)) throw err;
    // No clear answer (unreachable, timed out, 5xx, the same key still in flight): PaySG may
    // have refunded. It stays `requested` and is sent again, under the same key, later.
    if (err.retryable || err.status === undefined || err.status >= 500) {
      ctx.logger.log('warn', 'refund_unsettled', {
        refundId: refund.id,
        checkoutId: refund.checkoutId,
        kind: err.kind,
      });
      return refund;
    }
    return settle(ctx, refund, by, {
      status: 'failed',
      failure: `PaySG refused the refund: ${err.message}`,
    });
  }
  return settle(ctx, refund, by, {
    status: 'succeeded',
    fullyRefunded: payment.refund_status === 'fully_refunded',
  });
}

async function settle(
  ctx: AppContext,
  refund: Refund,
  by: SendContext,
  outcome: { status: 'succeeded'; fullyRefunded: boolean } | { status: 'failed'; failure: string },
): Promise<Refund> {
  const at = ctx.now().toISOString();
  const patch =
    outcome.status === 'failed'
      ? { status: outcome.status, settledAt: at, failure: outcome.failure }
      : { status: outcome.status, settledAt: at };
  const settled = await ctx.store.updateRefund(
    refund.id,
    'requested',
    patch,
    at,
    outcome.status === 'succeeded' && outcome.fullyRefunded,
  );
  // Settled meanwhile by another send of the same key: that one recorded and audited it.
  if (!settled) return (await ctx.store.getRefund(refund.id)) ?? refund;
  await recordAudit(ctx, {
    actor: by.actor,
    action: 'refund_settled',
    checkoutId: refund.checkoutId,
    refundId: refund.id,
    amountInCents: refund.amountInCents,
    requestId: by.requestId ?? null,
    outcome: outcome.status === 'succeeded' ? 'ok' : 'failed',
    ...(outcome.status === 'failed' && { detail: { paysg: outcome.failure } }),
  });
  if (outcome.status === 'succeeded')
    ctx.logger.log('info', 'refunded', {
      refundId: refund.id,
      checkoutId: refund.checkoutId,
      amountInCents: refund.amountInCents,
    });
  return settled;
}

/** Sends every refund of this checkout that PaySG has not answered yet; the checkout as it is afterwards. */
export async function settleOpenRefunds(
  ctx: AppContext,
  checkout: Checkout,
  by: SendContext,
): Promise<Checkout> {
  const unsettled = (await ctx.store.refundsOf(checkout.id)).filter(
    (r) => r.status === 'requested',
  );
  if (unsettled.length === 0) return checkout;
  for (const refund of unsettled) await sendRefund(ctx, refund, checkout, by);
  return (await ctx.store.get(checkout.id)) ?? checkout;
}
