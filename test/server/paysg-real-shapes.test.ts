/**
 * PaySG as its real clients see it. Each shape below names the source it comes from; where a value
 * had to be chosen (a number for a field a source types `string | number`), it is derived from the
 * real sample next to it, and says so.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createSimulator,
  SIMULATOR_API_KEY,
  SIMULATOR_PAYMENT_SERVICE_ID,
} from '../../demo/simulator/simulator.js';
import { PaysgClient } from '../../server/paysg/client.js';
import { isEmailAddress } from '../../server/paysg/email-address.js';
import { PaysgInvalidRequestError, PaysgInvalidResponseError } from '../../server/paysg/errors.js';
import { findPayment } from '../../server/paysg/find-payment.js';
import {
  createPaymentParamsSchema,
  paymentPageSchema,
  paymentSchema,
} from '../../server/paysg/schemas.js';
import { createHarness, rewritePayments } from '../helpers/bff-harness.js';
import { FORMSG_STAGING_CREATE_RESPONSE } from '../helpers/paysg-samples.js';

const SIM_URL = 'https://pay.simulator.example';
const params = {
  reference_id: 'INV-001',
  payer_name: 'Tan Ah Kow',
  description: 'Licence renewal',
  amount_in_cents: 12000,
  return_url: 'https://agency.example/paysg/return/abc',
};

function recordingClient(
  reply: (body: Record<string, unknown>) => Response = () =>
    new Response(JSON.stringify(FORMSG_STAGING_CREATE_RESPONSE)),
) {
  const sent: Record<string, unknown>[] = [];
  const client = new PaysgClient({
    apiKey: SIMULATOR_API_KEY,
    paymentServiceId: SIMULATOR_PAYMENT_SERVICE_ID,
    baseUrl: SIM_URL,
    fetch: async (_input, init) => {
      const body = JSON.parse(String(init?.body)) as Record<string, unknown>;
      sent.push(body);
      return reply(body);
    },
    sleep: async () => {},
    maxRetries: 0,
  });
  return { client, sent };
}

/** FormSG's real staging answer's own `created_at`, 2023-10-17T18:33:52.921+08:00, as epoch time. */
const FORMSG_CREATED_MS = Date.parse(String(FORMSG_STAGING_CREATE_RESPONSE.created_at));
const FORMSG_CREATED_S = Math.floor(FORMSG_CREATED_MS / 1000);

/** The fields of the payment object the server never reads (schemas.ts lists them). */
const UNREAD_FIELDS = [
  'payer_name',
  'payer_address',
  'payer_identifier',
  'payer_email',
  'due_date',
  'updated_at',
  'payment_sent_timestamp',
  'payment_cancelled_timestamp',
  'payment_fully_refunded_timestamp',
  'paid_out_timestamp',
  'stripe_payment_intent_id',
  'payout_id',
  'creator_id',
] as const;

