import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createHarness, errorOf, PAGE_ORIGIN } from '../helpers/bff-harness.js';

describe('GET /quote', () => {
  it('prices a catalog item', async () => {
    const h = createHarness();
    const response = await h.get('/quote?item=licence-renewal', { Origin: PAGE_ORIGIN });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), {
      item: 'licence-renewal',
      description: 'Hawker stall licence renewal',
      amountInCents: 12000,
      currency: 'SGD',
      lineItems: [],
    });
    assert.equal(response.headers.get('Access-Control-Allow-Origin'), PAGE_ORIGIN);
    assert.match(response.headers.get('X-Request-Id') ?? '', /.+/);
  });

  it('gives an item’s texts in the other languages the catalog has, for the widget to show', async () => {
    const h = createHarness();
    const quote = (await (await h.get('/quote?item=replacement-card')).json()) as { description: string; translations: unknown };
    assert.equal(quote.description, 'Replacement card');
    assert.deepEqual(quote.translations, { zh: { description: '补发卡' }, ta: { description: 'மாற்று அட்டை' } });
  });

  it('answers bad and unknown items in the one error shape', async () => {
    const h = createHarness();
    const missing = await h.get('/quote');
    assert.equal(missing.status, 400);
    assert.deepEqual((await errorOf(missing)).issues?.map((i) => i.path), ['item']);
    const malformed = await h.get('/quote?item=%3Cscript%3E');
    assert.equal(malformed.status, 400);
    const unknown = await h.get('/quote?item=no-such-item');
    assert.equal(unknown.status, 404);
    const error = await errorOf(unknown);
    assert.equal(error.code, 'unknown_item');
    assert.equal(error.requestId, unknown.headers.get('X-Request-Id'));
  });

  it('gives no CORS grant to an origin that is not allowed', async () => {
    const h = createHarness();
    const preflight = await h.app.request('/checkouts', {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://evil.example',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type,x-paysg-checkout',
      },
    });
    assert.equal(preflight.headers.get('Access-Control-Allow-Origin'), null);
    const allowed = await h.app.request('/checkouts', {
      method: 'OPTIONS',
      headers: { Origin: PAGE_ORIGIN, 'Access-Control-Request-Method': 'POST' },
    });
    assert.equal(allowed.headers.get('Access-Control-Allow-Origin'), PAGE_ORIGIN);
    assert.match(allowed.headers.get('Access-Control-Allow-Headers') ?? '', /X-PaySG-Checkout/i);
  });
});

describe('GET /widget.js', () => {
  it('serves the built bundle so any agency page can load it', async () => {
    const h = createHarness({ widget: 'export const built = true;' });
    const response = await h.get('/widget.js');
    assert.equal(response.status, 200);
    assert.equal(await response.text(), 'export const built = true;');
    assert.match(response.headers.get('Content-Type') ?? '', /^text\/javascript/);
    assert.equal(response.headers.get('Cross-Origin-Resource-Policy'), 'cross-origin');
    assert.match(response.headers.get('Cache-Control') ?? '', /max-age=\d+/);
    assert.ok(response.headers.get('ETag'));
  });

  it('says clearly when the bundle has not been built', async () => {
    const h = createHarness();
    const response = await h.get('/widget.js');
    assert.equal(response.status, 503);
    assert.equal((await errorOf(response)).code, 'widget_not_built');
  });

  it('keeps same-origin resource policy on the API', async () => {
    const h = createHarness();
    const response = await h.get('/quote?item=licence-renewal');
    assert.equal(response.headers.get('Cross-Origin-Resource-Policy'), 'same-origin');
    assert.equal(response.headers.get('X-Content-Type-Options'), 'nosniff');
  });
});

describe('GET /healthz', () => {
  it('reports the store and PaySG as answering', async () => {
    const h = createHarness();
    const response = await h.get('/healthz');
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: 'ok', store: 'ok', paysg: 'ok' });
  });

  it('says what is wrong with PaySG: unreachable, the key refused, not permitted, an unknown service', async () => {
    const cases: [string, (inner: typeof fetch) => typeof fetch, RegExp][] = [
      ['unreachable', () => async () => Promise.reject(new TypeError('connect ECONNREFUSED')), /did not answer/],
      ['key_refused', () => async () => new Response('{"error":{}}', { status: 401 }), /PAYSG_API_KEY/],
      ['not_permitted', () => async () => new Response('{"error":{}}', { status: 403 }), /Billing collaborator/],
      ['unknown_payment_service', () => async () => new Response('{"error":{}}', { status: 404 }), /PAYSG_PAYMENT_SERVICE_ID/],
      ['error', () => async () => new Response('{"error":{}}', { status: 500 }), /server log/],
    ];
    for (const [check, wrapFetch, problem] of cases) {
      const h = createHarness({ wrapFetch });
      const response = await h.get('/healthz');
      assert.equal(response.status, 503, check);
      const body = (await response.json()) as { status: string; store: string; paysg: string; paysgProblem: string };
      assert.deepEqual({ ...body, paysgProblem: undefined }, { status: 'degraded', store: 'ok', paysg: check, paysgProblem: undefined });
      assert.match(body.paysgProblem, problem);
    }
  });

  it('tells a wrong payment service from a working one, against the simulator', async () => {
    const h = createHarness();
    (h.paysg as { paymentServiceId: string }).paymentServiceId = 'payment_service_nobody';
    const body = (await (await h.get('/healthz')).json()) as { paysg: string };
    assert.equal(body.paysg, 'unknown_payment_service');
  });

  it('asks PaySG at most once per 30 s however often it is probed', async () => {
    const h = createHarness();
    for (let i = 0; i < 5; i++) await h.get('/healthz');
    assert.equal(h.paysgTraffic.gets, 1);
    h.clock.advance(30_000);
    await h.get('/healthz');
    assert.equal(h.paysgTraffic.gets, 2);
  });
});

describe('unknown routes and unexpected failures', () => {
  it('answer in the one error shape, never a stack trace', async () => {
    const h = createHarness();
    const notFound = await h.get('/nope');
    assert.equal(notFound.status, 404);
    assert.equal((await errorOf(notFound)).code, 'not_found');

    (h.store as { get: unknown }).get = async () => {
      throw new Error('disk on fire at /var/lib/secret');
    };
    const broken = await h.get('/checkouts/AAAAAAAAAAAAAAAAAAAAAA');
    assert.equal(broken.status, 500);
    const text = await broken.text();
    assert.equal(JSON.parse(text).error.code, 'internal_error');
    assert.ok(!text.includes('disk on fire') && !text.includes('at '), text);
  });
});
