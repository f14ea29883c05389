/**
 * Refunds as staff ask for them: with a reason, under their own Idempotency-Key (one per attempt:
 * a retried request replays the first answer), written down before PaySG hears of it, and above
 * the approval amount held until a second person with the refund role approves.
 * @module
 */
import { recordAudit } from '../audit/record-audit.js';
import { paysgRefundKey } from '../checkouts/paysg-key.js';
import type { AppContext } from '../deps.js';
import { randomBase64url } from '../encoding.js';
import { ApiError } from '../errors.js';
import { moneyText } from '../money.js';
import { sendRefund, settleOpenRefunds } from '../refunds/send-refund.js';
import type { Checkout } from '../storage/checkout-store.js';
import type { Refund } from '../storage/staff-records.js';
import type { Staff } from './staff-auth.js';

/** A new refund's id: `rf_` and 128 random bits as 22 base64url characters. */
function newRefundId(): string {
  return `rf_${randomBase64url(16)}`;
}

export interface RefundAsk {
  /** Absent: all that is left. */
  amountInCents: number | undefined;
  reason: string;
  idempotencyKey: string;
  requestId: string;
}

export interface RefundOutcome {
  refund: Refund;
  checkout: Checkout;
  /** The same Idempotency-Key was answered before: this is that refund. */
  replayed: boolean;
}

/** Above this many cents a refund waits for a second person; undefined: never. */
export type ApprovalOver = number | undefined;

export async function askForRefund(
  ctx: AppContext,
  staff: Staff,
  checkout: Checkout,
  ask: RefundAsk,
  approvalOver: ApprovalOver,
): Promise<RefundOutcome> {
  const by = { actor: staff.actor, requestId: ask.requestId };
  const refused = async (error: ApiError): Promise<never> => {
    await recordAudit(ctx, {
      actor: staff.actor,
      action: 'refund_requested',
      checkoutId: checkout.id,
      amountInCents: ask.amountInCents ?? null,
      reason: ask.reason,
      requestId: ask.requestId,
      outcome: 'refused',
      detail: { code: error.code, message: error.message },
    });
    throw error;
  };
  // A key seen before answers as it did, before anything else is decided: a retry of a refund
  // that emptied the checkout is that refund again, not "nothing left to refund".
  const seen = await ctx.store.refundByKey(ask.idempotencyKey);
  if (seen) return replay(seen);

  // A refund PaySG has not answered yet is settled first: its outcome decides what is left.
  checkout = await settleOpenRefunds(ctx, checkout, by);
  const remaining = checkout.amountInCents - checkout.refundedInCents;
  if (checkout.status === 'paid' && remaining <= 0)
    return refused(new ApiError(409, 'not_refundable', 'This checkout has been refunded in full'));
  const amount = ask.amountInCents ?? remaining;
  const id = newRefundId();
  const refund: Refund = {
    id,
    checkoutId: checkout.id,
    idempotencyKey: ask.idempotencyKey,
    paysgIdempotencyKey: paysgRefundKey(id),
    amountInCents: amount,
    reason: ask.reason,
    status: approvalOver !== undefined && amount > approvalOver ? 'awaiting_approval' : 'requested',
    requestedBy: staff.actor,
    requestedAt: ctx.now().toISOString(),
    approvedBy: null,
    approvedAt: null,
    sentAt: null,
    settledAt: null,
    failure: null,
  };

  async function replay(earlier: Refund): Promise<RefundOutcome> {
    const same =
      earlier.checkoutId === checkout.id &&
      (ask.amountInCents === undefined || ask.amountInCents === earlier.amountInCents) &&
      earlier.reason === ask.reason;
    if (!same) {
      return refused(
        new ApiError(
          409,
          'idempotency_mismatch',
          'This Idempotency-Key was used for another refund; use a new key for a new refund',
          {
            issues: [
              {
                path: 'Idempotency-Key',
                message:
                  earlier.checkoutId === checkout.id
                    ? 'Used for another amount or reason'
                    : 'Used for a refund of another checkout',
              },
            ],
          },
        ),
      );
    }
    const now = await sendRefund(ctx, earlier, checkout, by);
    return {
      refund: now,
      checkout: (await ctx.store.get(checkout.id)) ?? checkout,
      replayed: true,
    };
  }

  const result = await ctx.store.requestRefund(refund);
  switch (result.kind) {
    case 'key_seen':
      // The same key raced in from another request between our look-up and our insert.
      return replay(result.refund);
    case 'not_paid':
      return refused(
        new ApiError(
          409,
          'not_refundable',
          `Only a paid checkout can be refunded; this one is ${checkout.status}`,
        ),
      );
    case 'refund_open':
      return refused(
        new ApiError(
          409,
          'refund_in_progress',
          result.refund.status === 'awaiting_approval'
            ? `A refund of ${moneyText(result.refund.amountInCents)} is waiting for approval; approve or decline it first`
            : `A refund of ${moneyText(result.refund.amountInCents)} is in progress at PaySG; it is checked again shortly`,
        ),
      );
    case 'over_remaining':
      if (result.remainingInCents <= 0)
        return refused(
          new ApiError(409, 'not_refundable', 'This checkout has been refunded in full'),
        );
      return refused(
        new ApiError(
          400,
          'invalid_request',
          `At most ${moneyText(result.remainingInCents)} can still be refunded`,
          {
            issues: [{ path: 'amountInCents', message: `At most ${result.remainingInCents}` }],
          },
        ),
      );
    case 'created':
      break;
  }
  await recordAudit(ctx, {
    actor: staff.actor,
    action: 'refund_requested',
    checkoutId: checkout.id,
    refundId: refund.id,
    amountInCents: amount,
    reason: ask.reason,
    requestId: ask.requestId,
    ...(refund.status === 'awaiting_approval' && {
      detail: { awaitingApproval: true, approvalOverInCents: approvalOver },
    }),
  });
  const sent = await sendRefund(ctx, result.refund, checkout, by);
  return {
    refund: sent,
    checkout: (await ctx.store.get(checkout.id)) ?? checkout,
    replayed: false,
  };
}

