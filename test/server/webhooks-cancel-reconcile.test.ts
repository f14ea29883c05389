import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SIMULATOR_PAYMENT_SERVICE_ID } from '../../demo/simulator/simulator.js';
import { signWebhookPayload } from '../../server/paysg/webhook-signature.js';
import { createHarness, errorOf, WEBHOOK_SECRET, type Harness } from '../helpers/bff-harness.js';

async function startCheckout(h: Harness, body: Record<string, unknown> = {}) {
  const { json } = await h.createCheckout(body);
  return { checkoutId: json.checkoutId as string, paymentId: h.paymentIdOf(json.paymentUrl) };
}

function eventFor(
  h: Harness,
  paymentId: string,
  eventId = `evt_${Math.random().toString(36).slice(2)}`,
) {
  const payment = h.simulator.ledger.find(paymentId) ?? { id: paymentId };
  return JSON.stringify({
    id: eventId,
    object: 'event',
    type: 'payment.succeeded',
    payment_service_id: SIMULATOR_PAYMENT_SERVICE_ID,
    created: Date.now(),
    data: { object: payment },
  });
}

async function deliver(
  h: Harness,
  body: string,
  secret = WEBHOOK_SECRET,
  timestamp = Math.floor(h.clock.now().getTime() / 1000),
) {
  return h.app.request('/webhooks', {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'PaySG-Signature': await signWebhookPayload(body, secret, timestamp),
    },
    body,
  });
}

describe('POST /webhooks', () => {
  it('acknowledges a signed payment.succeeded at once and then verifies with PaySG', async () => {
    const h = createHarness();
    const { checkoutId, paymentId } = await startCheckout(h);
    h.simulator.ledger.pay(paymentId);
    const gets = h.paysgTraffic.gets;
    const response = await deliver(h, eventFor(h, paymentId));
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { received: true, duplicate: false });
    await h.app.idle();
    assert.equal(h.paysgTraffic.gets, gets + 1);
    assert.equal((await h.store.get(checkoutId))!.status, 'paid');
  });

  it('reads an event whose payment has empty strings for absent fields, as one of the guide’s samples does', async () => {
    const h = createHarness();
    const { checkoutId, paymentId } = await startCheckout(h);
    h.simulator.ledger.pay(paymentId);
    const payment = { ...h.simulator.ledger.find(paymentId)!, payer_email: '', payment_url: '' };
    const body = JSON.stringify({
      id: 'evt_empty_strings',
      type: 'payment.succeeded',
      data: { object: payment },
    });
    const response = await deliver(h, body);
    assert.equal(response.status, 200);
    await h.app.idle();
    assert.equal((await h.store.get(checkoutId))!.status, 'paid');
    const { parseEvent } = await import('../../server/paysg/events.js');
    const parsed = parseEvent(
      JSON.parse(
        JSON.stringify({
          id: 'e',
          type: 'payment.succeeded',
          data: { object: { ...payment, payment_url: 'https://x/p' } },
        }),
      ),
    );
    assert.equal(parsed.payment?.payer_email, undefined);
  });

  it('acknowledges duplicates, one after another or five at once, and applies the event once', async () => {
    const h = createHarness();
    const { paymentId } = await startCheckout(h);
    h.simulator.ledger.pay(paymentId);
    const body = eventFor(h, paymentId, 'evt_dup');
    const responses = await Promise.all(Array.from({ length: 5 }, () => deliver(h, body)));
    responses.push(await deliver(h, body));
    assert.ok(responses.every((r) => r.status === 200));
    const bodies = await Promise.all(
      responses.map((r) => r.json() as Promise<{ duplicate: boolean }>),
    );
    assert.equal(bodies.filter((b) => !b.duplicate).length, 1);
    await h.app.idle();
    assert.equal(h.logs.filter((l) => l.event === 'checkout_paid').length, 1);
  });

  it('refuses forgeries: a changed byte, re-serialised JSON, the wrong secret, a stale timestamp, no header', async () => {
    const h = createHarness();
    const { checkoutId, paymentId } = await startCheckout(h);
    const body = eventFor(h, paymentId);
    const signature = await signWebhookPayload(
      body,
      WEBHOOK_SECRET,
      Math.floor(h.clock.now().getTime() / 1000),
    );
    const send = (payload: string, header?: string) =>
      h.app.request('/webhooks', {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          ...(header && { 'PaySG-Signature': header }),
        },
        body: payload,
      });
    const cases = [
      await send(body.replace('payment.succeeded', 'payment.succeedez'), signature),
      await send(JSON.stringify(JSON.parse(body), null, 2), signature),
      await deliver(h, body, 'wrong-secret'),
      await deliver(h, body, WEBHOOK_SECRET, Math.floor(h.clock.now().getTime() / 1000) - 301),
      await send(body),
    ];
    for (const response of cases) {
      assert.equal(response.status, 400);
      assert.equal((await errorOf(response)).code, 'invalid_signature');
    }
    await h.app.idle();
    assert.equal((await h.store.get(checkoutId))!.status, 'unpaid');
    assert.deepEqual(await h.store.pendingWebhookEvents(10), []);
  });

  it('never marks paid from the payload alone: a forged "paid" for an unpaid payment stays unpaid', async () => {
    const h = createHarness();
    const { checkoutId, paymentId } = await startCheckout(h);
    const forged = JSON.parse(eventFor(h, paymentId));
    forged.data.object.payment_status = 'paid';
    const response = await deliver(h, JSON.stringify(forged));
    assert.equal(response.status, 200);
    await h.app.idle();
    assert.equal((await h.store.get(checkoutId))!.status, 'unpaid');
  });

  it('keeps events for unknown payments (unmatched) and ignores unknown types, acknowledging both', async () => {
    const h = createHarness();
    assert.equal((await deliver(h, eventFor(h, 'nobodysPayment', 'evt_unknown'))).status, 200);
    const other = JSON.stringify({ id: 'evt_other', type: 'refund.created', data: { object: {} } });
    assert.equal((await deliver(h, other)).status, 200);
    await h.app.idle();
    assert.ok(h.logs.some((l) => l.event === 'webhook_unmatched'));
    assert.deepEqual(await h.store.pendingWebhookEvents(10), []);
  });

  it('applies events received but not applied before a crash, on reconciliation', async () => {
    const h = createHarness();
    const { checkoutId, paymentId } = await startCheckout(h);
    h.simulator.ledger.pay(paymentId);
    // As if the process died right after the 2xx: recorded, never applied.
    await h.store.recordWebhookEvent({
      eventId: 'evt_crash',
      type: 'payment.succeeded',
      paymentId,
      receivedAt: h.clock.now().toISOString(),
    });
    const report = await h.app.reconcile();
    assert.equal(report.webhooks, 1);
    assert.equal((await h.store.get(checkoutId))!.status, 'paid');
  });
});

