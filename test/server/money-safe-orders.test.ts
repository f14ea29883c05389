/**
 * The order model turned against payer and agency (non-negotiables 2, 7 and 8): a reference is
 * not a key, the price is part of the order, an older order token never undoes a newer one, a
 * cancel counts only once PaySG confirms it, and no payment PaySG made is left payable and
 * forgotten.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SIMULATOR_PAYMENT_SERVICE_ID } from '../../demo/simulator/simulator.js';
import { checkoutView } from '../../server/checkouts/checkout-view.js';
import { Catalog } from '../../server/orders/catalog.js';
import { signWebhookPayload } from '../../server/paysg/webhook-signature.js';
import { SqliteCheckoutStore } from '../../server/storage/sqlite-store.js';
import {
  BROWSER_A,
  BROWSER_B,
  createHarness,
  errorOf,
  rewritePayments,
  WEBHOOK_SECRET,
  type Harness,
} from '../helpers/bff-harness.js';

const fromB = { 'X-PaySG-Browser': BROWSER_B };

/** PaySG's payments for one reference, as PaySG itself has them. */
function paymentsFor(h: Harness, reference: string) {
  return h.simulator.ledger
    .list(SIMULATOR_PAYMENT_SERVICE_ID, { limit: 100 })
    .data.filter((p) => p.reference_id === reference);
}

function payable(h: Harness, reference: string) {
  return paymentsFor(h, reference).filter((p) => p.latest_status === 'unpaid');
}

function tokenOrder(token: string) {
  return { item: undefined, orderToken: token };
}

