/**
 * Fine rules are configuration: a file checked whole at start, each mistake naming its field, and
 * a submission's answers (by field id) made into a PaySG payment whose amount the rule decides:
 * a table, a fixed fee, or a typed figure only where the rule allows one, within its bounds.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  centsFromText,
  dueDateAfter,
  letterFromSubmission,
  paymentFromSubmission,
} from '../../server/formsg/fine-from-submission.js';
import { type FineRule, FineRules, FineRulesError } from '../../server/formsg/fine-rules.js';
import { FormsgError } from '../../server/formsg/formsg-error.js';
import type { FormsgSubmission } from '../../server/formsg/verify-submission.js';
import { createPaymentParamsSchema } from '../../server/paysg/schemas.js';

const RULES_PATH = new URL('../fixtures/formsg/fine-rules.json', import.meta.url);
const file = () => JSON.parse(readFileSync(RULES_PATH, 'utf8'));
/** Form secret keys: the base64 of 32 bytes (never a real form's). */
const env = {
  FORMSG_PARKING_SECRET_KEY: Buffer.alloc(32, 1).toString('base64'),
  FORMSG_LATE_REGISTRATION_SECRET_KEY: Buffer.alloc(32, 2).toString('base64'),
  FORMSG_COMPOSITION_SECRET_KEY: Buffer.alloc(32, 3).toString('base64'),
};
const rules = FineRules.fromFile(RULES_PATH.pathname, env);
const parking = rules.get('parking')!;
const lateRegistration = rules.get('late-registration')!;
const composition = rules.get('composition')!;
const paysgParams = createPaymentParamsSchema({ allowLoopbackHttp: false });

function submission(
  rule: FineRule,
  answers: Record<string, string>,
  extra: Partial<FormsgSubmission> = {},
): FormsgSubmission {
  const responses = new Map(
    Object.entries(answers).map(([name, answer]) => [
      rule.answers[name]!,
      { fieldType: 'textfield', answer },
    ]),
  );
  return {
    formId: rule.formId,
    submissionId: '6753ac00aaaaaaaaaaaaaaa1',
    created: '2026-12-07T02:00:00.000Z',
    version: 2.1,
    responses,
    ...extra,
  };
}

function errorOf(data: unknown, environment: Record<string, string | undefined> = env): string {
  try {
    FineRules.from(data, environment);
  } catch (err) {
    assert.ok(err instanceof FineRulesError, String(err));
    return err.message;
  }
  assert.fail('the rules were accepted');
}

function unmatched(run: () => unknown, message: RegExp) {
  assert.throws(run, (err: unknown) => {
    assert.ok(err instanceof FormsgError, String(err));
    assert.equal(err.code, 'formsg_rule_unmatched');
    assert.match(err.message, message);
    return true;
  });
}

const tan = { name: ' Tan Ah Kow ', email: 'tan@example.com', vehicle: 'SGX1234A' };

