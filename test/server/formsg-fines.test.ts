/**
 * Fines from FormSG through the BFF: a verified delivery makes one PaySG payment with the rule's
 * amount and one e-mail, whatever FormSG retries; a refused delivery records and creates nothing;
 * a crash between recording and the payment is finished by the reconciler; staff find the
 * submission, see it paid, download its letter and may send an unknown e-mail again.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { dueDateAfter } from '../../server/formsg/fine-from-submission.js';
import { FineRules } from '../../server/formsg/fine-rules.js';
import type { CheckoutStore } from '../../server/storage/checkout-store.js';
import { SqliteCheckoutStore } from '../../server/storage/sqlite-store.js';
import { createBackOffice } from '../helpers/back-office.js';
import { createHarness, errorOf, type Harness } from '../helpers/bff-harness.js';
import {
  deliveryV2,
  deliveryV3,
  FORM_ID,
  formKeypair,
  OTHER_FORM_ID,
  signingKeypair,
  submissionId,
  T0,
} from '../fixtures/formsg/deliveries.js';

const signing = signingKeypair();
const parking = formKeypair();
const lateRegistration = formKeypair();
const rules = FineRules.fromFile('test/fixtures/formsg/fine-rules.json', {
  FORMSG_PARKING_SECRET_KEY: parking.secretKey,
  FORMSG_LATE_REGISTRATION_SECRET_KEY: lateRegistration.secretKey,
  FORMSG_COMPOSITION_SECRET_KEY: formKeypair().secretKey,
});
const fines = { rules, signingPublicKey: signing.publicKey };

const LATE_FORM_ID = '65a1b2c3d4e5f60718293b4b';
const LATE_URL = 'https://agency.example/paysg/formsg/late-registration';

/** The parking form's answers (v2.1), an offence from its table and the payer's e-mail. */
function parkingFields(offence = 'P01', email = 'tan@example.com') {
  return [
    {
      _id: '65a1b2c3d4e5f60718293a01',
      question: 'Offence',
      fieldType: 'dropdown',
      answer: offence,
    },
    {
      _id: '65a1b2c3d4e5f60718293a02',
      question: 'Vehicle',
      fieldType: 'textfield',
      answer: 'SGX1234A',
    },
    {
      _id: '65a1b2c3d4e5f60718293a03',
      question: 'Name',
      fieldType: 'textfield',
      answer: 'Tan Ah Kow',
    },
    { _id: '65a1b2c3d4e5f60718293a04', question: 'E-mail', fieldType: 'email', answer: email },
    {
      _id: '65a1b2c3d4e5f60718293a05',
      question: 'Language',
      fieldType: 'dropdown',
      answer: 'English',
    },
  ];
}

function parkingDelivery(
  options: Partial<Parameters<typeof deliveryV2>[1]> = {},
  offence = 'P01',
  email?: string,
) {
  return deliveryV2(parkingFields(offence, email), {
    signing,
    form: parking,
    verified: { uinFin: 'S1234567D' },
    ...options,
  });
}

interface SubmissionViewJson {
  submission: {
    submissionId: string;
    payment: {
      paid: boolean;
      status: string;
      amountInCents: number;
      referenceId: string;
      checkoutId: string;
    };
    letterAvailable: boolean;
    letterUnavailableReason: string | null;
  };
}

async function viewOf(
  bo: ReturnType<typeof createBackOffice>,
  id: string,
): Promise<SubmissionViewJson> {
  const found = await bo.script.get(`/api/submissions?submissionId=${id}`);
  assert.equal(found.status, 200);
  return (await found.json()) as SubmissionViewJson;
}

/** PaySG's creates and send-emails, as the BFF made them. */
function counting() {
  const calls = { creates: 0, emails: 0 };
  const wrapFetch =
    (inner: typeof fetch): typeof fetch =>
    async (input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      if (init?.method === 'POST' && url.endsWith('/send-email')) calls.emails++;
      else if (init?.method === 'POST' && /\/payments$/.test(url)) calls.creates++;
      return inner(input, init);
    };
  return { calls, wrapFetch };
}

function finesHarness(
  store?: CheckoutStore,
  options: Partial<Parameters<typeof createHarness>[0] & object> = {},
) {
  const { calls, wrapFetch } = counting();
  const h = createHarness({ fines, wrapFetch, ...(store && { store }), ...options });
  h.clock.advance(T0 + 2_000 - h.clock.now().getTime());
  return { h, calls };
}

