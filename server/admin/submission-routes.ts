/**
 * The back office's fines from FormSG:
 *
 *   GET  /api/submissions?submissionId=…                      the submission, its payment, its e-mail
 *   GET  /api/submissions/{formId}/{submissionId}/letter.pdf  the fine letter                (view role)
 *   POST /api/submissions/{formId}/{submissionId}/email {reason}  send the e-mail again     (refund role)
 *
 * A letter holds a payer's name and the fine: each download is in the audit. Sending the e-mail
 * again is for one that failed, or whose outcome is unknown (a send claimed and never answered:
 * the BFF never sends it twice on its own). It is claimed like the first (one of two staff
 * wins), recorded in the audit with the person and their reason before PaySG is asked.
 * @module
 */
import type { Hono } from 'hono';
import { z } from 'zod';
import { recordAudit } from '../audit/record-audit.js';
import type { AppContext } from '../deps.js';
import { ApiError } from '../errors.js';
import { deliverClaimedEmail } from '../formsg/fine-email.js';
import { FineLetterError, renderFineLetter } from '../formsg/fine-letter.js';
import { fontFilesFromEnv } from '../formsg/letter-fonts.js';
import { parseOrThrow, readJson } from '../middleware/read-json.js';
import type { Checkout } from '../storage/checkout-store.js';
import type { FormsgSubmissionRecord } from '../storage/submission-rows.js';
import { requireRole, type StaffEnv } from './staff-auth.js';
import { letterProblem, resendProblem, submissionView } from './submission-view.js';

const FORMSG_ID = /^[0-9a-f]{24}$/i;
const submissionQuery = z.object({
  submissionId: z
    .string()
    .trim()
    .regex(FORMSG_ID, 'A FormSG submission id is 24 letters a to f and digits'),
});
const reasonBody = z
  .object({
    reason: z
      .string()
      .trim()
      .min(3, 'Give a reason of at least 3 characters')
      .max(500, 'At most 500 characters'),
  })
  .strict();

export function submissionRoutes(app: Hono<StaffEnv>, ctx: AppContext): void {
  const submissionOf = async (formId: string, submissionId: string) => {
    const found =
      FORMSG_ID.test(formId) && FORMSG_ID.test(submissionId)
        ? await ctx.store.getSubmission({
            formId: formId.toLowerCase(),
            submissionId: submissionId.toLowerCase(),
          })
        : undefined;
    if (!found) throw new ApiError(404, 'not_found', 'No FormSG submission has these ids');
    return found;
  };
  const checkoutOf = async (s: FormsgSubmissionRecord): Promise<Checkout | undefined> =>
    s.checkoutId ? ctx.store.get(s.checkoutId) : undefined;

  app.get('/api/submissions', async (c) => {
    const q = parseOrThrow(submissionQuery, c.req.query(), 'The query is not valid');
    const submission = await ctx.store.findSubmission(q.submissionId.toLowerCase());
    if (!submission) throw new ApiError(404, 'not_found', 'No FormSG submission has this id');
    return c.json({
      submission: submissionView(submission, await checkoutOf(submission), ctx.now()),
    });
  });

  app.get('/api/submissions/:formId/:submissionId/letter.pdf', async (c) => {
    const submission = await submissionOf(c.req.param('formId'), c.req.param('submissionId'));
    const checkout = await checkoutOf(submission);
    const problem = letterProblem(submission, checkout);
    if (problem !== undefined || !submission.letter || !checkout?.paymentUrl)
      throw new ApiError(409, 'letter_not_available', problem ?? 'No letter can be made');
    let pdf: Buffer;
    try {
      pdf = await renderFineLetter(
        { ...submission.letter, paymentUrl: checkout.paymentUrl },
        { fonts: fontFilesFromEnv(process.env) },
      );
    } catch (err) {
      if (!(err instanceof FineLetterError)) throw err;
      throw new ApiError(409, 'letter_not_available', err.message);
    }
    await recordAudit(ctx, {
      actor: c.get('staff').actor,
      action: 'letter_downloaded',
      checkoutId: checkout.id,
      requestId: c.get('requestId'),
      detail: { formId: submission.formId, submissionId: submission.submissionId },
    });
    return c.body(new Uint8Array(pdf), 200, {
      'Content-Type': 'application/pdf',
      'Content-Disposition': `attachment; filename="fine-${submission.submissionId}.pdf"`,
    });
  });

  app.post('/api/submissions/:formId/:submissionId/email', requireRole('refund'), async (c) => {
    const body = await readJson(c, reasonBody);
    const submission = await submissionOf(c.req.param('formId'), c.req.param('submissionId'));
    const checkout = await checkoutOf(submission);
    const entry = {
      actor: c.get('staff').actor,
      action: 'email_resent' as const,
      checkoutId: submission.checkoutId,
      reason: body.reason,
      requestId: c.get('requestId'),
      detail: { formId: submission.formId, submissionId: submission.submissionId },
    };
    const problem = resendProblem(submission, checkout, ctx.now());
    const claimed =
      problem === undefined
        ? await ctx.store.claimSubmissionEmail(
            submission,
            { status: submission.emailStatus, requestedAt: submission.emailRequestedAt },
            ctx.now().toISOString(),
          )
        : undefined;
    if (!claimed || !checkout?.paymentId) {
      const why = problem ?? 'Someone else is sending it now';
      await recordAudit(ctx, { ...entry, outcome: 'refused', detail: { ...entry.detail, why } });
      throw new ApiError(409, 'email_not_resendable', why);
    }
    // On the record before PaySG is asked: a crash mid-send still shows who asked, and why.
    await recordAudit(ctx, entry);
    const after = await deliverClaimedEmail(ctx, claimed, checkout.paymentId);
    return c.json({ submission: submissionView(after, checkout, ctx.now()) });
  });
}
