/**
 * Two BFF instances on one PostgreSQL receive the same FormSG submission at once (FormSG's retry
 * reaching the other instance, or a load balancer's double delivery): one payment, one e-mail.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSimulator } from '../../demo/simulator/simulator.js';
import { FineRules } from '../../server/formsg/fine-rules.js';
import { createHarness, SIMULATOR_URL } from '../helpers/bff-harness.js';
import { openPostgresStore, postgresUnavailable, uniqueSchema } from '../helpers/postgres.js';
import {
  deliveryV2,
  FORM_ID,
  formKeypair,
  signingKeypair,
  T0,
} from '../fixtures/formsg/deliveries.js';

const skip = await postgresUnavailable();

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

describe('two BFF instances on one PostgreSQL and one FormSG submission', { skip }, () => {
  it('make one PaySG payment and send one e-mail', async () => {
    const schema = uniqueSchema();
    const simulator = createSimulator({
      publicUrl: SIMULATOR_URL,
      now: () => new Date(T0 + 2_000),
    });
    // A little latency at PaySG widens the window in which the two instances race.
    simulator.state.faults.add({ fault: { kind: 'latency', ms: 15 }, route: 'create' });
    const calls = { creates: 0, emails: 0 };
    const wrapFetch =
      (inner: typeof fetch): typeof fetch =>
      async (input, init) => {
        const url = String(input instanceof Request ? input.url : input);
        if (init?.method === 'POST' && url.endsWith('/send-email')) calls.emails++;
        else if (init?.method === 'POST' && /\/payments$/.test(url)) calls.creates++;
        return inner(input, init);
      };
    const [storeA, storeB] = [await openPostgresStore(schema), await openPostgresStore(schema)];
    const a = createHarness({ simulator, store: storeA, fines, wrapFetch });
    const b = createHarness({ simulator, store: storeB, fines, wrapFetch });
    for (const h of [a, b]) h.clock.advance(T0 + 2_000 - h.clock.now().getTime());
    try {
      for (let round = 0; round < 5; round++) {
        const delivery = deliveryV2(
          [
            {
              _id: '65a1b2c3d4e5f60718293a01',
              question: 'Offence',
              fieldType: 'dropdown',
              answer: 'P02',
            },
            {
              _id: '65a1b2c3d4e5f60718293a02',
              question: 'Vehicle',
              fieldType: 'textfield',
              answer: 'SGX1A',
            },
            {
              _id: '65a1b2c3d4e5f60718293a03',
              question: 'Name',
              fieldType: 'textfield',
              answer: 'Siti',
            },
            {
              _id: '65a1b2c3d4e5f60718293a04',
              question: 'E-mail',
              fieldType: 'email',
              answer: 'siti@example.com',
            },
          ],
          { signing, form: parking, verified: { uinFin: 'S7654321B' } },
        );
        const request = () => ({
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-FormSG-Signature': delivery.signature },
          body: JSON.stringify(delivery.body),
        });
        const before = { ...calls };
        const answers = await Promise.all([
          a.app.request('/formsg/parking', request()),
          b.app.request('/formsg/parking', request()),
          a.app.request('/formsg/parking', request()),
          b.app.request('/formsg/parking', request()),
        ]);
        assert.deepEqual(
          answers.map((r) => r.status),
          [200, 200, 200, 200],
        );
        await Promise.all([a.app.idle(), b.app.idle()]);
        // Whatever one instance left to the other (a lock it held) the reconciler finishes.
        for (const h of [a, b]) h.clock.advance(60_000);
        await a.app.reconcile({ quietMs: 0 });
        await b.app.reconcile({ quietMs: 0 });
        assert.deepEqual(
          [calls.creates - before.creates, calls.emails - before.emails],
          [1, 1],
          `round ${round}`,
        );
        const id = delivery.body.data.submissionId;
        const submission = await storeA.getSubmission({ formId: FORM_ID, submissionId: id });
        assert.equal(submission?.emailStatus, 'sent');
        const checkouts = await storeB.list({ limit: 50, search: `PF-${id}` });
        assert.equal(checkouts.length, 1);
        assert.equal(checkouts[0]?.id, submission?.checkoutId);
      }
    } finally {
      await storeA.close();
      await storeB.close();
    }
  });
});
