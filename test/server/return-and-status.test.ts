import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SIMULATOR_PAYMENT_SERVICE_ID } from '../../demo/simulator/simulator.js';
import { checkoutView } from '../../server/checkouts/checkout-view.js';
import { Catalog } from '../../server/orders/catalog.js';
import { createHarness, errorOf, rewritePayments, type Harness } from '../helpers/bff-harness.js';

async function startCheckout(h: Harness) {
  const { json } = await h.createCheckout();
  const paymentId = (json.paymentUrl as string).split('/').pop()!;
  return { checkoutId: json.checkoutId as string, paymentId };
}

function returnPath(
  checkoutId: string,
  paymentId: string,
  serviceId = SIMULATOR_PAYMENT_SERVICE_ID,
) {
  return `/return/${checkoutId}?paysg_payment_id=${paymentId}&paysg_payment_service_id=${serviceId}`;
}

describe('GET /return/{id}', () => {
  it('after payment, verifies with PaySG and sends the payer back with only our checkout id', async () => {
    const h = createHarness();
    const { checkoutId, paymentId } = await startCheckout(h);
    // The simulator's hosted page redirects to return_url with PaySG's two ids.
    const paid = await h.payOnSimulator(paymentId);
    assert.equal(paid.status, 303);
    const returnUrl = new URL(paid.headers.get('Location')!);
    assert.equal(returnUrl.searchParams.get('paysg_payment_id'), paymentId);

    const response = await h.get(returnUrl.pathname.replace('/paysg', '') + returnUrl.search);
    assert.equal(response.status, 303);
    const location = new URL(response.headers.get('Location')!);
    assert.equal(location.origin + location.pathname, 'https://agency.example/licence/renew');
    assert.equal(location.searchParams.get('step'), 'pay');
    assert.equal(location.searchParams.get('paysg_checkout'), checkoutId);
    assert.equal(location.searchParams.get('paysg_payment_id'), null);

    const status = (await (await h.get(`/checkouts/${checkoutId}`)).json()) as Record<
      string,
      unknown
    >;
    assert.equal(status.status, 'paid');
    assert.equal(status.paymentId, paymentId);
    assert.equal(status.amountInCents, 12000);
    const payment = h.simulator.ledger.get(SIMULATOR_PAYMENT_SERVICE_ID, paymentId)!;
    assert.equal(status.paidAt, payment.payment_succeeded_timestamp);
  });

  it('refuses a payment id that does not belong to the checkout, and marks nothing paid', async () => {
    const h = createHarness();
    const mine = await startCheckout(h);
    const other = await startCheckout(h);
    await h.payOnSimulator(other.paymentId);

    const response = await h.get(returnPath(mine.checkoutId, other.paymentId));
    assert.equal(response.status, 400);
    assert.equal((await errorOf(response)).code, 'payment_mismatch');
    const status = (await (await h.get(`/checkouts/${mine.checkoutId}`)).json()) as {
      status: string;
    };
    assert.equal(status.status, 'unpaid');
    assert.ok(h.logs.some((l) => l.event === 'return_payment_mismatch' && l.fields.alert === true));
  });

  it('refuses a foreign payment service id', async () => {
    const h = createHarness();
    const { checkoutId, paymentId } = await startCheckout(h);
    const response = await h.get(returnPath(checkoutId, paymentId, 'payment_service_other'));
    assert.equal(response.status, 400);
    assert.equal((await errorOf(response)).code, 'payment_mismatch');
  });

  it('does not take a forged return for a payment: unpaid stays unpaid', async () => {
    const h = createHarness();
    const { checkoutId, paymentId } = await startCheckout(h);
    const response = await h.get(returnPath(checkoutId, paymentId));
    assert.equal(response.status, 303);
    const status = (await (await h.get(`/checkouts/${checkoutId}`)).json()) as { status: string };
    assert.equal(status.status, 'unpaid');
  });

  it('answers 404 for an unknown checkout', async () => {
    const h = createHarness();
    const unknown = await h.get('/return/AAAAAAAAAAAAAAAAAAAAAA?paysg_payment_id=x');
    assert.equal(unknown.status, 404);
    assert.equal((await errorOf(unknown)).code, 'not_found');
  });

  it('without the ids (or with empty ones), verifies the payment it created and sends the payer back', async () => {
    for (const query of ['', '?paysg_payment_id=&paysg_payment_service_id=', '?other=1']) {
      const h = createHarness();
      const { checkoutId, paymentId } = await startCheckout(h);
      await h.payOnSimulator(paymentId);
      const response = await h.get(`/return/${checkoutId}${query}`);
      assert.equal(response.status, 303, query);
      assert.equal(
        new URL(response.headers.get('location')!).searchParams.get('paysg_checkout'),
        checkoutId,
      );
      assert.equal((await h.store.get(checkoutId))!.status, 'paid', query);
    }
  });

  it('still sends the payer back when PaySG cannot be asked, and verifies later', async () => {
    const h = createHarness();
    const { checkoutId, paymentId } = await startCheckout(h);
    await h.payOnSimulator(paymentId);
    h.paysgTraffic.down = true;
    const response = await h.get(returnPath(checkoutId, paymentId));
    assert.equal(response.status, 303);
    const unknown = await h.get(`/checkouts/${checkoutId}`);
    assert.equal(unknown.status, 503);
    assert.equal((await errorOf(unknown)).code, 'upstream_unavailable');
    h.paysgTraffic.down = false;
    const status = (await (await h.get(`/checkouts/${checkoutId}`)).json()) as { status: string };
    assert.equal(status.status, 'paid');
  });
});