describe('a reference is not a key', () => {
  it('a stranger naming a known reference gets nothing of the first checkout, and its link is cancelled before theirs exists', async () => {
    const h = createHarness();
    const payer = await h.createCheckout({
      reference: 'APP-2026-000123',
      payer: { name: 'Tan Ah Kow', email: 'tan@example.com' },
    });
    assert.equal(payer.response.status, 201);
    const stranger = await h.createCheckout(
      { reference: 'APP-2026-000123', payer: { name: 'Someone else' } },
      fromB,
    );
    assert.equal(stranger.response.status, 201);
    const body = JSON.stringify(stranger.json);
    assert.notEqual(stranger.json.checkoutId, payer.json.checkoutId);
    assert.ok(
      !body.includes(payer.json.checkoutId) &&
        !body.includes(payer.json.paymentUrl) &&
        !body.includes('Tan Ah Kow'),
    );
    // The first link is dead before the second is handed out: never two payable links.
    assert.equal(
      h.simulator.ledger.find(h.paymentIdOf(payer.json.paymentUrl))!.latest_status,
      'cancelled',
    );
    assert.deepEqual(
      payable(h, 'APP-2026-000123').map((p) => p.payer_name),
      ['Someone else'],
    );
  });

  it('a stranger who creates first does not receive the real payer’s checkout', async () => {
    const h = createHarness();
    const stranger = await h.createCheckout(
      { reference: 'APP-2026-000124', payer: { name: 'Someone else', email: 'evil@example.com' } },
      fromB,
    );
    const payer = await h.createCheckout({
      reference: 'APP-2026-000124',
      payer: { name: 'Tan Ah Kow' },
    });
    assert.equal(payer.response.status, 201);
    assert.notEqual(payer.json.checkoutId, stranger.json.checkoutId);
    const mine = h.simulator.ledger.find(h.paymentIdOf(payer.json.paymentUrl))!;
    assert.equal(mine.payer_name, 'Tan Ah Kow');
    assert.ok(!mine.payer_email);
    assert.deepEqual(
      payable(h, 'APP-2026-000124').map((p) => p.id),
      [mine.id],
    );
  });

  it('only the browser that made a checkout may cancel it', async () => {
    const h = createHarness();
    const payer = await h.createCheckout({ reference: 'APP-2026-000125' });
    const byStranger = await h.post(`/checkouts/${payer.json.checkoutId}/cancel`, {}, fromB);
    assert.equal(byStranger.status, 403);
    assert.equal((await errorOf(byStranger)).code, 'not_checkout_owner');
    const anonymous = await h.post(
      `/checkouts/${payer.json.checkoutId}/cancel`,
      {},
      { 'X-PaySG-Browser': '' },
    );
    assert.equal(anonymous.status, 400);
    assert.equal(
      h.simulator.ledger.find(h.paymentIdOf(payer.json.paymentUrl))!.latest_status,
      'unpaid',
    );
    const byPayer = await h.post(`/checkouts/${payer.json.checkoutId}/cancel`, {});
    assert.equal(byPayer.status, 200);
  });

  it('the holder of the same order token may cancel from another browser; another token for the order may not', async () => {
    const h = createHarness();
    const token = await h.orderToken({ reference_id: 'INV-OWN-1' });
    const first = await h.createCheckout(tokenOrder(token));
    const other = await h.post(
      `/checkouts/${first.json.checkoutId}/cancel`,
      { orderToken: await h.orderToken({ reference_id: 'INV-OWN-1' }) },
      fromB,
    );
    assert.equal(other.status, 403);
    const same = await h.post(
      `/checkouts/${first.json.checkoutId}/cancel`,
      { orderToken: token },
      fromB,
    );
    assert.equal(same.status, 200);
    assert.equal(((await same.json()) as { status: string }).status, 'cancelled');
  });

  it('a paid order answers another browser with order_already_paid and nothing more', async () => {
    const h = createHarness();
    const payer = await h.createCheckout({ reference: 'APP-2026-000126' });
    await h.payOnSimulator(h.paymentIdOf(payer.json.paymentUrl));
    const stranger = await h.createCheckout(
      { reference: 'APP-2026-000126', payer: { name: 'Someone else' } },
      fromB,
    );
    assert.equal(stranger.response.status, 409);
    assert.deepEqual(Object.keys(stranger.json), ['error']);
    assert.equal(stranger.json.error.code, 'order_already_paid');
    assert.equal(paymentsFor(h, 'APP-2026-000126').length, 1);
  });

  it('two devices of one payer each get a working link, never two payable links at once', async () => {
    const h = createHarness();
    const phone = await h.createCheckout({ reference: 'APP-2026-000127' });
    const laptop = await h.createCheckout({ reference: 'APP-2026-000127' }, fromB);
    assert.equal(laptop.response.status, 201);
    assert.equal(payable(h, 'APP-2026-000127').length, 1);
    const phoneAgain = await h.createCheckout({ reference: 'APP-2026-000127' });
    assert.equal(phoneAgain.response.status, 201);
    assert.notEqual(phoneAgain.json.checkoutId, phone.json.checkoutId);
    assert.deepEqual(
      payable(h, 'APP-2026-000127').map((p) => p.id),
      [h.paymentIdOf(phoneAgain.json.paymentUrl)],
    );
  });

  it('two tabs of one browser, and a retry, meet one checkout', async () => {
    const h = createHarness();
    const a = await h.createCheckout(
      { reference: 'APP-2026-000128' },
      { 'X-PaySG-Browser': BROWSER_A, 'Idempotency-Key': 'tab-1' },
    );
    const b = await h.createCheckout(
      { reference: 'APP-2026-000128' },
      { 'X-PaySG-Browser': BROWSER_A, 'Idempotency-Key': 'tab-2' },
    );
    assert.equal(b.response.status, 200);
    assert.equal(b.json.checkoutId, a.json.checkoutId);
    // The same Idempotency-Key from another browser is not a retry of that request.
    const replayed = await h.createCheckout(
      { reference: 'APP-2026-000128' },
      { ...fromB, 'Idempotency-Key': 'tab-1' },
    );
    assert.equal(replayed.response.status, 422);
    assert.equal(paymentsFor(h, 'APP-2026-000128').length, 1);
  });

  it('refuses a malformed browser secret', async () => {
    const h = createHarness();
    for (const secret of ['short', 'x'.repeat(129), 'has space and more than twenty-two']) {
      const { response } = await h.createCheckout({}, { 'X-PaySG-Browser': secret });
      assert.equal(response.status, 400, secret);
      assert.equal((await errorOf(response)).code, 'invalid_request');
    }
    assert.equal(h.simulator.ledger.paymentCount, 0);
  });

  it('an item that requires a reference refuses a checkout without one', async () => {
    const h = createHarness();
    const { response } = await h.createCheckout({ item: 'stall-licence' });
    assert.equal(response.status, 400);
    const error = await errorOf(response);
    assert.equal(error.code, 'reference_required');
    assert.deepEqual(
      error.issues?.map((i) => i.path),
      ['reference'],
    );
    assert.equal(
      (await h.createCheckout({ item: 'stall-licence', reference: 'STALL-01-2026' })).response
        .status,
      201,
    );
    const quote = (await (await h.get('/quote?item=stall-licence')).json()) as {
      requiresReference?: boolean;
    };
    assert.equal(quote.requiresReference, true);
  });
});

