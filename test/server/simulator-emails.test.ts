/**
 * The simulator's outbox: each send-email PaySG accepts is one e-mail, recorded with the
 * payment's address, link and amount, listed newest first at `/_simulator/emails` behind the
 * control token; a send-email PaySG refuses (no address, paid, cancelled, a fault) records none.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createSimulator,
  SIMULATOR_API_KEY,
  SIMULATOR_PAYMENT_SERVICE_ID,
} from '../../demo/simulator/simulator.js';
import type { SimulatedEmail } from '../../demo/simulator/email-outbox.js';

const PUBLIC_URL = 'https://pay.simulator.example/simulator';
const PAYMENTS = `/v1/payment-services/${SIMULATOR_PAYMENT_SERVICE_ID}/payments`;
const API = { 'x-api-key': SIMULATOR_API_KEY, 'content-type': 'application/json' };

type Sim = ReturnType<typeof createSimulator>;

async function create(
  sim: Sim,
  extra: Record<string, unknown> = { payer_email: 'tan@example.com' },
): Promise<{ id: string; payment_url: string; reference_id: string }> {
  const response = await sim.app.request(PAYMENTS, {
    method: 'POST',
    headers: API,
    body: JSON.stringify({
      reference_id: `PF-${Math.random().toString(36).slice(2, 10)}`,
      payer_name: 'Tan Ah Kow',
      description: 'Parking fine P01: Parking without a valid parking coupon, vehicle SBA1234A',
      amount_in_cents: 7000,
      ...extra,
    }),
  });
  assert.equal(response.status, 201);
  return (await response.json()) as { id: string; payment_url: string; reference_id: string };
}

function sendEmail(sim: Sim, id: string): Promise<Response> {
  return Promise.resolve(
    sim.app.request(`${PAYMENTS}/${id}/send-email`, { method: 'POST', headers: API, body: '{}' }),
  );
}

async function outbox(sim: Sim, headers: Record<string, string> = {}): Promise<SimulatedEmail[]> {
  const response = await sim.app.request('/_simulator/emails', { headers });
  assert.equal(response.status, 200);
  return (await response.json()) as SimulatedEmail[];
}

describe('simulator outbox', () => {
  it('records the e-mail a send-email sends: to, payment, link, reference, amount, description, time', async () => {
    const sim = createSimulator({
      publicUrl: PUBLIC_URL,
      now: () => new Date('2026-12-08T02:00:00.000Z'),
    });
    const payment = await create(sim);
    assert.deepEqual(await outbox(sim), [], 'nothing is sent by a create alone');

    const response = await sendEmail(sim, payment.id);
    assert.equal(response.status, 200);
    assert.equal(await response.text(), '', 'the answer stays empty, as Plumber expects');

    assert.deepEqual(await outbox(sim), [
      {
        to: 'tan@example.com',
        paymentId: payment.id,
        paymentUrl: `${PUBLIC_URL}/payments/${payment.id}`,
        referenceId: payment.reference_id,
        amountInCents: 7000,
        description: 'Parking fine P01: Parking without a valid parking coupon, vehicle SBA1234A',
        sentAt: '2026-12-08T10:00:00.000+08:00',
      },
    ]);
    assert.equal(payment.payment_url, `${PUBLIC_URL}/payments/${payment.id}`);
    const after = sim.ledger.find(payment.id);
    assert.equal(after?.email_delivery_status, 'sent');
    assert.equal(after?.payment_sent_timestamp, '2026-12-08T10:00:00.000+08:00');
  });

  it('lists newest first, and each accepted send-email is one more e-mail (PaySG sends each time)', async () => {
    let now = Date.parse('2026-12-08T02:00:00.000Z');
    const sim = createSimulator({ publicUrl: PUBLIC_URL, now: () => new Date(now) });
    const first = await create(sim, { payer_email: 'first@example.com' });
    const second = await create(sim, { payer_email: 'second@example.com' });
    await sendEmail(sim, first.id);
    now += 60_000;
    await sendEmail(sim, second.id);
    now += 60_000;
    await sendEmail(sim, first.id);

    const listed = await outbox(sim);
    assert.deepEqual(
      listed.map((e) => [e.to, e.sentAt]),
      [
        ['first@example.com', '2026-12-08T10:02:00.000+08:00'],
        ['second@example.com', '2026-12-08T10:01:00.000+08:00'],
        ['first@example.com', '2026-12-08T10:00:00.000+08:00'],
      ],
    );
    const stats = (await (await sim.app.request('/_control/stats')).json()) as {
      emailsSent: number;
    };
    assert.equal(stats.emailsSent, 3);
  });

  it('records nothing for a payment without payer_email: 400 payer_email_missing, still unsent', async () => {
    const sim = createSimulator({ publicUrl: PUBLIC_URL });
    const payment = await create(sim, {});
    const response = await sendEmail(sim, payment.id);
    assert.equal(response.status, 400);
    assert.deepEqual(await response.json(), {
      error: {
        type: 'invalid_request_error',
        code: 'payer_email_missing',
        message: 'This payment has no payer_email',
      },
    });
    assert.deepEqual(await outbox(sim), []);
    assert.equal(sim.ledger.find(payment.id)?.email_delivery_status, 'unsent');
    assert.equal(sim.ledger.find(payment.id)?.payment_sent_timestamp, null);
  });

  it('records nothing when PaySG refuses: a paid or cancelled payment, another service, a 500 fault', async () => {
    const sim = createSimulator({
      publicUrl: PUBLIC_URL,
      accounts: {
        [SIMULATOR_API_KEY]: [SIMULATOR_PAYMENT_SERVICE_ID],
        other_key: ['payment_service_other'],
      },
    });
    const paid = await create(sim);
    sim.ledger.pay(paid.id);
    assert.equal((await sendEmail(sim, paid.id)).status, 402);

    const cancelled = await create(sim);
    sim.ledger.cancel(SIMULATOR_PAYMENT_SERVICE_ID, cancelled.id);
    assert.equal((await sendEmail(sim, cancelled.id)).status, 402);

    const faulted = await create(sim);
    const fault = await sim.app.request('/_control/faults', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        fault: { kind: 'status', status: 500 },
        route: 'send_email',
        count: 1,
      }),
    });
    assert.equal(fault.status, 201);
    assert.equal((await sendEmail(sim, faulted.id)).status, 500);
    assert.equal(sim.ledger.find(faulted.id)?.email_delivery_status, 'unsent');

    const unknown = await sendEmail(sim, 'NoSuchPayment00000000');
    assert.equal(unknown.status, 404);
    // Another service's key, on its own service, cannot e-mail this service's payment.
    const elsewhere = await sim.app.request(
      `/v1/payment-services/payment_service_other/payments/${faulted.id}/send-email`,
      { method: 'POST', headers: { ...API, 'x-api-key': 'other_key' }, body: '{}' },
    );
    assert.equal(elsewhere.status, 404);
    assert.deepEqual(await outbox(sim), []);

    // The fault was used once: the next send goes out, and is the outbox's only e-mail.
    assert.equal((await sendEmail(sim, faulted.id)).status, 200);
    assert.deepEqual(
      (await outbox(sim)).map((e) => e.paymentId),
      [faulted.id],
    );
  });

  it('a dropped answer still sent the e-mail: PaySG did the work, the client never heard', async () => {
    const sim = createSimulator({ publicUrl: PUBLIC_URL });
    const payment = await create(sim);
    await sim.app.request('/_control/faults', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ fault: { kind: 'drop_response' }, route: 'send_email' }),
    });
    await assert.rejects(
      sim.fetch(`${PUBLIC_URL}${PAYMENTS}/${payment.id}/send-email`, {
        method: 'POST',
        headers: API,
        body: '{}',
      }),
      /socket hang up/,
    );
    assert.deepEqual(
      (await outbox(sim)).map((e) => e.paymentId),
      [payment.id],
    );
  });

  it('is guarded like the control API: the control token is needed when the simulator has one', async () => {
    const sim = createSimulator({ publicUrl: PUBLIC_URL, controlToken: 'control-secret' });
    const payment = await create(sim);
    await sendEmail(sim, payment.id);

    const refused = await sim.app.request('/_simulator/emails');
    assert.equal(refused.status, 401);
    assert.equal(
      ((await refused.json()) as { error: { code: string } }).error.code,
      'invalid_control_token',
    );
    const wrong = await sim.app.request('/_simulator/emails', {
      headers: { 'x-simulator-control': 'guess' },
    });
    assert.equal(wrong.status, 401);

    const listed = await outbox(sim, { 'x-simulator-control': 'control-secret' });
    assert.equal(listed.length, 1);
    assert.equal(listed[0]?.to, 'tan@example.com');
  });

  it('is read without an API key (a person reads the outbox, not a PaySG client) and never cached', async () => {
    const sim = createSimulator({ publicUrl: PUBLIC_URL });
    const response = await sim.app.request('/_simulator/emails');
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
  });

  it('shows the outbox as a page a person reads: to, subject, link, time; escaped, no script, guarded', async () => {
    const sim = createSimulator({
      publicUrl: PUBLIC_URL,
      now: () => new Date('2026-12-08T02:00:00.000Z'),
    });
    const empty = await sim.app.request('/_simulator/outbox');
    assert.match(await empty.text(), /No e-mails yet/);

    const payment = await create(sim, {
      payer_email: 'tan@example.com',
      description: 'Fine <script>alert(1)</script> & more',
    });
    await sendEmail(sim, payment.id);
    const response = await sim.app.request('/_simulator/outbox');
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    assert.doesNotMatch(response.headers.get('content-security-policy') ?? '', /script-src/);
    const page = await response.text();
    assert.match(page, /<dd>tan@example\.com<\/dd>/);
    assert.match(page, /Payment request: SGD\s70\.00 for PF-/);
    assert.match(
      page,
      new RegExp(`<a href="${PUBLIC_URL}/payments/${payment.id}">Pay SGD\\s70\\.00</a>`),
    );
    assert.match(page, /<time datetime="2026-12-08T10:00:00\.000\+08:00">8 Dec 2026, 10:00:00/);
    assert.match(page, /Fine &lt;script&gt;alert\(1\)&lt;\/script&gt; &amp; more/);
    assert.doesNotMatch(page, /<script/);
    const css = await sim.app.request('/_simulator/outbox.css');
    assert.match(css.headers.get('content-type') ?? '', /^text\/css/);

    const guarded = createSimulator({ publicUrl: PUBLIC_URL, controlToken: 'control-secret' });
    assert.equal((await guarded.app.request('/_simulator/outbox')).status, 401);
  });
});