describe('POST /checkouts/{id}/cancel', () => {
  it('cancels an unpaid checkout and its PaySG payment, idempotently', async () => {
    const h = createHarness();
    const { checkoutId, paymentId } = await startCheckout(h);
    const response = await h.post(`/checkouts/${checkoutId}/cancel`, {});
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as { status: string }).status, 'cancelled');
    assert.equal(h.simulator.ledger.find(paymentId)!.latest_status, 'cancelled');
    assert.equal((await h.post(`/checkouts/${checkoutId}/cancel`, {})).status, 200);
    // The order is free again: a new checkout can start.
    assert.equal((await h.createCheckout()).response.status, 201);
  });

  it('refuses to cancel what was paid, even when only PaySG knew it yet', async () => {
    const h = createHarness();
    const { checkoutId, paymentId } = await startCheckout(h);
    h.simulator.ledger.pay(paymentId);
    const response = await h.post(`/checkouts/${checkoutId}/cancel`, {});
    assert.equal(response.status, 409);
    assert.equal((await errorOf(response)).code, 'order_already_paid');
    assert.equal((await h.store.get(checkoutId))!.status, 'paid');
  });

  it('answers 404 for an unknown checkout and needs the browser headers', async () => {
    const h = createHarness();
    assert.equal((await h.post('/checkouts/AAAAAAAAAAAAAAAAAAAAAA/cancel', {})).status, 404);
    const { checkoutId } = await startCheckout(h);
    const bare = await h.app.request(`/checkouts/${checkoutId}/cancel`, { method: 'POST' });
    assert.equal(bare.status, 415);
  });
});

