/**
 * What the BFF makes of a verified FormSG submission, in steps that each survive a crash after
 * them: recorded (the route answers FormSG then), its checkout claimed and attached, its PaySG
 * payment made, its e-mail claimed and sent. Each step is decided by the store (a primary key, the
 * unique order index, the creation lock, the e-mail's compare and set), so a FormSG retry, a second
 * instance or the reconciler running the same steps again finish what is unfinished and make
 * nothing twice: one submission, one payment, one e-mail.
 * @module
 */
import type { AppContext } from '../deps.js';
import { ApiError } from '../errors.js';
import { PaysgError } from '../paysg/errors.js';
import { storedCheckout, type Checkout } from '../storage/checkout-store.js';
import type { FineLetterDraft, FormsgSubmissionRecord } from '../storage/submission-rows.js';
import { finishFineCheckout, newFineCheckout } from './fine-checkout.js';
import { sendFineEmail } from './fine-email.js';
import {
  letterFromSubmission,
  paymentFromSubmission,
  type FineLetterContent,
} from './fine-from-submission.js';
import type { FineRule } from './fine-rules.js';
import { FormsgError } from './formsg-error.js';
import type { FormsgSubmission } from './verify-submission.js';

/**
 * The record of a verified submission under its rule, before anything is stored: the PaySG
 * request and the letter are derived now, from the answers, so nothing later needs FormSG's body.
 * Throws `FormsgError` (`formsg_rule_unmatched`) when the answers make no payment.
 */
export function submissionRecord(
  rule: FineRule,
  submission: FormsgSubmission,
  now: Date,
): FormsgSubmissionRecord {
  let paysgRequest: FormsgSubmissionRecord['paysgRequest'];
  let letter: FineLetterDraft | null = null;
  try {
    paysgRequest = paymentFromSubmission(rule, submission);
    if (rule.letter) {
      const { paymentUrl: _later, ...draft }: FineLetterContent = letterFromSubmission(
        rule,
        submission,
        '',
      );
      letter = draft;
    }
  } catch (err) {
    // Only a verified submission reaches a rule: its refusal names the ids FormSG signed.
    if (err instanceof FormsgError && !err.signed)
      err.signed = {
        formId: submission.formId.toLowerCase(),
        submissionId: submission.submissionId.toLowerCase(),
      };
    throw err;
  }
  const at = now.toISOString();
  return {
    // FormSG's ids are hex; kept in one case, as the key and the order key spell them.
    formId: submission.formId.toLowerCase(),
    submissionId: submission.submissionId.toLowerCase(),
    ruleName: rule.name,
    submittedAt: submission.created,
    receivedAt: at,
    updatedAt: at,
    paysgRequest,
    letter,
    checkoutId: null,
    emailStatus: 'pending',
    emailRequestedAt: null,
    emailSentAt: null,
    emailError: null,
  };
}

/**
 * The submission's checkout: the one attached, or one claimed now (or the holder of its order).
 * `locked`: this call claimed it, and so holds its creation lock from the first instant.
 */
async function checkoutOf(
  ctx: AppContext,
  submission: FormsgSubmissionRecord,
): Promise<{ submission: FormsgSubmissionRecord; checkout: Checkout; locked: boolean }> {
  if (submission.checkoutId)
    return {
      submission,
      checkout: await storedCheckout(ctx.store, submission.checkoutId),
      locked: false,
    };
  const claim = await ctx.store.claim(await newFineCheckout(ctx, submission));
  const attached = await ctx.store.attachSubmissionCheckout(
    submission,
    claim.checkout.id,
    ctx.now().toISOString(),
  );
  const held = attached ?? submission;
  // Attached by another instance first: its checkout is the submission's.
  if (held.checkoutId && held.checkoutId !== claim.checkout.id)
    return {
      submission: held,
      checkout: await storedCheckout(ctx.store, held.checkoutId),
      locked: false,
    };
  return { submission: held, checkout: claim.checkout, locked: claim.claimed };
}

/**
 * Runs the steps a submission still lacks. Never throws for PaySG being away or refusing: what
 * is left stays recorded for FormSG's retry or the reconciler, and the log says why.
 */
export async function processSubmission(
  ctx: AppContext,
  recorded: FormsgSubmissionRecord,
): Promise<FormsgSubmissionRecord> {
  const ids = { formId: recorded.formId, submissionId: recorded.submissionId };
  const found = await checkoutOf(ctx, recorded);
  let { submission, checkout } = found;
  if (checkout.status === 'created') {
    const at = ctx.now();
    const locked = found.locked
      ? checkout
      : await ctx.store.lockForCreate(
          checkout.id,
          at.toISOString(),
          new Date(at.getTime() + ctx.createLockMs).toISOString(),
        );
    // Another request holds it and carries on to the e-mail; a crash there is the reconciler's.
    if (!locked) return submission;
    try {
      checkout = await finishFineCheckout(ctx, locked);
    } catch (err) {
      if (!(err instanceof ApiError || err instanceof PaysgError)) throw err;
      ctx.logger.log('warn', 'formsg_payment_pending', {
        ...ids,
        checkoutId: checkout.id,
        code: err instanceof ApiError ? err.code : err.kind,
      });
      checkout = await storedCheckout(ctx.store, checkout.id);
      if (checkout.status === 'created') return submission;
    }
  }
  submission = await sendFineEmail(ctx, submission, checkout);
  return submission;
}
