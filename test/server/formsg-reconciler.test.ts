/**
 * The reconciler finishes a fine a crash left, and never treats it as a payer's checkout: a fine
 * whose create reached PaySG but whose answer was lost, found more than a day later, adopts the
 * payment PaySG made (a payer's abandoned checkout would have it cancelled); a fine whose create
 * got PaySG's own 500 is sent again under the next key (a payer's would be failed). Each ends
 * with one payable PaySG payment for the submission and one e-mail.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SIMULATOR_PAYMENT_SERVICE_ID } from '../../demo/simulator/simulator.js';
import { IDEMPOTENCY_KEY_SAFE_FOR_MS } from '../../server/checkouts/paysg-key.js';
import { FineRules } from '../../server/formsg/fine-rules.js';
import { FORMSG_METADATA } from '../../server/formsg/formsg-metadata.js';
import { createHarness, type Harness } from '../helpers/bff-harness.js';
import {
  deliveryV2,
  FORM_ID,
  formKeypair,
  signingKeypair,
  T0,
} from '../fixtures/formsg/deliveries.js';

const signing = signingKeypair();
const parking = formKeypair();
const fines = {
  rules: FineRules.fromFile('test/fixtures/formsg/fine-rules.json', {
    FORMSG_PARKING_SECRET_KEY: parking.secretKey,
    FORMSG_LATE_REGISTRATION_SECRET_KEY: formKeypair().secretKey,
    FORMSG_COMPOSITION_SECRET_KEY: formKeypair().secretKey,
  }),
  signingPublicKey: signing.publicKey,
};

/** A v2.1 delivery of the parking form: offence P01 (S$70), with the payer's e-mail. */
function parkingDelivery() {
  const field = (n: number, question: string, fieldType: string, answer: string) => ({
    _id: `65a1b2c3d4e5f60718293a0${n}`,
    question,
    fieldType,
    answer,
  });
  return deliveryV2(
    [
      field(1, 'Offence', 'dropdown', 'P01'),
      field(2, 'Vehicle', 'textfield', 'SGX1234A'),
      field(3, 'Name', 'textfield', 'Tan Ah Kow'),
      field(4, 'E-mail', 'email', 'tan@example.com'),
      field(5, 'Language', 'dropdown', 'English'),
    ],
    { signing, form: parking, verified: { uinFin: 'S1234567D' } },
  );
}

function deliver(h: Harness, delivery: { signature: string; body: unknown }) {
  return h.app.request('/formsg/parking', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-FormSG-Signature': delivery.signature },
    body: JSON.stringify(delivery.body),
  });
}

/**
 * A fines harness at T0 that counts the e-mails the BFF asked PaySG to send, and whose link to
 * PaySG goes down when the simulator drops an answer (its `drop_response` fault) until
 * `reopen()`: the client's own retries of that request reach nothing, so the answer is lost.
 */
function finesHarness() {
  const link = { down: false };
  const calls = { emails: 0 };
  const h = createHarness({
    fines,
    wrapFetch: (inner) => async (input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      if (link.down) throw new TypeError('connect ECONNREFUSED');
      if (init?.method === 'POST' && url.endsWith('/send-email')) calls.emails++;
      try {
        return await inner(input, init);
      } catch (err) {
        if (err instanceof TypeError && /simulated/.test(err.message)) link.down = true;
        throw err;
      }
    },
  });
  h.clock.advance(T0 + 2_000 - h.clock.now().getTime());
  return { h, calls, reopen: () => (link.down = false) };
}

/** PaySG's payments for one submission, as PaySG itself has them (by the metadata we send). */
function paymentsForSubmission(h: Harness, id: string) {
  return h.simulator.ledger
    .list(SIMULATOR_PAYMENT_SERVICE_ID, { limit: 100 })
    .data.filter(
      (p) =>
        p.metadata?.[FORMSG_METADATA.formId] === FORM_ID &&
        p.metadata?.[FORMSG_METADATA.submissionId] === id,
    );
}