async function refundAwaitingApproval(
  ctx: AppContext,
  refundId: string,
): Promise<{ refund: Refund; checkout: Checkout }> {
  const refund = await ctx.store.getRefund(refundId);
  const checkout = refund && (await ctx.store.get(refund.checkoutId));
  if (!refund || !checkout) throw new ApiError(404, 'not_found', 'No refund has this id');
  if (refund.status !== 'awaiting_approval')
    throw new ApiError(409, 'not_refundable', 'This refund is not waiting for approval');
  return { refund, checkout };
}

/** A second person with the refund role approves: then it is sent to PaySG. */
export async function approveRefund(
  ctx: AppContext,
  staff: Staff,
  refundId: string,
  requestId: string,
): Promise<RefundOutcome> {
  const { refund, checkout } = await refundAwaitingApproval(ctx, refundId);
  if (staff.actor.kind !== 'person')
    throw new ApiError(
      403,
      'forbidden',
      'A refund is approved by a person who signed in, not with the API token',
    );
  if (staff.actor.subject === refund.requestedBy.subject) {
    throw new ApiError(
      403,
      'own_refund',
      'You asked for this refund; another person with the refund role must approve it',
    );
  }
  const at = ctx.now().toISOString();
  const approved = await ctx.store.updateRefund(
    refund.id,
    'awaiting_approval',
    { status: 'requested', approvedBy: staff.actor, approvedAt: at },
    at,
  );
  if (!approved)
    throw new ApiError(409, 'not_refundable', 'This refund is not waiting for approval');
  await recordAudit(ctx, {
    actor: staff.actor,
    action: 'refund_approved',
    checkoutId: checkout.id,
    refundId: refund.id,
    amountInCents: refund.amountInCents,
    requestId,
  });
  const sent = await sendRefund(ctx, approved, checkout, { actor: staff.actor, requestId });
  return {
    refund: sent,
    checkout: (await ctx.store.get(checkout.id)) ?? checkout,
    replayed: false,
  };
}

/** Declined by a person with the refund role (the one who asked may withdraw it): nothing is sent. */
export async function declineRefund(
  ctx: AppContext,
  staff: Staff,
  refundId: string,
  reason: string,
  requestId: string,
): Promise<RefundOutcome> {
  const { refund, checkout } = await refundAwaitingApproval(ctx, refundId);
  const at = ctx.now().toISOString();
  const declined = await ctx.store.updateRefund(
    refund.id,
    'awaiting_approval',
    { status: 'declined', settledAt: at, failure: reason },
    at,
  );
  if (!declined)
    throw new ApiError(409, 'not_refundable', 'This refund is not waiting for approval');
  await recordAudit(ctx, {
    actor: staff.actor,
    action: 'refund_declined',
    checkoutId: checkout.id,
    refundId: refund.id,
    amountInCents: refund.amountInCents,
    reason,
    requestId,
  });
  return { refund: declined, checkout, replayed: false };
}
