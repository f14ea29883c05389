/**
 * The demo's FormSG over HTTP, for the fines page (demo/public/fines.html):
 * - `GET /demo/formsg/parking`: the form's questions (offences with their amounts from the
 *   rules, the letter's languages), so the page and the rules never disagree;
 * - `POST /demo/formsg/parking`: the page's answers. Checked as FormSG checks a form's fields,
 *   then made into the body and `X-FormSG-Signature` FormSG would send (formsg-delivery.ts) and
 *   posted over HTTP to the BFF's `{base}/formsg/parking`, as FormSG posts to a webhook: 10 s
 *   timeout, no redirects followed. The page is told the submission id, what was posted, and
 *   what the BFF answered;
 * - `POST /demo/formsg/parking/{submissionId}/retry`: the same submission delivered again, as
 *   FormSG retries when it heard no 2xx: the same body, signed anew (a new `t=`), so the page
 *   shows that one submission still makes one payment and one e-mail.
 *
 * Demo-only: nothing here is part of the package. A JSON body is required, so another site's
 * page cannot post a "submission" here without a CORS preflight, which the demo never allows.
 * @module
 */
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { FineRule } from '../../server/formsg/fine-rules.js';
import { translatedText } from '../../server/formsg/fine-rules.js';
import { isEmailAddress } from '../../server/paysg/email-address.js';
import { DEMO_FORM, type DemoFormsgKeys } from './demo-formsg-setup.js';
import {
  type FormsgDelivery,
  type FormsgField,
  formsgDelivery,
  formsgSignature,
  newSubmissionId,
} from './formsg-delivery.js';

/** The questions of the demo form, by the rule's answer names, as the page asks them. */
const QUESTIONS = {
  offence: { question: 'Offence', fieldType: 'dropdown' },
  vehicle: { question: 'Vehicle number', fieldType: 'textfield' },
  name: { question: 'Full name', fieldType: 'textfield' },
  email: { question: 'E-mail address', fieldType: 'email' },
  language: { question: 'Language of the letter', fieldType: 'radiobutton' },
} as const;
type AnswerName = keyof typeof QUESTIONS;

/** The letter's languages as the form offers them: the rule's options, in its order. */
const LANGUAGE_NAMES: Record<string, string> = { en: 'English', zh: 'Chinese', ta: 'Tamil' };

export interface DemoFormsgOptions {
  keys: DemoFormsgKeys;
  rule: FineRule;
  /** The back office's path (`/paysg/admin`), where staff download the letter. */
  adminPath: string;
  now?: () => Date;
  /** How the delivery reaches the BFF; `fetch` (over HTTP) unless a test says otherwise. */
  fetch?: typeof fetch;
}

interface Issue {
  field: AnswerName;
  message: string;
}

/** The offences of the rule's table, for the page's list and the check of its answer. */
function offencesOf(rule: FineRule) {
  if (rule.amount.from !== 'table') return [];
  return Object.entries(rule.amount.table).map(([code, entry]) => ({
    code,
    label: translatedText(entry.label, 'en'),
    amountInCents: entry.amountInCents,
  }));
}

function languagesOf(rule: FineRule) {
  return Object.entries(rule.letter?.language?.options ?? {}).map(([answer, lang]) => ({
    answer,
    lang,
    name: LANGUAGE_NAMES[lang] ?? lang,
  }));
}

const answersSchema = z.object({
  offence: z.string().optional(),
  vehicle: z.string().optional(),
  name: z.string().optional(),
  email: z.string().optional(),
  language: z.string().optional(),
});

/** FormSG's own checks on the fields (required, the e-mail's form, the listed choices). */
function checkAnswers(
  raw: z.infer<typeof answersSchema>,
  rule: FineRule,
): { answers: Record<AnswerName, string> } | { issues: Issue[] } {
  const issues: Issue[] = [];
  const text = (value: string | undefined) => (value ?? '').replace(/\s+/g, ' ').trim();
  const answers = {
    offence: text(raw.offence),
    vehicle: text(raw.vehicle).toUpperCase(),
    name: text(raw.name),
    email: text(raw.email),
    language: text(raw.language),
  };
  if (!offencesOf(rule).some((o) => o.code === answers.offence))
    issues.push({ field: 'offence', message: 'Choose the offence from the list' });
  if (answers.vehicle === '')
    issues.push({ field: 'vehicle', message: 'Enter the vehicle number' });
  else if (!/^[A-Z0-9 ]{2,12}$/.test(answers.vehicle))
    issues.push({
      field: 'vehicle',
      message: 'Enter the vehicle number as on its plate, letters and digits only, like SBA 1234 A',
    });
  if (answers.name === '') issues.push({ field: 'name', message: 'Enter your full name' });
  else if (answers.name.length > 100)
    issues.push({ field: 'name', message: 'Enter a name of at most 100 characters' });
  if (answers.email === '') issues.push({ field: 'email', message: 'Enter your e-mail address' });
  else if (!isEmailAddress(answers.email))
    issues.push({
      field: 'email',
      message: 'Enter an e-mail address in the right form, like name@example.com',
    });
  if (!languagesOf(rule).some((l) => l.answer === answers.language))
    issues.push({ field: 'language', message: 'Choose the language of your letter' });
  return issues.length > 0 ? { issues } : { answers };
}