/** The rules file as loaded, changed by `change` (an agency editing it between deliveries). */
// biome-ignore lint/suspicious/noExplicitAny: each caller edits the file's shape as it likes
function changedFines(change: (file: { forms: Record<string, any> }) => void) {
  const data = JSON.parse(readFileSync('test/fixtures/formsg/fine-rules.json', 'utf8'));
  change(data);
  return {
    rules: FineRules.from(data, {
      FORMSG_PARKING_SECRET_KEY: parking.secretKey,
      FORMSG_LATE_REGISTRATION_SECRET_KEY: lateRegistration.secretKey,
      FORMSG_COMPOSITION_SECRET_KEY: formKeypair().secretKey,
    }),
    signingPublicKey: signing.publicKey,
  };
}

function deliver(h: Harness, path: string, delivery: { signature: string; body: unknown }) {
  return h.app.request(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-FormSG-Signature': delivery.signature },
    body: JSON.stringify(delivery.body),
  });
}

describe('fines from FormSG', () => {
  it('a v2.1 delivery makes one payment with the rule’s amount and one e-mail; a retry makes nothing new', async () => {
    const { h, calls } = finesHarness();
    const delivery = parkingDelivery();
    const id = delivery.body.data.submissionId;
    const answer = await deliver(h, '/formsg/parking', delivery);
    assert.equal(answer.status, 200);
    assert.deepEqual(await answer.json(), { received: true, submissionId: id });
    await h.app.idle();
    const submission = await h.store.getSubmission({ formId: FORM_ID, submissionId: id });
    assert.equal(submission?.emailStatus, 'sent');
    const checkout = await h.store.get(submission?.checkoutId ?? '');
    assert.equal(checkout?.status, 'unpaid');
    assert.equal(checkout?.amountInCents, 7000);
    assert.equal(checkout?.referenceId, `PF-${id}`);
    assert.equal(checkout?.orderKey, `formsg:${FORM_ID}:${id}`);
    assert.equal(checkout?.paysgIdempotencyKey, `paysg-checkout:formsg:${FORM_ID}:${id}:1`);
    assert.equal(checkout?.ownerHash, null);
    assert.deepEqual(calls, { creates: 1, emails: 1 });

    // FormSG retries the same delivery: 200, nothing created, no second e-mail.
    const retry = await deliver(h, '/formsg/parking', delivery);
    assert.equal(retry.status, 200);
    assert.deepEqual(await retry.json(), { received: true, submissionId: id });
    await h.app.idle();
    assert.deepEqual(calls, { creates: 1, emails: 1 });
    assert.equal((await h.app.reconcile({ quietMs: 0 })).submissions, 0);
    assert.deepEqual(calls, { creates: 1, emails: 1 });
  });

  it('a retry of a recorded submission is answered 200 after its rule changed, and makes nothing', async () => {
    const first = finesHarness();
    const delivery = parkingDelivery();
    const id = delivery.body.data.submissionId;
    assert.equal((await deliver(first.h, '/formsg/parking', delivery)).status, 200);
    await first.h.app.idle();
    const recorded = await first.h.store.findSubmission(id);
    assert.equal(recorded?.emailStatus, 'sent');

    // The agency takes P01 out of the table; FormSG retries the submission made under it.
    const changed = changedFines((f) => delete f.forms.parking.amount.table.P01);
    const { h, calls } = finesHarness(first.h.store, { fines: changed });
    const retry = await deliver(h, '/formsg/parking', delivery);
    assert.equal(retry.status, 200);
    assert.deepEqual(await retry.json(), { received: true, submissionId: id });
    await h.app.idle();
    assert.deepEqual(calls, { creates: 0, emails: 0 });
    assert.deepEqual(await h.store.findSubmission(id), recorded);
    assert.equal((await h.store.list({ limit: 10 })).length, 1);
    assert.ok(!h.logs.some((l) => l.event === 'formsg_refused'));
  });

  it('dates the due date by FormSG’s signature, not by the body’s unsigned created', async () => {
    const { h } = finesHarness();
    const delivery = parkingDelivery();
    delivery.body.data.created = '2020-01-01T00:00:00.000Z';
    assert.equal((await deliver(h, '/formsg/parking', delivery)).status, 200);
    await h.app.idle();
    const submission = await h.store.findSubmission(delivery.body.data.submissionId);
    assert.equal(submission?.submittedAt, new Date(T0).toISOString());
    assert.equal(submission?.paysgRequest.due_date, dueDateAfter(new Date(T0).toISOString(), 28));
    assert.equal(submission?.letter?.issuedOn, '2026-12-07');
  });

  it('a refused submission FormSG signed raises an alert with its ids and code, never an answer', async () => {
    const { h } = finesHarness();
    const refusals: [string, ReturnType<typeof parkingDelivery>, string][] = [
      ['a rule that does not match', parkingDelivery({}, 'P99'), 'formsg_rule_unmatched'],
      [
        'a body the form’s key does not open',
        parkingDelivery({ form: { ...formKeypair() } }),
        'formsg_undecryptable',
      ],
    ];
    for (const [what, delivery, code] of refusals) {
      h.logs.length = 0;
      const answer = await deliver(h, '/formsg/parking', delivery);
      assert.equal((await errorOf(answer)).code, code, what);
      const id = delivery.body.data.submissionId;
      const refused = h.logs.filter((l) => l.event === 'formsg_refused');
      assert.equal(refused.length, 1, what);
      assert.equal(refused[0]?.level, 'error', what);
      assert.deepEqual(
        refused[0]?.fields,
        {
          alert: true,
          form: 'parking',
          formId: FORM_ID,
          submissionId: id,
          code,
          requestId: answer.headers.get('X-Request-Id'),
        },
        what,
      );
      assert.ok(answer.headers.get('X-Request-Id'), what);
      const logged = JSON.stringify(h.logs);
      for (const text of ['P99', 'Tan Ah Kow', 'SGX1234A', 'tan@example.com', 'S1234567D'])
        assert.ok(!logged.includes(text), `${what}: ${text} is not logged`);
      assert.equal(await h.store.findSubmission(id), undefined, `${what}: nothing recorded`);
    }
    // Not FormSG's signature: a stranger's request, a warning without ids.
    h.logs.length = 0;
    await deliver(h, '/formsg/parking', parkingDelivery({ url: 'https://elsewhere.example/x' }));
    const stranger = h.logs.find((l) => l.event === 'formsg_refused');
    assert.deepEqual(
      [stranger?.level, stranger?.fields],
      ['warn', { form: 'parking', code: 'formsg_signature_invalid' }],
    );
  });

  it('never echoes a form name that no rule could have', async () => {
    const { h } = finesHarness();
    for (const path of ['/formsg/%1B%5B31mevil%0A', '/formsg/Parking', '/formsg/unknown']) {
      const answer = await deliver(h, path, parkingDelivery());
      assert.equal(answer.status, 404, path);
      const error = await errorOf(answer);
      assert.equal(error.code, 'formsg_unknown_form', path);
      assert.equal(
        error.message,
        'no form is configured at this address: check the webhook URL in the form’s settings',
        path,
      );
    }
    const logged = JSON.stringify(h.logs.filter((l) => l.event.startsWith('formsg_')));
    assert.ok(logged.includes('"unknown"'), 'a name a rule could have is logged');
    assert.ok(!logged.includes('evil') && !logged.includes('\\u001b'), 'any other is not');
  });

  it('limits deliveries per form: one form’s burst leaves another its own allowance', async () => {
    const { h } = finesHarness(undefined, { rateLimits: { formsgPerMinute: 3 } });
    // FormSG sends every form's deliveries from the same few addresses: here, all from one.
    for (let i = 0; i < 3; i++)
      assert.equal((await deliver(h, '/formsg/parking', parkingDelivery())).status, 200);
    const over = await deliver(h, '/formsg/parking', parkingDelivery());
    assert.equal(over.status, 429);
    assert.equal((await errorOf(over)).code, 'rate_limited');
    const other = deliveryV3(
      {
        '65a1b2c3d4e5f60718293b01': { fieldType: 'textfield', answer: 'Kopi Pte Ltd' },
        '65a1b2c3d4e5f60718293b02': { fieldType: 'email', answer: 'accounts@kopi.example' },
        '65a1b2c3d4e5f60718293b03': { fieldType: 'uen', answer: '201912345K' },
      },
      { signing, form: lateRegistration, formId: LATE_FORM_ID, url: LATE_URL },
    );
    assert.equal((await deliver(h, '/formsg/late-registration', other)).status, 200);
    await h.app.idle();
  });

  it('a v3 delivery makes one payment with the rule’s fixed fee and one e-mail', async () => {
    const { h, calls } = finesHarness();
    const delivery = deliveryV3(
      {
        '65a1b2c3d4e5f60718293b01': { fieldType: 'textfield', answer: 'Kopi Pte Ltd' },
        '65a1b2c3d4e5f60718293b02': { fieldType: 'email', answer: 'accounts@kopi.example' },
        '65a1b2c3d4e5f60718293b03': { fieldType: 'uen', answer: '201912345K' },
        '65a1b2c3d4e5f60718293b04': { fieldType: 'textarea', answer: '1 Kopi Lane' },
      },
      { signing, form: lateRegistration, formId: LATE_FORM_ID, url: LATE_URL },
    );
    const answer = await deliver(h, '/formsg/late-registration', delivery);
    assert.equal(answer.status, 200);
    await h.app.idle();
    const submission = await h.store.findSubmission(delivery.body.data.submissionId);
    const checkout = await h.store.get(submission?.checkoutId ?? '');
    assert.equal(checkout?.amountInCents, 5000);
    assert.equal(checkout?.paysgRequest.payer_identifier, '201912345K');
    assert.equal(submission?.emailStatus, 'sent');
    assert.deepEqual(calls, { creates: 1, emails: 1 });
  });

  it('a payer who gave no e-mail address gets a payment and no e-mail, and the reason is recorded', async () => {
    const { h, calls } = finesHarness();
    const delivery = parkingDelivery({}, 'P02', '');
    assert.equal((await deliver(h, '/formsg/parking', delivery)).status, 200);
    await h.app.idle();
    const submission = await h.store.findSubmission(delivery.body.data.submissionId);
    assert.equal(submission?.emailStatus, 'skipped');
    assert.match(submission?.emailError ?? '', /no e-mail address/);
    assert.deepEqual(calls, { creates: 1, emails: 0 });
  });

  it('refuses what FormSG did not send now, or what makes no payment, and creates nothing', async () => {
    const { h, calls } = finesHarness();
    const cases: [string, string, { signature: string; body: unknown }, number, string][] = [
      [
        'stale',
        '/formsg/parking',
        parkingDelivery({ epoch: T0 - 6 * 60_000 }),
        401,
        'formsg_stale',
      ],
      [
        'signed for another URL',
        '/formsg/parking',
        parkingDelivery({ url: 'https://elsewhere.example/paysg/formsg/parking' }),
        401,
        'formsg_signature_invalid',
      ],
      [
        'header and body name other submissions',
        '/formsg/parking',
        parkingDelivery({ headerSubmissionId: submissionId() }),
        400,
        'formsg_mismatch',
      ],
      ['a form not configured', '/formsg/unknown', parkingDelivery(), 404, 'formsg_unknown_form'],
      [
        'another form at this URL',
        '/formsg/parking',
        parkingDelivery({ formId: OTHER_FORM_ID }),
        404,
        'formsg_unknown_form',
      ],
      [
        'a body the form’s key does not open',
        '/formsg/parking',
        parkingDelivery({ form: { ...formKeypair() } }),
        400,
        'formsg_undecryptable',
      ],
      [
        'a rule that does not match',
        '/formsg/parking',
        parkingDelivery({}, 'P99'),
        422,
        'formsg_rule_unmatched',
      ],
    ];
    for (const [what, path, delivery, status, code] of cases) {
      const before = { ...h.paysgTraffic };
      const answer = await deliver(h, path, delivery);
      assert.equal(answer.status, status, what);
      assert.equal((await errorOf(answer)).code, code, what);
      await h.app.idle();
      const id = (delivery.body as { data: { submissionId: string } }).data.submissionId;
      assert.equal(await h.store.findSubmission(id), undefined, `${what}: nothing recorded`);
      assert.deepEqual(
        [h.paysgTraffic.posts, h.paysgTraffic.gets],
        [before.posts, before.gets],
        `${what}: PaySG not asked`,
      );
    }
    assert.deepEqual(calls, { creates: 0, emails: 0 });
    assert.equal((await h.store.list({ limit: 10 })).length, 0);
  });

  it('a crash between recording and the payment is finished by the reconciler, with one e-mail', async () => {
    const inner = new SqliteCheckoutStore(':memory:');
    const crash = { claim: true };
    // The store dies at the first claim of a checkout, as a process killed right after the record.
    const store = new Proxy(inner, {
      get(target, property) {
        if (property === 'claim' && crash.claim)
          return async () => {
            crash.claim = false;
            throw new Error('killed');
          };
        const value = Reflect.get(target, property);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const { h, calls } = finesHarness(store);
    const delivery = parkingDelivery();
    assert.equal((await deliver(h, '/formsg/parking', delivery)).status, 200);
    await h.app.idle();
    const id = delivery.body.data.submissionId;
    assert.equal((await h.store.findSubmission(id))?.checkoutId, null);
    assert.deepEqual(calls, { creates: 0, emails: 0 });

    h.clock.advance(1_000);
    const report = await h.app.reconcile({ quietMs: 0 });
    assert.equal(report.submissions, 1);
    const submission = await h.store.findSubmission(id);
    assert.equal(submission?.emailStatus, 'sent');
    assert.equal((await h.store.get(submission?.checkoutId ?? ''))?.status, 'unpaid');
    assert.deepEqual(calls, { creates: 1, emails: 1 });
    await h.app.reconcile({ quietMs: 0 });
    assert.deepEqual(calls, { creates: 1, emails: 1 });
  });

  it('an e-mail whose send was claimed and never answered is not sent again on its own: staff may, on the record', async () => {
    const bo = createBackOffice({}, { fines });
    const { h } = bo;
    h.clock.advance(T0 + 2_000 - h.clock.now().getTime());
    const delivery = parkingDelivery();
    const id = delivery.body.data.submissionId;
    // PaySG takes the e-mail and the answer is lost: the claim stays, outcome unknown.
    h.paysgTraffic.downAfterNextPost = false;
    const original = h.paysg.payments.sendEmail.bind(h.paysg.payments);
    let sends = 0;
    h.paysg.payments.sendEmail = async (paymentId, options) => {
      sends++;
      await original(paymentId, options);
      if (sends === 1) throw new TypeError('socket hang up');
    };
    assert.equal((await deliver(h, '/formsg/parking', delivery)).status, 200);
    await h.app.idle();
    assert.equal((await h.store.findSubmission(id))?.emailStatus, 'sending');
    h.clock.advance(5 * 60_000);
    await h.app.reconcile({ quietMs: 0 });
    assert.equal(sends, 1, 'the reconciler never sends a claimed e-mail again');

    const found = await bo.script.get(`/api/submissions?submissionId=${id}`);
    assert.equal(found.status, 200);
    const view = (
      (await found.json()) as { submission: { email: { state: string; canSendAgain: boolean } } }
    ).submission;
    assert.deepEqual([view.email.state, view.email.canSendAgain], ['unknown', true]);

    const viewer = bo.as(await bo.signIn('chitra'));
    const refused = await viewer.post(`/api/submissions/${FORM_ID}/${id}/email`, {
      reason: 'Payer asked',
    });
    assert.equal(refused.status, 403);
    const staff = bo.as(await bo.signIn('alice'));
    const again = await staff.post(`/api/submissions/${FORM_ID}/${id}/email`, {
      reason: 'Payer asked',
    });
    assert.equal(again.status, 200);
    assert.equal(sends, 2);
    assert.equal((await h.store.findSubmission(id))?.emailStatus, 'sent');
    const twice = await staff.post(`/api/submissions/${FORM_ID}/${id}/email`, { reason: 'Again' });
    assert.equal(twice.status, 409);
    assert.equal((await errorOf(twice)).code, 'email_not_resendable');
    const audit = await h.store.listAudit({ limit: 10 });
    assert.ok(
      audit.some(
        (e) => e.action === 'email_resent' && e.outcome === 'ok' && e.reason === 'Payer asked',
      ),
    );
  });

  it('staff download an unpaid fine’s letter, on the record by its submission id; strangers cannot', async () => {
    const bo = createBackOffice({}, { fines });
    const { h } = bo;
    h.clock.advance(T0 + 2_000 - h.clock.now().getTime());
    const delivery = parkingDelivery();
    const id = delivery.body.data.submissionId;
    assert.equal((await deliver(h, '/formsg/parking', delivery)).status, 200);
    await h.app.idle();
    const checkout = await h.store.get((await h.store.findSubmission(id))?.checkoutId ?? '');
    const before = (await viewOf(bo, id)).submission;
    assert.deepEqual([before.letterAvailable, before.letterUnavailableReason], [true, null]);

    const path = `/api/submissions/${FORM_ID}/${id}/letter.pdf`;
    assert.equal((await bo.admin.request(path)).status, 401);
    const viewer = bo.as(await bo.signIn('chitra'));
    const letter = await viewer.get(path);
    assert.equal(letter.status, 200);
    assert.equal(letter.headers.get('Content-Type'), 'application/pdf');
    const bytes = Buffer.from(await letter.arrayBuffer());
    assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');

    // The audit row names the submission and its form, not only the checkout.
    const row = (await h.store.listAudit({ limit: 10 })).find(
      (e) => e.action === 'letter_downloaded',
    );
    assert.equal(row?.checkoutId, checkout?.id);
    assert.deepEqual(row?.detail, { formId: FORM_ID, submissionId: id });
    const listed = (await (await bo.script.get('/api/audit')).json()) as {
      events: { action: string; text: string; formId: string; submissionId: string }[];
    };
    const event = listed.events.find((e) => e.action === 'letter_downloaded');
    assert.deepEqual([event?.formId, event?.submissionId], [FORM_ID, id]);
    assert.equal(
      event?.text,
      `Downloaded the fine letter of FormSG submission ${id} (form ${FORM_ID})`,
    );
    const logged = h.logs.find(
      (l) => l.event === 'audit' && l.fields.action === 'letter_downloaded',
    );
    assert.deepEqual([logged?.fields.formId, logged?.fields.submissionId], [FORM_ID, id]);
  });

  it('paid through PaySG shows paid against its submission id, and no letter asks to pay it again', async () => {
    const bo = createBackOffice({}, { fines });
    const { h } = bo;
    h.clock.advance(T0 + 2_000 - h.clock.now().getTime());
    const delivery = parkingDelivery();
    const id = delivery.body.data.submissionId;
    assert.equal((await deliver(h, '/formsg/parking', delivery)).status, 200);
    await h.app.idle();
    const checkout = await h.store.get((await h.store.findSubmission(id))?.checkoutId ?? '');
    await h.payOnSimulator(checkout?.paymentId ?? '');
    h.clock.advance(1_000);
    await h.app.reconcile({ quietMs: 0 });

    const view = (await viewOf(bo, id.toUpperCase())).submission;
    assert.equal(view.submissionId, id);
    assert.deepEqual(
      [
        view.payment.paid,
        view.payment.status,
        view.payment.amountInCents,
        view.payment.referenceId,
      ],
      [true, 'paid', 7000, `PF-${id}`],
    );
    assert.equal(view.payment.checkoutId, checkout?.id);
    const paidOn = 'The fine was paid on 2026-12-07; no letter is needed';
    assert.deepEqual([view.letterAvailable, view.letterUnavailableReason], [false, paidOn]);
    assert.equal(
      (await bo.script.get('/api/submissions?submissionId=6753ac00ffffffffffffffff')).status,
      404,
    );
    assert.equal((await bo.script.get('/api/submissions?submissionId=nope')).status, 400);

    const viewer = bo.as(await bo.signIn('chitra'));
    const refused = await viewer.get(`/api/submissions/${FORM_ID}/${id}/letter.pdf`);
    assert.equal(refused.status, 409);
    const error = await errorOf(refused);
    assert.deepEqual([error.code, error.message], ['letter_not_available', paidOn]);
  });

  it('no letter for a fine whose payment was cancelled or failed: its link takes no payment', async () => {
    const bo = createBackOffice({}, { fines });
    const { h } = bo;
    h.clock.advance(T0 + 2_000 - h.clock.now().getTime());
    const viewer = bo.as(await bo.signIn('chitra'));
    const failed = new Set<string>();
    // A store whose rows read as PaySG's refusal leaves one: failed, with the link it once gave.
    const store = h.store;
    const get = store.get.bind(store);
    store.get = async (checkoutId) => {
      const row = await get(checkoutId);
      return row && failed.has(checkoutId) ? { ...row, status: 'failed' } : row;
    };
    for (const status of ['cancelled', 'failed'] as const) {
      const delivery = parkingDelivery();
      const id = delivery.body.data.submissionId;
      assert.equal((await deliver(h, '/formsg/parking', delivery)).status, 200);
      await h.app.idle();
      const checkoutId = (await h.store.findSubmission(id))?.checkoutId ?? '';
      if (status === 'cancelled')
        await h.store.update(checkoutId, 'unpaid', { status }, h.clock.now().toISOString());
      else failed.add(checkoutId);
      const view = (await viewOf(bo, id)).submission;
      assert.equal(view.letterAvailable, false, status);
      assert.match(view.letterUnavailableReason ?? '', new RegExp(`payment (was )?${status}`));
      const refused = await viewer.get(`/api/submissions/${FORM_ID}/${id}/letter.pdf`);
      assert.equal(refused.status, 409, status);
      const error = await errorOf(refused);
      assert.deepEqual(
        [error.code, error.message],
        ['letter_not_available', view.letterUnavailableReason],
      );
    }
  });
});
