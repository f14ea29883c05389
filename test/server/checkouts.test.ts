import { serve } from '@hono/node-server';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { SIMULATOR_PAYMENT_SERVICE_ID } from '../../demo/simulator/simulator.js';
import {
  BROWSER_A,
  createHarness,
  errorOf,
  PAGE_ORIGIN,
  RETURN_TO,
  rewritePayments,
  SIMULATOR_URL,
} from '../helpers/bff-harness.js';

describe('POST /checkouts', () => {
  it('creates one PaySG payment priced from the catalog and returns its payment page', async () => {
    const h = createHarness();
    const { response, json } = await h.createCheckout();
    assert.equal(response.status, 201);
    assert.match(json.checkoutId, /^[A-Za-z0-9_-]{22}$/);
    assert.equal(json.status, 'unpaid');
    assert.ok(json.paymentUrl.startsWith(`${SIMULATOR_URL}/payments/`));

    const paymentId = json.paymentUrl.split('/').pop()!;
    const payment = h.simulator.ledger.get(SIMULATOR_PAYMENT_SERVICE_ID, paymentId)!;
    assert.equal(payment.amount_in_cents, 12000);
    assert.equal(payment.description, 'Hawker stall licence renewal');
    assert.equal(payment.payer_name, 'Tan Ah Kow');
    assert.equal(payment.return_url, `https://agency.example/paysg/return/${json.checkoutId}`);
    assert.equal(h.simulator.ledger.paymentCount, 1);
  });

  it('refuses a body that carries an amount, naming the field', async () => {
    const h = createHarness();
    for (const field of ['amountInCents', 'amount', 'amount_in_cents']) {
      const { response } = await h.createCheckout({ [field]: 1 });
      assert.equal(response.status, 400);
      const error = await errorOf(response);
      assert.equal(error.code, 'invalid_request');
      assert.deepEqual(
        error.issues?.map((i) => i.path),
        [field],
      );
      assert.match(error.issues![0]!.message, /amount is decided by the server/);
    }
    assert.equal(h.simulator.ledger.paymentCount, 0);
  });

  it('refuses unknown fields, missing and oversized fields with field-level issues', async () => {
    const h = createHarness();
    const cases: [Record<string, unknown>, string][] = [
      [{ colour: 'red' }, 'colour'],
      [{ item: undefined }, 'item'],
      [{ returnTo: undefined }, 'returnTo'],
      [{ reference: 'x'.repeat(256) }, 'reference'],
      [{ payer: { name: 'n'.repeat(256) } }, 'payer.name'],
      [{ payer: { name: 'Tan', email: 'not-an-email' } }, 'payer.email'],
      [{ payer: { name: 'Tan', identifier: 'S1234567890123456789X' } }, 'payer.identifier'],
      [{ item: 'Not An Id!' }, 'item'],
    ];
    for (const [override, path] of cases) {
      const { response } = await h.createCheckout(override);
      assert.equal(response.status, 400, path);
      const error = await errorOf(response);
      assert.equal(error.code, 'invalid_request');
      assert.ok(
        error.issues?.some((i) => i.path === path),
        `${path} in ${JSON.stringify(error.issues)}`,
      );
    }
    assert.equal(h.simulator.ledger.paymentCount, 0);
  });

  it('answers an unknown item with unknown_item', async () => {
    const h = createHarness();
    const { response } = await h.createCheckout({ item: 'no-such-item' });
    assert.equal(response.status, 404);
    assert.equal((await errorOf(response)).code, 'unknown_item');
  });

  it('asks for the payer name PaySG requires', async () => {
    const h = createHarness();
    const { response } = await h.createCheckout({ payer: undefined });
    assert.equal(response.status, 400);
    const error = await errorOf(response);
    assert.equal(error.code, 'payer_details_required');
    assert.deepEqual(
      error.issues?.map((i) => i.path),
      ['payer.name'],
    );
  });

  it('needs application/json (415), the checkout header and an allowed origin', async () => {
    const h = createHarness();
    const body = JSON.stringify({
      item: 'licence-renewal',
      payer: { name: 'Tan' },
      returnTo: RETURN_TO,
    });

    const plain = await h.post('/checkouts', body, { 'Content-Type': 'text/plain' });
    assert.equal(plain.status, 415);
    assert.equal((await errorOf(plain)).code, 'unsupported_media_type');

    const form = await h.post('/checkouts', 'item=licence-renewal', {
      'Content-Type': 'application/x-www-form-urlencoded',
    });
    assert.equal(form.status, 415);

    const noHeader = await h.app.request('/checkouts', {
      method: 'POST',
      headers: { Origin: PAGE_ORIGIN, 'Content-Type': 'application/json' },
      body,
    });
    assert.equal(noHeader.status, 400);
    assert.match((await errorOf(noHeader)).message, /X-PaySG-Checkout/);

    const evil = await h.post('/checkouts', body, { Origin: 'https://evil.example' });
    assert.equal(evil.status, 403);
    assert.equal((await errorOf(evil)).code, 'origin_not_allowed');

    const broken = await h.post('/checkouts', '{"item":');
    assert.equal(broken.status, 400);
    assert.equal((await errorOf(broken)).code, 'invalid_request');
    assert.equal(h.simulator.ledger.paymentCount, 0);
  });

  it('refuses an oversized body with 413', async () => {
    const h = createHarness();
    const response = await h.post(
      '/checkouts',
      JSON.stringify({ item: 'licence-renewal', filler: 'x'.repeat(20_000) }),
    );
    assert.equal(response.status, 413);
    assert.equal((await errorOf(response)).code, 'payload_too_large');
  });

  it('refuses an oversized body with 413 over a socket, whether its length is declared or chunked', async () => {
    const h = createHarness();
    const server = serve({ fetch: h.app.fetch, port: 0, hostname: '127.0.0.1' });
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const headers = {
      Origin: PAGE_ORIGIN,
      'Content-Type': 'application/json',
      'X-PaySG-Checkout': '1',
      'X-PaySG-Browser': BROWSER_A,
    };
    /** One POST over a real connection, its body sent whole (Content-Length) or in chunks. */
    const postOverSocket = (body: string, chunked: boolean) =>
      new Promise<{ status: number; code: string }>((resolve, reject) => {
        const request = httpRequest(
          {
            host: '127.0.0.1',
            port,
            path: '/checkouts',
            method: 'POST',
            headers: {
              ...headers,
              'Idempotency-Key': crypto.randomUUID(),
              ...(!chunked && { 'Content-Length': Buffer.byteLength(body) }),
            },
          },
          (response) => {
            let text = '';
            response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
            response.on('end', () =>
              resolve({ status: response.statusCode!, code: JSON.parse(text).error?.code ?? '' }),
            );
          },
        );
        request.on('error', reject);
        if (chunked)
          for (let at = 0; at < body.length; at += 1000) request.write(body.slice(at, at + 1000));
        request.end(chunked ? undefined : body);
      });
    try {
      const oversized = JSON.stringify({
        item: 'licence-renewal',
        payer: { name: 'Tan Ah Kow' },
        returnTo: RETURN_TO,
        filler: 'x'.repeat(20_000),
      });
      for (const chunked of [false, true])
        assert.deepEqual(
          await postOverSocket(oversized, chunked),
          { status: 413, code: 'payload_too_large' },
          chunked ? 'chunked' : 'declared',
        );
      assert.equal(h.simulator.ledger.paymentCount, 0);
      // Under the limit, both ways reach the route.
      const order = JSON.stringify({
        item: 'licence-renewal',
        payer: { name: 'Tan Ah Kow' },
        returnTo: RETURN_TO,
      });
      for (const chunked of [false, true])
        assert.equal(
          (await postOverSocket(order, chunked)).status,
          201,
          chunked ? 'chunked' : 'declared',
        );
    } finally {
      server.close();
    }
  });

  it('sends the payer back only to allowed origins', async () => {
    const h = createHarness();
    for (const returnTo of [
      'https://evil.example/',
      'https://agency.example.evil.example/',
      'https://agency.example@evil.example/',
      'javascript:alert(1)',
      'http://agency.example/',
      '//evil.example/',
      'not a url',
    ]) {
      const { response } = await h.createCheckout({ returnTo });
      assert.equal(response.status, 400, returnTo);
      assert.deepEqual(
        (await errorOf(response)).issues?.map((i) => i.path),
        ['returnTo'],
      );
    }
    assert.equal(h.simulator.ledger.paymentCount, 0);
  });

  it('replays a retry with the same Idempotency-Key: one checkout, one PaySG payment', async () => {
    const h = createHarness();
    const key = { 'Idempotency-Key': 'a9be4e3-685d-4384-99c7-11774722d930' };
    const first = await h.createCheckout({}, key);
    const second = await h.createCheckout({}, key);
    const quoted = await h.createCheckout({}, { 'Idempotency-Key': `"${key['Idempotency-Key']}"` });
    assert.equal(first.response.status, 201);
    assert.equal(second.response.status, 200);
    assert.deepEqual(second.json, first.json);
    assert.deepEqual(quoted.json, first.json);
    assert.equal(h.simulator.ledger.paymentCount, 1);
  });

  it('turns a double click (two concurrent requests, same key) into one PaySG payment', async () => {
    const h = createHarness();
    const key = { 'Idempotency-Key': 'double-click-1' };
    const results = await Promise.all([h.createCheckout({}, key), h.createCheckout({}, key)]);
    const ok = results.filter((r) => r.response.status === 201 || r.response.status === 200);
    assert.ok(ok.length >= 1);
    for (const r of results) {
      if (r.response.status === 409) assert.equal(r.json.error.code, 'checkout_in_progress');
      else assert.equal(r.json.checkoutId, ok[0]!.json.checkoutId);
    }
    assert.equal(h.simulator.ledger.paymentCount, 1);
  });

  it('refuses the same Idempotency-Key for a different order', async () => {
    const h = createHarness();
    await h.createCheckout({}, { 'Idempotency-Key': 'k-1' });
    const { response } = await h.createCheckout(
      { item: 'replacement-card' },
      { 'Idempotency-Key': 'k-1' },
    );
    assert.equal(response.status, 422);
    assert.equal((await errorOf(response)).code, 'idempotency_mismatch');
    assert.equal(h.simulator.ledger.paymentCount, 1);
  });

  it('refuses malformed Idempotency-Keys', async () => {
    const h = createHarness();
    for (const key of ['x'.repeat(256), 'has space', '']) {
      const { response } = await h.createCheckout({}, { 'Idempotency-Key': key });
      assert.equal(response.status, 400, JSON.stringify(key));
    }
    assert.equal(h.simulator.ledger.paymentCount, 0);
  });

  it('gives two tabs paying the same order the same checkout', async () => {
    const h = createHarness();
    const a = await h.createCheckout(
      { reference: 'LIC-2026-0001' },
      { 'Idempotency-Key': 'tab-a' },
    );
    const b = await h.createCheckout(
      { reference: 'LIC-2026-0001' },
      { 'Idempotency-Key': 'tab-b' },
    );
    assert.equal(a.response.status, 201);
    assert.equal(b.response.status, 200);
    assert.equal(b.json.checkoutId, a.json.checkoutId);
    assert.equal(b.json.paymentUrl, a.json.paymentUrl);
    assert.equal(h.simulator.ledger.createCount(SIMULATOR_PAYMENT_SERVICE_ID, 'LIC-2026-0001'), 1);
  });

  it('answers order_already_paid for an order that is paid', async () => {
    const h = createHarness();
    const first = await h.createCheckout({ reference: 'LIC-2026-0002' });
    await h.payOnSimulator(first.json.paymentUrl.split('/').pop()!);
    await h.get(`/checkouts/${first.json.checkoutId}`);
    const again = await h.createCheckout({ reference: 'LIC-2026-0002' });
    assert.equal(again.response.status, 409);
    assert.equal(again.json.error.code, 'order_already_paid');
    assert.equal(h.simulator.ledger.paymentCount, 1);
  });

  it('after PaySG committed but the answer was lost, a retry gets the same payment', async () => {
    let dropNext = true;
    const h = createHarness({
      wrapFetch: (inner) => async (input, init) => {
        const response = await inner(input, init);
        if (dropNext && init?.method === 'POST') {
          dropNext = false;
          throw new TypeError('socket hang up');
        }
        return response;
      },
    });
    const key = { 'Idempotency-Key': 'lost-answer' };
    // The client retries with the key derived from the checkout; PaySG replays, no second payment.
    const first = await h.createCheckout({}, key);
    assert.equal(first.response.status, 201, JSON.stringify(first.json));
    assert.equal(h.simulator.ledger.paymentCount, 1);
    assert.equal(h.simulator.state.idempotency.replays, 1);
  });

  it('answers upstream_unavailable while PaySG is down and completes on retry, once', async () => {
    const h = createHarness();
    h.paysgTraffic.down = true;
    const key = { 'Idempotency-Key': 'down-then-up' };
    const first = await h.createCheckout({}, key);
    assert.equal(first.response.status, 503);
    assert.equal(first.json.error.code, 'upstream_unavailable');
    assert.ok(first.response.headers.get('Retry-After'));
    h.paysgTraffic.down = false;
    const retry = await h.createCheckout({}, key);
    assert.equal(retry.response.status, 200);
    assert.equal(retry.json.status, 'unpaid');
    assert.equal(h.simulator.ledger.paymentCount, 1);
  });

  it('never hands out a payment page that is not on PaySG’s origin', async () => {
    const h = createHarness({
      wrapFetch: rewritePayments('POST', (p) => (p.payment_url = 'https://evil.example/pay')),
    });
    const { response, json } = await h.createCheckout();
    assert.equal(response.status, 502);
    assert.equal(json.error.code, 'upstream_rejected');
    assert.ok(!JSON.stringify(json).includes('evil.example'));
  });
});