describe('GET /return/{id} in popup mode', () => {
  it('verifies, then answers a page that tells the opener and closes itself', async () => {
    const h = createHarness();
    const { json } = await h.createCheckout({ mode: 'popup' });
    const paymentId = h.paymentIdOf(json.paymentUrl);
    await h.payOnSimulator(paymentId);
    const response = await h.get(returnPath(json.checkoutId, paymentId));
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('Cross-Origin-Opener-Policy'), 'unsafe-none');
    assert.match(response.headers.get('Content-Security-Policy') ?? '', /script-src 'self'/);
    const page = await response.text();
    assert.match(page, new RegExp(`data-checkout-id="${json.checkoutId}"`));
    assert.match(page, /data-opener-origin="https:\/\/agency\.example"/);
    assert.match(page, /src="\/paysg\/popup-return\.js"/);
    assert.equal((await h.store.get(json.checkoutId))!.status, 'paid');
    const script = await h.get('/popup-return.js');
    assert.match(await script.text(), /postMessage\(message, root\.dataset\.openerOrigin\)/);
  });

  it('refuses an unknown mode', async () => {
    const h = createHarness();
    const { response } = await h.createCheckout({ mode: 'iframe' });
    assert.equal(response.status, 400);
  });
});

describe('GET /checkouts/{id}', () => {
  it('reports an unpaid checkout with its payment page, and never payer details', async () => {
    const h = createHarness();
    const { json } = await h.createCheckout({
      payer: { name: 'Tan Ah Kow', email: 'tan@example.com', identifier: 'S1234567D' },
    });
    const response = await h.get(`/checkouts/${json.checkoutId}`);
    assert.equal(response.status, 200);
    const body = await response.text();
    const view = JSON.parse(body);
    assert.equal(view.status, 'unpaid');
    assert.equal(view.paymentUrl, json.paymentUrl);
    assert.equal(view.currency, 'SGD');
    for (const secret of ['Tan Ah Kow', 'tan@example.com', 'S1234567D'])
      assert.ok(!body.includes(secret), secret);
  });

  it('gives the item’s texts in the other languages, unless the catalog has since changed its description', async () => {
    const h = createHarness();
    const { json } = await h.createCheckout({ item: 'replacement-card' });
    const view = (await (await h.get(`/checkouts/${json.checkoutId}`)).json()) as {
      description: string;
      translations?: unknown;
    };
    assert.equal(view.description, 'Replacement card');
    assert.deepEqual(view.translations, {
      zh: { description: '补发卡' },
      ta: { description: 'மாற்று அட்டை' },
    });
    const stored = (await h.store.get(json.checkoutId))!;
    const renamed = Catalog.from({
      items: {
        'replacement-card': {
          description: 'Card replacement',
          amountInCents: 5000,
          translations: { zh: { description: '换卡' } },
        },
      },
    });
    assert.equal(checkoutView(stored, renamed).translations, undefined);
    const untranslated = (await (
      await h.get(`/checkouts/${(await startCheckout(h)).checkoutId}`)
    ).json()) as object;
    assert.ok(!('translations' in untranslated));
  });

  it('does not mark paid when PaySG’s payment differs from the one created', async () => {
    const h = createHarness({ wrapFetch: rewritePayments('GET', (p) => (p.amount_in_cents = 1)) });
    const { checkoutId, paymentId } = await startCheckout(h);
    await h.payOnSimulator(paymentId);
    const view = (await (await h.get(`/checkouts/${checkoutId}`)).json()) as { status: string };
    assert.equal(view.status, 'unpaid');
    assert.ok(
      h.logs.some(
        (l) => l.event === 'payment_verification_mismatch' && l.fields.field === 'amount_in_cents',
      ),
    );
  });

  it('serves a paid checkout from the store without asking PaySG again', async () => {
    const h = createHarness();
    const { checkoutId, paymentId } = await startCheckout(h);
    await h.payOnSimulator(paymentId);
    await h.get(`/checkouts/${checkoutId}`);
    const before = h.paysgTraffic.gets;
    for (let i = 0; i < 5; i++) await h.get(`/checkouts/${checkoutId}`);
    assert.equal(h.paysgTraffic.gets, before);
  });

  it('asks PaySG at most once while many tabs poll an unpaid checkout', async () => {
    const h = createHarness();
    const { checkoutId } = await startCheckout(h);
    await Promise.all(Array.from({ length: 10 }, () => h.get(`/checkouts/${checkoutId}`)));
    assert.equal(h.paysgTraffic.gets, 1);
  });

  it('answers 404 for unknown and malformed ids', async () => {
    const h = createHarness();
    for (const id of ['AAAAAAAAAAAAAAAAAAAAAA', 'short', '..%2F..%2Fetc']) {
      const response = await h.get(`/checkouts/${id}`);
      assert.equal(response.status, 404, id);
      assert.equal((await errorOf(response)).code, 'not_found');
    }
  });
});
