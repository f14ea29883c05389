import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import {
  createSimulator,
  SIMULATOR_API_KEY,
  SIMULATOR_PAYMENT_SERVICE_ID,
} from '../../demo/simulator/simulator.js';
import {
  baseUrlForKey,
  PaysgClient,
  PAYSG_PRODUCTION_API,
  PAYSG_STAGING_API,
} from '../../server/paysg/client.js';
import {
  PaysgAuthenticationError,
  PaysgConnectionError,
  PaysgIdempotencyMismatchError,
  PaysgInvalidRequestError,
  PaysgInvalidResponseError,
  PaysgNotFoundError,
  PaysgPaymentStateError,
  PaysgRateLimitError,
  PaysgTimeoutError,
  PaysgUpstreamError,
} from '../../server/paysg/errors.js';

const SIM_URL = 'https://pay.simulator.example';
const params = {
  reference_id: 'INV-001',
  payer_name: 'Tan Ah Kow',
  description: 'Licence renewal',
  amount_in_cents: 12000,
  return_url: 'https://agency.example/paysg/return/abc',
};

function clientFor(
  fetchImpl: typeof fetch,
  extra: Partial<ConstructorParameters<typeof PaysgClient>[0]> = {},
) {
  return new PaysgClient({
    apiKey: SIMULATOR_API_KEY,
    paymentServiceId: SIMULATOR_PAYMENT_SERVICE_ID,
    baseUrl: SIM_URL,
    fetch: fetchImpl,
    sleep: async () => {},
    ...extra,
  });
}

function answer(status: number, body: unknown, headers: Record<string, string> = {}): typeof fetch {
  return async () =>
    new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json', ...headers },
    });
}