describe('reconciler', () => {
  it('finds a payment made while nobody came back, and leaves fresh checkouts alone', async () => {
    const h = createHarness();
    const { checkoutId, paymentId } = await startCheckout(h);
    h.simulator.ledger.pay(paymentId);
    assert.equal((await h.app.reconcile()).checked, 0);
    h.clock.advance(61_000);
    const report = await h.app.reconcile();
    assert.equal(report.paid, 1);
    assert.equal((await h.store.get(checkoutId))!.status, 'paid');
  });

  it('finishes a checkout whose request died after PaySG answered, with PaySG’s replay', async () => {
    const h = createHarness();
    const store = h.store as { update: typeof h.store.update };
    const realUpdate = store.update.bind(h.store);
    let failNext = true;
    // The crash: PaySG created the payment, our write of it never happened.
    store.update = async (id, from, patch, now) => {
      if (failNext && patch.status === 'unpaid') {
        failNext = false;
        throw new Error('disk full');
      }
      return realUpdate(id, from, patch, now);
    };
    const { response, json } = await h.createCheckout({ reference: 'CRASH-1' });
    assert.equal(response.status, 500);
    assert.equal(json.error.code, 'internal_error');
    assert.equal(h.simulator.ledger.createCount(SIMULATOR_PAYMENT_SERVICE_ID, 'CRASH-1'), 1);

    h.clock.advance(61_000);
    const report = await h.app.reconcile();
    assert.equal(report.created, 1);
    assert.equal(h.simulator.ledger.createCount(SIMULATOR_PAYMENT_SERVICE_ID, 'CRASH-1'), 1);
    assert.equal(h.simulator.state.idempotency.replays, 1);
    // And the payer's retry now finds the same checkout with the one payment.
    const retry = await h.createCheckout({ reference: 'CRASH-1' });
    assert.equal(retry.response.status, 200);
    assert.equal(h.simulator.ledger.paymentCount, 1);
  });

  it('fails, loudly, a checkout too old to resend safely', async () => {
    const h = createHarness();
    h.paysgTraffic.down = true;
    const { json } = await h.createCheckout({ reference: 'OLD-1' }, { 'Idempotency-Key': 'old-1' });
    assert.equal(json.error.code, 'upstream_unavailable');
    h.paysgTraffic.down = false;
    h.clock.advance(24 * 60 * 60 * 1000);
    const report = await h.app.reconcile();
    assert.equal(report.failed, 1);
    assert.ok(
      h.logs.some((l) => l.event === 'checkout_abandoned_unknown' && l.fields.alert === true),
    );
    assert.equal(h.simulator.ledger.paymentCount, 0);
  });
});

describe('PaySG answering 500 (stored and replayed under the key)', () => {
  it('moves to the next derived key, so a retry can succeed, and still one payment', async () => {
    const h = createHarness();
    h.simulator.state.faults.add({
      fault: { kind: 'status', status: 500 },
      route: 'create',
      count: 1,
    });
    const key = { 'Idempotency-Key': 'five-hundred' };
    const first = await h.createCheckout({ reference: 'F-500' }, key);
    assert.equal(first.response.status, 503);
    const retry = await h.createCheckout({ reference: 'F-500' }, key);
    assert.equal(retry.response.status, 200, JSON.stringify(retry.json));
    assert.equal(retry.json.status, 'unpaid');
    assert.equal(h.simulator.ledger.paymentCount, 1);
  });
});

describe('PaySG hanging or rate limiting', () => {
  it('a hang ends in upstream_unavailable within the timeout, and the retry completes with one payment', async () => {
    const h = createHarness({ paysgTimeoutMs: 40 });
    // Every attempt of the first request hangs (the client tries three times).
    h.simulator.state.faults.add({ fault: { kind: 'hang' }, route: 'create', count: 3 });
    const key = { 'Idempotency-Key': 'hang-1' };
    const first = await h.createCheckout({ reference: 'HANG-1' }, key);
    assert.equal(first.response.status, 503);
    assert.equal(first.json.error.code, 'upstream_unavailable');
    const retry = await h.createCheckout({ reference: 'HANG-1' }, key);
    assert.equal(retry.response.status, 200);
    assert.equal(h.simulator.ledger.createCount(SIMULATOR_PAYMENT_SERVICE_ID, 'HANG-1'), 1);
  });

  it('429s are retried by the client, and a persistent one is upstream_unavailable, never a 500', async () => {
    const h = createHarness();
    h.simulator.state.faults.add({
      fault: { kind: 'status', status: 429 },
      route: 'create',
      count: 1,
    });
    assert.equal((await h.createCheckout({ reference: 'RL-1' })).response.status, 201);
    h.simulator.state.faults.add({ fault: { kind: 'status', status: 429 }, route: 'create' });
    const limited = await h.createCheckout({ reference: 'RL-2' });
    assert.equal(limited.response.status, 503);
    assert.equal(limited.json.error.code, 'upstream_unavailable');
    h.simulator.state.faults.clear();
    assert.equal((await h.createCheckout({ reference: 'RL-2' })).response.status, 200);
    assert.equal(h.simulator.ledger.paymentCount, 2);
  });
});
