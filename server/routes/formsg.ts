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
 * It is looked up before the rule reads the answers, so a rule changed since (an offence code
 * taken out of the table) never refuses the retry of a fine already recorded under the old one.
 * A refusal records and creates nothing, and answers in the BFF's one error shape with the exact
 * `formsg_*` code, so FormSG's delivery log says what was wrong. A refusal of a delivery FormSG
 * did sign is a payer's submission that will never be a fine unless someone acts: it is logged
 * as an alert with its ids and the code (never an answer), for staff to find it in FormSG.
 * @module
 */
import { Hono } from 'hono';
import type { RequestIdVariables } from 'hono/request-id';
import { ITEM_ID_PATTERN } from '../orders/catalog.js';
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

/**
 * The rate limit's key for a delivery: its form. FormSG sends every agency's submissions from a
 * few addresses, so a limit per address would let one busy form (a deadline, a campaign) hold
 * back every other; per form, a burst on one leaves the others their own allowance. A name no
 * rule has shares one key, so made-up names cost no counter each.
 */
export function formsgRateKey(names: readonly string[]): (request: Request) => string {
  const known = new Set(names);
  return (request) => {
    // Rule names need no percent-encoding: the path's last segment is compared as sent.
    const form = new URL(request.url).pathname.split('/').pop() ?? '';
    return known.has(form) ? `form:${form}` : 'form:?';
  };
}

export function formsgRoutes(ctx: AppContext, fines: FinesDeps) {
  // Built once, around the configured signing key: a missing SDK stops the start, not a delivery.
  const sdk = loadFormsgSdk(fines.signingPublicKey);
  return new Hono<{ Variables: RequestIdVariables }>().post('/:form', async (c) => {
    const raw = c.req.param('form');
    // A name that cannot be a rule's is a stranger's text: never echoed, nor logged.
    const name = ITEM_ID_PATTERN.test(raw) ? raw : undefined;
    try {
      const form = name === undefined ? undefined : fines.rules.formConfig(name);
      const rule = name === undefined ? undefined : fines.rules.get(name);
      if (!form || !rule)
        throw new FormsgError(
          'formsg_unknown_form',
          'no form is configured at this address: check the webhook URL in the form’s settings',
        );
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
      const ids = {
        formId: submission.formId.toLowerCase(),
        submissionId: submission.submissionId.toLowerCase(),
      };
      // Recorded already: the rule made its payment then, and is not asked again.
      const earlier = await ctx.store.getSubmission(ids);
      const { recorded, submission: held } = earlier
        ? { recorded: false, submission: earlier }
        : await ctx.store.recordSubmission(submissionRecord(rule, submission, ctx.now()));
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
      if (err.signed)
        ctx.logger.log('error', 'formsg_refused', {
          alert: true,
          form: name,
          formId: err.signed.formId,
          submissionId: err.signed.submissionId,
          code: err.code,
          requestId: c.get('requestId'),
        });
      else ctx.logger.log('warn', 'formsg_refused', { form: name, code: err.code });
      throw err.toWebhookError();
    }
  });
}
