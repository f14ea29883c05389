import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  createSimulator,
  SIMULATOR_API_KEY,
  SIMULATOR_PAYMENT_SERVICE_ID,
} from '../../demo/simulator/simulator.js';
import { parseEvent } from '../../server/paysg/events.js';
import {
  errorEnvelopeSchema,
  paymentPageSchema,
  paymentSchema,
} from '../../server/paysg/schemas.js';
import {
  ERROR_SAMPLE,
  EVENT_CAMEL_CASE_SAMPLE,
  EVENT_DATA_OBJECT_SAMPLE,
  EVENT_EMPTY_STRINGS_SAMPLE,
  EVENT_OBJECT_SAMPLE,
  EVENT_SAMPLE,
  FIXTURE_SHA256,
  fixtureText,
  FORMSG_STAGING_CREATE_RESPONSE,
  jsObjectLiteralToJson,
  PAGE_SAMPLE,
  PLUMBER_CREATE_SAMPLE,
  REFUND_SAMPLE,
  RETRIEVE_SAMPLE,
  type FixtureName,
} from '../helpers/paysg-samples.js';

describe('the verbatim fixtures', () => {
  it('are byte for byte what their source notes record', () => {
    for (const [name, sha256] of Object.entries(FIXTURE_SHA256)) {
      assert.equal(
        createHash('sha256')
          .update(fixtureText(name as FixtureName))
          .digest('hex'),
        sha256,
        name,
      );
    }
  });

  it('hold the published syntax faults, which the helper repairs and nothing else', () => {
    const refund = fixtureText('guide-refund-response.json.txt');
    assert.throws(() => JSON.parse(refund));
    assert.match(refund, /"updated_at": "2023-08-16T11:44:19\.197\+08:00"\n {4}"description"/);
    const page = fixtureText('guide-pagination-response.json.txt');
    assert.throws(() => JSON.parse(page));
    assert.match(page, /"data": \[ \.\.\. \]\n {2}"page_info"/);
    assert.match(page, /",\n {2}}\n}$/);
    // Every value of the refund sample is the published one: each "key": value line is in the text.
    for (const [key, value] of Object.entries(REFUND_SAMPLE)) {
      assert.ok(refund.includes(`"${key}": ${JSON.stringify(value)}`), key);
    }
    for (const [key, value] of Object.entries(PAGE_SAMPLE.page_info)) {
      assert.ok(page.includes(`"${key}": ${JSON.stringify(value)}`), key);
    }
  });

  it('convert Plumber’s and FormSG’s object literals by syntax only', () => {
    assert.deepEqual(
      JSON.parse(
        jsObjectLiteralToJson(`{\n  a: null as null,\n  'b c': 'x:y',\n  // note\n  d: 1130,\n}`),
      ),
      { a: null, 'b c': 'x:y', d: 1130 },
    );
    assert.throws(() => jsObjectLiteralToJson('{ a: someVariable }'));
    // Every key and value the FormSG comment shows, and no other.
    const formsg = fixtureText('formsg-staging-create-response.js.txt');
    for (const [key, value] of Object.entries(FORMSG_STAGING_CREATE_RESPONSE)) {
      const literal =
        value === null ? 'null' : typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
      assert.ok(formsg.includes(`    ${key}: ${literal}`), key);
    }
    assert.equal(
      Object.keys(FORMSG_STAGING_CREATE_RESPONSE).length,
      formsg.match(/^ {4}\w+: /gm)?.length,
    );
    // Likewise for Plumber's copy (its nulls are written `null as null`).
    const plumber = fixtureText('plumber-create-sample.ts.txt');
    for (const [key, value] of Object.entries(PLUMBER_CREATE_SAMPLE)) {
      const literal =
        value === null
          ? 'null as null'
          : typeof value === 'string'
            ? `'${value}'`
            : typeof value === 'number'
              ? String(value)
              : '{';
      assert.ok(plumber.includes(`\n  ${key}: ${literal}`), key);
    }
    assert.equal(Object.keys(PLUMBER_CREATE_SAMPLE).length, plumber.match(/^ {2}\w+: /gm)?.length);
  });

  it('the constructed event envelope uses only what the guide’s cut-off copies show', () => {
    const prefix = fixtureText('guide-webhook-event.INCOMPLETE-prefix.txt');
    // The held data.object sits in the visible part of the event, byte for byte.
    assert.ok(
      prefix.includes(`"object": ${fixtureText('guide-webhook-event-data-object.json.txt')}`),
    );
    for (const key of ['id', 'type', 'object'] as const) {
      assert.ok(prefix.includes(`  "${key}": ${JSON.stringify(EVENT_SAMPLE[key])},\n`), key);
    }
    assert.ok(prefix.endsWith('"created_at": "2023-10-02T16:17:08.210+08:0'));
    assert.ok(String(EVENT_SAMPLE.created_at).startsWith('2023-10-02T16:17:08.210+08:0'));
    assert.equal(EVENT_SAMPLE.payment_service_id, undefined);
  });
});

describe('PaySG’s documented samples parse with our schemas', () => {
  it('the create response as copied into Plumber, keeping fields we do not model', () => {
    const payment = paymentSchema.parse(PLUMBER_CREATE_SAMPLE);
    assert.equal(payment.amount_in_cents, 1130);
    assert.equal(payment.return_url, 'https://open.gov.sg');
    assert.deepEqual(payment.metadata, { 'product code': '123' });
    assert.equal(payment.payment_qr_code_url, 'https://test3.local');
    assert.equal(payment.payment_qr_code_url, PLUMBER_CREATE_SAMPLE.payment_qr_code_url);
    assert.equal(
      paymentSchema.parse({ ...PLUMBER_CREATE_SAMPLE, brand_new_field: 1 }).brand_new_field,
      1,
    );
  });

  it('the real staging create response kept in FormSG', () => {
    const payment = paymentSchema.parse(FORMSG_STAGING_CREATE_RESPONSE);
    assert.equal(payment.id, 'WlM3qMUUHQ2gipngenEmE');
    assert.equal(payment.amount_in_cents, 1234);
    assert.equal(payment.return_url, null);
    assert.equal(payment.payment_qr_code_url, undefined);
    assert.equal(payment.stripe_payment_intent_id, 'pi_3O2AayHn4I0OsBks1K3HfXVc');
    assert.equal(payment.payment_url, 'https://staging.pay.gov.sg/payments/WlM3qMUUHQ2gipngenEmE');
  });

  it('the retrieve and refund responses', () => {
    const retrieved = paymentSchema.parse(RETRIEVE_SAMPLE);
    assert.equal(retrieved.amount_in_cents, 1100);
    assert.equal(retrieved.payment_status, 'unpaid');
    assert.equal(retrieved.payment_url, 'http://pay.gov.sg/payments/ZbzTvadjmP0wd7RRxhWtj');
    const refunded = paymentSchema.parse(REFUND_SAMPLE);
    assert.equal(refunded.refund_status, 'fully_refunded');
    assert.equal(refunded.latest_status, 'cancelled');
    assert.equal(refunded.due_date, '31-DEC-2023');
    assert.equal(refunded.updated_at, '2023-08-16T11:44:19.197+08:00');
  });

  it('the error envelope (not PaySG’s text) and the pagination envelope', () => {
    assert.equal(errorEnvelopeSchema.parse(ERROR_SAMPLE).error.code, 'parameter_invalid');
    const page = paymentPageSchema.parse(PAGE_SAMPLE);
    // The guide elides the payments (`[ ... ]`); repaired to an empty array.
    assert.equal(page.data.length, 0);
    assert.equal(page.page_info.has_next_page, true);
    assert.equal(page.page_info.has_previous_page, true);
    assert.equal(
      page.page_info.start_cursor,
      'WyIyMDIzLTA1LTEyVODowMCIsIjaaB0NCDE0OjI3Z25QRXVyYm9YTldOjEyLjczNCswaTzk5QyJd',
    );
    // Our own combination: the published envelope carrying the published payment objects.
    const filled = paymentPageSchema.parse({
      ...PAGE_SAMPLE,
      data: [RETRIEVE_SAMPLE, REFUND_SAMPLE, FORMSG_STAGING_CREATE_RESPONSE],
    });
    assert.equal(filled.data.length, 3);
  });

  it('the event’s payment, verbatim, as a payment object', () => {
    const payment = paymentSchema.parse(EVENT_DATA_OBJECT_SAMPLE);
    assert.equal(payment.amount_in_cents, 12.34);
    assert.equal(payment.stripe_payment_intent_id, undefined);
    assert.equal(payment.stripe_payment_intentId, 'pi_3NUnWOLRKRlnGcim1Nzy18Z0');
  });

  it('the payment.succeeded event in its documented shapes (envelopes constructed)', () => {
    const withIso = parseEvent(EVENT_SAMPLE);
    assert.equal(withIso.id, 'evt_752ced1f-00ce-4905-8c46-367371dd78e6');
    assert.equal(withIso.type, 'payment.succeeded');
    assert.equal(withIso.createdAt, Date.parse('2023-10-02T16:17:08.210+08:00'));
    assert.equal(withIso.payment?.id, 'wLAnFWQLYyYNKBimc2ZkA');
    assert.equal(withIso.payment?.payment_status, 'paid');
    assert.equal(withIso.payment?.amount_in_cents, 12.34);
    assert.equal(withIso.payment?.payment_url, 'http://pay.gov.sg/payments/payment01');
    // The doc's misspelt key is read as the real one.
    assert.equal(withIso.payment?.stripe_payment_intent_id, 'pi_3NUnWOLRKRlnGcim1Nzy18Z0');

    const withMillis = parseEvent(EVENT_OBJECT_SAMPLE);
    assert.equal(withMillis.createdAt, 1696234628210);
    // Either field in either form, seconds or milliseconds: never a reason to refuse the event.
    const envelope = { id: 'evt_x', type: 'payment.succeeded' };
    for (const [fields, expected] of [
      [{ created: 1696234628 }, 1696234628000],
      [{ created: '1696234628210' }, 1696234628210],
      [{ created: '2023-10-02T16:17:08.210+08:00' }, 1696234628210],
      [{ created_at: 1696234628210 }, 1696234628210],
      [{ created_at: 1696234628 }, 1696234628000],
      [{ created: null, created_at: 'not a time' }, undefined],
    ] as [Record<string, unknown>, number | undefined][]) {
      assert.equal(
        parseEvent({ ...envelope, ...fields }).createdAt,
        expected,
        JSON.stringify(fields),
      );
    }
    assert.equal(
      withMillis.paymentServiceId,
      'payment_service_fd724c82-786b-43ba-b7d7-1eecab0388e1',
    );

    const camel = parseEvent(EVENT_CAMEL_CASE_SAMPLE);
    assert.equal(camel.payment?.reference_id, 'INV001');
    assert.equal(camel.payment?.amount_in_cents, 12.34);
    assert.equal(camel.payment?.payment_url, 'http://pay.gov.sg/payments/payment01');
    assert.equal(
      camel.payment?.payment_service_id,
      'payment_service_fd724c82-786b-43ba-b7d7-1eecab0388e1',
    );

    // Empty strings are read as absent; without a payment_url the object is not a full payment,
    // and the event still names it (the webhook route falls back to objectId).
    const empty = parseEvent(EVENT_EMPTY_STRINGS_SAMPLE);
    assert.equal(empty.type, 'payment.succeeded');
    assert.equal(empty.objectId, 'wLAnFWQLYyYNKBimc2ZkA');
  });

  it('an event of an unknown type still parses, without a payment', () => {
    const event = parseEvent({
      id: 'evt_1',
      type: 'refund.created',
      data: { object: { id: 'r' } },
    });
    assert.equal(event.type, 'refund.created');
    assert.equal(event.payment, undefined);
  });
});

describe('the simulator answers with every field the samples have', () => {
  const PAYMENTS = `/v1/payment-services/${SIMULATOR_PAYMENT_SERVICE_ID}/payments`;
  const headers = { 'x-api-key': SIMULATOR_API_KEY, 'content-type': 'application/json' };

  /** The sample's keys the simulator's object lacks; a doc typo is compared as the key it stands for. */
  function missing(sample: Record<string, unknown>, simulated: Record<string, unknown>): string[] {
    const typos: Record<string, string> = { stripe_payment_intentId: 'stripe_payment_intent_id' };
    return Object.keys(sample).filter((key) => !((typos[key] ?? key) in simulated));
  }

  async function simulatedPayments() {
    const sim = createSimulator({ publicUrl: 'https://pay.simulator.example' });
    const createResponse = await sim.app.request(PAYMENTS, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        reference_id: 'PAYMENT_001',
        payer_name: 'Andy Lau',
        payer_address: 'Blk 123, Yishun Avenue 2, #08-88, Singapore 123456',
        payer_identifier: 'S1234567A',
        payer_email: 'abc@gmail.com',
        description: 'Payment for XXX',
        amount_in_cents: 1130,
        metadata: { 'product code': '123' },
        return_url: 'https://open.gov.sg',
      }),
    });
    assert.equal(createResponse.status, 201);
    const created = (await createResponse.json()) as Record<string, unknown>;
    const retrieved = (await (
      await sim.app.request(`${PAYMENTS}/${String(created.id)}`, { headers })
    ).json()) as Record<string, unknown>;
    const page = (await (await sim.app.request(`${PAYMENTS}?limit=1`, { headers })).json()) as {
      data: unknown[];
      page_info: Record<string, unknown>;
    };
    const paid = await sim.app.request(`/payments/${String(created.id)}/pay`, { method: 'POST' });
    assert.equal(paid.status, 303);
    const refundResponse = await sim.app.request(`${PAYMENTS}/${String(created.id)}/refund`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ refund_amount_in_cents: 1130 }),
    });
    assert.equal(refundResponse.status, 200);
    const refunded = (await refundResponse.json()) as Record<string, unknown>;
    return { created, retrieved, page, refunded };
  }

  it('create and retrieve: the key sets of the create, retrieve and staging samples', async () => {
    const { created, retrieved } = await simulatedPayments();
    for (const simulated of [created, retrieved]) {
      assert.deepEqual(
        missing(PLUMBER_CREATE_SAMPLE, simulated),
        [],
        'Plumber’s copy of the create sample',
      );
      assert.deepEqual(
        missing(FORMSG_STAGING_CREATE_RESPONSE, simulated),
        [],
        'FormSG’s staging create response',
      );
      assert.deepEqual(missing(RETRIEVE_SAMPLE, simulated), [], 'the guide’s retrieve sample');
      assert.deepEqual(
        missing(EVENT_DATA_OBJECT_SAMPLE, simulated),
        [],
        'the guide’s event data.object',
      );
    }
  });

  it('refund and list: the key sets of the refund and pagination samples', async () => {
    const { refunded, page } = await simulatedPayments();
    assert.deepEqual(missing(REFUND_SAMPLE, refunded), [], 'the guide’s refund sample');
    assert.deepEqual(missing(PAGE_SAMPLE, page), [], 'the guide’s pagination envelope');
    assert.deepEqual(missing(PAGE_SAMPLE.page_info, page.page_info), [], 'the guide’s page_info');
    assert.equal(page.data.length, 1);
  });
});
