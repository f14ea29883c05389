/**
 * Three guards a tidy-up is most likely to drop, each of which once survived every other fast
 * suite (issue 24): the rotated PaySG key is marked sent before it is sent, a cancel counts only
 * once PaySG confirms it, and a checkout made without a browser secret belongs to nobody.
 * Each test fails when its guard is taken out.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SIMULATOR_PAYMENT_SERVICE_ID } from '../../demo/simulator/simulator.js';
import {
  createHarness,
  errorOf,
  PAGE_ORIGIN,
  RETURN_TO,
  type Harness,
} from '../helpers/bff-harness.js';

/** PaySG's payments for one reference, as PaySG itself has them. */
function paymentsFor(h: Harness, reference: string) {
  return h.simulator.ledger
    .list(SIMULATOR_PAYMENT_SERVICE_ID, { limit: 100 })
    .data.filter((p) => p.reference_id === reference);
}

/** The ones a payer could still pay: PaySG's links never expire (paysg-api.md §10). */
function payableIds(h: Harness, reference: string): string[] {
  return paymentsFor(h, reference)
    .filter((p) => p.latest_status === 'unpaid')
    .map((p) => p.id);
}

/**
 * A harness whose link to PaySG goes down when the simulator drops an answer (its
 * `drop_response` fault), until `reopen()`: the PaySG client's own retries of that request
 * reach nothing, so the answer is lost to the BFF, not just to one attempt.
 */
function harnessLosingDroppedAnswers() {
  const link = { down: false };
  const h = createHarness({
    wrapFetch: (inner) => async (input, init) => {
      if (link.down) throw new TypeError('connect ECONNREFUSED');
      try {
        return await inner(input, init);
      } catch (err) {
        if (err instanceof TypeError && /simulated/.test(err.message)) link.down = true;
        throw err;
      }
    },
  });
  return { h, reopen: () => (link.down = false) };
}

/**
 * PaySG answers the checkout's first key with its own 500 (stored for that key and replayed,
 * paysg-api.md §6), so the BFF moves to the next derived key; the payer's retry sends that key,
 * PaySG makes the payment, and the answer is lost. One payable payment exists at PaySG, and the
 * checkout, still `created`, knows nothing of it but the key that made it.
 */
async function paymentMadeUnderTheRotatedKey(reference: string) {
  const { h, reopen } = harnessLosingDroppedAnswers();
  const key = { 'Idempotency-Key': `${reference}-attempt` };
  h.simulator.state.faults.add({
    fault: { kind: 'status', status: 500 },
    route: 'create',
    count: 1,
  });
  assert.equal((await h.createCheckout({ reference }, key)).response.status, 503);
  assert.deepEqual(paymentsFor(h, reference), [], 'a stored 500 makes nothing');

  h.simulator.state.faults.add({ fault: { kind: 'drop_response' }, route: 'create', count: 1 });
  assert.equal((await h.createCheckout({ reference }, key)).response.status, 503);
  reopen();

  const made = paymentsFor(h, reference);
  assert.equal(made.length, 1, 'PaySG made the payment whose answer was lost');
  const [checkout] = await h.store.list({ search: reference, limit: 10 });
  assert.equal(checkout?.status, 'created');
  assert.equal(checkout.paymentId, null);
  return { h, key, checkoutId: checkout.id, payment: made[0]! };
}

describe('the rotated PaySG key is marked sent before it is sent', () => {
  it('the reconciler finds the payment the rotated key made, and never frees the order under it', async () => {
    const { h, key, checkoutId, payment } = await paymentMadeUnderTheRotatedKey('ROTATED-1');
    h.clock.advance(120_000);
    await h.app.reconcile();
    const stored = (await h.store.get(checkoutId))!;
    assert.equal(
      stored.status,
      'unpaid',
      'the reconciler asked PaySG with the rotated key and recorded what it made',
    );
    assert.equal(stored.paymentId, payment.id);
    // The payer's retry gets that same payment; there is only ever one.
    const retry = await h.createCheckout({ reference: 'ROTATED-1' }, key);
    assert.equal(retry.response.status, 200);
    assert.equal(retry.json.paymentUrl, payment.payment_url);
    assert.deepEqual(payableIds(h, 'ROTATED-1'), [payment.id]);
  });

  it('a cancel of that checkout cancels the payment the rotated key made', async () => {
    const { h, checkoutId, payment } = await paymentMadeUnderTheRotatedKey('ROTATED-2');
    const cancel = await h.post(`/checkouts/${checkoutId}/cancel`, {});
    assert.equal(cancel.status, 200);
    assert.equal(((await cancel.json()) as { status: string }).status, 'cancelled');
    assert.equal(
      h.simulator.ledger.find(payment.id)!.latest_status,
      'cancelled',
      'no payable link is left behind a cancelled checkout',
    );
    assert.deepEqual(payableIds(h, 'ROTATED-2'), []);
  });

  it('an order changed after the lost answer replaces that payment, never sits beside it', async () => {
    const { h, payment } = await paymentMadeUnderTheRotatedKey('ROTATED-3');
    const changed = await h.createCheckout({
      reference: 'ROTATED-3',
      payer: { name: 'Tan Ah Kow', email: 'tan@example.com' },
    });
    assert.equal(changed.response.status, 201);
    assert.equal(h.simulator.ledger.find(payment.id)!.latest_status, 'cancelled');
    assert.deepEqual(payableIds(h, 'ROTATED-3'), [h.paymentIdOf(changed.json.paymentUrl)]);
  });
});

