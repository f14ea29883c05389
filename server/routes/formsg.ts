/**
 * `POST /formsg/{form}`: FormSG's webhook for a form whose rule is named `{form}` in the rules
 * file. The delivery is verified (FormSG's signature over the URL configured for the form, its
 * age, the signed ids against the body's, the form) and decrypted, its answers are made into a
 * PaySG request and a letter by the form's rule, and the submission is recorded: then FormSG is
 * answered at once (it waits 10 s, paysg-api.md §17), and the payment and the e-mail are made
 * after the answer, as PaySG's webhooks are applied (`webhooks.ts`).
 *
 * A retry of a recorded submission (FormSG retries for about a day, and two instances may each
 * receive one) answers 200 too, and sets going whatever is unfinished: it creates nothing new.
 * A refusal records and creates nothing, and answers in the BFF's one error shape with the exact
 * `formsg_*` code, so FormSG's delivery log says what was wrong.
 * @module
 */
import { Hono } from 'hono';
import type { AppContext, FinesDeps } from '../deps.js';
import { FormsgError } from '../formsg/formsg-error.js';
import { loadFormsgSdk } from '../formsg/formsg-sdk.js';
import { processSubmission, submissionRecord } from '../formsg/process-submission.js';
import { FORMSG_SIGNATURE_HEADER, verifySubmission } from '../formsg/verify-submission.js';

/** What FormSG is answered once its submission is recorded. */
export interface FormsgReceived {
  received: true;
  submissionId: string;
}

export function formsgRoutes(ctx: AppContext, fines: FinesDeps) {
  // Built once, around the configured signing key: a missing SDK stops the start, not a delivery.
  const sdk = loadFormsgSdk(fines.signingPublicKey);
  return new Hono().post('/:form', async (c) => {
    const name = c.req.param('form');
    try {
      const form = fines.rules.formConfig(name);
      const rule = fines.rules.get(name);
      if (!form || !rule)
        throw new FormsgError('formsg_unknown_form', `no form is configured at ${name}`);
      // Not JSON is reported after the signature: a stranger learns nothing before it.
      let body: unknown;
      try {
        body = JSON.parse(await c.req.text());
      } catch {
        body = undefined;
      }
      const submission = verifySubmission(
        { signature: c.req.header(FORMSG_SIGNATURE_HEADER), body },
        form,
        { sdk, now: ctx.now },
      );
      const { recorded, submission: held } = await ctx.store.recordSubmission(
        submissionRecord(rule, submission, ctx.now()),
      );
      ctx.logger.log('info', 'formsg_received', {
        form: name,
        submissionId: held.submissionId,
        duplicate: !recorded,
      });
      if (held.checkoutId === null || held.emailStatus === 'pending')
        ctx.background.run('formsg_submission', () => processSubmission(ctx, held));
      return c.json({
        received: true,
        submissionId: held.submissionId,
      } satisfies FormsgReceived);
    } catch (err) {
      if (!(err instanceof FormsgError)) throw err;
      ctx.logger.log('warn', 'formsg_refused', { form: name, code: err.code });
      throw err.toWebhookError();
    }
  });
}