describe('the payment object, read as a tolerant reader', () => {
  it('reads FormSG’s staging answer with due_date and every *_timestamp as a number, as FormSG’s types allow', () => {
    // FormSG PR 6896, src/app/modules/payments/paysg/paysg.service.ts (18d97577, 396a5fcc):
    // `PaySgCreatePaymentResponseSuccess` declares due_date, paid_out_timestamp,
    // payment_sent_timestamp, payment_succeeded_timestamp, payment_cancelled_timestamp and
    // payment_fully_refunded_timestamp as `string | number`. The real answer beside it has them all
    // null; the numbers here are that answer's own created_at, in milliseconds and in seconds.
    const answer = {
      ...FORMSG_STAGING_CREATE_RESPONSE,
      due_date: FORMSG_CREATED_S,
      paid_out_timestamp: FORMSG_CREATED_MS,
      payment_sent_timestamp: FORMSG_CREATED_MS,
      payment_succeeded_timestamp: FORMSG_CREATED_MS,
      payment_cancelled_timestamp: FORMSG_CREATED_S,
      payment_fully_refunded_timestamp: FORMSG_CREATED_S,
    };
    const payment = paymentSchema.parse(answer);
    assert.equal(payment.id, 'WlM3qMUUHQ2gipngenEmE');
    // Read by the BFF: written as ISO-8601, the same instant whichever unit came.
    assert.equal(payment.payment_succeeded_timestamp, '2023-10-17T10:33:52.921Z');
    assert.equal(
      paymentSchema.parse({ ...answer, payment_succeeded_timestamp: FORMSG_CREATED_S })
        .payment_succeeded_timestamp,
      '2023-10-17T10:33:52.000Z',
    );
    // Not read: passed through exactly as PaySG sent them.
    assert.equal(payment.due_date, FORMSG_CREATED_S);
    assert.equal(payment.paid_out_timestamp, FORMSG_CREATED_MS);
    assert.equal(payment.payment_cancelled_timestamp, FORMSG_CREATED_S);
    // A string stays as sent (the guide's samples and FormSG's answer write +08:00).
    assert.equal(
      paymentSchema.parse(FORMSG_STAGING_CREATE_RESPONSE).created_at,
      '2023-10-17T18:33:52.921+08:00',
    );
  });

  it('never fails on a field it does not read, whatever that field holds', () => {
    // FormSG's types say `return_url: string` and `payout_id: string`, yet the real answer beside
    // them holds null in both (paysg.service.ts, 18d97577): a declared string can come as null.
    // The other values are not from any source: they stand for "anything", because a field the BFF
    // never reads must never be why a call fails.
    for (const field of UNREAD_FIELDS) {
      for (const value of [null, 1697538832921, { nested: true }, ['a'], false, 'text']) {
        const parsed = paymentSchema.safeParse({
          ...FORMSG_STAGING_CREATE_RESPONSE,
          [field]: value,
        });
        assert.ok(parsed.success, `${field}: ${JSON.stringify(value)}`);
        assert.deepEqual(parsed.data[field], value);
      }
    }
  });

  it('still reads the fields it acts on strictly', () => {
    const refused: Record<string, unknown>[] = [
      { id: '' },
      { id: 42 },
      { payment_service_id: null },
      { reference_id: 1 },
      { amount_in_cents: '1234' },
      { payment_status: null },
      { latest_status: 7 },
      { refund_status: null },
      { payment_url: 5 },
      { metadata: 'none' },
      { payment_succeeded_timestamp: true },
      { payment_succeeded_timestamp: 0 },
      { payment_succeeded_timestamp: -1 },
      { payment_succeeded_timestamp: 1e20 },
      { created_at: null },
      { created_at: { at: 1 } },
      { payment_qr_code_url: null },
    ];
    for (const edit of refused) {
      assert.equal(
        paymentSchema.safeParse({ ...FORMSG_STAGING_CREATE_RESPONSE, ...edit }).success,
        false,
        JSON.stringify(edit),
      );
    }
    const { payment_status: _omitted, ...withoutStatus } = FORMSG_STAGING_CREATE_RESPONSE;
    assert.equal(paymentSchema.safeParse(withoutStatus).success, false);
  });

  it('a list page whose payments carry numeric times is read whole, and a search still stops at its `since`', async () => {
    // created_at as a number is not in any source (FormSG types it `string`); it is read by the
    // same rule as the timestamps FormSG declares `string | number`, so the search of PaySG's
    // list for a lost create answer can stop where it should.
    const newer = {
      ...FORMSG_STAGING_CREATE_RESPONSE,
      id: 'pay_newer',
      reference_id: 'INV-NEW',
      created_at: FORMSG_CREATED_S + 3600,
      payment_succeeded_timestamp: null,
    };
    const older = {
      ...FORMSG_STAGING_CREATE_RESPONSE,
      id: 'pay_older',
      reference_id: 'INV-OLD',
      created_at: FORMSG_CREATED_MS - 3_600_000,
    };
    const page = {
      data: [newer, older],
      page_info: { has_next_page: true, has_previous_page: false, end_cursor: 'next' },
    };
    assert.deepEqual(paymentPageSchema.parse(page).unreadable, []);

    let pages = 0;
    const client = new PaysgClient({
      apiKey: SIMULATOR_API_KEY,
      paymentServiceId: SIMULATOR_PAYMENT_SERVICE_ID,
      baseUrl: SIM_URL,
      fetch: async () => {
        pages++;
        return new Response(JSON.stringify(page));
      },
      sleep: async () => {},
    });
    const found = await findPayment(client, (p) => p.reference_id === 'INV-NEW', {
      since: FORMSG_CREATED_MS,
      maxPayments: 50,
    });
    assert.equal(found?.id, 'pay_newer');
    assert.equal(found?.created_at, '2023-10-17T11:33:52.000Z');
    // Nothing matches: the older payment's numeric created_at ends the search on the first page.
    assert.equal(
      await findPayment(client, () => false, { since: FORMSG_CREATED_MS, maxPayments: 50 }),
      undefined,
    );
    assert.equal(pages, 2);
  });

  it('verifies a paid payment whose unread fields are numbers or null, and records when it was paid', async () => {
    // As FormSG's types allow (paysg.service.ts): due_date and the timestamps as numbers; the
    // payer fields null, as FormSG's real answer has null where its types say string.
    const h = createHarness({
      wrapFetch: rewritePayments('GET', (p) => {
        const paidAt = Date.parse(String(p.payment_succeeded_timestamp ?? p.updated_at));
        Object.assign(p, {
          due_date: FORMSG_CREATED_S,
          payment_succeeded_timestamp: p.payment_succeeded_timestamp ? paidAt : null,
          payment_sent_timestamp: FORMSG_CREATED_MS,
          updated_at: paidAt,
          payer_address: null,
          payer_identifier: null,
          payer_email: null,
          creator_id: null,
        });
      }),
    });
    const { json } = await h.createCheckout();
    const paymentId = h.paymentIdOf(json.paymentUrl);
    await h.payOnSimulator(paymentId);
    const paidAt = h.simulator.ledger.find(paymentId)!.payment_succeeded_timestamp!;
    const view = (await (await h.get(`/checkouts/${json.checkoutId}`)).json()) as {
      status: string;
      paidAt?: string;
    };
    assert.equal(view.status, 'paid', JSON.stringify(view));
    assert.equal(view.paidAt, new Date(Date.parse(paidAt)).toISOString());
  });
});