describe('the reconciler finishes a fine, never as a payer’s checkout', () => {
  it('a fine whose create answer was lost adopts, more than a day later, the payment PaySG made, and sends one e-mail', async () => {
    const { h, calls, reopen } = finesHarness();
    h.simulator.state.faults.add({ fault: { kind: 'drop_response' }, route: 'create', count: 1 });
    const delivery = parkingDelivery();
    const id = delivery.body.data.submissionId;
    assert.equal((await deliver(h, delivery)).status, 200);
    await h.app.idle();
    reopen();

    const made = paymentsForSubmission(h, id);
    assert.equal(made.length, 1, 'PaySG made the payment whose answer was lost');
    const payment = made[0]!;
    const recorded = await h.store.findSubmission(id);
    const checkoutId = recorded?.checkoutId ?? '';
    const before = await h.store.get(checkoutId);
    assert.deepEqual(
      [before?.status, before?.paymentId, before?.paysgKeySent],
      ['created', null, true],
      'the checkout knows nothing of the payment but the key it sent',
    );
    assert.equal(recorded?.emailStatus, 'pending');
    assert.equal(calls.emails, 0);

    // Nothing finished it within PaySG's day: its key may no longer be safe to send.
    h.clock.advance(IDEMPOTENCY_KEY_SAFE_FOR_MS + 2 * 60 * 60 * 1000);
    const report = await h.app.reconcile();
    assert.equal(report.failed, 0);
    assert.equal(report.cancelled, 0);

    const after = await h.store.get(checkoutId);
    assert.deepEqual(
      [after?.status, after?.paymentId, after?.paymentUrl],
      ['unpaid', payment.id, payment.payment_url],
      'the checkout adopted the payment PaySG made',
    );
    const atPaysg = paymentsForSubmission(h, id);
    assert.deepEqual(
      atPaysg.map((p) => [p.id, p.latest_status]),
      [[payment.id, 'unpaid']],
      'one payment for the submission, still payable',
    );
    assert.equal((await h.store.findSubmission(id))?.emailStatus, 'sent');
    assert.equal(calls.emails, 1);
    assert.ok(h.logs.some((l) => l.event === 'formsg_payment_adopted'));
    assert.ok(!h.logs.some((l) => l.event === 'checkout_abandoned_unknown'));

    // Another pass makes nothing new and sends nothing again.
    h.clock.advance(5 * 60_000);
    await h.app.reconcile();
    assert.equal(paymentsForSubmission(h, id).length, 1);
    assert.equal(calls.emails, 1);
    assert.equal((await h.store.get(checkoutId))?.paymentId, payment.id);
  });

  it('a fine whose create got PaySG’s own 500 is sent again under the next key, with one e-mail, and is not failed', async () => {
    const { h, calls } = finesHarness();
    // PaySG's 500, stored for the key and replayed to every retry of it (paysg-api.md §6).
    h.simulator.state.faults.add({
      fault: { kind: 'status', status: 500 },
      route: 'create',
      count: 1,
    });
    const delivery = parkingDelivery();
    const id = delivery.body.data.submissionId;
    assert.equal((await deliver(h, delivery)).status, 200);
    await h.app.idle();

    assert.deepEqual(paymentsForSubmission(h, id), [], 'a stored 500 makes nothing');
    const checkoutId = (await h.store.findSubmission(id))?.checkoutId ?? '';
    const before = await h.store.get(checkoutId);
    assert.deepEqual(
      [before?.status, before?.paysgIdempotencyKey, before?.paysgKeySent],
      ['created', `paysg-checkout:formsg:${FORM_ID}:${id}:2`, false],
      'the key PaySG answered with its 500 is left for the next one, not yet sent',
    );
    assert.equal(calls.emails, 0);

    h.clock.advance(2 * 60_000);
    const report = await h.app.reconcile();
    assert.equal(report.failed, 0);
    assert.equal(report.created, 1);

    const after = await h.store.get(checkoutId);
    assert.equal(after?.status, 'unpaid', 'the fine is not failed');
    assert.equal(after?.paysgIdempotencyKey, `paysg-checkout:formsg:${FORM_ID}:${id}:2`);
    const atPaysg = paymentsForSubmission(h, id);
    assert.deepEqual(
      atPaysg.map((p) => [p.id, p.latest_status]),
      [[after?.paymentId, 'unpaid']],
      'one payable payment for the submission, the checkout’s',
    );
    assert.equal(atPaysg[0]?.amount_in_cents, 7000);
    assert.equal((await h.store.findSubmission(id))?.emailStatus, 'sent');
    assert.equal(calls.emails, 1);

    h.clock.advance(5 * 60_000);
    await h.app.reconcile();
    assert.equal(paymentsForSubmission(h, id).length, 1);
    assert.equal(calls.emails, 1);
  });
});
