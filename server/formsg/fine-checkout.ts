/**
 * A FormSG submission's PaySG payment as a row of the checkouts table, so everything that keeps
 * a payer's checkout honest keeps a fine's too: the key marked sent before it is sent and rotated
 * after PaySG's own 500 or 503 (`checkouts/create-payment.ts`), paid decided in one place
 * (`checkouts/verify-checkout.ts`) by webhooks, returns and the reconciler, and the back office's
 * lists, refunds and cancels.
 *
 * What differs is said here. The order key is the submission's (`formsg:{formId}:{submissionId}`),
 * so two instances receiving one submission claim one checkout (the unique order index decides).
 * There is no owner: no browser made it, so no browser may resume or cancel it (non-negotiable 7).
 * Its key comes from the submission, not the checkout id. And a fine is never given up: nobody
 * is there to retry it, so a fine whose create may have reached PaySG more than a day ago adopts
 * the payment PaySG's list shows for the submission (a payer's abandoned checkout would cancel it),
 * and only when PaySG certainly holds none is the next key sent.
 * @module
 */
import { newCheckoutId } from '../checkouts/checkout-ids.js';
import { acceptPayment, createPayment } from '../checkouts/create-payment.js';
import {
  IDEMPOTENCY_KEY_SAFE_FOR_MS,
  newSubmissionKey,
  rotatedPaysgKey,
  submissionPaymentInList,
  type SubmissionIds,
} from '../checkouts/paysg-key.js';
import type { AppContext } from '../deps.js';
import { sha256Hex } from '../encoding.js';
import { storedCheckout, type Checkout } from '../storage/checkout-store.js';
import type { FormsgSubmissionRecord } from '../storage/submission-rows.js';
import { startingCheckout } from '../checkouts/starting-checkout.js';

const ORDER_KEY_PREFIX = 'formsg:';

/** How far back before the checkout was made PaySG's list is searched (clocks differ). */
const LOOKUP_MARGIN_MS = 10 * 60 * 1000;

/** `formsg:{formId}:{submissionId}`, lower case as the key is. */
export function fineOrderKey(ids: SubmissionIds): string {
  return `${ORDER_KEY_PREFIX}${ids.formId.toLowerCase()}:${ids.submissionId.toLowerCase()}`;
}

/** The submission a fine's checkout is for; `undefined` for a payer's checkout. */
export function fineIdsOf(checkout: Pick<Checkout, 'orderKey'>): SubmissionIds | undefined {
  const match = /^formsg:([0-9a-f]{24}):([0-9a-f]{24})$/.exec(checkout.orderKey);
  return match?.[1] && match[2] ? { formId: match[1], submissionId: match[2] } : undefined;
}

/**
 * Where the payer lands after paying: the rule's `returnPage` (required in every rule). The root
 * of the BFF's own origin only for a submission whose rule was since taken out of the file.
 * The BFF's return verifies the payment first, as for any checkout.
 */
export function fineReturnTo(ctx: AppContext, submission: FormsgSubmissionRecord): string {
  const page = ctx.fines?.rules.get(submission.ruleName)?.returnPage;
  return page ?? `${new URL(ctx.publicUrl).origin}/`;
}

/** The checkout for a submission, as it is claimed: holding its creation lock from the first instant. */
export async function newFineCheckout(
  ctx: AppContext,
  submission: FormsgSubmissionRecord,
): Promise<Checkout> {
  const id = newCheckoutId();
  const request = submission.paysgRequest;
  return startingCheckout(ctx, {
    id,
    orderKey: fineOrderKey(submission),
    // The request is the order's terms: the same submission always makes the same one.
    orderFingerprint: await sha256Hex(JSON.stringify(request)),
    ownerHash: null,
    orderTokenId: null,
    item: null,
    referenceId: request.reference_id,
    description: request.description,
    amountInCents: request.amount_in_cents,
    currency: 'SGD',
    lineItems: [],
    returnTo: fineReturnTo(ctx, submission),
    returnMode: 'redirect',
    ...newSubmissionKey(submission),
    paysgRequest: { ...request, return_url: `${ctx.publicUrl}/return/${id}` },
  });
}

/**
 * Makes (or finds) the PaySG payment of a fine's `created` checkout this caller holds the
 * creation lock of. Throws what `createPayment` throws (the checkout then stays `created` for a
 * retry, or is `failed` when PaySG refused it), and PaySG's errors when its list cannot say
 * whether an old key made a payment.
 */
export async function finishFineCheckout(ctx: AppContext, locked: Checkout): Promise<Checkout> {
  const ids = fineIdsOf(locked);
  if (!ids) throw new Error(`Checkout ${locked.id} is not a fine's`);
  const age = ctx.now().getTime() - Date.parse(locked.createdAt);
  // Within PaySG's window (or a key never sent, after PaySG's own 500/503): send, or resend.
  if (!locked.paysgKeySent || age <= IDEMPOTENCY_KEY_SAFE_FOR_MS) return createPayment(ctx, locked);
  const found = await submissionPaymentInList(
    ctx.paysg,
    ids,
    Date.parse(locked.createdAt) - LOOKUP_MARGIN_MS,
  );
  if (found) {
    ctx.logger.log('info', 'formsg_payment_adopted', {
      checkoutId: locked.id,
      paymentId: found.id,
    });
    return acceptPayment(ctx, locked, found);
  }
  // PaySG certainly holds no payment for the submission: the next key, never the old one.
  const next = await ctx.store.update(
    locked.id,
    'created',
    { paysgIdempotencyKey: rotatedPaysgKey(locked.paysgIdempotencyKey), paysgKeySent: false },
    ctx.now().toISOString(),
  );
  return next ? createPayment(ctx, next) : storedCheckout(ctx.store, locked.id);
}