describe('the price is part of the order', () => {
  it('a repriced order token after a PaySG 500 is charged the new amount, never the old one', async () => {
    const h = createHarness();
    h.simulator.state.faults.add({
      fault: { kind: 'status', status: 500 },
      route: 'create',
      count: 1,
    });
    const v1 = await h.createCheckout(
      tokenOrder(await h.orderToken({ reference_id: 'INV-500', amount_in_cents: 1000 })),
    );
    assert.equal(v1.response.status, 503);
    h.clock.advance(1000);
    const v2 = await h.createCheckout(
      tokenOrder(await h.orderToken({ reference_id: 'INV-500', amount_in_cents: 5000 })),
    );
    assert.equal(v2.response.status, 201);
    assert.equal(h.simulator.ledger.find(h.paymentIdOf(v2.json.paymentUrl))!.amount_in_cents, 5000);
    assert.deepEqual(
      paymentsFor(h, 'INV-500').map((p) => p.amount_in_cents),
      [5000],
    );
  });

  it('a catalog price change supersedes the stored checkout', async () => {
    const h = createHarness();
    const before = await h.createCheckout({
      item: 'donation',
      chosenAmountInCents: 1000,
      reference: 'DON-1',
    });
    const after = await h.createCheckout({
      item: 'donation',
      chosenAmountInCents: 2500,
      reference: 'DON-1',
    });
    assert.equal(after.response.status, 201);
    assert.equal(
      h.simulator.ledger.find(h.paymentIdOf(before.json.paymentUrl))!.latest_status,
      'cancelled',
    );
    assert.deepEqual(
      payable(h, 'DON-1').map((p) => p.amount_in_cents),
      [2500],
    );
  });

  it('other payer details from the same browser are another order’s terms', async () => {
    const h = createHarness();
    const first = await h.createCheckout({
      reference: 'APP-2026-000130',
      payer: { name: 'Tan Ah Kow' },
    });
    const renamed = await h.createCheckout({
      reference: 'APP-2026-000130',
      payer: { name: 'Tan Ah Kow', email: 'tan@example.com' },
    });
    assert.equal(renamed.response.status, 201);
    assert.notEqual(renamed.json.checkoutId, first.json.checkoutId);
    assert.deepEqual(
      payable(h, 'APP-2026-000130').map((p) => p.payer_email),
      ['tan@example.com'],
    );
  });

  it('an older order token never undoes a newer one', async () => {
    const h = createHarness();
    const v1 = await h.orderToken({ reference_id: 'INV-OLD', amount_in_cents: 1000 });
    h.clock.advance(120_000);
    const v2 = await h.orderToken({ reference_id: 'INV-OLD', amount_in_cents: 5000 });
    assert.equal((await h.createCheckout(tokenOrder(v1))).response.status, 201);
    const newer = await h.createCheckout(tokenOrder(v2));
    assert.equal(newer.response.status, 201);
    const older = await h.createCheckout(tokenOrder(v1));
    assert.equal(older.response.status, 409);
    assert.equal(older.json.error.code, 'order_token_superseded');
    assert.deepEqual(
      payable(h, 'INV-OLD').map((p) => p.amount_in_cents),
      [5000],
    );
    // Not even once the newer checkout is cancelled, nor from another browser.
    await h.post(`/checkouts/${newer.json.checkoutId}/cancel`, {});
    assert.equal(
      (await h.createCheckout(tokenOrder(v1), fromB)).json.error.code,
      'order_token_superseded',
    );
    assert.equal(payable(h, 'INV-OLD').length, 0);
  });
});

