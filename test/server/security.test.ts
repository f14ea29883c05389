import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { SIMULATOR_API_KEY, SIMULATOR_PAYMENT_SERVICE_ID } from '../../demo/simulator/simulator.js';
import { loadConfig } from '../../server/config.js';
import { depsFromConfig } from '../../server/deps-from-config.js';
import { Catalog } from '../../server/orders/catalog.js';
import { SqliteCheckoutStore } from '../../server/storage/sqlite-store.js';
import { jsonLogger, redact, silentLogger, type Logger } from '../../server/logger.js';
import {
  createHarness,
  errorOf,
  SIMULATOR_URL,
  TEST_CATALOG,
  type LogEntry,
} from '../helpers/bff-harness.js';
import { openPostgresStore, postgresUnavailable } from '../helpers/postgres.js';
import { REDIS_TEST_URL, redisUnavailable } from '../helpers/redis.js';

const withoutPostgres = await postgresUnavailable();
const withoutRedis = await redisUnavailable();
/** What `paysg-checkout bff` needs in its environment, against the simulator. */
const BFF_ENV = {
  PUBLIC_URL: 'https://agency.example',
  PAYSG_API_KEY: SIMULATOR_API_KEY,
  PAYSG_PAYMENT_SERVICE_ID: SIMULATOR_PAYMENT_SERVICE_ID,
  PAYSG_API_URL: SIMULATOR_URL,
  PAYSG_PAYMENT_PAGE_ORIGIN: SIMULATOR_URL,
};

/** An instance's dependencies as `paysg-checkout bff` builds them, with its reads limited in Redis at `redisUrl`. */
function depsWithRedis(redisUrl: string, readsPerMinute: number, logger: Logger = silentLogger) {
  const config = loadConfig(
    { ...BFF_ENV, REDIS_URL: redisUrl, RATE_LIMIT_READS_PER_MINUTE: String(readsPerMinute) },
    { requirePaysg: true },
  );
  return depsFromConfig(config, {
    store: new SqliteCheckoutStore(':memory:'),
    catalog: Catalog.from(TEST_CATALOG),
    logger,
  });
}

