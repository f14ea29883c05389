/**
 * The quote names an order's paid checkout to its owner only (non-negotiable 7): the browser that
 * made it (its `X-PaySG-Browser`) or the holder of the same order token. A second tab of that
 * browser shows the confirmation; any other browser gets the answer an unpaid order gets.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BROWSER_A,
  BROWSER_B,
  createHarness,
  errorOf,
  PAGE_ORIGIN,
  type Harness,
} from '../helpers/bff-harness.js';

const fromA = { 'X-PaySG-Browser': BROWSER_A };
const fromB = { 'X-PaySG-Browser': BROWSER_B };

/** Browser A creates the order's checkout and pays it; the BFF verifies it, as the return does. */
async function paidBy(h: Harness, body: Record<string, unknown>): Promise<string> {
  const created = await h.createCheckout(body);
  assert.equal(created.response.status, 201);
  await h.payOnSimulator(h.paymentIdOf(created.json.paymentUrl));
  const view = (await (await h.get(`/checkouts/${created.json.checkoutId}`)).json()) as {
    status: string;
  };
  assert.equal(view.status, 'paid');
  return created.json.checkoutId;
}

async function quoteOf(response: Response): Promise<Record<string, unknown>> {
  assert.equal(response.status, 200);
  return (await response.json()) as Record<string, unknown>;
}

describe('GET /quote?item=…&reference=…', () => {
  it('names the paid checkout of the order to the browser that paid it, and the status route confirms it', async () => {
    const h = createHarness();
    const checkoutId = await paidBy(h, { reference: 'HS-01-23-2027' });
    const response = await h.get('/quote?item=licence-renewal&reference=HS-01-23-2027', {
      Origin: PAGE_ORIGIN,
      ...fromA,
    });
    const quote = await quoteOf(response);
    assert.equal(quote.paidCheckoutId, checkoutId);
    assert.equal(quote.amountInCents, 12000);
    // One browser's answer is never served to another from a cache.
    assert.equal(response.headers.get('Cache-Control'), 'no-store');
    assert.match(response.headers.get('Vary') ?? '', /X-PaySG-Browser/i);
    const view = (await (await h.get(`/checkouts/${checkoutId}`)).json()) as Record<
      string,
      unknown
    >;
    assert.equal(view.status, 'paid');
  });

  it('tells another browser, or one with no secret, nothing: the same answer as for an order nobody paid', async () => {
    const h = createHarness();
    const checkoutId = await paidBy(h, { reference: 'HS-01-24-2027' });
    const unpaid = await quoteOf(
      await h.get('/quote?item=licence-renewal&reference=HS-09-99-2027', fromB),
    );
    const stranger = await h.get('/quote?item=licence-renewal&reference=HS-01-24-2027', fromB);
    const anonymous = await h.get('/quote?item=licence-renewal&reference=HS-01-24-2027');
    for (const response of [stranger, anonymous]) {
      assert.equal(response.headers.get('Cache-Control'), 'no-cache');
      const quote = await quoteOf(response);
      assert.deepEqual(quote, unpaid);
      assert.ok(!JSON.stringify(quote).includes(checkoutId));
    }
  });

  it('matches the whole order: another item with that reference, or a reference inside a longer one, is not it', async () => {
    const h = createHarness();
    await paidBy(h, { reference: 'APP-2026-000123-B' });
    await paidBy(h, { item: 'replacement-card', reference: 'APP-2026-000123' });
    for (const path of [
      '/quote?item=licence-renewal&reference=APP-2026-000123',
      '/quote?item=licence-renewal&reference=APP-2026',
    ]) {
      assert.equal((await quoteOf(await h.get(path, fromA))).paidCheckoutId, undefined, path);
    }
  });

  it('finds the order among many paid ones whose reference contains it, newer than it', async () => {
    const h = createHarness();
    const checkoutId = await paidBy(h, { reference: 'APP-77' });
    for (let n = 0; n < 60; n++) {
      h.clock.advance(1000);
      await paidBy(h, { reference: `APP-77-${n}` });
    }
    assert.equal(
      (await quoteOf(await h.get('/quote?item=licence-renewal&reference=APP-77', fromA)))
        .paidCheckoutId,
      checkoutId,
    );
  });

  it('names only a paid checkout: an unpaid one is for Pay (which resumes it) to find', async () => {
    const h = createHarness();
    await h.createCheckout({ reference: 'HS-01-25-2027' });
    assert.equal(
      (await quoteOf(await h.get('/quote?item=licence-renewal&reference=HS-01-25-2027', fromA)))
        .paidCheckoutId,
      undefined,
    );
  });

  it('lets an allowed page send the browser secret with the quote (its preflight is granted)', async () => {
    const h = createHarness();
    const preflight = await h.app.request('/quote?item=licence-renewal&reference=HS-01-23-2027', {
      method: 'OPTIONS',
      headers: {
        Origin: PAGE_ORIGIN,
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'x-paysg-browser',
      },
    });
    assert.equal(preflight.headers.get('Access-Control-Allow-Origin'), PAGE_ORIGIN);
    assert.match(preflight.headers.get('Access-Control-Allow-Headers') ?? '', /X-PaySG-Browser/i);
    assert.match(preflight.headers.get('Access-Control-Allow-Methods') ?? '', /GET/);
  });

  it('refuses a reference the checkout would refuse, in the one error shape', async () => {
    const h = createHarness();
    const response = await h.get('/quote?item=licence-renewal&reference=%3Cscript%3E', fromA);
    assert.equal(response.status, 400);
    assert.deepEqual(
      (await errorOf(response)).issues?.map((i) => i.path),
      ['reference'],
    );
  });
});

describe('POST /quote {orderToken}', () => {
  it('names the paid checkout to the browser that paid it and to the holder of the same token, never to another', async () => {
    const h = createHarness();
    const token = await h.orderToken({ reference_id: 'INV-PAID-1' });
    const checkoutId = await paidBy(h, { item: undefined, orderToken: token });
    const newer = await h.orderToken({ reference_id: 'INV-PAID-1' });
    // The browser that paid, with this token or a newer one for the order.
    assert.equal(
      (await quoteOf(await h.post('/quote', { orderToken: token }))).paidCheckoutId,
      checkoutId,
    );
    assert.equal(
      (await quoteOf(await h.post('/quote', { orderToken: newer }))).paidCheckoutId,
      checkoutId,
    );
    // The same token in another browser: its holder owns the order's checkout (DESIGN.md, non-negotiable 7).
    assert.equal(
      (await quoteOf(await h.post('/quote', { orderToken: token }, fromB))).paidCheckoutId,
      checkoutId,
    );
    // Another token for the order, in another browser or with no secret: nothing.
    const withoutSecret = h.app.request('/quote', {
      method: 'POST',
      headers: { Origin: PAGE_ORIGIN, 'Content-Type': 'application/json', 'X-PaySG-Checkout': '1' },
      body: JSON.stringify({ orderToken: newer }),
    });
    for (const response of [
      await h.post('/quote', { orderToken: newer }, fromB),
      await withoutSecret,
    ]) {
      const quote = await quoteOf(response);
      assert.equal(quote.paidCheckoutId, undefined);
      assert.ok(!JSON.stringify(quote).includes(checkoutId));
    }
  });
});