describe('races and late retries', () => {
  it('an older order token checked before a newer one came still never replaces the newer one’s checkout', async () => {
    // The older request is held between its check and its claim while the newer one is made.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const inner = new SqliteCheckoutStore(':memory:');
    const store = Object.create(inner, {
      claim: {
        value: async (checkout: Parameters<typeof inner.claim>[0]) => {
          if (checkout.amountInCents === 1000) await gate;
          return inner.claim(checkout);
        },
      },
    }) as SqliteCheckoutStore;
    for (const method of Object.getOwnPropertyNames(SqliteCheckoutStore.prototype)) {
      const methods = inner as unknown as Record<string, (...args: unknown[]) => unknown>;
      if (method !== 'constructor' && method !== 'claim')
        Object.defineProperty(store, method, {
          value: (...args: unknown[]) => methods[method]!.apply(inner, args),
        });
    }
    const h = createHarness({ store });
    const v1 = await h.orderToken({ reference_id: 'INV-INTERLEAVED', amount_in_cents: 1000 });
    h.clock.advance(60_000);
    const v2 = await h.orderToken({ reference_id: 'INV-INTERLEAVED', amount_in_cents: 2000 });
    const older = h.createCheckout(tokenOrder(v1));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const newer = await h.createCheckout(tokenOrder(v2));
    assert.equal(newer.response.status, 201);
    release();
    const refused = await older;
    assert.equal(refused.response.status, 409);
    assert.equal(refused.json.error.code, 'order_token_superseded');
    assert.equal((await h.store.get(newer.json.checkoutId))!.status, 'unpaid');
    assert.deepEqual(
      payable(h, 'INV-INTERLEAVED').map((p) => p.amount_in_cents),
      [2000],
    );
  });

  it('an older order token is refused even where it would only resume its own checkout', async () => {
    const h = createHarness();
    const v1 = await h.orderToken({ reference_id: 'INV-RACE', amount_in_cents: 1000 });
    h.clock.advance(60_000);
    const v2 = await h.orderToken({ reference_id: 'INV-RACE', amount_in_cents: 2000 });
    h.paysgTraffic.down = true;
    assert.equal(
      (await h.createCheckout(tokenOrder(v1), { 'Idempotency-Key': 'v1' })).response.status,
      503,
    );
    assert.equal(
      (await h.createCheckout(tokenOrder(v2), { 'Idempotency-Key': 'v2' })).response.status,
      503,
    );
    h.paysgTraffic.down = false;
    for (const key of [{ 'Idempotency-Key': 'v1' }, {}] as Record<string, string>[]) {
      const again = await h.createCheckout(tokenOrder(v1), key);
      assert.equal(again.response.status, 409);
      assert.equal(again.json.error.code, 'order_token_superseded');
    }
    assert.deepEqual(
      payable(h, 'INV-RACE').map((p) => p.amount_in_cents),
      [],
    );
  });

  it('a retry with the same Idempotency-Key after the payment was made is told so, not handed the link', async () => {
    const h = createHarness();
    const first = await h.createCheckout(
      { reference: 'PAIDRETRY-1' },
      { 'Idempotency-Key': 'paid-retry' },
    );
    await h.payOnSimulator(h.paymentIdOf(first.json.paymentUrl));
    const retry = await h.createCheckout(
      { reference: 'PAIDRETRY-1' },
      { 'Idempotency-Key': 'paid-retry' },
    );
    assert.equal(retry.response.status, 409);
    assert.equal(retry.json.error.code, 'order_already_paid');
  });

  it('a payer correcting the e-mail on an order token’s order gets a new payment, not a refused token', async () => {
    const h = createHarness();
    const token = await h.orderToken({ reference_id: 'INV-MAIL', payer: undefined });
    const first = await h.createCheckout({
      ...tokenOrder(token),
      payer: { name: 'Siti', email: 'siti@example.com' },
    });
    assert.equal(first.response.status, 201);
    const corrected = await h.createCheckout({
      ...tokenOrder(token),
      payer: { name: 'Siti', email: 'siti.a@example.com' },
    });
    assert.equal(corrected.response.status, 201);
    assert.deepEqual(
      payable(h, 'INV-MAIL').map((p) => p.payer_email),
      ['siti.a@example.com'],
    );
  });

  it('the status of a checkout whose cancel was unclear and that was paid meanwhile is paid', async () => {
    const h = createHarness();
    const first = await h.createCheckout({ reference: 'PAIDCANCEL-1' });
    await h.get(`/checkouts/${first.json.checkoutId}`); // just checked: the next status read is from the store
    h.simulator.state.faults.add({
      fault: { kind: 'status', status: 503 },
      route: 'cancel',
      count: 1,
    });
    h.simulator.state.faults.add({
      fault: { kind: 'status', status: 503 },
      route: 'retrieve',
      count: 3,
    });
    assert.equal((await h.post(`/checkouts/${first.json.checkoutId}/cancel`, {})).status, 503);
    await h.payOnSimulator(h.paymentIdOf(first.json.paymentUrl));
    const status = await h.get(`/checkouts/${first.json.checkoutId}`);
    assert.equal(status.status, 200);
    assert.equal(((await status.json()) as { status: string }).status, 'paid');
  });

  it('the reconciler never fails a checkout under a payer’s retry that took it after the reconciler listed it', async () => {
    const store = new SqliteCheckoutStore(':memory:');
    const h = createHarness({ store });
    h.simulator.state.faults.add({
      fault: { kind: 'status', status: 500 },
      route: 'create',
      count: 1,
    });
    assert.equal(
      (await h.createCheckout({ reference: 'HELD-1' }, { 'Idempotency-Key': 'held' })).response
        .status,
      503,
    );
    h.clock.advance(120_000);
    // Right after the reconciler lists the checkout, the payer's retry takes its creation lock.
    const listUnfinished = store.listUnfinished.bind(store);
    store.listUnfinished = async (...args) => {
      const rows = await listUnfinished(...args);
      const now = h.clock.now();
      for (const row of rows)
        await store.lockForCreate(
          row.id,
          now.toISOString(),
          new Date(now.getTime() + 30_000).toISOString(),
        );
      return rows;
    };
    const report = await h.app.reconcile();
    assert.equal(report.failed, 0);
    const [row] = await listUnfinished('9999-01-01T00:00:00.000Z', '9999-01-01T00:00:00.000Z', 10);
    assert.equal(row?.status, 'created', 'still the retry’s to finish');
  });

  it('a checkout whose create reached PaySG over a day ago is not resent but found, and its payment cancelled', async () => {
    const h = createHarness();
    h.paysgTraffic.downAfterNextPost = true;
    assert.equal((await h.createCheckout({ reference: 'DAYOLD-1' })).response.status, 503);
    h.paysgTraffic.down = false;
    h.clock.advance(24 * 60 * 60 * 1000);
    const before = h.paysgTraffic.posts;
    const report = await h.app.reconcile();
    assert.equal(report.cancelled, 1);
    assert.equal(
      h.paysgTraffic.posts - before,
      1,
      'one cancel, and no create resent with a day-old key',
    );
    assert.deepEqual(
      paymentsFor(h, 'DAYOLD-1').map((p) => p.latest_status),
      ['cancelled'],
    );
    assert.equal((await h.createCheckout({ reference: 'DAYOLD-1' })).response.status, 201);
    assert.equal(payable(h, 'DAYOLD-1').length, 1);
  });
});