describe('the fine rules file', () => {
  it('loads the example, each form with its key from the environment', () => {
    assert.deepEqual(rules.names(), ['parking', 'late-registration', 'composition']);
    assert.deepEqual(rules.formConfig('parking'), {
      formId: '65a1b2c3d4e5f60718293a4b',
      webhookUrl: 'https://agency.example/paysg/formsg/parking',
      secretKey: env.FORMSG_PARKING_SECRET_KEY,
    });
    assert.equal(rules.formConfig('nope'), undefined);
    assert.ok(!JSON.stringify(parking).includes(env.FORMSG_PARKING_SECRET_KEY), 'no key in a rule');
  });

  it('names the field of each mistake', () => {
    // biome-ignore lint/suspicious/noExplicitAny: each case breaks the file's shape on purpose
    const cases: [(f: any) => void, string][] = [
      [
        (f) => (f.forms.parking.amount.table.P01.amountInCents = 70.5),
        'forms.parking.amount.table.P01.amountInCents: ',
      ],
      [
        (f) => delete f.forms.parking.amount.table.P01.label,
        'forms.parking.amount.table.P01.label: ',
      ],
      [
        (f) => (f.forms.parking.payer.email = 'mail'),
        'forms.parking.payer.email: names no answer in "answers": mail',
      ],
      [
        (f) => (f.forms.parking.answers.name = 'Full name'),
        'forms.parking.answers.name: is not a FormSG field id',
      ],
      [(f) => (f.forms.parking.formId = 'abc'), 'forms.parking.formId: is not a FormSG form id'],
      [
        (f) => (f.forms.parking.webhookUrl = 'http://agency.example/x'),
        'forms.parking.webhookUrl: must be the https URL',
      ],
      [
        (f) => (f.forms.parking.description = 'Fine for {plate}'),
        'forms.parking.description: names no answer in "answers": plate',
      ],
      [
        (f) => (f.forms.composition.description = 'Fine {code}'),
        'forms.composition.description: {code} is the table key',
      ],
      [
        (f) => delete f.forms.composition.amount.maxAmountInCents,
        'forms.composition.amount.maxAmountInCents: ',
      ],
      [
        (f) => (f.forms.composition.amount.minAmountInCents = 200000),
        'forms.composition.amount.minAmountInCents: minAmountInCents is above maxAmountInCents',
      ],
      [(f) => (f.forms.composition.amount.from = 'payer'), 'forms.composition.amount.from: '],
      [(f) => (f.forms.parking.secretKey = 'abc'), 'forms.parking: '],
      [
        (f) => (f.forms.parking.answers.code = '65a1b2c3d4e5f60718293a09'),
        'forms.parking.answers.code: code is a built-in name',
      ],
      [
        (f) => (f.forms.parking.answers.plate = '65a1b2c3d4e5f60718293a01'),
        'forms.parking.answers.plate: is the same field as offence',
      ],
      [
        (f) => (f.forms.composition.formId = f.forms.parking.formId),
        'forms.composition.formId: is also the form id of parking',
      ],
      [
        (f) => delete f.forms.parking.returnPage,
        'forms.parking.returnPage: is required: the https URL of the agency’s page',
      ],
      [
        (f) => (f.forms.parking.returnPage = 'http://agency.example/fines'),
        'forms.parking.returnPage: must be an absolute https URL',
      ],
      [
        (f) => (f.forms.parking.returnPage = '/fines/parking'),
        'forms.parking.returnPage: must be an absolute https URL',
      ],
      [
        (f) => (f.forms.composition.payer.identifier = { answer: 'plate', unverified: true }),
        'forms.composition.payer.identifier.answer: names no answer in "answers": plate',
      ],
      [
        (f) => (f.forms.parking.letter.language.options.Malay = 'ms'),
        'forms.parking.letter.language.options.Malay: ',
      ],
    ];
    for (const [change, message] of cases) {
      const data = file();
      change(data);
      const error = errorOf(data);
      assert.ok(error.startsWith(message), `${message} … but got: ${error}`);
    }
  });

  it('takes a return page on this machine over plain http, for development only', () => {
    for (const page of ['http://localhost:5173/fines', 'http://127.0.0.1:8080/fines']) {
      const data = file();
      data.forms.parking.returnPage = page;
      assert.equal(FineRules.from(data, env).get('parking')?.returnPage, page);
    }
  });

  it('takes a typed payer identifier only when the rule says it is unverified', () => {
    for (const identifier of ['uen', { answer: 'uen' }, { answer: 'uen', unverified: false }]) {
      const data = file();
      data.forms['late-registration'].payer.identifier = identifier;
      const error = errorOf(data);
      assert.ok(
        error.startsWith(
          'forms.late-registration.payer.identifier: is "singpass" (the NRIC/FIN Singpass verified), or {"answer": "<answer name>", "unverified": true}',
        ),
        `${JSON.stringify(identifier)}: ${error}`,
      );
    }
    assert.deepEqual(lateRegistration.payer.identifier, { answer: 'uen', unverified: true });
  });

  it('names the environment variable of a missing or malformed key, never the key', () => {
    assert.equal(
      errorOf(file(), { ...env, FORMSG_PARKING_SECRET_KEY: undefined }),
      "forms.parking.secretKeyEnv: FORMSG_PARKING_SECRET_KEY is not set; set it to the form's secret key from FormSG",
    );
    const error = errorOf(file(), { ...env, FORMSG_PARKING_SECRET_KEY: 'not-a-key' });
    assert.match(error, /FORMSG_PARKING_SECRET_KEY is not a FormSG form secret key/);
    assert.ok(!error.includes('not-a-key'));
  });

  it('says which file it cannot read or parse', () => {
    assert.throws(
      () => FineRules.fromFile('/nonexistent/rules.json', env),
      /cannot read \/nonexistent\/rules.json/,
    );
  });
});