describe('PaysgClient against the simulator', () => {
  it('creates and retrieves a payment on the real paths with x-api-key', async () => {
    const sim = createSimulator({ publicUrl: SIM_URL });
    const seen: Request[] = [];
    const client = clientFor(async (input, init) => {
      seen.push(new Request(input, init));
      return sim.fetch(input, init);
    });
    const created = await client.payments.create(params, { idempotencyKey: 'key-1' });
    assert.equal(created.payment_status, 'unpaid');
    assert.equal(created.amount_in_cents, 12000);
    assert.deepEqual(created.metadata, {});
    const fetched = await client.payments.retrieve(created.id);
    assert.equal(fetched.id, created.id);

    assert.equal(
      new URL(seen[0]!.url).pathname,
      `/v1/payment-services/${SIMULATOR_PAYMENT_SERVICE_ID}/payments`,
    );
    assert.equal(seen[0]!.headers.get('x-api-key'), SIMULATOR_API_KEY);
    assert.equal(seen[0]!.headers.get('idempotency-key'), 'key-1');
    assert.equal(
      new URL(seen[1]!.url).pathname,
      `/v1/payment-services/${SIMULATOR_PAYMENT_SERVICE_ID}/payments/${created.id}`,
    );
  });

  it('maps PaySG’s error envelope to typed errors, without the API key', async () => {
    const sim = createSimulator({ publicUrl: SIM_URL });
    const badKey = clientFor(sim.fetch, { apiKey: 'paysg_stag_wrong' });
    await assert.rejects(badKey.payments.retrieve('x'), (err: unknown) => {
      assert.ok(err instanceof PaysgAuthenticationError);
      assert.equal(err.status, 401);
      assert.equal(err.type, 'authentication_error');
      assert.ok(!err.message.includes('paysg_stag_wrong'));
      return true;
    });
    await assert.rejects(clientFor(sim.fetch).payments.retrieve('nope'), PaysgNotFoundError);
  });

  it('validates parameters before anything is sent', async () => {
    let calls = 0;
    const client = clientFor(async () => {
      calls++;
      return new Response('{}');
    });
    const bad = [
      { ...params, amount_in_cents: 0 },
      { ...params, amount_in_cents: 20_000_001 },
      { ...params, amount_in_cents: 12.5 },
      { ...params, reference_id: 'r'.repeat(256) },
      { ...params, description: 'd'.repeat(501) },
      { ...params, payer_identifier: 'S1234567890123456789X' },
      { ...params, return_url: 'http://agency.example/return' },
      { ...params, due_date: '2026-12-31' },
      {
        ...params,
        metadata: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v'])),
      },
    ];
    for (const p of bad) {
      await assert.rejects(
        client.payments.create(p, { idempotencyKey: 'k' }),
        PaysgInvalidRequestError,
        JSON.stringify(p).slice(0, 80),
      );
    }
    assert.equal(calls, 0);
  });

  it('retries safe requests on 5xx and 429, and gives up with a typed error', async () => {
    let calls = 0;
    const flaky: typeof fetch = async (input, init) => {
      calls++;
      if (calls < 3)
        return answer(503, { error: { type: 'api_error', code: 'unavailable', message: 'down' } })(
          input,
          init,
        );
      return answer(404, {
        error: { type: 'not_found_error', code: 'payment_not_found', message: 'no' },
      })(input, init);
    };
    await assert.rejects(clientFor(flaky).payments.retrieve('x'), PaysgNotFoundError);
    assert.equal(calls, 3);

    let limited = 0;
    const client = clientFor(
      async (i, n) => {
        limited++;
        return answer(429, { error: { message: 'slow down' } }, { 'retry-after': '1' })(i, n);
      },
      { maxRetries: 1 },
    );
    await assert.rejects(
      client.payments.retrieve('x'),
      (err: unknown) => err instanceof PaysgRateLimitError && err.retryAfter === 1,
    );
    assert.equal(limited, 2);

    await assert.rejects(
      clientFor(answer(500, 'oops'), { maxRetries: 0 }).payments.retrieve('x'),
      PaysgUpstreamError,
    );
  });

  it('does not resend a keyed POST that PaySG answered with 500 or 503: PaySG would replay it', async () => {
    for (const status of [500, 503]) {
      let calls = 0;
      const client = clientFor(async (i, n) => {
        calls++;
        return answer(status, { error: { type: 'api_error', code: 'internal', message: 'no' } })(
          i,
          n,
        );
      });
      await assert.rejects(
        client.payments.create(params, { idempotencyKey: 'key-5xx' }),
        PaysgUpstreamError,
      );
      assert.equal(calls, 1, `${status}`);
    }
    // A gateway's 502 may hide a payment: the same key is sent again, and PaySG replays or runs it.
    let gateway = 0;
    const client = clientFor(async (i, n) =>
      ++gateway === 1 ? answer(502, 'bad gateway')(i, n) : answer(404, { error: {} })(i, n),
    );
    await assert.rejects(
      client.payments.create(params, { idempotencyKey: 'key-502' }),
      PaysgNotFoundError,
    );
    assert.equal(gateway, 2);
  });

  it('takes a timeout and a retry budget per request, and never backs off below its floor', async () => {
    let calls = 0;
    const sleeps: number[] = [];
    const client = clientFor(
      async (i, n) => {
        calls++;
        return answer(503, { error: {} })(i, n);
      },
      { maxRetries: 5, sleep: async (ms) => void sleeps.push(ms) },
    );
    await assert.rejects(client.payments.retrieve('x', { maxRetries: 1 }), PaysgUpstreamError);
    assert.equal(calls, 2);
    assert.ok(
      sleeps.every((ms) => ms >= 100),
      JSON.stringify(sleeps),
    );

    const hang: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) =>
        init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)),
      );
    await assert.rejects(
      clientFor(hang, { timeoutMs: 60_000 }).payments.retrieve('x', {
        timeoutMs: 20,
        maxRetries: 0,
      }),
      (err) => err instanceof PaysgTimeoutError && /within 20 ms/.test(err.message),
    );
  });

  it('writes Unicode punctuation in the payer’s name and address as ASCII, as PaySG’s own team does', async () => {
    const sent: Record<string, string>[] = [];
    const sim = createSimulator({ publicUrl: SIM_URL });
    const client = clientFor(async (input, init) => {
      sent.push(JSON.parse(String(init?.body)));
      return sim.fetch(input, init);
    });
    const cases: [string, string][] = [
      ['Tan\u2010Ah\u2011Kow\u2012\u2013\u2014\u2015', 'Tan-Ah-Kow----'],
      ['O\u2019Brien \u2018Jr\u2019', "O'Brien 'Jr'"],
      ['Blk 1\u3001#01\u3002 2\uFF64 3\uFF61', 'Blk 1,#01. 2, 3.'],
      ['\uFF34\uFF41\uFF4E\uFF01\uFF5E\uFF10', 'Tan!~0'],
      ['陈亚狗 Tamil தமிழ் é', '陈亚狗 Tamil தமிழ் é'],
    ];
    for (const [i, [typed, written]] of cases.entries()) {
      await client.payments.create(
        { ...params, payer_name: typed, payer_address: typed },
        { idempotencyKey: `n-${i}` },
      );
      const body = sent.at(-1)!;
      assert.equal(body.payer_name, written);
      assert.equal(body.payer_address, written);
    }
    // The description and other fields are sent as given.
    await client.payments.create(
      { ...params, description: 'Fee \u2013 2026' },
      { idempotencyKey: 'desc' },
    );
    assert.equal(sent.at(-1)!.description, 'Fee \u2013 2026');
  });

  it('accepts payer identifiers up to 20 characters, as PaySG does', async () => {
    const sim = createSimulator({ publicUrl: SIM_URL });
    const client = clientFor(sim.fetch);
    const created = await client.payments.create(
      { ...params, payer_identifier: 'UEN2026123456789012X' },
      { idempotencyKey: 'id20' },
    );
    assert.equal(created.payer_identifier, 'UEN2026123456789012X');
  });

  it('leaves out a list item it cannot read, says which, and uses the rest of the page', async () => {
    const sim = createSimulator({ publicUrl: SIM_URL });
    const created = await clientFor(sim.fetch).payments.create(params, {
      idempotencyKey: 'list-a',
    });
    const other = await clientFor(sim.fetch).payments.create(
      { ...params, reference_id: 'INV-OTHER' },
      { idempotencyKey: 'list-b' },
    );
    const page = {
      data: [created, { id: 'pay_odd', amount_in_cents: 'twelve' }, 'not even an object', other],
      page_info: { has_next_page: false, has_previous_page: false, end_cursor: null },
    };
    const unreadable: unknown[] = [];
    const client = clientFor(answer(200, page), {
      onUnreadablePayment: (item) => unreadable.push(item.id),
    });
    const listed = [];
    for await (const payment of client.payments.listAll()) listed.push(payment.id);
    assert.deepEqual(listed, [created.id, other.id]);
    assert.deepEqual(unreadable, ['pay_odd', undefined]);
  });

  it('reads an empty string in a payment as absent, as one of the guide’s samples sends them', async () => {
    const sim = createSimulator({ publicUrl: SIM_URL });
    const created = await clientFor(sim.fetch).payments.create(params, { idempotencyKey: 'empty' });
    const client = clientFor(
      answer(200, { ...created, payer_email: '', payment_url: '', payer_address: '' }),
    );
    const payment = await client.payments.retrieve(created.id);
    assert.equal(payment.id, created.id);
    assert.equal(payment.payer_email, undefined);
    assert.equal(payment.payment_url, undefined);
    assert.equal(payment.payer_address, undefined);
  });

  it('reads any 2xx answer to a cancel, and says when it was not a payment', async () => {
    for (const body of ['', '{}', '{"ok":true}', '{"id":"x"}']) {
      const client = clientFor(async () =>
        body === '' ? new Response(null, { status: 204 }) : new Response(body, { status: 200 }),
      );
      assert.equal(await client.payments.cancel('x'), undefined, JSON.stringify(body));
    }
  });

  it('recognises a state refusal by PaySG’s type or code whatever the status, and an idempotency mismatch as its own error', async () => {
    const refusals: [number, Record<string, string>][] = [
      [402, {}],
      [400, { type: 'invalid_state_error', code: 'x' }],
      [409, { type: 'invalid_request_error', code: 'payment_already_paid' }],
      [400, { code: 'payment_not_cancellable' }],
      [422, { code: 'cannot_cancel' }],
    ];
    for (const [status, error] of refusals) {
      await assert.rejects(
        clientFor(answer(status, { error })).payments.cancel('x'),
        PaysgPaymentStateError,
        `${status} ${JSON.stringify(error)}`,
      );
    }
    for (const [status, error] of [
      [409, { type: 'idempotency_error', code: 'idempotency_key_reused' }],
      [422, { code: 'idempotency_mismatch' }],
      [400, { message: 'Idempotency key was used with different parameters' }],
    ] as [number, Record<string, string>][]) {
      let calls = 0;
      const client = clientFor(async (i, n) => {
        calls++;
        return answer(status, { error })(i, n);
      });
      await assert.rejects(
        client.payments.create(params, { idempotencyKey: 'k' }),
        PaysgIdempotencyMismatchError,
      );
      assert.equal(calls, 1, 'a mismatch is never retried');
    }
    // A key still in flight is a conflict, retried.
    let inFlight = 0;
    const client = clientFor(async (i, n) =>
      ++inFlight === 1
        ? answer(409, { error: { type: 'idempotency_error', code: 'idempotency_key_in_use' } })(
            i,
            n,
          )
        : answer(404, { error: {} })(i, n),
    );
    await assert.rejects(
      client.payments.create(params, { idempotencyKey: 'k' }),
      PaysgNotFoundError,
    );
    assert.equal(inFlight, 2);
  });

  it('reads each field of an error envelope on its own, so one odd field never hides a mismatch', async () => {
    for (const body of [
      {
        error: {
          type: 'idempotency_error',
          code: 'idempotency_key_reused',
          message: 'Used before',
          data: 'a string',
        },
      },
      {
        error: { type: 'idempotency_error', code: 'idempotency_key_reused', data: ['an', 'array'] },
      },
      { error: { type: 'idempotency_error', code: 'idempotency_key_reused', data: null } },
      { error: 'Idempotency key reused with different parameters' },
    ]) {
      let calls = 0;
      const client = clientFor(async (i, n) => {
        calls++;
        return answer(409, body)(i, n);
      });
      const err = await client.payments
        .create(params, { idempotencyKey: 'k' })
        .catch((e: unknown) => e);
      assert.ok(err instanceof PaysgIdempotencyMismatchError, JSON.stringify(body));
      assert.equal(calls, 1, `${JSON.stringify(body)}: a mismatch is never retried`);
    }
    const message = await clientFor(
      answer(400, { error: { message: 'amount_in_cents is too large', data: 7 } }),
    )
      .payments.cancel('x')
      .catch((e: Error) => e.message);
    assert.equal(message, 'amount_in_cents is too large');
  });

  it('turns a hang into PaysgTimeoutError and a refused connection into PaysgConnectionError', async () => {
    const hang: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) =>
        init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)),
      );
    await assert.rejects(
      clientFor(hang, { timeoutMs: 20, maxRetries: 0 }).payments.retrieve('x'),
      PaysgTimeoutError,
    );
    const refused: typeof fetch = async () => {
      throw new TypeError('fetch failed');
    };
    await assert.rejects(
      clientFor(refused, { maxRetries: 0 }).payments.retrieve('x'),
      PaysgConnectionError,
    );
  });

  it('never follows a redirect, so the API key goes nowhere but PaySG', async () => {
    const reached: (string | undefined)[] = [];
    const elsewhere = createServer((request, response) => {
      reached.push(request.headers['x-api-key'] as string | undefined);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    const redirecting = createServer((_request, response) => {
      const { port } = elsewhere.address() as AddressInfo;
      response.writeHead(307, { location: `http://127.0.0.1:${port}/collect` }).end();
    });
    for (const server of [elsewhere, redirecting])
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const client = new PaysgClient({
        apiKey: SIMULATOR_API_KEY,
        paymentServiceId: SIMULATOR_PAYMENT_SERVICE_ID,
        baseUrl: `http://127.0.0.1:${(redirecting.address() as AddressInfo).port}`,
        maxRetries: 0,
      });
      await assert.rejects(
        client.payments.create(params, { idempotencyKey: 'redirect-1' }),
        (err: Error) => err instanceof PaysgConnectionError && /redirect/.test(err.message),
      );
      await assert.rejects(client.payments.retrieve('x'), PaysgConnectionError);
      assert.deepEqual(reached, []);
    } finally {
      for (const server of [elsewhere, redirecting]) server.close();
    }
  });

  it('refuses a 2xx body that is not a payment', async () => {
    await assert.rejects(
      clientFor(answer(200, { hello: 'world' })).payments.retrieve('x'),
      PaysgInvalidResponseError,
    );
  });

  it('picks the API host from the key prefix', () => {
    assert.equal(baseUrlForKey('paysg_stag_abc'), PAYSG_STAGING_API);
    assert.equal(baseUrlForKey('paysg_live_abc'), PAYSG_PRODUCTION_API);
    assert.throws(() => baseUrlForKey('sk_test_abc'), TypeError);
  });
});