describe('rate limits', () => {
  it('answers 429 with Retry-After past the limit, per client, and counts no refused create', async () => {
    let client = '203.0.113.7';
    // A one-second window, so the test can see it end.
    const h = createHarness({
      rateLimits: { createsPerMinute: 3, windowSeconds: 1 },
      clientKey: () => client,
    });
    for (let i = 0; i < 3; i++) assert.equal((await h.createCheckout()).response.status, 201);
    const limited = await h.createCheckout();
    assert.equal(limited.response.status, 429);
    assert.equal(limited.json.error.code, 'rate_limited');
    assert.ok(Number(limited.response.headers.get('Retry-After')) >= 1);
    assert.equal(h.simulator.ledger.paymentCount, 3);
    client = '198.51.100.9';
    assert.equal((await h.createCheckout()).response.status, 201);
    client = '203.0.113.7';
    await new Promise((resolve) => setTimeout(resolve, 1100));
    assert.equal((await h.createCheckout()).response.status, 201);
  });

  it('limits each of a flood of addresses on its own, and still serves a newcomer', async () => {
    let client = '';
    const h = createHarness({ rateLimits: { readsPerMinute: 2 }, clientKey: () => client });
    for (let i = 0; i < 20_000; i++) {
      client = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
      assert.equal((await h.get('/quote?item=licence-renewal')).status, 200);
    }
    client = '10.0.0.1';
    assert.equal((await h.get('/quote?item=licence-renewal')).status, 200);
    assert.equal((await h.get('/quote?item=licence-renewal')).status, 429);
    client = '192.0.2.1';
    assert.equal((await h.get('/quote?item=licence-renewal')).status, 200);
  });

  it('two instances on one PostgreSQL share one limit', { skip: withoutPostgres }, async () => {
    const store = await openPostgresStore();
    const shared = { readsPerMinute: 3, store: store.rateLimitStore() };
    const first = createHarness({ store, rateLimits: shared });
    const second = createHarness({ store, rateLimits: shared });
    assert.equal((await first.get('/quote?item=licence-renewal')).status, 200);
    assert.equal((await second.get('/quote?item=licence-renewal')).status, 200);
    assert.equal((await first.get('/quote?item=licence-renewal')).status, 200);
    const limited = await second.get('/quote?item=licence-renewal');
    assert.equal(
      limited.status,
      429,
      'the fourth read across both instances is over the limit of three',
    );
    assert.ok(Number(limited.headers.get('Retry-After')) >= 1);
    await store.close();
  });

  it('two instances given one REDIS_URL share one limit', { skip: withoutRedis }, async () => {
    // Each instance as `paysg-checkout bff` builds it from its environment; a client of its own
    // per run, so counts left from an earlier run within the minute do not count.
    const client = `redis-test-${process.pid}-${Date.now()}`;
    const instances = await Promise.all([0, 1].map(() => depsWithRedis(REDIS_TEST_URL, 3)));
    const [first, second] = instances.map((deps) =>
      createHarness({ rateLimits: deps.rateLimits, clientKey: () => client }),
    );
    try {
      for (const deps of instances)
        assert.equal(await deps.rateLimits?.store?.ready?.(5_000), true, 'connected to Redis');
      assert.equal((await first!.get('/quote?item=licence-renewal')).status, 200);
      assert.equal((await second!.get('/quote?item=licence-renewal')).status, 200);
      assert.equal((await first!.get('/quote?item=licence-renewal')).status, 200);
      const limited = await second!.get('/quote?item=licence-renewal');
      assert.equal(
        limited.status,
        429,
        'the fourth read across both instances is over the limit of three',
      );
      assert.ok(Number(limited.headers.get('Retry-After')) >= 1);
    } finally {
      for (const deps of instances) await deps.rateLimits?.store?.close?.();
    }
  });

  it('counts in the process while Redis does not answer, and says so once', {
    skip: withoutRedis,
  }, async () => {
    const logs: LogEntry[] = [];
    // Nothing listens on port 1: every command to Redis is refused at once.
    const deps = await depsWithRedis('redis://127.0.0.1:1', 2, {
      log: (level, event, fields = {}) => logs.push({ level, event, fields }),
    });
    const h = createHarness({ rateLimits: deps.rateLimits });
    try {
      assert.equal(await deps.rateLimits?.store?.ready?.(200), false, 'never connected');
      assert.equal((await h.get('/quote?item=licence-renewal')).status, 200);
      assert.equal((await h.get('/quote?item=licence-renewal')).status, 200);
      assert.equal(
        (await h.get('/quote?item=licence-renewal')).status,
        429,
        'still limited, by the count kept in the process',
      );
      assert.equal(logs.filter((l) => l.event === 'rate_limit_store_unavailable').length, 1);
    } finally {
      await deps.rateLimits?.store?.close?.();
    }
  });

  it('does not hold payers when Redis stops answering: counts in the process instead', {
    timeout: 15_000,
  }, async () => {
    // A Redis that answers the client's handshake and ready check, then never answers again.
    const info = '# Server\r\nloading:0\r\n';
    const handshake: Record<string, string> = {
      hello: '%1\r\n$6\r\nserver\r\n$5\r\nredis\r\n',
      client: '+OK\r\n',
      info: `$${info.length}\r\n${info}\r\n`,
    };
    const stalled = createServer((socket) => {
      socket.on('data', (chunk) => {
        // Each command is an array whose first bulk string is its name: `*N\r\n$len\r\nname\r\n…`.
        for (const [, name] of chunk.toString().matchAll(/\*\d+\r\n\$\d+\r\n([A-Za-z]+)\r\n/g)) {
          const answer = handshake[name!.toLowerCase()];
          if (answer) socket.write(answer);
        }
      });
    });
    await new Promise<void>((resolve) => stalled.listen(0, '127.0.0.1', resolve));
    const { port } = stalled.address() as AddressInfo;
    const deps = await depsWithRedis(`redis://127.0.0.1:${port}`, 2);
    const h = createHarness({ rateLimits: deps.rateLimits });
    try {
      assert.equal(await deps.rateLimits?.store?.ready?.(5_000), true, 'it looked ready');
      assert.equal((await h.get('/quote?item=licence-renewal')).status, 200);
      assert.equal((await h.get('/quote?item=licence-renewal')).status, 200);
      assert.equal(
        (await h.get('/quote?item=licence-renewal')).status,
        429,
        'still limited, by the count kept in the process',
      );
    } finally {
      await deps.rateLimits?.store?.close?.();
      stalled.close();
    }
  });

  it('limits reads separately from creates', async () => {
    const h = createHarness({ rateLimits: { readsPerMinute: 2 } });
    assert.equal((await h.get('/quote?item=licence-renewal')).status, 200);
    assert.equal((await h.get('/quote?item=licence-renewal')).status, 200);
    const limited = await h.get('/quote?item=licence-renewal');
    assert.equal(limited.status, 429);
    assert.equal((await errorOf(limited)).code, 'rate_limited');
    assert.equal((await h.createCheckout()).response.status, 201);
  });
});