describe('a cancel is confirmed by PaySG', () => {
  /** Loses PaySG's answer to the next cancel (PaySG did cancel). */
  function losingNextCancelAnswer(state: { armed: boolean }) {
    return (inner: typeof fetch): typeof fetch =>
      async (input, init) => {
        const response = await inner(input, init);
        if (
          state.armed &&
          String(input instanceof Request ? input.url : input).endsWith('/cancel')
        ) {
          state.armed = false;
          throw new TypeError('socket hang up');
        }
        return response;
      };
  }

  it('a cancel PaySG answers with an empty or partial body is settled by asking PaySG, and a refusal sent as 409 is read as one', async () => {
    for (const body of ['', '{}', '{"id":"?"}']) {
      const h = createHarness({
        wrapFetch: (inner) => async (input, init) => {
          const response = await inner(input, init);
          const url = String(input instanceof Request ? input.url : input);
          return url.endsWith('/cancel') && response.ok
            ? new Response(body || null, { status: body ? 200 : 204 })
            : response;
        },
      });
      const first = await h.createCheckout({ reference: 'EMPTY-1' });
      const cancel = await h.post(`/checkouts/${first.json.checkoutId}/cancel`, {});
      assert.equal(cancel.status, 200, JSON.stringify(body));
      assert.equal(((await cancel.json()) as { status: string }).status, 'cancelled');
    }
    const h = createHarness({
      wrapFetch: (inner) => async (input, init) => {
        const response = await inner(input, init);
        const url = String(input instanceof Request ? input.url : input);
        if (!url.endsWith('/cancel') || response.status !== 402) return response;
        return new Response(
          JSON.stringify({
            error: { type: 'invalid_request_error', code: 'payment_already_paid', message: 'Paid' },
          }),
          { status: 409 },
        );
      },
    });
    const first = await h.createCheckout({ reference: 'REFUSED-409' });
    await h.payOnSimulator(h.paymentIdOf(first.json.paymentUrl));
    const cancel = await h.post(`/checkouts/${first.json.checkoutId}/cancel`, {});
    assert.equal(cancel.status, 409);
    assert.equal((await errorOf(cancel)).code, 'order_already_paid');
  });

  it('a lost cancel answer is settled by asking PaySG: the payer sees cancelled', async () => {
    const lose = { armed: false };
    const h = createHarness({ wrapFetch: losingNextCancelAnswer(lose) });
    const first = await h.createCheckout({ reference: 'LOST-1' });
    lose.armed = true;
    const cancel = await h.post(`/checkouts/${first.json.checkoutId}/cancel`, {});
    assert.equal(cancel.status, 200);
    assert.equal(((await cancel.json()) as { status: string }).status, 'cancelled');
    assert.ok(h.logs.some((l) => l.event === 'paysg_cancel_unclear'));
  });

  it('while PaySG cannot confirm, no link is handed out; the next create gets a new, payable one', async () => {
    const h = createHarness();
    const first = await h.createCheckout({ reference: 'LOST-2' });
    h.paysgTraffic.downAfterNextPost = true; // PaySG cancels, the answer is lost, then PaySG is unreachable
    const cancel = await h.post(`/checkouts/${first.json.checkoutId}/cancel`, {});
    assert.equal(cancel.status, 503);
    assert.equal((await errorOf(cancel)).code, 'upstream_unavailable');
    assert.ok((await h.store.get(first.json.checkoutId))!.cancelRequestedAt);

    const status = await h.get(`/checkouts/${first.json.checkoutId}`);
    assert.equal(status.status, 503);
    const retry = await h.createCheckout({ reference: 'LOST-2' });
    assert.equal(retry.response.status, 503);
    assert.ok(!JSON.stringify(retry.json).includes(first.json.paymentUrl));

    h.paysgTraffic.down = false;
    const again = await h.createCheckout({ reference: 'LOST-2' });
    assert.equal(again.response.status, 201);
    assert.notEqual(again.json.paymentUrl, first.json.paymentUrl);
    assert.deepEqual(
      payable(h, 'LOST-2').map((p) => p.id),
      [h.paymentIdOf(again.json.paymentUrl)],
    );
    assert.equal((await h.store.get(first.json.checkoutId))!.status, 'cancelled');
  });

  it('the reconciler finishes a cancel PaySG never confirmed', async () => {
    const h = createHarness();
    const first = await h.createCheckout({ reference: 'LOST-3' });
    h.paysgTraffic.downAfterNextPost = true;
    await h.post(`/checkouts/${first.json.checkoutId}/cancel`, {});
    h.paysgTraffic.down = false;
    h.clock.advance(120_000);
    const report = await h.app.reconcile();
    assert.equal(report.cancelled, 1);
    const stored = (await h.store.get(first.json.checkoutId))!;
    assert.equal(stored.status, 'cancelled');
    assert.equal(stored.cancelRequestedAt, null);
  });

  it('a link PaySG has cancelled (by the agency’s staff, say) is never handed out again', async () => {
    const h = createHarness();
    const first = await h.createCheckout(
      { reference: 'STAFF-1' },
      { 'Idempotency-Key': 'staff-tab-1' },
    );
    h.simulator.ledger.cancel(SIMULATOR_PAYMENT_SERVICE_ID, h.paymentIdOf(first.json.paymentUrl));
    const secondTab = await h.createCheckout(
      { reference: 'STAFF-1' },
      { 'Idempotency-Key': 'staff-tab-2' },
    );
    assert.equal(secondTab.response.status, 201);
    assert.notEqual(secondTab.json.paymentUrl, first.json.paymentUrl);
    assert.deepEqual(
      payable(h, 'STAFF-1').map((p) => p.id),
      [h.paymentIdOf(secondTab.json.paymentUrl)],
    );
  });

  it('a checkout whose cancel waits for PaySG shows no link', async () => {
    const h = createHarness();
    const first = await h.createCheckout({ reference: 'VIEW-1' });
    const stored = (await h.store.get(first.json.checkoutId))!;
    const catalog = Catalog.from({ items: {} });
    assert.equal(checkoutView(stored, catalog).paymentUrl, first.json.paymentUrl);
    assert.equal(
      checkoutView({ ...stored, cancelRequestedAt: stored.createdAt }, catalog).paymentUrl,
      undefined,
    );
  });

  it('one reconciler pass finishes a pending cancel even when a webhook for that payment is applied first', async () => {
    const h = createHarness();
    const first = await h.createCheckout({ reference: 'WEBHOOK-CANCEL' });
    const paymentId = h.paymentIdOf(first.json.paymentUrl);
    h.paysgTraffic.down = true;
    // A webhook arrives while PaySG cannot be asked: recorded, applied later by the reconciler.
    const body = JSON.stringify({
      id: 'evt_pending',
      type: 'payment.succeeded',
      data: { object: h.simulator.ledger.find(paymentId) },
    });
    const header = await signWebhookPayload(
      body,
      WEBHOOK_SECRET,
      Math.floor(h.clock.now().getTime() / 1000),
    );
    await h.app.request('/webhooks', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'PaySG-Signature': header },
      body,
    });
    await h.app.idle();
    assert.equal(
      (await h.createCheckout({ reference: 'WEBHOOK-CANCEL' }, fromB)).response.status,
      503,
    );
    h.paysgTraffic.down = false;
    h.clock.advance(61_000);
    await h.app.reconcile();
    assert.equal(h.simulator.ledger.find(paymentId)!.latest_status, 'cancelled');
    assert.equal((await h.store.get(first.json.checkoutId))!.cancelRequestedAt, null);
  });

  it('a cancel that finds the payment paid records it as paid', async () => {
    const h = createHarness();
    const first = await h.createCheckout({ reference: 'PAID-1' });
    await h.payOnSimulator(h.paymentIdOf(first.json.paymentUrl));
    const cancel = await h.post(`/checkouts/${first.json.checkoutId}/cancel`, {});
    assert.equal(cancel.status, 409);
    assert.equal((await errorOf(cancel)).code, 'order_already_paid');
    assert.equal((await h.store.get(first.json.checkoutId))!.status, 'paid');
  });
});

