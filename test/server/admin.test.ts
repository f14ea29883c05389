import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createAdminApp } from '../../server/admin/admin-app.js';
import { createCheckoutApp } from '../../server/app.js';
import { BROWSER_A, createHarness } from '../helpers/bff-harness.js';

const TOKEN = 'admin-token-0123456789-abcdefghijklmnop';

/** The BFF and its back office over the same store and PaySG, with helpers for staff requests. */
function backOffice(options: { requestsPerMinute?: number } = {}) {
  const h = createHarness();
  const admin = createAdminApp(h.deps, { token: TOKEN, ...options });
  const call = (method: string, path: string, init: { body?: unknown; headers?: Record<string, string>; token?: string | null } = {}) =>
    admin.request(path, {
      method,
      headers: {
        ...(init.token !== null && { Authorization: `Bearer ${init.token ?? TOKEN}` }),
        ...(init.body !== undefined && { 'Content-Type': 'application/json' }),
        ...init.headers,
      },
      ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
    });
  /** A checkout for `reference`, paid on PaySG and verified by the BFF. */
  const paidCheckout = async (reference: string) => {
    const { json } = await h.createCheckout({ reference });
    await h.payOnSimulator(h.paymentIdOf(json.paymentUrl));
    assert.equal(((await (await h.get(`/checkouts/${json.checkoutId}`)).json()) as { status: string }).status, 'paid');
    return json.checkoutId as string;
  };
  const refund = (id: string, key: string, body: unknown = {}) => call('POST', `/checkouts/${id}/refund`, { body, headers: { 'Idempotency-Key': key } });
  return { h, admin, call, paidCheckout, refund };
}

