/**
 * The demo's FormSG (demo/formsg/), whose submissions end in the simulator's outbox: what it posts
 * must be what FormSG posts, or the demo would show a fines flow that real FormSG deliveries do
 * not take. Its delivery is checked here with the BFF's own verification and rules
 * (server/formsg/), not with the demo's code: the signature over the configured URL, the
 * version 2.1 body decrypted with the form's secret key, and the payment the rule makes of it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { demoFineRules, prepareDemoFormsg } from '../../demo/formsg/demo-formsg-setup.js';
import { demoFormsgRoutes } from '../../demo/formsg/demo-formsg-routes.js';
import { loadFormsgSdk } from '../../server/formsg/formsg-sdk.js';
import { verifySubmission } from '../../server/formsg/verify-submission.js';
import { paymentFromSubmission, letterLanguage } from '../../server/formsg/fine-from-submission.js';
import { FineRules } from '../../server/formsg/fine-rules.js';

/** Not the file's default port: the demo signs for where it runs, not for what the file says. */
const BFF = 'http://localhost:4123/paysg';
const NOW = new Date('2026-12-08T02:00:00.000Z');

function demo() {
  const env: Record<string, string | undefined> = {};
  const keys = prepareDemoFormsg(env);
  assert.ok(keys);
  const { rules, rule } = demoFineRules(BFF, keys);
  const posted: { url: string; init: RequestInit }[] = [];
  const routes = demoFormsgRoutes({
    keys,
    rule,
    adminPath: '/paysg/admin',
    now: () => NOW,
    fetch: async (url, init) => {
      posted.push({ url: String(url), init: init ?? {} });
      return Response.json({ received: true }, { status: 200 });
    },
  });
  return { env, keys, rules, rule, routes, posted };
}

async function submit(routes: ReturnType<typeof demo>['routes'], answers: Record<string, string>) {
  return routes.request('/parking', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(answers),
  });
}

const ANSWERS = {
  offence: 'P02',
  vehicle: ' sba 1234 a ',
  name: 'Tan Ah Kow',
  email: 'tan@example.com',
  language: 'தமிழ்',
};

