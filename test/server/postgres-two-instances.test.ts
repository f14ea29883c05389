import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSimulator, SIMULATOR_PAYMENT_SERVICE_ID } from '../../demo/simulator/simulator.js';
import { BROWSER_A, BROWSER_B, createHarness, SIMULATOR_URL } from '../helpers/bff-harness.js';
import { openPostgresStore, postgresUnavailable, uniqueSchema } from '../helpers/postgres.js';

const skip = await postgresUnavailable();

describe('two BFF instances on one PostgreSQL', { skip }, () => {
  it('turn concurrent creates from one browser into exactly one PaySG payment per order', async () => {
    const schema = uniqueSchema();
    const simulator = createSimulator({ publicUrl: SIMULATOR_URL });
    // A little latency at PaySG widens the window in which the two instances race.
    simulator.state.faults.add({ fault: { kind: 'latency', ms: 15 }, route: 'create' });
    const [storeA, storeB] = [await openPostgresStore(schema), await openPostgresStore(schema)];
    const a = createHarness({ simulator, store: storeA });
    const b = createHarness({ simulator, store: storeB });
    try {
      const orders = Array.from({ length: 8 }, (_, i) => `MULTI-${i}`);
      const attempts = orders.flatMap((reference) =>
        [a, b, a, b].map((h, i) =>
          h.createCheckout({ reference }, { 'Idempotency-Key': `${reference}-tab-${i}` }),
        ),
      );
      const results = await Promise.all(attempts);
      for (const r of results)
        assert.ok([200, 201, 409].includes(r.response.status), JSON.stringify(r.json));
      for (const reference of orders) {
        assert.equal(
          simulator.ledger.createCount(SIMULATOR_PAYMENT_SERVICE_ID, reference),
          1,
          reference,
        );
      }
      // Everyone who got an answer got the same checkout for their order.
      for (const reference of orders) {
        const answered = results.filter(
          (r, i) => Math.floor(i / 4) === orders.indexOf(reference) && r.response.status !== 409,
        );
        assert.equal(new Set(answered.map((r) => r.json.checkoutId)).size, 1);
      }
      // Retries of the ones told to wait end on the same payment.
      for (const reference of orders) {
        const retry = await b.createCheckout({ reference });
        assert.equal(retry.response.status, 200);
      }
      assert.equal(simulator.ledger.paymentCount, orders.length);
    } finally {
      await storeA.close();
      await storeB.close();
    }
  });

  it('behave like one when two browsers race for the same orders: never two payable links, nothing revealed', async () => {
    const schema = uniqueSchema();
    const simulator = createSimulator({ publicUrl: SIMULATOR_URL });
    simulator.state.faults.add({ fault: { kind: 'latency', ms: 15 }, route: 'create' });
    simulator.state.faults.add({ fault: { kind: 'latency', ms: 15 }, route: 'cancel' });
    const [storeA, storeB] = [await openPostgresStore(schema), await openPostgresStore(schema)];
    const a = createHarness({ simulator, store: storeA });
    const b = createHarness({ simulator, store: storeB });
    try {
      const orders = Array.from({ length: 6 }, (_, i) => `RACE-${i}`);
      const browsers = [BROWSER_A, BROWSER_B];
      const attempts = orders.flatMap((reference) =>
        [a, b, b, a].map((h, i) =>
          h.createCheckout(
            { reference, payer: { name: `Payer ${i % 2}` } },
            { 'X-PaySG-Browser': browsers[i % 2]!, 'Idempotency-Key': `${reference}-${i}` },
          ),
        ),
      );
      const results = await Promise.all(attempts);
      for (const r of results)
        assert.ok([200, 201, 409, 503].includes(r.response.status), JSON.stringify(r.json));
      const all = simulator.ledger.list(SIMULATOR_PAYMENT_SERVICE_ID, { limit: 100 }).data;
      for (const reference of orders) {
        const mine = all.filter((p) => p.reference_id === reference);
        assert.ok(
          mine.filter((p) => p.latest_status === 'unpaid').length <= 1,
          `${reference}: two payable links`,
        );
        // Each browser only ever received links with its own payer on them.
        const answered = results.filter(
          (r, i) => Math.floor(i / 4) === orders.indexOf(reference) && r.json.paymentUrl,
        );
        for (const [i, r] of results.entries()) {
          if (Math.floor(i / 4) !== orders.indexOf(reference) || !r.json.paymentUrl) continue;
          const payment = simulator.ledger.find(r.json.paymentUrl.split('/').pop()!)!;
          assert.equal(payment.payer_name, `Payer ${(i % 4) % 2}`);
        }
        assert.ok(answered.length >= 1);
      }
      // The store agrees with PaySG: the one payable payment is the order's unpaid checkout.
      for (const payment of all.filter((p) => p.latest_status === 'unpaid')) {
        const checkout = await storeA.findByPaymentId(payment.id);
        assert.equal(checkout?.status, 'unpaid');
        assert.equal(checkout?.cancelRequestedAt, null);
      }
    } finally {
      await storeA.close();
      await storeB.close();
    }
  });
});
