import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import {
  createSimulator,
  SIMULATOR_API_KEY,
  SIMULATOR_PAYMENT_SERVICE_ID,
} from '../../demo/simulator/simulator.js';

const BASE = 'http://localhost:3000/simulator';
const PAYMENTS = `/v1/payment-services/${SIMULATOR_PAYMENT_SERVICE_ID}/payments`;

function create(
  sim: ReturnType<typeof createSimulator>,
  body: unknown,
  headers: Record<string, string> = {},
) {
  return sim.app.request(PAYMENTS, {
    method: 'POST',
    headers: { 'x-api-key': SIMULATOR_API_KEY, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

const valid = {
  reference_id: 'INV-9',
  payer_name: 'Siti <b>Binte</b>',
  description: 'Licence & renewal',
  amount_in_cents: 4550,
  return_url: 'http://localhost:3000/paysg/return/abc?x=1',
};

describe('PaySG simulator', () => {
  it('checks the API key and answers in PaySG’s error envelope', async () => {
    const sim = createSimulator({ publicUrl: BASE });
    const response = await sim.app.request(PAYMENTS, { method: 'POST' });
    assert.equal(response.status, 401);
    const body = (await response.json()) as { error: Record<string, string> };
    assert.equal(body.error.type, 'authentication_error');
    assert.ok(body.error.code && body.error.message);
  });

  it('validates with PaySG’s documented limits', async () => {
    const sim = createSimulator({ publicUrl: BASE });
    const response = await create(sim, { ...valid, amount_in_cents: 20_000_001 });
    assert.equal(response.status, 400);
    const body = (await response.json()) as { error: { type: string; data: { param: string } } };
    assert.equal(body.error.type, 'invalid_request_error');
    assert.equal(body.error.data.param, 'amount_in_cents');
    const insecure = await create(sim, { ...valid, return_url: 'http://agency.example/return' });
    assert.equal(insecure.status, 400);
    assert.equal(sim.ledger.paymentCount, 0);
  });

  it('replays the stored response for a repeated Idempotency-Key and refuses other parameters', async () => {
    const sim = createSimulator({ publicUrl: BASE });
    const first = await create(sim, valid, { 'idempotency-key': 'k' });
    const again = await create(sim, valid, { 'idempotency-key': 'k' });
    assert.equal(again.status, 201);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(await again.json(), await first.json());
    const other = await create(sim, { ...valid, amount_in_cents: 1 }, { 'idempotency-key': 'k' });
    assert.equal(other.status, 409);
    assert.equal(sim.ledger.paymentCount, 1);
  });

  it('shows the payment page with what is paid for, escaped', async () => {
    const sim = createSimulator({ publicUrl: BASE });
    const payment = (await (await create(sim, valid)).json()) as {
      id: string;
      payment_url: string;
    };
    assert.equal(payment.payment_url, `${BASE}/payments/${payment.id}`);
    const page = await (await sim.app.request(`/payments/${payment.id}`)).text();
    assert.match(page, /Licence &amp; renewal/);
    assert.match(page, /SGD\s45\.50/);
    assert.match(page, /INV-9/);
    assert.match(page, /Siti &lt;b&gt;Binte&lt;\/b&gt;/);
    assert.match(page, /Close this page/);
    assert.match(page, new RegExp(`action="/simulator/payments/${payment.id}/pay"`));
  });

  it('redirects to return_url with PaySG’s ids after payment, and never takes a second payment', async () => {
    const sim = createSimulator({ publicUrl: BASE });
    const payment = (await (await create(sim, valid)).json()) as { id: string };
    const paid = await sim.app.request(`/payments/${payment.id}/pay`, { method: 'POST' });
    assert.equal(paid.status, 303);
    const location = new URL(paid.headers.get('location')!);
    assert.equal(location.searchParams.get('x'), '1');
    assert.equal(location.searchParams.get('paysg_payment_id'), payment.id);
    assert.equal(
      location.searchParams.get('paysg_payment_service_id'),
      SIMULATOR_PAYMENT_SERVICE_ID,
    );

    const stored = sim.ledger.get(SIMULATOR_PAYMENT_SERVICE_ID, payment.id)!;
    assert.equal(stored.payment_status, 'paid');
    assert.match(
      stored.payment_succeeded_timestamp!,
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+08:00$/,
    );

    const twice = await sim.app.request(`/payments/${payment.id}/pay`, { method: 'POST' });
    assert.equal(twice.status, 303);
    assert.equal(twice.headers.get('location'), `/simulator/payments/${payment.id}`);
    const page = await (await sim.app.request(`/payments/${payment.id}`)).text();
    assert.match(page, /cannot\s+be paid again/);
    // When, for a person: Singapore time, not a raw timestamp.
    assert.match(
      page,
      /received on\s+\d{1,2} \w{3} \d{4}, \d{1,2}:\d\d\s?[ap]m \(Singapore time\)/i,
    );
    assert.doesNotMatch(page, /<form/);
  });

  it('shows a payer who comes back what was refunded, in part and then in full', async () => {
    const sim = createSimulator({ publicUrl: BASE });
    const payment = (await (await create(sim, valid)).json()) as { id: string };
    await sim.app.request(`/payments/${payment.id}/pay`, { method: 'POST' });
    const pageText = async () =>
      (await (await sim.app.request(`/payments/${payment.id}`)).text()).replace(/\s+/g, ' ');
    assert.doesNotMatch(await pageText(), /refunded/);
    sim.ledger.refund(SIMULATOR_PAYMENT_SERVICE_ID, payment.id, 1050);
    assert.match(
      await pageText(),
      /SGD\s10\.50 of it has been refunded to the card or account it was paid with/,
    );
    sim.ledger.refund(SIMULATOR_PAYMENT_SERVICE_ID, payment.id, 3500);
    assert.match(
      await pageText(),
      /It has been refunded in full to the card or account it was paid with/,
    );
  });

  it('lets the payer see a decline, after which the payment is still unpaid and payable', async () => {
    const sim = createSimulator({ publicUrl: BASE });
    const payment = (await (await create(sim, valid)).json()) as { id: string };
    const declined = await sim.app.request(`/payments/${payment.id}/decline`, { method: 'POST' });
    // Post, redirect, get: a reload shows the page, never posts again.
    assert.equal(declined.status, 303);
    assert.equal(declined.headers.get('location'), `/simulator/payments/${payment.id}?declined=1`);
    const page = await (await sim.app.request(`/payments/${payment.id}?declined=1`)).text();
    assert.match(page, /declined by your bank\. No money was taken/);
    assert.doesNotMatch(
      await (await sim.app.request(`/payments/${payment.id}`)).text(),
      /declined by your bank/,
    );
    assert.equal(sim.ledger.find(payment.id)!.payment_status, 'unpaid');
    assert.equal(
      (await sim.app.request(`/payments/${payment.id}/pay`, { method: 'POST' })).status,
      303,
    );
  });

  it('runs standalone with npm run simulator', async () => {
    const port = 40_000 + Math.floor(Math.random() * 20_000);
    const child = spawn(process.execPath, ['--import', 'tsx', 'demo/simulator/main.ts'], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      env: { ...process.env, SIMULATOR_PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const [line] = (await once(child.stdout!, 'data')) as [Buffer];
      assert.match(line.toString(), new RegExp(`http://localhost:${port}/v1`));
      const response = await fetch(`http://127.0.0.1:${port}${PAYMENTS}`, {
        method: 'POST',
        headers: { 'x-api-key': SIMULATOR_API_KEY, 'content-type': 'application/json' },
        body: JSON.stringify(valid),
      });
      assert.equal(response.status, 201);
      assert.match(
        ((await response.json()) as { payment_url: string }).payment_url,
        new RegExp(`^http://localhost:${port}/payments/`),
      );
    } finally {
      child.kill();
    }
  });

  it('answers an unknown payment page with 404', async () => {
    const sim = createSimulator({ publicUrl: BASE });
    assert.equal((await sim.app.request('/payments/nope')).status, 404);
  });
});