describe('the back office API', () => {
  it('is refused without the ADMIN_TOKEN: not with a checkout id, a browser secret or a wrong token', async () => {
    const { h, call } = backOffice();
    const { json } = await h.createCheckout({ reference: 'LIC-ADMIN-1' });
    for (const init of [
      { token: null },
      { token: 'x'.repeat(TOKEN.length) },
      { token: json.checkoutId },
      { token: null, headers: { 'X-PaySG-Browser': BROWSER_A } },
    ]) {
      const response = await call('GET', '/checkouts', init);
      assert.equal(response.status, 401, JSON.stringify(init));
      assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'unauthorized');
      assert.match(response.headers.get('WWW-Authenticate') ?? '', /^Bearer /);
    }
    assert.throws(() => createAdminApp(h.deps, { token: 'too-short' }), /at least 32 characters/);
  });

  it('lists checkouts newest first a page at a time, and finds one by reference or id', async () => {
    const { h, call } = backOffice();
    const ids = [];
    for (let i = 1; i <= 5; i++) {
      ids.push((await h.createCheckout({ reference: `LIC-LIST-${i}` })).json.checkoutId as string);
      h.clock.advance(1000);
    }
    const first = (await (await call('GET', '/checkouts?limit=3')).json()) as { checkouts: { checkoutId: string; referenceId: string }[]; next: string };
    assert.deepEqual(first.checkouts.map((c) => c.referenceId), ['LIC-LIST-5', 'LIC-LIST-4', 'LIC-LIST-3']);
    const second = (await (await call('GET', `/checkouts?limit=3&before=${encodeURIComponent(first.next)}`)).json()) as typeof first;
    assert.deepEqual(second.checkouts.map((c) => c.referenceId), ['LIC-LIST-2', 'LIC-LIST-1']);
    assert.equal(second.next, null);
    const byReference = (await (await call('GET', '/checkouts?search=LIC-LIST-2')).json()) as typeof first;
    assert.deepEqual(byReference.checkouts.map((c) => c.checkoutId), [ids[1]]);
    const byId = (await (await call('GET', `/checkouts?search=${ids[3]}`)).json()) as typeof first;
    assert.deepEqual(byId.checkouts.map((c) => c.referenceId), ['LIC-LIST-4']);
    const badCursor = await call('GET', '/checkouts?before=nonsense');
    assert.equal(badCursor.status, 400);
  });

  it('refunds part, then the rest, once per Idempotency-Key, verified by PaySG, with an audit line each', async () => {
    const { h, call, paidCheckout, refund } = backOffice();
    const id = await paidCheckout('LIC-REFUND-1');
    const paymentId = (await h.store.get(id))!.paymentId!;

    const withoutKey = await call('POST', `/checkouts/${id}/refund`, { body: {} });
    assert.equal(withoutKey.status, 400);
    const tooMuch = await refund(id, 'staff-click-0', { amountInCents: 12001 });
    assert.equal(tooMuch.status, 400);

    const partly = await refund(id, 'staff-click-1', { amountInCents: 2000 });
    assert.equal(partly.status, 200);
    const partlyBody = (await partly.json()) as { checkout: { status: string; refundStatus: string; refundedInCents: number; payerName: string } };
    assert.deepEqual(
      [partlyBody.checkout.status, partlyBody.checkout.refundStatus, partlyBody.checkout.refundedInCents, partlyBody.checkout.payerName],
      ['paid', 'partially_refunded', 2000, 'Tan Ah Kow'],
    );
    // The same click again (a retry) refunds nothing more, at PaySG or here.
    const again = await refund(id, 'staff-click-1', { amountInCents: 2000 });
    assert.equal(((await again.json()) as { checkout: { refundedInCents: number } }).checkout.refundedInCents, 2000);
    assert.equal(h.simulator.ledger.find(paymentId)!.refund_status, 'partially_refunded');

    const rest = await refund(id, 'staff-click-2');
    const restBody = (await rest.json()) as { checkout: { refundedInCents: number; refundStatus: string } };
    assert.deepEqual([restBody.checkout.refundedInCents, restBody.checkout.refundStatus], [12000, 'refunded']);
    assert.equal(h.simulator.ledger.find(paymentId)!.refund_status, 'fully_refunded');
    const more = await refund(id, 'staff-click-3', { amountInCents: 1 });
    assert.equal(more.status, 409);
    assert.equal(((await more.json()) as { error: { code: string } }).error.code, 'not_refundable');

    const detail = (await (await call('GET', `/checkouts/${id}`)).json()) as { payment: { refund_status: string }; history: { event: string; amountInCents?: number }[] };
    assert.equal(detail.payment.refund_status, 'fully_refunded');
    assert.deepEqual(detail.history.map((e) => [e.event, e.amountInCents]), [['created', undefined], ['paid', 12000], ['refunded', 2000], ['refunded', 10000]]);
    const audit = h.logs.filter((l) => l.event === 'admin_action').map((l) => l.fields.action);
    assert.deepEqual(audit.filter((a) => a === 'refunded').length, 3);
    assert.ok(audit.includes('refund_requested'));
  });

  it('refuses to refund an unpaid checkout, and says when PaySG could not be asked (the same key then refunds once)', async () => {
    const { h, paidCheckout, refund } = backOffice();
    const unpaid = (await h.createCheckout({ reference: 'LIC-REFUND-2' })).json.checkoutId as string;
    const refused = await refund(unpaid, 'staff-click-1');
    assert.equal(refused.status, 409);
    assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'not_refundable');

    const id = await paidCheckout('LIC-REFUND-3');
    h.paysgTraffic.downAfterNextPost = true;
    const lost = await refund(id, 'staff-click-2', { amountInCents: 500 });
    assert.equal(lost.status, 503);
    assert.equal(((await lost.json()) as { error: { code: string } }).error.code, 'upstream_unavailable');
    h.paysgTraffic.down = false;
    const retried = await refund(id, 'staff-click-2', { amountInCents: 500 });
    assert.equal(((await retried.json()) as { checkout: { refundedInCents: number } }).checkout.refundedInCents, 500);
    assert.equal(h.simulator.ledger.find((await h.store.get(id))!.paymentId!)!.refund_status, 'partially_refunded');
  });

  it('cancels an unpaid checkout and its PaySG payment, never a paid one', async () => {
    const { h, call, paidCheckout } = backOffice();
    const { json } = await h.createCheckout({ reference: 'LIC-CANCEL-1' });
    const cancelled = await call('POST', `/checkouts/${json.checkoutId}/cancel`);
    assert.equal(((await cancelled.json()) as { checkout: { status: string } }).checkout.status, 'cancelled');
    assert.equal(h.simulator.ledger.find(h.paymentIdOf(json.paymentUrl))!.latest_status, 'cancelled');
    const paid = await paidCheckout('LIC-CANCEL-2');
    const refused = await call('POST', `/checkouts/${paid}/cancel`);
    assert.equal(refused.status, 409);
    assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'order_already_paid');
  });

  it('exports the list as CSV', async () => {
    const { h, call, paidCheckout } = backOffice();
    await paidCheckout('LIC-CSV-1');
    await h.createCheckout({ reference: 'LIC-CSV-2' });
    const response = await call('GET', '/checkouts.csv');
    assert.match(response.headers.get('Content-Type') ?? '', /^text\/csv/);
    const lines = (await response.text()).trim().split('\n');
    assert.equal(lines[0], 'checkoutId,referenceId,status,refundStatus,amountInCents,refundedInCents,currency,description,payerName,paymentId,createdAt,paidAt');
    assert.equal(lines.length, 3);
    assert.ok(lines.some((l) => l.includes(',LIC-CSV-1,paid,')));
  });

  it('has its own rate limit, which failed attempts count against', async () => {
    const { call } = backOffice({ requestsPerMinute: 3 });
    for (let i = 0; i < 3; i++) assert.equal((await call('GET', '/checkouts', { token: 'wrong' })).status, 401);
    const limited = await call('GET', '/checkouts');
    assert.equal(limited.status, 429);
  });
});

describe('served at a base path, unmounted', () => {
  it('answers under the base path, and anything else with 404 in the error shape', async () => {
    const h = createHarness();
    const bff = createCheckoutApp({ ...h.deps, basePath: '/paysg' });
    assert.equal((await bff.request('/paysg/quote?item=licence-renewal')).status, 200);
    const missing = await bff.request('/quote?item=licence-renewal');
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as { error: { code: string } }).error.code, 'not_found');
    const admin = createAdminApp(h.deps, { token: TOKEN, basePath: '/admin/api' });
    assert.equal((await admin.request('/admin/api/checkouts', { headers: { Authorization: `Bearer ${TOKEN}` } })).status, 200);
  });
});
