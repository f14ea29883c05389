/**
 * The PaySG client against the simulator, endpoint by endpoint, rule by rule: what passes here
 * is what the BFF relies on from PaySG.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createSimulator,
  SIMULATOR_API_KEY,
  SIMULATOR_PAYMENT_SERVICE_ID,
  type SimulatorOptions,
} from '../../demo/simulator/simulator.js';
import { PaysgClient } from '../../server/paysg/client.js';
import {
  PaysgAuthenticationError,
  PaysgConflictError,
  PaysgIdempotencyMismatchError,
  PaysgConnectionError,
  PaysgInvalidRequestError,
  PaysgNotFoundError,
  PaysgPaymentStateError,
  PaysgPermissionError,
  PaysgRateLimitError,
  PaysgTimeoutError,
  PaysgUpstreamError,
} from '../../server/paysg/errors.js';
import type { CreatePaymentParams } from '../../server/paysg/schemas.js';

const SIM_URL = 'https://pay.simulator.example';
const OTHER_KEY = 'paysg_stag_other_person';
const OTHER_SERVICE = 'payment_service_00000000-0000-4000-8000-000000000002';

function setup(
  options: Partial<SimulatorOptions> = {},
  clientOptions: Partial<ConstructorParameters<typeof PaysgClient>[0]> = {},
) {
  let t = Date.parse('2026-11-22T01:00:00Z');
  const clock = { advance: (ms: number) => (t += ms) };
  const sim = createSimulator({
    publicUrl: SIM_URL,
    now: () => new Date(t),
    accounts: { [SIMULATOR_API_KEY]: [SIMULATOR_PAYMENT_SERVICE_ID], [OTHER_KEY]: [OTHER_SERVICE] },
    ...options,
  });
  const client = new PaysgClient({
    apiKey: SIMULATOR_API_KEY,
    paymentServiceId: SIMULATOR_PAYMENT_SERVICE_ID,
    baseUrl: SIM_URL,
    fetch: sim.fetch,
    sleep: async () => {},
    ...clientOptions,
  });
  return { sim, client, clock };
}

let n = 0;
function params(overrides: Partial<CreatePaymentParams> = {}): CreatePaymentParams {
  n++;
  return {
    reference_id: `INV-${n}`,
    payer_name: 'Tan Ah Kow',
    description: 'Licence renewal',
    amount_in_cents: 12000,
    ...overrides,
  };
}

async function paid(
  sim: ReturnType<typeof setup>['sim'],
  client: PaysgClient,
  overrides: Partial<CreatePaymentParams> = {},
) {
  const payment = await client.payments.create(params(overrides), {
    idempotencyKey: `k-${n}-${Math.random()}`,
  });
  sim.ledger.pay(payment.id);
  return payment;
}

describe('PaySG contract: create and retrieve', () => {
  it('creates an unpaid payment with PaySG’s fields, and retrieves it', async () => {
    const { client } = setup();
    const created = await client.payments.create(
      params({
        payer_email: 'tan@example.com',
        due_date: '31-DEC-2026',
        metadata: { branch_code: '123' },
      }),
      { idempotencyKey: 'c1' },
    );
    assert.equal(created.payment_status, 'unpaid');
    assert.equal(created.latest_status, 'unpaid');
    assert.equal(created.refund_status, 'not_refunded');
    assert.equal(created.email_delivery_status, 'unsent');
    assert.equal(created.due_date, '31-DEC-2026');
    assert.deepEqual(created.metadata, { branch_code: '123' });
    assert.match(created.id, /^[A-Za-z0-9_-]{21}$/);
    assert.match(created.created_at!, /\+08:00$/);
    assert.deepEqual(await client.payments.retrieve(created.id), created);
  });

  it('answers 404 for a payment of another service, 403 for a service the key may not use, 401 for a bad key', async () => {
    const { sim, client } = setup();
    const other = new PaysgClient({
      apiKey: OTHER_KEY,
      paymentServiceId: OTHER_SERVICE,
      baseUrl: SIM_URL,
      fetch: sim.fetch,
    });
    const theirs = await other.payments.create(params(), { idempotencyKey: 'o1' });
    await assert.rejects(client.payments.retrieve(theirs.id), PaysgNotFoundError);
    const trespasser = new PaysgClient({
      apiKey: OTHER_KEY,
      paymentServiceId: SIMULATOR_PAYMENT_SERVICE_ID,
      baseUrl: SIM_URL,
      fetch: sim.fetch,
    });
    await assert.rejects(
      trespasser.payments.retrieve('x'),
      (err) => err instanceof PaysgPermissionError && err.status === 403,
    );
    const nobody = new PaysgClient({
      apiKey: 'paysg_stag_nobody',
      paymentServiceId: SIMULATOR_PAYMENT_SERVICE_ID,
      baseUrl: SIM_URL,
      fetch: sim.fetch,
    });
    await assert.rejects(
      nobody.payments.create(params(), { idempotencyKey: 'x' }),
      PaysgAuthenticationError,
    );
    const unknownService = new PaysgClient({
      apiKey: SIMULATOR_API_KEY,
      paymentServiceId: 'payment_service_unknown',
      baseUrl: SIM_URL,
      fetch: sim.fetch,
    });
    await assert.rejects(unknownService.payments.list(), PaysgNotFoundError);
  });
});

describe('PaySG contract: idempotency', () => {
  it('replays the same key, refuses it with other parameters, and executes anew after 24 h', async () => {
    const { sim, client, clock } = setup();
    const p = params();
    const first = await client.payments.create(p, { idempotencyKey: 'idem-1' });
    const again = await client.payments.create(p, { idempotencyKey: 'idem-1' });
    assert.deepEqual(again, first);
    await assert.rejects(
      client.payments.create({ ...p, amount_in_cents: 1 }, { idempotencyKey: 'idem-1' }),
      (err) =>
        err instanceof PaysgIdempotencyMismatchError && err.code === 'idempotency_key_reused',
    );
    assert.equal(sim.ledger.paymentCount, 1);
    clock.advance(24 * 60 * 60 * 1000 + 1);
    const later = await client.payments.create(p, { idempotencyKey: 'idem-1' });
    assert.notEqual(later.id, first.id);
    assert.equal(sim.ledger.paymentCount, 2);
  });

  it('stores and replays a 500, and answers 409 while the same key is in flight', async () => {
    const { sim, client } = setup({}, { maxRetries: 0 });
    sim.state.faults.add({ fault: { kind: 'status', status: 500 }, route: 'create', count: 1 });
    const p = params();
    await assert.rejects(
      client.payments.create(p, { idempotencyKey: 'five-hundred' }),
      PaysgUpstreamError,
    );
    await assert.rejects(
      client.payments.create(p, { idempotencyKey: 'five-hundred' }),
      (err) => err instanceof PaysgUpstreamError && err.status === 500,
    );
    assert.equal(sim.ledger.paymentCount, 0);
    assert.ok(await client.payments.create(p, { idempotencyKey: 'a-fresh-key' }));

    sim.state.faults.add({ fault: { kind: 'latency', ms: 50 }, route: 'create', count: 1 });
    const q = params();
    const results = await Promise.allSettled([
      client.payments.create(q, { idempotencyKey: 'concurrent' }),
      new Promise((r) => setTimeout(r, 5)).then(() =>
        client.payments.create(q, { idempotencyKey: 'concurrent' }),
      ),
    ]);
    assert.equal(results[0].status, 'fulfilled');
    assert.ok(
      results[1].status === 'rejected' &&
        results[1].reason instanceof PaysgConflictError &&
        results[1].reason.code === 'idempotency_key_in_use',
    );
  });

  it('does not store a 429: the retry executes', async () => {
    const { sim, client } = setup();
    sim.state.faults.add({ fault: { kind: 'status', status: 429 }, route: 'create', count: 1 });
    const payment = await client.payments.create(params(), { idempotencyKey: 'limited' });
    assert.equal(payment.payment_status, 'unpaid');
    assert.equal(sim.ledger.paymentCount, 1);
  });
});

describe('PaySG contract: faults', () => {
  it('commit-then-drop: the client retries with the same key and gets the one payment', async () => {
    const { sim, client } = setup();
    sim.state.faults.add({ fault: { kind: 'drop_response' }, route: 'create', count: 1 });
    const payment = await client.payments.create(params(), { idempotencyKey: 'dropped' });
    assert.equal(sim.ledger.paymentCount, 1);
    assert.equal(sim.state.idempotency.replays, 1);
    assert.equal((await client.payments.retrieve(payment.id)).id, payment.id);
  });

  it('a hang becomes PaysgTimeoutError; 429 and 503 become typed errors after retries', async () => {
    const { sim, client } = setup({}, { timeoutMs: 30, maxRetries: 1 });
    sim.state.faults.add({ fault: { kind: 'hang' }, route: 'retrieve' });
    await assert.rejects(client.payments.retrieve('x'), PaysgTimeoutError);
    sim.state.faults.clear();
    sim.state.faults.add({ fault: { kind: 'status', status: 429 }, route: 'list' });
    await assert.rejects(
      client.payments.list(),
      (err) => err instanceof PaysgRateLimitError && err.retryAfter === 1,
    );
    sim.state.faults.clear();
    sim.state.faults.add({
      fault: { kind: 'status', status: 503 },
      paymentServiceId: SIMULATOR_PAYMENT_SERVICE_ID,
    });
    await assert.rejects(
      client.payments.list(),
      (err) => err instanceof PaysgUpstreamError && err.status === 503,
    );
  });

  it('applies a fault to one payment service only', async () => {
    const { sim, client } = setup();
    sim.state.faults.add({
      fault: { kind: 'status', status: 503 },
      paymentServiceId: OTHER_SERVICE,
    });
    assert.ok(await client.payments.list());
  });

  it('obeys magic references', async () => {
    const { sim, client } = setup({}, { maxRetries: 0 });
    await assert.rejects(
      client.payments.create(params({ reference_id: 'LIC-SIM-500' }), { idempotencyKey: 'm1' }),
      PaysgUpstreamError,
    );
    await assert.rejects(
      client.payments.create(params({ reference_id: 'LIC-SIM-DROP' }), { idempotencyKey: 'm2' }),
      PaysgConnectionError,
    );
    assert.equal(sim.ledger.createCount(SIMULATOR_PAYMENT_SERVICE_ID, 'LIC-SIM-DROP'), 1);
    // Only whole parts between dashes: a real-looking reference that contains the letters is an ordinary order.
    for (const [i, reference] of ['ORDER-SIM-5001', 'XSIM-500', 'SIM-5000-1'].entries()) {
      assert.equal(
        (
          await client.payments.create(params({ reference_id: reference }), {
            idempotencyKey: `plain-${i}`,
          })
        ).reference_id,
        reference,
      );
    }
    const declined = await client.payments.create(params({ reference_id: 'LIC-SIM-DECLINE' }), {
      idempotencyKey: 'm3',
    });
    const page = await sim.app.request(`/payments/${declined.id}/pay`, { method: 'POST' });
    assert.equal(page.status, 303);
    assert.match(
      await (
        await sim.app.request(
          new URL(page.headers.get('location')!, 'http://sim').pathname.replace('/simulator', '') +
            '?declined=1',
        )
      ).text(),
      /declined/,
    );
    assert.equal((await client.payments.retrieve(declined.id)).payment_status, 'unpaid');
  });
});

describe('PaySG contract: list', () => {
  it('pages newest first with cursors both ways, and iterates over everything', async () => {
    const { client, clock } = setup();
    // Several payments share a millisecond, so ties are ordered by id.
    for (let i = 0; i < 25; i++) {
      await client.payments.create(params(), { idempotencyKey: `l-${i}` });
      if (i % 3 === 0) clock.advance(1);
    }
    const first = await client.payments.list({ limit: 10 });
    assert.equal(first.data.length, 10);
    assert.equal(first.page_info.has_next_page, true);
    assert.equal(first.page_info.has_previous_page, false);
    const second = await client.payments.list({ limit: 10, after: first.page_info.end_cursor! });
    assert.equal(second.page_info.has_previous_page, true);
    const back = await client.payments.list({ limit: 10, before: second.page_info.start_cursor! });
    assert.deepEqual(
      back.data.map((p) => p.id),
      first.data.map((p) => p.id),
    );

    const all: string[] = [];
    for await (const payment of client.payments.listAll({ limit: 7 })) all.push(payment.id);
    assert.equal(all.length, 25);
    assert.equal(new Set(all).size, 25);
    assert.deepEqual(
      all.slice(0, 10),
      first.data.map((p) => p.id),
    );
    // Newest first: created_at descending, ties by id descending.
    const listed = [...first.data, ...second.data];
    for (let i = 1; i < listed.length; i++) {
      const [a, b] = [listed[i - 1]!, listed[i]!];
      assert.ok(a.created_at! > b.created_at! || (a.created_at === b.created_at && a.id > b.id));
    }
  });

  it('refuses before and after together, and a bad cursor', async () => {
    const { sim, client } = setup();
    await assert.rejects(
      client.payments.list({ before: 'a', after: 'b' }),
      PaysgInvalidRequestError,
    );
    const raw = await sim.app.request(
      `/v1/payment-services/${SIMULATOR_PAYMENT_SERVICE_ID}/payments?before=a&after=b`,
      { headers: { 'x-api-key': SIMULATOR_API_KEY } },
    );
    assert.equal(raw.status, 400);
    await assert.rejects(client.payments.list({ after: 'not-a-cursor' }), PaysgInvalidRequestError);
  });
});

describe('PaySG contract: cancel and send-email', () => {
  it('cancels only unpaid payments, and a cancelled link cannot be paid', async () => {
    const { sim, client } = setup();
    const payment = await client.payments.create(params(), { idempotencyKey: 'cx' });
    const cancelled = await client.payments.cancel(payment.id);
    assert.equal(cancelled?.latest_status, 'cancelled');
    assert.ok(cancelled?.payment_cancelled_timestamp);
    await assert.rejects(client.payments.cancel(payment.id), PaysgPaymentStateError);
    await sim.app.request(`/payments/${payment.id}/pay`, { method: 'POST' });
    assert.equal((await client.payments.retrieve(payment.id)).payment_status, 'unpaid');

    const done = await paid(sim, client);
    await assert.rejects(
      client.payments.cancel(done.id),
      (err) => err instanceof PaysgPaymentStateError && err.status === 402,
    );
  });

  it('emails the link to payer_email, and refuses without one', async () => {
    const { client } = setup();
    const withEmail = await client.payments.create(params({ payer_email: 'tan@example.com' }), {
      idempotencyKey: 'e1',
    });
    assert.equal(await client.payments.sendEmail(withEmail.id), undefined);
    const after = await client.payments.retrieve(withEmail.id);
    assert.equal(after.email_delivery_status, 'sent');
    assert.ok(after.payment_sent_timestamp);
    const without = await client.payments.create(params(), { idempotencyKey: 'e2' });
    await assert.rejects(client.payments.sendEmail(without.id), PaysgInvalidRequestError);
  });
});

describe('PaySG contract: refund', () => {
  it('refunds in part, then in full, never more than was paid', async () => {
    const { sim, client } = setup();
    const payment = await paid(sim, client);
    const partial = await client.payments.refund(
      payment.id,
      { refund_amount_in_cents: 2000 },
      { idempotencyKey: 'r1' },
    );
    assert.equal(partial.refund_status, 'partially_refunded');
    await assert.rejects(
      client.payments.refund(
        payment.id,
        { refund_amount_in_cents: 10001 },
        { idempotencyKey: 'r2' },
      ),
      (err) => err instanceof PaysgPaymentStateError && err.code === 'refund_exceeds_remaining',
    );
    const full = await client.payments.refund(
      payment.id,
      { refund_amount_in_cents: 10000 },
      { idempotencyKey: 'r3' },
    );
    assert.equal(full.refund_status, 'fully_refunded');
    assert.ok(full.payment_fully_refunded_timestamp);
    await assert.rejects(
      client.payments.refund(payment.id, { refund_amount_in_cents: 1 }, { idempotencyKey: 'r4' }),
      PaysgPaymentStateError,
    );
  });

  it('replays a refund with the same key instead of refunding twice', async () => {
    const { sim, client } = setup();
    const payment = await paid(sim, client);
    await client.payments.refund(
      payment.id,
      { refund_amount_in_cents: 5000 },
      { idempotencyKey: 'once' },
    );
    const replay = await client.payments.refund(
      payment.id,
      { refund_amount_in_cents: 5000 },
      { idempotencyKey: 'once' },
    );
    assert.equal(replay.refund_status, 'partially_refunded');
    const rest = await client.payments.refund(
      payment.id,
      { refund_amount_in_cents: 7000 },
      { idempotencyKey: 'rest' },
    );
    assert.equal(rest.refund_status, 'fully_refunded');
  });

  it('refuses unpaid payments, a second refund while one is processing, and after 90 days', async () => {
    const { sim, client, clock } = setup({ refundSettleMs: 60_000 });
    const unpaid = await client.payments.create(params(), { idempotencyKey: 'u' });
    await assert.rejects(
      client.payments.refund(unpaid.id, { refund_amount_in_cents: 1 }, { idempotencyKey: 'u1' }),
      PaysgPaymentStateError,
    );

    const payment = await paid(sim, client);
    await client.payments.refund(
      payment.id,
      { refund_amount_in_cents: 100 },
      { idempotencyKey: 'p1' },
    );
    await assert.rejects(
      client.payments.refund(payment.id, { refund_amount_in_cents: 100 }, { idempotencyKey: 'p2' }),
      (err) => err instanceof PaysgConflictError && err.code === 'refund_in_progress',
    );
    clock.advance(60_001);
    await client.payments.refund(
      payment.id,
      { refund_amount_in_cents: 100 },
      { idempotencyKey: 'p3' },
    );

    const old = await paid(sim, client);
    clock.advance(91 * 24 * 60 * 60 * 1000);
    await assert.rejects(
      client.payments.refund(old.id, { refund_amount_in_cents: 100 }, { idempotencyKey: 'o1' }),
      (err) => err instanceof PaysgPaymentStateError && err.code === 'refund_window_passed',
    );
  });
});
