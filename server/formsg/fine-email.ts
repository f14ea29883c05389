/**
 * The one e-mail PaySG sends for a fine (`POST …/send-email`, paysg-api.md §10). It has no
 * Idempotency-Key: every call is another e-mail to the payer. So the e-mail is claimed in the
 * store first, by a compare and set only one caller wins (`storage/email-status.ts`), and only
 * the winner asks PaySG; what PaySG answered is recorded after.
 *
 * A claim whose outcome was never recorded (the process died mid-send, or PaySG's answer never
 * came) may or may not have sent the e-mail. The BFF never sends it again on its own: staff see
 * it as unknown and may send it again, a staff action on the record (non-negotiable 9), as they
 * may for one PaySG refused.
 * @module
 */
import type { AppContext } from '../deps.js';
import { PaysgError } from '../paysg/errors.js';
import type { Checkout } from '../storage/checkout-store.js';
import type { EmailStatus } from '../storage/email-status.js';
import type { FormsgSubmissionRecord } from '../storage/submission-rows.js';

/**
 * A claim older than this with no outcome is unknown: PaySG's send has a 10 s timeout and is
 * never retried, so no request is still waiting for its answer.
 */
export const EMAIL_UNKNOWN_AFTER_MS = 60_000;

/** How the e-mail stands, in the back office's words: `sending` becomes `unknown` once stale. */
export type EmailState = Exclude<EmailStatus, 'sending'> | 'sending' | 'unknown';

export function emailStateOf(submission: FormsgSubmissionRecord, now: Date): EmailState {
  if (submission.emailStatus !== 'sending') return submission.emailStatus;
  const requested = Date.parse(submission.emailRequestedAt ?? '');
  return now.getTime() - requested > EMAIL_UNKNOWN_AFTER_MS ? 'unknown' : 'sending';
}

/** Why no e-mail is sent for this submission's checkout, or `undefined` when one may be. */
export function noEmailBecause(
  submission: FormsgSubmissionRecord,
  checkout: Checkout,
): string | undefined {
  if (!submission.paysgRequest.payer_email)
    return 'The payer gave no e-mail address: the letter is how they hear of the fine';
  if (checkout.status === 'paid') return 'Paid before the e-mail was sent';
  if (checkout.status === 'failed' || checkout.status === 'cancelled')
    return `No payment link to send: the payment is ${checkout.status}`;
  return undefined;
}

/**
 * Sends the submission's e-mail once, after its payment exists: records why none is sent, or
 * claims it and asks PaySG. Returns the submission as it stands afterwards.
 */
export async function sendFineEmail(
  ctx: AppContext,
  submission: FormsgSubmissionRecord,
  checkout: Checkout,
): Promise<FormsgSubmissionRecord> {
  if (submission.emailStatus !== 'pending') return submission;
  const pending = { status: 'pending', requestedAt: null } as const;
  const now = ctx.now().toISOString();
  const why = noEmailBecause(submission, checkout);
  if (why) {
    const skipped = await ctx.store.settleSubmissionEmail(
      submission,
      pending,
      { status: 'skipped', error: why },
      now,
    );
    return skipped ?? (await current(ctx, submission));
  }
  // Not yet made: the e-mail waits for the payment (the reconciler comes back to it).
  if (checkout.status !== 'unpaid' || !checkout.paymentId) return submission;
  const claimed = await ctx.store.claimSubmissionEmail(submission, pending, now);
  // Another instance, or FormSG's retry, holds it: that one sends.
  if (!claimed) return current(ctx, submission);
  return deliverClaimedEmail(ctx, claimed, checkout.paymentId);
}

/**
 * Asks PaySG to send the e-mail this caller has just claimed, and records what came of it. A
 * definite refusal is `failed`; no answer at all (a timeout, a lost connection, PaySG's own 5xx)
 * leaves the claim as it is, which the back office shows as unknown.
 */
export async function deliverClaimedEmail(
  ctx: AppContext,
  claimed: FormsgSubmissionRecord,
  paymentId: string,
): Promise<FormsgSubmissionRecord> {
  const claim = { status: 'sending', requestedAt: claimed.emailRequestedAt } as const;
  try {
    await ctx.paysg.payments.sendEmail(paymentId, { maxRetries: 0 });
  } catch (err) {
    const refused = err instanceof PaysgError && err.status !== undefined && err.status < 500;
    ctx.logger.log(refused ? 'error' : 'warn', 'formsg_email_not_sent', {
      formId: claimed.formId,
      submissionId: claimed.submissionId,
      paymentId,
      outcome: refused ? 'failed' : 'unknown',
      kind: err instanceof PaysgError ? err.kind : err instanceof Error ? err.name : 'unexpected',
      status: err instanceof PaysgError ? err.status : undefined,
    });
    if (!refused) return claimed;
    const failed = await ctx.store.settleSubmissionEmail(
      claimed,
      claim,
      { status: 'failed', error: `PaySG refused to send it: ${(err as Error).message}` },
      ctx.now().toISOString(),
    );
    return failed ?? (await current(ctx, claimed));
  }
  const at = ctx.now().toISOString();
  const sent = await ctx.store.settleSubmissionEmail(
    claimed,
    claim,
    { status: 'sent', sentAt: at },
    at,
  );
  ctx.logger.log('info', 'formsg_email_sent', {
    formId: claimed.formId,
    submissionId: claimed.submissionId,
    paymentId,
  });
  return sent ?? (await current(ctx, claimed));
}

async function current(
  ctx: AppContext,
  submission: FormsgSubmissionRecord,
): Promise<FormsgSubmissionRecord> {
  return (await ctx.store.getSubmission(submission)) ?? submission;
}