describe('a submission to a PaySG payment', () => {
  it('a table: the amount and label by the offence code, the payer from the answers and Singpass', () => {
    const params = paymentFromSubmission(
      parking,
      submission(parking, { ...tan, offence: ' P01 ' }, { verifiedUinFin: 'S1234567D' }),
    );
    assert.deepEqual(params, {
      reference_id: 'PF-6753ac00aaaaaaaaaaaaaaa1',
      payer_name: 'Tan Ah Kow',
      payer_email: 'tan@example.com',
      payer_identifier: 'S1234567D',
      description: 'Parking fine P01: Parking without a valid parking coupon, vehicle SGX1234A',
      amount_in_cents: 7000,
      due_date: '04-JAN-2027',
      metadata: {
        formsg_form_id: '65a1b2c3d4e5f60718293a4b',
        formsg_submission_id: '6753ac00aaaaaaaaaaaaaaa1',
      },
    });
    paysgParams.parse(params);
  });

  it('a table: a code not in it, or an empty answer, makes no payment', () => {
    const singpass = { verifiedUinFin: 'S1234567D' };
    unmatched(
      () =>
        paymentFromSubmission(parking, submission(parking, { ...tan, offence: 'P99' }, singpass)),
      /the answer "offence" is not a code in the amount table/,
    );
    // A figure typed where a code belongs is not an amount: the rule did not allow one.
    unmatched(
      () =>
        paymentFromSubmission(parking, submission(parking, { ...tan, offence: '1.00' }, singpass)),
      /not a code in the amount table/,
    );
    unmatched(
      () =>
        paymentFromSubmission(
          parking,
          submission(parking, { ...tan, offence: 'constructor' }, singpass),
        ),
      /not a code/,
    );
    unmatched(
      () =>
        paymentFromSubmission(parking, submission(parking, { ...tan, offence: '   ' }, singpass)),
      /the answer "offence" \(field 65a1b2c3d4e5f60718293a01\) is empty/,
    );
  });

  it('Singpass: the verified NRIC/FIN is required, never an answer', () => {
    unmatched(
      () => paymentFromSubmission(parking, submission(parking, { ...tan, offence: 'P01' })),
      /NRIC\/FIN from Singpass, and this submission has none/,
    );
  });

  it('a fixed fee: the answers never change it; identifier and address from answers', () => {
    const params = paymentFromSubmission(
      lateRegistration,
      submission(lateRegistration, {
        name: 'Kopi Pte Ltd',
        email: 'accounts@kopi.example',
        uen: ' 201912345k ',
        address: '1 Kopi Lane,\n#01-01,  Singapore 123456',
      }),
    );
    assert.equal(params.amount_in_cents, 5000);
    assert.equal(params.description, 'Late registration fee');
    assert.equal(params.reference_id, '6753ac00aaaaaaaaaaaaaaa1');
    assert.equal(params.payer_identifier, '201912345K');
    assert.equal(params.payer_address, '1 Kopi Lane, #01-01, Singapore 123456');
    assert.equal(params.due_date, undefined);
    paysgParams.parse(params);
  });

  it('a typed amount, where the rule allows one: exact cents, within its bounds only', () => {
    const pay = (offered: string) =>
      paymentFromSubmission(composition, submission(composition, { ...tan, offered }));
    assert.equal(pay('50').amount_in_cents, 5000);
    assert.equal(pay('123.4').amount_in_cents, 12340);
    assert.equal(pay('1000.00').amount_in_cents, 100000);
    unmatched(() => pay('49.99'), /outside the amounts this form allows \(5000 to 100000 cents\)/);
    unmatched(() => pay('1000.01'), /outside the amounts/);
    for (const typed of ['12.505', '1e3', '-50', '$50', '50,00', '1,000', '0x40', 'fifty', '50.'])
      unmatched(() => pay(typed), /is not an amount in dollars/);
  });

  it('reads dollars to cents exactly, without floating point', () => {
    assert.equal(centsFromText('0.29'), 29);
    assert.equal(centsFromText('1.1'), 110);
    assert.equal(centsFromText('999999999.99'), 99999999999);
    assert.equal(centsFromText('4.35'), 435);
    assert.equal(centsFromText(' 4'), undefined);
  });

  it('refuses a payer e-mail PaySG would refuse, and a reference over 255 characters', () => {
    unmatched(
      () =>
        paymentFromSubmission(
          composition,
          submission(composition, { ...tan, email: 'tan@localhost', offered: '60' }),
        ),
      /the answer "email" is not an e-mail address/,
    );
    const data = file();
    data.forms.composition.reference = `{name}-${'x'.repeat(240)}`;
    const long = FineRules.from(data, env).get('composition')!;
    unmatched(
      () =>
        paymentFromSubmission(
          long,
          submission(long, { ...tan, name: 'Tan'.repeat(10), offered: '60' }),
        ),
      /the reference is longer than 255 characters/,
    );
  });

  it('cuts a description to PaySG’s 500 characters, on a whole character', () => {
    const data = file();
    data.forms.parking.description = `{vehicle} ${'罚'.repeat(480)}`;
    const rule = FineRules.from(data, env).get('parking')!;
    const params = paymentFromSubmission(
      rule,
      submission(
        rule,
        { ...tan, vehicle: '車'.repeat(40), offence: 'P01' },
        { verifiedUinFin: 'S1234567D' },
      ),
    );
    assert.equal([...params.description].length, 500);
    assert.ok(params.description.endsWith('…'));
    paysgParams.parse(params);
  });

  it('refuses another form’s submission', () => {
    assert.throws(
      () => paymentFromSubmission(composition, submission(parking, { ...tan, offence: 'P01' })),
      (err: unknown) => err instanceof FormsgError && err.code === 'formsg_unknown_form',
    );
  });

  it('dates the due date from the Singapore day of submission', () => {
    // 17:00 UTC on 31 December is 1 January in Singapore.
    assert.equal(dueDateAfter('2026-12-31T17:00:00.000Z', 28), '29-JAN-2027');
    assert.equal(dueDateAfter('2026-12-31T15:59:59.000Z', 28), '28-JAN-2027');
    assert.equal(dueDateAfter('2028-02-01T00:00:00.000Z', 28), '29-FEB-2028');
  });

  it('the letter: in the language the payer chose, the offence in it, the link PaySG made', () => {
    const sub = submission(
      parking,
      { ...tan, offence: 'P01', language: 'தமிழ்' },
      { verifiedUinFin: 'S1234567D' },
    );
    const letter = letterFromSubmission(parking, sub, 'https://pay.gov.sg/payments/abc');
    assert.deepEqual(letter, {
      lang: 'ta',
      agencyName: 'நகர வாகன நிறுத்த ஆணையம்',
      payerName: 'Tan Ah Kow',
      referenceId: 'PF-6753ac00aaaaaaaaaaaaaaa1',
      offence: 'செல்லுபடியான வாகன நிறுத்தக் கூப்பன் இல்லாமல் நிறுத்தியது',
      details: 'Parking fine P01: Parking without a valid parking coupon, vehicle SGX1234A',
      amountInCents: 7000,
      currency: 'SGD',
      dueDate: '04-JAN-2027',
      issuedOn: '2026-12-07',
      paymentUrl: 'https://pay.gov.sg/payments/abc',
    });
    const english = letterFromSubmission(
      parking,
      submission(
        parking,
        { ...tan, offence: 'P02', language: 'Klingon' },
        { verifiedUinFin: 'S1234567D' },
      ),
      'https://pay.gov.sg/payments/abd',
    );
    assert.equal(english.lang, 'en');
    assert.equal(english.offence, 'Parking in a loading bay');
    const chinese = letterFromSubmission(
      parking,
      submission(
        parking,
        { ...tan, offence: 'P02', language: '中文' },
        { verifiedUinFin: 'S1234567D' },
      ),
      'https://pay.gov.sg/payments/abe',
    );
    // A label with no Chinese text falls back to English.
    assert.equal(chinese.lang, 'zh');
    assert.equal(chinese.offence, 'Parking in a loading bay');
  });
});