/** The demo keeps this many recent submissions for a retry, as FormSG keeps its own. */
const KEPT_SUBMISSIONS = 200;

export function demoFormsgRoutes(options: DemoFormsgOptions) {
  const { rule, keys } = options;
  const now = options.now ?? (() => new Date());
  const send = options.fetch ?? fetch;
  const app = new Hono();
  const kept = new Map<string, FormsgDelivery['body']>();

  /** Posts a delivery to the BFF as FormSG does, and says what the BFF answered. */
  async function post(
    delivery: FormsgDelivery,
  ): Promise<{ status: number; body: unknown } | { unreachable: string }> {
    try {
      const response = await send(rule.webhookUrl, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'X-FormSG-Signature': delivery.signature,
        },
        body: JSON.stringify(delivery.body),
        redirect: 'manual',
        signal: AbortSignal.timeout(10_000),
      });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // Not JSON (a proxy's page, say): shown as the text it is.
      }
      return { status: response.status, body };
    } catch (err) {
      return { unreachable: (err as Error).message };
    }
  }

  /** The page's answer: the ids, what was posted, and the BFF's answer (502 when there was none). */
  function outcome(c: Context, delivery: FormsgDelivery, answer: Awaited<ReturnType<typeof post>>) {
    const { submissionId, formId } = delivery.body.data;
    const posted = { url: rule.webhookUrl, signature: delivery.signature, body: delivery.body };
    if ('unreachable' in answer)
      // FormSG would retry later; the demo says what happened instead.
      return c.json(
        {
          submissionId,
          formId,
          posted,
          error: {
            code: 'webhook_unreachable',
            message: `The BFF at ${rule.webhookUrl} did not answer: ${answer.unreachable}`,
          },
        },
        502,
      );
    return c.json({ submissionId, formId, posted, answer });
  }

  app.get(`/${DEMO_FORM}`, (c) =>
    c.json({
      formId: rule.formId,
      webhookUrl: rule.webhookUrl,
      offences: offencesOf(rule),
      languages: languagesOf(rule),
      adminPath: options.adminPath,
    }),
  );

  // Both posts take JSON only: another site's page cannot send that without a preflight.
  app.post('*', async (c, next) => {
    if (!(c.req.header('content-type') ?? '').startsWith('application/json'))
      return c.json({ error: { code: 'unsupported_media_type', message: 'Send JSON' } }, 415);
    return next();
  });

  app.post(`/${DEMO_FORM}`, async (c) => {
    const parsed = answersSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success)
      return c.json(
        { error: { code: 'invalid_request', message: 'Send the answers as a JSON object' } },
        400,
      );
    const checked = checkAnswers(parsed.data, rule);
    if ('issues' in checked)
      return c.json(
        {
          error: {
            code: 'invalid_answers',
            message: 'Some answers need correcting',
            issues: checked.issues,
          },
        },
        400,
      );

    const at = now();
    const submissionId = newSubmissionId(at);
    const fields: FormsgField[] = (Object.keys(QUESTIONS) as AnswerName[]).map((name) => ({
      _id: rule.answers[name] ?? '',
      ...QUESTIONS[name],
      answer: checked.answers[name],
    }));
    const delivery = formsgDelivery({
      formId: rule.formId,
      submissionId,
      webhookUrl: rule.webhookUrl,
      formPublicKey: keys.form.publicKey,
      signing: keys.signing,
      fields,
      now: at,
    });
    kept.set(submissionId, delivery.body);
    if (kept.size > KEPT_SUBMISSIONS) kept.delete(kept.keys().next().value ?? '');
    return outcome(c, delivery, await post(delivery));
  });

  app.post(`/${DEMO_FORM}/:submissionId/retry`, async (c) => {
    const body = kept.get(c.req.param('submissionId'));
    if (!body)
      return c.json(
        { error: { code: 'not_found', message: 'The demo has no such recent submission' } },
        404,
      );
    const at = now();
    const { submissionId, formId } = body.data;
    const delivery: FormsgDelivery = {
      signature: formsgSignature({
        formId,
        submissionId,
        webhookUrl: rule.webhookUrl,
        signing: keys.signing,
        now: at,
      }),
      body,
    };
    return outcome(c, delivery, await post(delivery));
  });

  return app;
}