describe('what the client writes', () => {
  it('sends line_items, as the newer create-a-payment pages document them', async () => {
    // paysg-api.md §3.1, [CREATE] newer copies: `line_items` is an array of objects, each with a
    // `description` of at most 255 characters; the example is cut off after that key, so the
    // per-item amount field is unknown. `amount_in_cents` here is the shape the BFF's own order
    // tokens use for a line item, not a documented PaySG field: it must go out as given.
    const lineItems = [
      { description: 'Permit fee' },
      { description: 'Late fee', amount_in_cents: 2000 },
    ];
    const { client, sent } = recordingClient();
    await client.payments.create({ ...params, line_items: lineItems }, { idempotencyKey: 'li-1' });
    assert.deepEqual(sent[0]!.line_items, lineItems);

    const schema = createPaymentParamsSchema({ allowLoopbackHttp: false });
    assert.ok(
      schema.safeParse({ ...params, line_items: [] }).success,
      'the guide sets no count, so an empty list is not refused',
    );
    assert.ok(
      schema.safeParse({ ...params, line_items: [{ description: 'd'.repeat(255) }] }).success,
    );
    for (const bad of [
      [{ description: 'd'.repeat(256) }],
      [{}],
      ['Permit fee'],
      [null],
      { description: 'x' },
    ]) {
      await assert.rejects(
        client.payments.create(
          { ...params, line_items: bad as never },
          { idempotencyKey: 'li-bad' },
        ),
        PaysgInvalidRequestError,
        JSON.stringify(bad).slice(0, 60),
      );
    }
    assert.equal(sent.length, 1);

    // The simulator takes them as PaySG would, and keeps them on the payment.
    const sim = createSimulator({ publicUrl: SIM_URL });
    const simClient = new PaysgClient({
      apiKey: SIMULATOR_API_KEY,
      paymentServiceId: SIMULATOR_PAYMENT_SERVICE_ID,
      baseUrl: SIM_URL,
      fetch: sim.fetch,
    });
    const created = await simClient.payments.create(
      { ...params, line_items: lineItems },
      { idempotencyKey: 'li-sim' },
    );
    assert.deepEqual(sim.ledger.find(created.id)!.line_items, lineItems);
  });

  it('sends text exactly as typed: no answer is trimmed', async () => {
    // FormSG keeps an answer's spaces as the respondent typed them (its fines flow feeds answers
    // straight into Plumber's PaySG action, paysg-api.md §17.7): the client adds no trimming of
    // its own. Only the name's and address's Unicode punctuation is rewritten (§16.2).
    const typed = {
      ...params,
      reference_id: ' INV-001 ',
      payer_name: '  Tan Ah Kow ',
      payer_address: ' Blk 123, Yishun Avenue 2 \n',
      payer_identifier: ' S1234567A',
      description: 'Licence renewal\t',
      metadata: { ' note ': ' kept ' },
    };
    const { client, sent } = recordingClient();
    await client.payments.create(typed, { idempotencyKey: 'spaces' });
    const { return_url: _r, ...expected } = typed;
    for (const [key, value] of Object.entries(expected))
      assert.deepEqual(sent[0]![key], value, key);
  });

  it('takes the e-mail addresses Plumber takes: email-validator’s rules, not zod’s', async () => {
    // opengovsg/plumber `apps/paysg/actions/create-payment/schema.ts` (b39bea4d) checks payer_email
    // with `email-validator` 2.0.4 before sending it to PaySG; these pass it, and zod's z.email()
    // refused them.
    const { client, sent } = recordingClient();
    for (const email of [
      'a#b@example.com',
      'x{y}@example.com',
      'a!b@example.com',
      'a/b=c?d@example.com.sg',
      'tan`ah@example.com',
    ]) {
      await client.payments.create(
        { ...params, payer_email: email },
        { idempotencyKey: `e-${email}` },
      );
      assert.equal(sent.at(-1)!.payer_email, email);
    }
    // email-validator's limits: 254 characters in all, 64 in the local part, 63 in a domain label.
    const label63 = 'd'.repeat(63);
    const within = [
      `${'l'.repeat(64)}@example.com`,
      `a@${label63}.com`,
      `a@${[label63, label63, label63, 'd'.repeat(57)].join('.')}.sg`,
    ];
    const beyond = [
      `${'l'.repeat(65)}@example.com`,
      `a@${label63}d.com`,
      `a@${[label63, label63, label63, 'd'.repeat(58)].join('.')}.sg`,
    ];
    assert.deepEqual(
      within.map((e) => e.length),
      [76, 69, 254],
    );
    assert.deepEqual(
      beyond.map((e) => e.length),
      [77, 70, 255],
    );
    for (const email of within) {
      await client.payments.create(
        { ...params, payer_email: email },
        { idempotencyKey: `w-${email.length}` },
      );
      assert.equal(sent.at(-1)!.payer_email, email);
    }
    const count = sent.length;
    for (const email of [
      ...beyond,
      'a b@example.com',
      'ab@example',
      '.a@example.com',
      'a..b@example.com',
      'ángel@example.com',
      '"q"@example.com',
      'a@[127.0.0.1]',
    ]) {
      await assert.rejects(
        client.payments.create({ ...params, payer_email: email }, { idempotencyKey: 'e-bad' }),
        PaysgInvalidRequestError,
        email,
      );
    }
    assert.equal(sent.length, count);
  });

  it('agrees with email-validator 2.0.4’s own test list', () => {
    // email-validator 2.0.4 `test.js` (npm tarball), its three lists verbatim. Its "valid but not
    // supported" addresses are refused by the package, and so here.
    const validSupported = [
      'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ@letters-in-local.org',
      '01234567890@numbers-in-local.net',
      "&'*+-./=?^_{}~@other-valid-characters-in-local.net",
      'mixed-1234-in-{+^}-local@sld.net',
      'a@single-character-in-local.org',
      'one-character-third-level@a.example.com',
      'single-character-in-sld@x.org',
      'local@dash-in-sld.com',
      'letters-in-sld@123.com',
      'one-letter-sld@x.org',
      'test@test--1.com',
      'uncommon-tld@sld.museum',
      'uncommon-tld@sld.travel',
      'uncommon-tld@sld.mobi',
      'country-code-tld@sld.uk',
      'country-code-tld@sld.rw',
      'local@sld.newTLD',
      'the-total-length@of-an-entire-address.cannot-be-longer-than-two-hundred-and-fifty-four-characters.and-this-address-is-254-characters-exactly.so-it-should-be-valid.and-im-going-to-add-some-more-words-here.to-increase-the-lenght-blah-blah-blah-blah-bla.org',
      'the-character-limit@for-each-part.of-the-domain.is-sixty-three-characters.this-is-exactly-sixty-three-characters-so-it-is-valid-blah-blah.com',
      'local@sub.domains.com',
      'backticks`are`legit@test.com',
      'digit-only-domain@123.com',
      'digit-only-domain-with-subdomain@sub.123.com',
    ];
    const validUnsupported = [
      '"quoted"@sld.com',
      '"\\e\\s\\c\\a\\p\\e\\d"@sld.com',
      '"quoted-at-sign@sld.org"@sld.com',
      '"escaped\\"quote"@sld.com',
      '"back\\slash"@sld.com',
      'punycode-numbers-in-tld@sld.xn--3e0b707e',
      'bracketed-IP-instead-of-domain@[127.0.0.1]',
    ];
    const invalidSupported = [
      '@missing-local.org',
      '! #$%`|@invalid-characters-in-local.org',
      '(),:;`|@more-invalid-characters-in-local.org',
      '<>@[]\\`|@even-more-invalid-characters-in-local.org',
      '.local-starts-with-dot@sld.com',
      'local-ends-with-dot.@sld.com',
      'two..consecutive-dots@sld.com',
      'partially."quoted"@sld.com',
      'the-local-part-is-invalid-if-it-is-longer-than-sixty-four-characters@sld.net',
      'missing-sld@.com',
      'sld-starts-with-dashsh@-sld.com',
      'sld-ends-with-dash@sld-.com',
      'invalid-characters-in-sld@! "#$%(),/;<>_[]`|.org',
      'missing-dot-before-tld@com',
      'missing-tld@sld.',
      'invalid',
      'the-total-length@of-an-entire-address.cannot-be-longer-than-two-hundred-and-fifty-four-characters.and-this-address-is-255-characters-exactly.so-it-should-be-invalid.and-im-going-to-add-some-more-words-here.to-increase-the-lenght-blah-blah-blah-blah-bl.org',
      'the-character-limit@for-each-part.of-the-domain.is-sixty-three-characters.this-is-exactly-sixty-four-characters-so-it-is-invalid-blah-blah.com',
      'missing-at-sign.net',
      'unbracketed-IP@127.0.0.1',
      'invalid-ip@127.0.0.1.26',
      'another-invalid-ip@127.0.0.256',
      'IP-and-port@127.0.0.1:25',
      'trailing-dots@test.de.',
      'dot-on-dot-in-domainname@te..st.de',
      'dot-first-in-domain@.test.de',
      'mg@ns.i',
    ];
    for (const email of validSupported) assert.equal(isEmailAddress(email), true, email);
    for (const email of [...validUnsupported, ...invalidSupported, ''])
      assert.equal(isEmailAddress(email), false, email);
  });

  it('refuses a 2xx answer whose read fields are wrong, as before', async () => {
    const { client } = recordingClient(
      () =>
        new Response(
          JSON.stringify({ ...FORMSG_STAGING_CREATE_RESPONSE, amount_in_cents: '1234' }),
        ),
    );
    await assert.rejects(
      client.payments.create(params, { idempotencyKey: 'bad-answer' }),
      PaysgInvalidResponseError,
    );
  });
});
