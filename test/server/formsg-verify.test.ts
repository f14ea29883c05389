/**
 * A FormSG delivery is believed only when FormSG signed it for our URL, recently, for the ids in
 * the body and the form configured here; then it is decrypted, v2.1 and v3 alike. Each delivery
 * below is made with the SDK's own signing and encryption and a signing key pair of the test's.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FormsgError, type FormsgErrorCode } from '../../server/formsg/formsg-error.js';
import {
  parseFormsgSignature,
  verifySubmission,
  type FormsgFormConfig,
} from '../../server/formsg/verify-submission.js';
import {
  deliveryV2,
  deliveryV3,
  FORM_ID,
  formKeypair,
  OTHER_FORM_ID,
  sdkFor,
  signatureHeader,
  signingKeypair,
  submissionId,
  T0,
  WEBHOOK_URL,
} from '../fixtures/formsg/deliveries.js';

const signing = signingKeypair();
const form = formKeypair();
const config: FormsgFormConfig = {
  formId: FORM_ID,
  webhookUrl: WEBHOOK_URL,
  secretKey: form.secretKey,
};
const options = { sdk: sdkFor(signing), now: () => new Date(T0 + 2_000) };

const OFFENCE = '65a1b2c3d4e5f60718293a01';
const EMAIL = '65a1b2c3d4e5f60718293a02';
const CHOICES = '65a1b2c3d4e5f60718293a03';

function refused(code: FormsgErrorCode, run: () => unknown) {
  assert.throws(run, (err: unknown) => {
    assert.ok(err instanceof FormsgError, `not a FormsgError: ${String(err)}`);
    assert.equal(err.code, code, err.message);
    return true;
  });
}

const v2Fields = [
  { _id: OFFENCE, question: 'Offence code', fieldType: 'dropdown', answer: '  P01 ' },
  { _id: EMAIL, question: 'E-mail', fieldType: 'email', answer: 'tan@example.com' },
  { _id: CHOICES, question: 'Days', fieldType: 'checkbox', answerArray: ['Mon', ' Tue'] },
  { _id: '65a1b2c3d4e5f60718293a04', question: 'Part 2', fieldType: 'section', answer: '' },
];

describe('FormSG deliveries', () => {
  it('v2.1: verified and decrypted, answers by field id and trimmed', () => {
    const delivery = deliveryV2(v2Fields, { signing, form });
    const submission = verifySubmission(delivery, config, options);
    assert.equal(submission.formId, FORM_ID);
    assert.equal(submission.submissionId, delivery.body.data.submissionId);
    assert.equal(submission.version, 2.1);
    // FormSG's signed time, not the body's `data.created` (T0 - 1 s), which nothing signs.
    assert.equal(submission.created, new Date(T0).toISOString());
    assert.equal(submission.responses.get(OFFENCE)?.answer, 'P01');
    assert.equal(submission.responses.get(CHOICES)?.answer, 'Mon, Tue');
    assert.equal(
      submission.responses.has('65a1b2c3d4e5f60718293a04'),
      false,
      'a section is no answer',
    );
    assert.equal(submission.verifiedUinFin, undefined);
  });

  it('dates a submission by the signature, never by the body’s unsigned data.created', () => {
    for (const created of ['2020-01-01T00:00:00.000Z', 4102444800000, 'not a date']) {
      const delivery = deliveryV2(v2Fields, { signing, form });
      // The signature does not cover the body: its holder can set any date there.
      (delivery.body.data as { created: unknown }).created = created;
      const submission = verifySubmission(delivery, config, options);
      assert.equal(submission.created, new Date(T0).toISOString(), String(created));
    }
  });

  it('v3: verified and decrypted with the submission key the form key opens', () => {
    const delivery = deliveryV3(
      {
        [OFFENCE]: { fieldType: 'dropdown', answer: ' P02' },
        [CHOICES]: { fieldType: 'checkbox', answer: { value: ['Mon'], othersInput: 'Sun ' } },
      },
      { signing, form },
    );
    const submission = verifySubmission(delivery, config, options);
    assert.equal(submission.version, 3);
    assert.equal(submission.responses.get(OFFENCE)?.answer, 'P02');
    assert.equal(submission.responses.get(CHOICES)?.answer, 'Mon, Sun');
  });

  it("reads the payer's NRIC/FIN only from the verified part FormSG signed", () => {
    const delivery = deliveryV2(v2Fields, { signing, form, verified: { uinFin: 's1234567d ' } });
    assert.equal(verifySubmission(delivery, config, options).verifiedUinFin, 'S1234567D');

    // Encrypted to the form like the rest, but signed by someone else: not FormSG's word.
    const forged = deliveryV2(v2Fields, {
      signing,
      form,
      verified: { uinFin: 'S7654321Z' },
      verifiedSignedBy: signingKeypair(),
    });
    refused('formsg_undecryptable', () => verifySubmission(forged, config, options));
  });

  it('refuses a delivery signed more than five minutes ago, or over a minute ahead', () => {
    const old = deliveryV2(v2Fields, { signing, form, epoch: T0 - 5 * 60_000 - 1 });
    refused('formsg_stale', () =>
      verifySubmission(old, config, { ...options, now: () => new Date(T0) }),
    );
    const justInTime = deliveryV2(v2Fields, { signing, form, epoch: T0 - 5 * 60_000 });
    verifySubmission(justInTime, config, { ...options, now: () => new Date(T0) });

    const ahead = deliveryV2(v2Fields, { signing, form, epoch: T0 + 60_001 });
    refused('formsg_stale', () =>
      verifySubmission(ahead, config, { ...options, now: () => new Date(T0) }),
    );
  });

  it('refuses a signature made for another URL, or by another key, or none at all', () => {
    // What an attacker's Host header would make of our URL: never what we check against.
    const otherUrl = deliveryV2(v2Fields, {
      signing,
      form,
      url: 'https://attacker.example/paysg/formsg/parking',
    });
    refused('formsg_signature_invalid', () => verifySubmission(otherUrl, config, options));

    const otherKey = deliveryV2(v2Fields, { signing: signingKeypair(), form });
    refused('formsg_signature_invalid', () => verifySubmission(otherKey, config, options));

    const good = deliveryV2(v2Fields, { signing, form });
    for (const signature of [undefined, null, '', 'v1=abc', `${good.signature},t=${T0}`])
      refused('formsg_signature_invalid', () =>
        verifySubmission({ ...good, signature }, config, options),
      );
  });

  it('refuses a signed header moved onto another body (the signature does not cover the body)', () => {
    const victim = deliveryV2(v2Fields, { signing, form });
    const attacker = deliveryV2(
      [{ _id: OFFENCE, question: 'Offence code', fieldType: 'dropdown', answer: 'P99' }],
      { signing: signingKeypair(), form },
    );
    // The attacker's body (encrypted to the public form key: anyone can) under FormSG's header.
    refused('formsg_mismatch', () =>
      verifySubmission({ signature: victim.signature, body: attacker.body }, config, options),
    );
    // A header signed for one submission on another's body: the ids disagree.
    const headerForOtherId = deliveryV2(v2Fields, {
      signing,
      form,
      headerSubmissionId: submissionId(),
    });
    refused('formsg_mismatch', () => verifySubmission(headerForOtherId, config, options));
  });

  it('refuses a form that is not the one configured at this URL', () => {
    const other = deliveryV2(v2Fields, { signing, form, formId: OTHER_FORM_ID });
    refused('formsg_unknown_form', () => verifySubmission(other, config, options));
    // The header says our form, the body another: the body does not choose the form.
    const bodyOnly = deliveryV2(v2Fields, {
      signing,
      form,
      formId: OTHER_FORM_ID,
      headerFormId: FORM_ID,
    });
    refused('formsg_mismatch', () => verifySubmission(bodyOnly, config, options));
  });

  it('refuses a body the form key does not open, and one that is not a FormSG body', () => {
    const toAnotherForm = deliveryV2(v2Fields, { signing, form: formKeypair() });
    refused('formsg_undecryptable', () => verifySubmission(toAnotherForm, config, options));

    const v3 = deliveryV3(
      { [OFFENCE]: { fieldType: 'dropdown', answer: 'P01' } },
      { signing, form: formKeypair() },
    );
    refused('formsg_undecryptable', () => verifySubmission(v3, config, options));

    const good = deliveryV2(v2Fields, { signing, form });
    refused('formsg_undecryptable', () =>
      verifySubmission(
        { ...good, body: { data: { ...good.body.data, version: 9 } } },
        config,
        options,
      ),
    );
    for (const body of [undefined, 'text', { data: { ...good.body.data, encryptedContent: 7 } }])
      refused('formsg_malformed', () => verifySubmission({ ...good, body }, config, options));
    refused('formsg_malformed', () =>
      verifySubmission(
        { ...good, body: { data: { ...good.body.data, version: 3 } } },
        config,
        options,
      ),
    );
  });

  it('reads the header strictly: each key once, t in milliseconds, ids as FormSG makes them', () => {
    const header = signatureHeader(signing, {
      url: WEBHOOK_URL,
      submissionId: submissionId(),
      formId: FORM_ID,
      epoch: T0,
    });
    const parsed = parseFormsgSignature(header);
    assert.equal(parsed.t, T0);
    assert.equal(parsed.f, FORM_ID);
    for (const bad of [
      header.replace(/t=\d+/, 't=12.5'),
      header.replace(/f=[0-9a-f]+/, 'f=../../x'),
      header.replace(/v1=.*/, 'v1=AAAA'),
      `${header},s=${submissionId()}`,
    ])
      assert.throws(() => parseFormsgSignature(bad), FormsgError);
  });

  it('answers in the BFF error shape, the FormSG code kept in the message', () => {
    const api = new FormsgError('formsg_stale', 'signed 400 s ago').toApiError();
    assert.equal(api.status, 401);
    assert.equal(api.code, 'invalid_signature');
    assert.equal(api.message, 'formsg_stale: signed 400 s ago');
    assert.equal(new FormsgError('formsg_unknown_form', 'x').toApiError().status, 404);
    assert.equal(
      new FormsgError('formsg_rule_unmatched', 'x').toApiError().code,
      'invalid_request',
    );
  });
});