describe('no orphans', () => {
  it('a payment on a foreign page is never handed out, and is cancelled at PaySG', async () => {
    const h = createHarness({
      wrapFetch: rewritePayments('POST', (p) => (p.payment_url = 'https://evil.example/pay')),
    });
    const { response, json } = await h.createCheckout({ reference: 'ORPHAN-1' });
    assert.equal(response.status, 502);
    assert.equal(json.error.code, 'upstream_rejected');
    assert.deepEqual(
      paymentsFor(h, 'ORPHAN-1').map((p) => p.latest_status),
      ['cancelled'],
    );
    const logged = h.logs.find((l) => l.event === 'orphan_cancelled');
    assert.ok(logged?.fields.checkoutId, 'logged with its checkout id');
  });

  it('an orphan whose cancel fails is finished by the reconciler', async () => {
    let foreign = true;
    const h = createHarness({
      wrapFetch: rewritePayments('POST', (p) => {
        if (foreign) p.payment_url = 'https://evil.example/pay';
      }),
    });
    h.simulator.state.faults.add({
      fault: { kind: 'status', status: 503 },
      route: 'cancel',
      count: 1,
    });
    h.simulator.state.faults.add({
      fault: { kind: 'status', status: 503 },
      route: 'retrieve',
      count: 3,
    });
    assert.equal((await h.createCheckout({ reference: 'ORPHAN-2' })).response.status, 502);
    assert.equal(payable(h, 'ORPHAN-2').length, 1);
    foreign = false;
    h.clock.advance(120_000);
    await h.app.reconcile();
    assert.deepEqual(
      paymentsFor(h, 'ORPHAN-2').map((p) => p.latest_status),
      ['cancelled'],
    );
    // The order is free again, and the next create is the only payable payment.
    assert.equal((await h.createCheckout({ reference: 'ORPHAN-2' })).response.status, 201);
    assert.equal(payable(h, 'ORPHAN-2').length, 1);
  });

  it('an unreadable create answer: the retry finds PaySG’s payment instead of making a second one', async () => {
    let garble = true;
    const h = createHarness({
      wrapFetch: (inner) => async (input, init) => {
        const response = await inner(input, init);
        if (garble && init?.method === 'POST') {
          garble = false;
          return new Response('<html>gateway</html>', { status: 201 });
        }
        return response;
      },
    });
    const first = await h.createCheckout({ reference: 'UNREAD-1' });
    assert.equal(first.response.status, 201, JSON.stringify(first.json));
    assert.equal(paymentsFor(h, 'UNREAD-1').length, 1);
    assert.equal(first.json.paymentUrl.split('/').pop(), paymentsFor(h, 'UNREAD-1')[0]!.id);
  });

  it('a superseded checkout whose create answer was lost: PaySG is asked with the same key and its payment cancelled', async () => {
    const h = createHarness();
    h.paysgTraffic.downAfterNextPost = true;
    const lost = await h.createCheckout({ reference: 'LOSTCREATE-1' });
    assert.equal(lost.response.status, 503);
    h.paysgTraffic.down = false;
    const other = await h.createCheckout(
      { reference: 'LOSTCREATE-1', payer: { name: 'Someone else' } },
      fromB,
    );
    assert.equal(other.response.status, 201);
    const statuses = paymentsFor(h, 'LOSTCREATE-1').map((p) => [p.payer_name, p.latest_status]);
    assert.deepEqual(statuses.sort(), [
      ['Someone else', 'unpaid'],
      ['Tan Ah Kow', 'cancelled'],
    ]);
  });

  it('a superseded checkout whose create PaySG answered with 500 is ended without a payment', async () => {
    const h = createHarness();
    h.simulator.state.faults.add({
      fault: { kind: 'status', status: 500 },
      route: 'create',
      count: 1,
    });
    assert.equal((await h.createCheckout({ reference: 'FIVE-1' })).response.status, 503);
    const other = await h.createCheckout({ reference: 'FIVE-1' }, fromB);
    assert.equal(other.response.status, 201);
    assert.equal(paymentsFor(h, 'FIVE-1').length, 1);
    assert.equal(
      h.paysgTraffic.posts,
      2,
      'PaySG was not asked again for a key it answered with a 500',
    );
  });
});

