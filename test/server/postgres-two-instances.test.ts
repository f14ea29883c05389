import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSimulator, SIMULATOR_PAYMENT_SERVICE_ID } from '../../demo/simulator/simulator.js';
import { createHarness, SIMULATOR_URL } from '../helpers/bff-harness.js';
import { openPostgresStore, postgresUnavailable, uniqueSchema } from '../helpers/postgres.js';

const skip = await postgresUnavailable();

describe('two BFF instances on one PostgreSQL', { skip }, () => {
  it('turn concurrent creates for the same orders into exactly one PaySG payment per order', async () => {
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
        [a, b, a, b].map((h, i) => h.createCheckout({ reference }, { 'Idempotency-Key': `${reference}-tab-${i}` })),
      );
      const results = await Promise.all(attempts);
      for (const r of results) assert.ok([200, 201, 409].includes(r.response.status), JSON.stringify(r.json));
      for (const reference of orders) {
        assert.equal(simulator.ledger.createCount(SIMULATOR_PAYMENT_SERVICE_ID, reference), 1, reference);
      }
      // Everyone who got an answer got the same checkout for their order.
      for (const reference of orders) {
        const answered = results.filter((r, i) => Math.floor(i / 4) === orders.indexOf(reference) && r.response.status !== 409);
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
});
