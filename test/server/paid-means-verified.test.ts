/**
 * Non-negotiable 3, one field at a time: a payment whose id, payment service, amount or
 * reference differs from the one this checkout created is never `paid`, and a created payment
 * that is not this order's (amount, reference, page origin) is never handed out. Each case
 * fails on its own when its one check is removed.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createHarness, rewritePayments } from '../helpers/bff-harness.js';

describe('paid means verified: every field PaySG answers with is checked', () => {
  const onVerify: [string, (p: Record<string, unknown>) => void][] = [
    ['id', (p) => (p.id = 'pay_someone_else')],
    ['payment_service_id', (p) => (p.payment_service_id = 'payment_service_someone-else')],
    ['amount_in_cents', (p) => (p.amount_in_cents = 1)],
    ['reference_id', (p) => (p.reference_id = 'SOMEONE-ELSE')],
  ];
  for (const [field, edit] of onVerify) {
    it(`a paid payment with another ${field} stays unpaid, with an alert`, async () => {
      const h = createHarness({ wrapFetch: rewritePayments('GET', edit) });
      const { json } = await h.createCheckout({ reference: `VERIFY-${field}` });
      await h.payOnSimulator(h.paymentIdOf(json.paymentUrl));
      const view = (await (await h.get(`/checkouts/${json.checkoutId}`)).json()) as {
        status: string;
      };
      assert.equal(view.status, 'unpaid');
      const alert = h.logs.find((l) => l.event === 'payment_verification_mismatch');
      assert.equal(alert?.fields.field, field);
      assert.equal(alert?.fields.alert, true);
    });
  }

  const onCreate: [string, (p: Record<string, unknown>) => void][] = [
    ['amount', (p) => (p.amount_in_cents = 1)],
    ['reference', (p) => (p.reference_id = 'SOMEONE-ELSE')],
    ['payment_url_origin', (p) => (p.payment_url = 'https://pay.gov.sg.evil.example/payments/x')],
    ['payment_url', (p) => (p.payment_url = 'not a url')],
  ];
  for (const [problem, edit] of onCreate) {
    it(`a created payment with a wrong ${problem} is not handed out`, async () => {
      const h = createHarness({ wrapFetch: rewritePayments('POST', edit) });
      const { response, json } = await h.createCheckout({ reference: `CREATE-${problem}` });
      assert.equal(response.status, 502);
      assert.equal(json.error.code, 'upstream_rejected');
      assert.equal(
        h.logs.find((l) => l.event === 'paysg_create_mismatch')?.fields.problem,
        problem,
      );
    });
  }
});