describe('bad input', () => {
  it('invalid UTF-8 anywhere in a JSON body is invalid_request, and nothing reaches PaySG', async () => {
    const h = createHarness();
    const prefix = Buffer.from(
      '{"item":"licence-renewal","returnTo":"https://agency.example/licence/renew","payer":{"name":"',
    );
    for (const bad of [[0xc3, 0x28, 0xff], [0xed, 0xa0, 0x80], [0x80]]) {
      const body = Buffer.concat([prefix, Buffer.from(bad), Buffer.from('"}}')]);
      const response = await h.app.request('/checkouts', {
        method: 'POST',
        headers: {
          Origin: 'https://agency.example',
          'Content-Type': 'application/json',
          'X-PaySG-Checkout': '1',
        },
        body,
      });
      assert.equal(response.status, 400);
      const error = await errorOf(response);
      assert.equal(error.code, 'invalid_request');
      assert.match(error.message, /UTF-8/);
    }
    assert.equal(h.paysgTraffic.posts, 0);
  });

  it('any malformed order token is invalid_order_token on quote and create, never a 500', async () => {
    const h = createHarness();
    const good = await h.orderToken();
    const [header, payload, signature] = good.split('.') as [string, string, string];
    for (const token of [
      `${header}.${payload}.${signature}x`, // a signature segment whose length is 1 (mod 4)
      `${header}.${payload}.${signature.slice(0, -1)}`,
      `${header}.${payload}`,
      `${header}..${signature}`,
      '..',
      'not a token',
      `${header}.${payload}.${signature}.extra`,
      `e30.${payload}.${signature}`,
    ]) {
      const quote = await h.post('/quote', { orderToken: token });
      assert.equal(quote.status, 401, token);
      assert.equal((await errorOf(quote)).code, 'invalid_order_token', token);
      const create = await h.createCheckout(tokenOrder(token));
      assert.equal(create.response.status, 401, token);
    }
  });

  it('an expired order token has its own code, on quote and create', async () => {
    const h = createHarness();
    const token = await h.orderToken({}, { ttlSeconds: 60 });
    h.clock.advance(5 * 60_000);
    const quote = await h.post('/quote', { orderToken: token });
    assert.equal(quote.status, 401);
    assert.equal((await errorOf(quote)).code, 'order_token_expired');
    const create = await h.createCheckout(tokenOrder(token));
    assert.equal(create.json.error.code, 'order_token_expired');
    assert.doesNotMatch(create.json.error.message, /contact/i);
  });
});