describe("the demo's FormSG", () => {
  it('configures the BFF as an agency does: the rules file, the signing public key, the form secret in its variable', () => {
    const { env, keys, rules } = demo();
    assert.match(env.FINE_RULES_FILE ?? '', /demo[/\\]fine-rules\.json$/);
    assert.equal(env.FORMSG_SIGNING_KEY, keys.signing.publicKey);
    assert.equal(env.FORMSG_DEMO_PARKING_SECRET_KEY, keys.form.secretKey);
    // The file as configured loads with the environment the demo set.
    assert.deepEqual(FineRules.fromFile(env.FINE_RULES_FILE ?? '', env).names(), ['parking']);
    assert.equal(rules.formConfig('parking')?.webhookUrl, `${BFF}/formsg/parking`);
    assert.equal(rules.formConfig('parking')?.secretKey, keys.form.secretKey);
  });

  it('stays off when FINE_RULES_FILE names rules of ones own', () => {
    const env: Record<string, string | undefined> = { FINE_RULES_FILE: 'agency-rules.json' };
    assert.equal(prepareDemoFormsg(env), undefined);
    assert.deepEqual(env, { FINE_RULES_FILE: 'agency-rules.json' });
  });

  it('posts what FormSG posts: signed for the webhook URL, a 2.1 body the BFF verifies and decrypts, the rule’s payment', async () => {
    const { keys, rule, routes, posted } = demo();
    const response = await submit(routes, ANSWERS);
    assert.equal(response.status, 200);
    const result = (await response.json()) as {
      submissionId: string;
      formId: string;
      answer: { status: number; body: unknown };
    };
    assert.match(result.submissionId, /^[0-9a-f]{24}$/);
    assert.equal(result.formId, rule.formId);
    assert.deepEqual(result.answer, { status: 200, body: { received: true } });

    assert.equal(posted.length, 1);
    const [delivery] = posted;
    assert.ok(delivery);
    assert.equal(delivery.url, `${BFF}/formsg/parking`);
    assert.equal(delivery.init.method, 'POST');
    assert.equal(delivery.init.redirect, 'manual', 'FormSG follows no redirects');
    const headers = new Headers(delivery.init.headers);
    assert.equal(headers.get('content-type'), 'application/json');
    const body = JSON.parse(String(delivery.init.body)) as { data: Record<string, unknown> };
    assert.deepEqual(Object.keys(body.data).sort(), [
      'attachmentDownloadUrls',
      'created',
      'encryptedContent',
      'formId',
      'paymentContent',
      'submissionId',
      'version',
    ]);
    assert.equal(body.data.version, 2.1);

    const submission = verifySubmission(
      { signature: headers.get('x-formsg-signature'), body },
      { formId: rule.formId, webhookUrl: rule.webhookUrl, secretKey: keys.form.secretKey },
      { sdk: loadFormsgSdk(keys.signing.publicKey), now: () => NOW },
    );
    assert.equal(submission.submissionId, result.submissionId);
    assert.equal(submission.created, NOW.toISOString());
    const payment = paymentFromSubmission(rule, submission);
    assert.equal(payment.amount_in_cents, 12000);
    assert.equal(payment.reference_id, `PF-${result.submissionId}`);
    assert.equal(payment.payer_email, 'tan@example.com');
    assert.equal(
      payment.description,
      'Parking fine P02: Parking in a loading bay, vehicle SBA 1234 A',
    );
    assert.equal(letterLanguage(rule, submission), 'ta');
  });

  it('is refused by the BFF’s checks when signed by another key or for another URL', async () => {
    const { rule, routes, posted } = demo();
    await submit(routes, ANSWERS);
    const [delivery] = posted;
    assert.ok(delivery);
    const headers = new Headers(delivery.init.headers);
    const body = JSON.parse(String(delivery.init.body)) as unknown;
    const other = prepareDemoFormsg({});
    assert.ok(other);
    const check = (signingKey: string, webhookUrl: string) => () =>
      verifySubmission(
        { signature: headers.get('x-formsg-signature'), body },
        { formId: rule.formId, webhookUrl, secretKey: 'unused' },
        { sdk: loadFormsgSdk(signingKey), now: () => NOW },
      );
    assert.throws(check(other.signing.publicKey, rule.webhookUrl), {
      code: 'formsg_signature_invalid',
    });
    assert.throws(check(other.signing.publicKey, 'http://localhost:4000/paysg/formsg/parking'), {
      code: 'formsg_signature_invalid',
    });
  });

  it('delivers a submission again as FormSG retries: the same body, signed anew', async () => {
    let now = NOW.getTime();
    const env: Record<string, string | undefined> = {};
    const keys = prepareDemoFormsg(env);
    assert.ok(keys);
    const { rule } = demoFineRules(BFF, keys);
    const posted: RequestInit[] = [];
    const routes = demoFormsgRoutes({
      keys,
      rule,
      adminPath: '/paysg/admin',
      now: () => new Date(now),
      fetch: async (_url, init) => {
        posted.push(init ?? {});
        return Response.json({ received: true });
      },
    });
    const first = (await (await submit(routes, ANSWERS)).json()) as { submissionId: string };
    now += 5 * 60 * 1000;
    const retry = await routes.request(`/parking/${first.submissionId}/retry`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(retry.status, 200);
    assert.equal(posted.length, 2);
    const [one, two] = posted;
    assert.equal(two?.body, one?.body, 'the same body');
    const header = (init: RequestInit | undefined) =>
      new Headers(init?.headers).get('x-formsg-signature') ?? '';
    assert.notEqual(header(two), header(one));
    assert.match(header(two), new RegExp(`^t=${now},s=${first.submissionId},f=${rule.formId},v1=`));
    // It verifies at its own time, five minutes after the first attempt.
    verifySubmission(
      { signature: header(two), body: JSON.parse(String(two?.body)) },
      { formId: rule.formId, webhookUrl: rule.webhookUrl, secretKey: keys.form.secretKey },
      { sdk: loadFormsgSdk(keys.signing.publicKey), now: () => new Date(now) },
    );

    const unknown = await routes.request('/parking/0123456789abcdef01234567/retry', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(unknown.status, 404);
    const form = await routes.request(`/parking/${first.submissionId}/retry`, { method: 'POST' });
    assert.equal(form.status, 415, 'JSON only: no cross-site form post');
    assert.equal(posted.length, 2);
  });

  it('checks the fields as FormSG does, naming each, and posts nothing then', async () => {
    const { routes, posted } = demo();
    const response = await submit(routes, { offence: 'P99', vehicle: 'SBA-1234', email: 'tan@' });
    assert.equal(response.status, 400);
    const { error } = (await response.json()) as {
      error: { code: string; issues: { field: string }[] };
    };
    assert.equal(error.code, 'invalid_answers');
    assert.deepEqual(
      error.issues.map((i) => i.field),
      ['offence', 'vehicle', 'name', 'email', 'language'],
    );
    const notJson = await routes.request('/parking', { method: 'POST', body: 'offence=P01' });
    assert.equal(notJson.status, 415);
    assert.equal(posted.length, 0);
  });

  it('lists the rule’s offences with their amounts and the letter’s languages, for the page', async () => {
    const { routes } = demo();
    const form = (await (await routes.request('/parking')).json()) as {
      offences: { code: string; amountInCents: number }[];
      languages: { answer: string; lang: string }[];
    };
    assert.deepEqual(
      form.offences.map((o) => [o.code, o.amountInCents]),
      [
        ['P01', 7000],
        ['P02', 12000],
        ['P03', 5000],
      ],
    );
    assert.deepEqual(
      form.languages.map((l) => [l.answer, l.lang]),
      [
        ['English', 'en'],
        ['中文', 'zh'],
        ['தமிழ்', 'ta'],
      ],
    );
  });
});