describe('a cancel counts only once PaySG confirms it', () => {
  it('PaySG answering a cancel with 503 leaves the checkout uncancelled and its link unhanded, and the order never gets a second payable link', async () => {
    const h = createHarness();
    const first = await h.createCheckout({ reference: 'CONFIRM-1' });
    assert.equal(first.response.status, 201);
    const paymentId = h.paymentIdOf(first.json.paymentUrl);

    h.simulator.state.faults.add({
      fault: { kind: 'status', status: 503 },
      route: 'cancel',
      count: 1,
    });
    const cancel = await h.post(`/checkouts/${first.json.checkoutId}/cancel`, {});
    assert.equal(
      h.simulator.ledger.find(paymentId)!.latest_status,
      'unpaid',
      'PaySG did not cancel',
    );
    assert.equal(cancel.status, 503, 'a cancel PaySG did not confirm is not reported as done');
    assert.equal((await errorOf(cancel)).code, 'upstream_unavailable');
    const stored = (await h.store.get(first.json.checkoutId))!;
    assert.equal(stored.status, 'unpaid');
    assert.ok(stored.cancelRequestedAt, 'the cancel is remembered, to be finished');

    // The payer starts again: the first link is cancelled (confirmed) before a new one exists.
    const again = await h.createCheckout({ reference: 'CONFIRM-1' });
    assert.equal(again.response.status, 201);
    assert.notEqual(again.json.paymentUrl, first.json.paymentUrl);
    assert.deepEqual(payableIds(h, 'CONFIRM-1'), [h.paymentIdOf(again.json.paymentUrl)]);
    assert.equal((await h.store.get(first.json.checkoutId))!.status, 'cancelled');
  });
});

describe('no owner is nobody’s owner', () => {
  /** A POST from the agency page by a caller that sends no browser secret (`X-PaySG-Browser`). */
  function postWithoutBrowserSecret(h: Harness, path: string, body: unknown) {
    return h.app.request(path, {
      method: 'POST',
      headers: { Origin: PAGE_ORIGIN, 'Content-Type': 'application/json', 'X-PaySG-Checkout': '1' },
      body: JSON.stringify(body),
    });
  }

  it('two callers without a browser secret never share a checkout', async () => {
    const h = createHarness();
    const order = {
      item: 'licence-renewal',
      reference: 'NOBODY-1',
      payer: { name: 'Tan Ah Kow' },
      returnTo: RETURN_TO,
    };
    const first = await postWithoutBrowserSecret(h, '/checkouts', order);
    assert.equal(first.status, 201);
    const firstBody = (await first.json()) as { checkoutId: string; paymentUrl: string };

    const second = await postWithoutBrowserSecret(h, '/checkouts', order);
    const secondText = await second.text();
    assert.ok(
      !secondText.includes(firstBody.checkoutId),
      'the first caller’s checkout id is not handed to another caller',
    );
    assert.ok(!secondText.includes(firstBody.paymentUrl), 'nor its payment link');
    assert.equal(second.status, 201);
    // The first link is ended before the second exists: one payable link for the order.
    const secondBody = JSON.parse(secondText) as { paymentUrl: string };
    assert.deepEqual(payableIds(h, 'NOBODY-1'), [h.paymentIdOf(secondBody.paymentUrl)]);
  });

  it('a caller without a browser secret cannot cancel a checkout made without one', async () => {
    const h = createHarness();
    const order = {
      item: 'licence-renewal',
      reference: 'NOBODY-2',
      payer: { name: 'Tan Ah Kow' },
      returnTo: RETURN_TO,
    };
    const made = (await (await postWithoutBrowserSecret(h, '/checkouts', order)).json()) as {
      checkoutId: string;
      paymentUrl: string;
    };
    const cancel = await postWithoutBrowserSecret(h, `/checkouts/${made.checkoutId}/cancel`, {});
    assert.equal(cancel.status, 403);
    assert.equal((await errorOf(cancel)).code, 'not_checkout_owner');
    assert.equal((await h.store.get(made.checkoutId))!.status, 'unpaid');
    assert.deepEqual(payableIds(h, 'NOBODY-2'), [h.paymentIdOf(made.paymentUrl)]);
  });
});
