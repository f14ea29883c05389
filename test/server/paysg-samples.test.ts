import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEvent } from '../../server/paysg/events.js';
import { errorEnvelopeSchema, paymentPageSchema, paymentSchema } from '../../server/paysg/schemas.js';
import {
  CREATE_RESPONSE_SAMPLE,
  ERROR_SAMPLE,
  EVENT_CAMEL_CASE_SAMPLE,
  EVENT_OBJECT_SAMPLE,
  EVENT_SAMPLE,
  PAGE_SAMPLE,
} from '../helpers/paysg-samples.js';

describe('PaySG’s documented samples parse with our schemas', () => {
  it('the create response, keeping fields we do not model', () => {
    const payment = paymentSchema.parse(CREATE_RESPONSE_SAMPLE);
    assert.equal(payment.amount_in_cents, 1100);
    assert.equal(payment.payment_qr_code_url, CREATE_RESPONSE_SAMPLE.payment_qr_code_url);
    assert.equal(paymentSchema.parse({ ...CREATE_RESPONSE_SAMPLE, brand_new_field: 1 }).brand_new_field, 1);
  });

  it('the error envelope and the pagination envelope', () => {
    assert.equal(errorEnvelopeSchema.parse(ERROR_SAMPLE).error.code, 'parameter_invalid');
    const page = paymentPageSchema.parse(PAGE_SAMPLE);
    assert.equal(page.data.length, 1);
    assert.equal(page.page_info.has_next_page, true);
  });

  it('the payment.succeeded event in all three documented shapes', () => {
    const withIso = parseEvent(EVENT_SAMPLE);
    assert.equal(withIso.id, 'evt_752ced1f-00ce-4905-8c46-367371dd78e6');
    assert.equal(withIso.type, 'payment.succeeded');
    assert.equal(withIso.createdAt, Date.parse('2023-10-02T16:17:08.210+08:00'));
    assert.equal(withIso.payment?.id, 'wLAnFWQLYyYNKBimc2ZkA');
    assert.equal(withIso.payment?.payment_status, 'paid');
    // The doc's misspelt key is read as the real one.
    assert.equal(withIso.payment?.stripe_payment_intent_id, 'pi_3NwXXX');

    const withMillis = parseEvent(EVENT_OBJECT_SAMPLE);
    assert.equal(withMillis.createdAt, 1696234628210);
    assert.equal(withMillis.paymentServiceId, 'payment_service_fd724c82-786b-43ba-b7d7-1eecab0388e1');

    const camel = parseEvent(EVENT_CAMEL_CASE_SAMPLE);
    assert.equal(camel.payment?.reference_id, 'INV001');
    assert.equal(camel.payment?.amount_in_cents, 1234);
    assert.equal(camel.payment?.payment_url, 'https://pay.gov.sg/payments/wLAnFWQLYyYNKBimc2ZkA');
  });

  it('an event of an unknown type still parses, without a payment', () => {
    const event = parseEvent({ id: 'evt_1', type: 'refund.created', data: { object: { id: 'r' } } });
    assert.equal(event.type, 'refund.created');
    assert.equal(event.payment, undefined);
  });
});
