import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createHash } from 'node:crypto';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { BFF_URL, createHarness, errorOf, PAGE_ORIGIN } from '../helpers/bff-harness.js';

interface WidgetManifestAnswer {
  src: string;
  integrity: string;
  locales: Record<string, { src: string; integrity: string }>;
}

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
    const quote = (await (await h.get('/quote?item=replacement-card')).json()) as {
      description: string;
      translations: unknown;
    };
    assert.equal(quote.description, 'Replacement card');
    assert.deepEqual(quote.translations, {
      zh: { description: '补发卡' },
      ta: { description: 'மாற்று அட்டை' },
    });
  });

  it('answers bad and unknown items in the one error shape', async () => {
    const h = createHarness();
    const missing = await h.get('/quote');
    assert.equal(missing.status, 400);
    assert.deepEqual(
      (await errorOf(missing)).issues?.map((i) => i.path),
      ['item'],
    );
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
    assert.equal(allowed.headers.get('Access-Control-Allow-Methods'), 'GET,POST');
    assert.equal(allowed.headers.get('Access-Control-Max-Age'), '600');
    // The request itself, from a page not allowed: answered, but no page of its may read it.
    const read = await h.get('/quote?item=licence-renewal', { Origin: 'https://evil.example' });
    assert.equal(read.headers.get('Access-Control-Allow-Origin'), null);
    assert.match(read.headers.get('Vary') ?? '', /Origin/);
  });

  it('lets an allowed page read the request id and Retry-After, on answers and on refusals', async () => {
    const h = createHarness({ rateLimits: { readsPerMinute: 1 } });
    for (const expected of [200, 429]) {
      const response = await h.get('/quote?item=licence-renewal', { Origin: PAGE_ORIGIN });
      assert.equal(response.status, expected);
      assert.equal(response.headers.get('Access-Control-Allow-Origin'), PAGE_ORIGIN);
      assert.equal(
        response.headers.get('Access-Control-Expose-Headers'),
        'X-Request-Id,Retry-After',
      );
      assert.match(response.headers.get('Vary') ?? '', /Origin/);
      // The security headers are there too, on the route's own response.
      assert.equal(response.headers.get('X-Content-Type-Options'), 'nosniff');
    }
  });
});

describe('the widget’s files', () => {
  const SCRIPT = 'export const built = true;';
  const ZH = '{"pay":"支付 {amount}"}';
  const built = () => createHarness({ widget: SCRIPT, widgetLocales: { zh: ZH } });
  const sha384 = (text: string) => `sha384-${createHash('sha384').update(text).digest('base64')}`;
  const pinned = async (h: ReturnType<typeof built>) =>
    (await (await h.get('/widget-manifest.json')).json()) as WidgetManifestAnswer;

  it('serves the newest script at /widget.js, loadable from any page, cached briefly', async () => {
    const response = await built().get('/widget.js');
    assert.equal(response.status, 200);
    assert.equal(await response.text(), SCRIPT);
    assert.match(response.headers.get('Content-Type') ?? '', /^text\/javascript/);
    assert.equal(response.headers.get('Cross-Origin-Resource-Policy'), 'cross-origin');
    assert.equal(response.headers.get('Access-Control-Allow-Origin'), '*');
    assert.equal(response.headers.get('Cache-Control'), 'public, max-age=300');
    assert.equal(response.headers.get('Vary'), 'Accept-Encoding');
    assert.ok(response.headers.get('ETag'));
  });

  it('sends brotli or gzip as the browser accepts, else the plain bytes', async () => {
    const h = built();
    const br = await h.get('/widget.js', { 'Accept-Encoding': 'gzip, deflate, br, zstd' });
    assert.equal(br.headers.get('Content-Encoding'), 'br');
    assert.equal(brotliDecompressSync(Buffer.from(await br.arrayBuffer())).toString(), SCRIPT);
    const gz = await h.get('/widget.js', { 'Accept-Encoding': 'gzip, br;q=0' });
    assert.equal(gz.headers.get('Content-Encoding'), 'gzip');
    assert.equal(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString(), SCRIPT);
    const plain = await h.get('/widget.js', { 'Accept-Encoding': 'identity' });
    assert.equal(plain.headers.get('Content-Encoding'), null);
    assert.equal(await plain.text(), SCRIPT);
  });

  it('names the pinned script and its integrity in /widget-manifest.json; that URL is cached for good', async () => {
    const h = built();
    const manifest = await pinned(h);
    assert.match(manifest.src, new RegExp(`^${BFF_URL}/widget\\.[0-9a-f]{12}\\.js$`));
    assert.equal(manifest.integrity, sha384(SCRIPT));
    const response = await h.get(
      new URL(manifest.src).pathname.slice(new URL(BFF_URL).pathname.length),
    );
    assert.equal(response.status, 200);
    assert.equal(await response.text(), SCRIPT);
    assert.equal(response.headers.get('Cache-Control'), 'public, max-age=31536000, immutable');
  });

  it('answers 404 for another build’s pinned script, never the current one under its name', async () => {
    const response = await built().get('/widget.0123456789ab.js');
    assert.equal(response.status, 404);
    assert.equal((await errorOf(response)).code, 'not_found');
  });

  it('serves each language the manifest names, with CORS for pages on other origins', async () => {
    const h = built();
    const zh = (await pinned(h)).locales.zh!;
    assert.equal(zh.integrity, sha384(ZH));
    const response = await h.get(`/locales/${zh.src.split('/locales/')[1]}`, {
      Origin: 'https://any-agency.example',
    });
    assert.equal(response.status, 200);
    assert.equal(await response.text(), ZH);
    assert.equal(response.headers.get('Access-Control-Allow-Origin'), '*');
    assert.equal(response.headers.get('Cache-Control'), 'public, max-age=31536000, immutable');
    assert.equal((await h.get('/locales/zh.0123456789ab.json')).status, 404);
  });

  it('says clearly when the widget has not been built', async () => {
    const h = createHarness();
    for (const path of ['/widget.js', '/widget-manifest.json']) {
      const response = await h.get(path);
      assert.equal(response.status, 503);
      assert.equal((await errorOf(response)).code, 'widget_not_built');
    }
  });

  it('gives the API none of the widget’s open headers', async () => {
    const response = await built().get('/quote?item=licence-renewal', {
      Origin: 'https://elsewhere.example',
    });
    assert.equal(response.headers.get('Access-Control-Allow-Origin'), null);
    assert.equal(response.headers.get('ETag'), null);
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
      [
        'unreachable',
        () => async () => Promise.reject(new TypeError('connect ECONNREFUSED')),
        /did not answer/,
      ],
      [
        'key_refused',
        () => async () => new Response('{"error":{}}', { status: 401 }),
        /PAYSG_API_KEY/,
      ],
      [
        'not_permitted',
        () => async () => new Response('{"error":{}}', { status: 403 }),
        /Billing collaborator/,
      ],
      [
        'unknown_payment_service',
        () => async () => new Response('{"error":{}}', { status: 404 }),
        /PAYSG_PAYMENT_SERVICE_ID/,
      ],
      ['error', () => async () => new Response('{"error":{}}', { status: 500 }), /server log/],
    ];
    for (const [check, wrapFetch, problem] of cases) {
      const h = createHarness({ wrapFetch });
      const response = await h.get('/healthz');
      assert.equal(response.status, 503, check);
      const body = (await response.json()) as {
        status: string;
        store: string;
        paysg: string;
        paysgProblem: string;
      };
      assert.deepEqual(
        { ...body, paysgProblem: undefined },
        { status: 'degraded', store: 'ok', paysg: check, paysgProblem: undefined },
      );
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