describe('secrets and personal data stay out of responses and logs', () => {
  it('a whole payment, with failures on the way, never shows the API key, NRIC, e-mail or token', async () => {
    const h = createHarness();
    const lines: string[] = [];
    const capture = jsonLogger((line) => lines.push(line));
    const payer = { name: 'Tan Ah Kow', email: 'tan.ah.kow@example.com', identifier: 'S1234567D' };
    const token = await h.orderToken({ payer });
    const seen: string[] = [];
    const record = async (r: Response) => {
      seen.push(JSON.stringify([...r.headers]) + (await r.clone().text()));
      return r;
    };

    h.paysgTraffic.down = true;
    await record((await h.createCheckout({ payer }, { 'Idempotency-Key': 'k1' })).response);
    h.paysgTraffic.down = false;
    const { response, json } = await h.createCheckout({ payer }, { 'Idempotency-Key': 'k1' });
    await record(response);
    const viaToken = await h.createCheckout({ item: undefined, orderToken: token });
    await record(viaToken.response);
    await h.payOnSimulator(h.paymentIdOf(json.paymentUrl));
    await record(await h.get(`/checkouts/${json.checkoutId}`));
    await record(await h.post('/quote', { orderToken: 'a.b.c' }));
    for (const entry of h.logs as LogEntry[]) capture.log(entry.level, entry.event, entry.fields);

    const everything = seen.join('\n') + lines.join('\n') + JSON.stringify(h.logs);
    for (const secret of [SIMULATOR_API_KEY, payer.email, payer.identifier, payer.name, token]) {
      assert.ok(!everything.includes(secret), `found ${secret}`);
    }
    assert.ok(lines.length > 5);
  });

  it('redacts NRIC/FIN numbers, e-mail addresses and PaySG keys that slip into a log line', () => {
    const line = redact(
      JSON.stringify({
        note: 'payer S1234567D tan@example.com used paysg_live_abcDEF123 and G7654321X with eyJhbGciOiJIUzI1NiJ9.eyJhIjoxfQ.c2ln',
      }),
    );
    assert.ok(!/S1234567D|tan@example\.com|paysg_live_abcDEF123|G7654321X|eyJ/.test(line), line);
    // A line without an e-mail address takes a shorter pattern: the rest is still redacted.
    const withoutEmail = redact(
      JSON.stringify({
        note: 'payer S1234567D used paysg_live_abcDEF123 and g7654321x with eyJhbGciOiJIUzI1NiJ9.eyJhIjoxfQ.c2ln',
      }),
    );
    assert.ok(!/S1234567D|paysg_live_abcDEF123|g7654321x|eyJ/.test(withoutEmail), withoutEmail);
    assert.equal(withoutEmail.split('[redacted]').length - 1, 4);
  });
});
