import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pg from 'pg';
import { createHarness } from '../helpers/bff-harness.js';
import { openPostgresStore, postgresUnavailable } from '../helpers/postgres.js';

const skip = await postgresUnavailable();

/** The statements sent to PostgreSQL while `run` runs: every round trip goes through `Client#query`. */
async function statementsDuring(run: () => Promise<unknown>): Promise<string[]> {
  const sent: string[] = [];
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const config = args[0] as string | { text: string };
    sent.push(
      (typeof config === 'string' ? config : config.text).replace(/\s+/g, ' ').slice(0, 60),
    );
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof query;
  try {
    await run();
  } finally {
    pg.Client.prototype.query = query;
  }
  return sent;
}

describe('PostgreSQL round trips', { skip }, () => {
  it('a new order costs three: its Idempotency-Key, its claim and its PaySG payment recorded', async () => {
    const h = createHarness({ store: await openPostgresStore() });
    try {
      // Warm: the pool's connections are open before counting.
      await h.createCheckout({ reference: 'TRIPS-0' }, { 'Idempotency-Key': 'trips-0' });
      const sent = await statementsDuring(async () => {
        const { response } = await h.createCheckout(
          { reference: 'TRIPS-1' },
          { 'Idempotency-Key': 'trips-1' },
        );
        assert.equal(response.status, 201);
      });
      assert.deepEqual(
        sent.map((sql) => sql.split(' ').slice(0, 3).join(' ')),
        ['INSERT INTO idempotency_keys', 'INSERT INTO checkouts', 'UPDATE checkouts SET'],
        sent.join('\n'),
      );

      // A retry of it finds the key and its checkout, and claims nothing.
      const retry = await statementsDuring(() =>
        h.createCheckout({ reference: 'TRIPS-1' }, { 'Idempotency-Key': 'trips-1' }),
      );
      assert.deepEqual(
        retry.slice(0, 3).map((sql) => sql.split(' ').slice(0, 4).join(' ')),
        [
          'INSERT INTO idempotency_keys (key,',
          'SELECT key, fingerprint, checkout_id',
          'SELECT * FROM checkouts',
        ],
        retry.join('\n'),
      );
      assert.ok(!retry.some((sql) => sql.startsWith('INSERT INTO checkouts')), retry.join('\n'));
    } finally {
      await h.store.close();
    }
  });
});
