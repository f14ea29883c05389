import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { readdirSync, readFileSync } from 'node:fs';
import {
  createSimulator,
  SIMULATOR_API_KEY,
  SIMULATOR_PAYMENT_SERVICE_ID,
} from '../../demo/simulator/simulator.js';
import {
  PAYSG_SIGNATURE_HEADER,
  paysgSignatureHeader,
} from '../../demo/simulator/webhook-signing.js';
import { PaysgSignatureError } from '../../server/paysg/errors.js';
import { parseEvent } from '../../server/paysg/events.js';
import { verifyWebhookSignature } from '../../server/paysg/webhook-signature.js';
import { createHarness, SIMULATOR_URL, TestClock, WEBHOOK_SECRET } from '../helpers/bff-harness.js';

const BASE = 'https://pay.simulator.example';
const PAYMENTS = `/v1/payment-services/${SIMULATOR_PAYMENT_SERVICE_ID}/payments`;
const SECRET = 'whsec_simulator_test';

async function apiCreate(
  sim: ReturnType<typeof createSimulator>,
  reference = `REF-${Math.random()}`,
) {
  const response = await sim.app.request(PAYMENTS, {
    method: 'POST',
    headers: { 'x-api-key': SIMULATOR_API_KEY, 'content-type': 'application/json' },
    body: JSON.stringify({
      reference_id: reference,
      payer_name: 'Tan',
      description: 'Fee',
      amount_in_cents: 500,
    }),
  });
  return (await response.json()) as { id: string };
}

function receiver(failFirst = 0) {
  const received: { body: string; signature: string | null }[] = [];
  let calls = 0;
  const fetch: typeof globalThis.fetch = async (_url, init) => {
    calls++;
    if (calls <= failFirst) return new Response('busy', { status: 503 });
    received.push({
      body: String(init?.body),
      signature: new Headers(init?.headers).get('PaySG-Signature'),
    });
    return new Response(null, { status: 204 });
  };
  return { fetch, received };
}

describe('simulator webhooks', () => {
  it('sends the last event again on request, the same event id, as a duplicate PaySG may send', async () => {
    const { fetch, received } = receiver();
    const sim = createSimulator({
      publicUrl: BASE,
      webhooks: {
        endpoints: [{ url: 'https://agency.example/paysg/webhooks', secret: SECRET }],
        fetch,
      },
    });
    const nothing = await sim.app.request('/_control/webhooks/resend', { method: 'POST' });
    assert.equal(nothing.status, 404);
    const payment = await apiCreate(sim);
    await sim.app.request(`/payments/${payment.id}/pay`, { method: 'POST' });
    const resent = await sim.app.request('/_control/webhooks/resend', { method: 'POST' });
    assert.equal(resent.status, 200);
    await sim.state.webhooks.flush();
    assert.equal(received.length, 2);
    assert.equal(
      JSON.parse(received[1]!.body).id,
      ((await resent.json()) as { eventId: string }).eventId,
    );
    assert.equal(received[0]!.body, received[1]!.body);
  });

  it('sends a signed payment.succeeded that our verifier and parser accept', async () => {
    const { fetch, received } = receiver();
    const sim = createSimulator({
      publicUrl: BASE,
      webhooks: {
        endpoints: [{ url: 'https://agency.example/paysg/webhooks', secret: SECRET }],
        fetch,
      },
    });
    const payment = await apiCreate(sim);
    await sim.app.request(`/payments/${payment.id}/pay`, { method: 'POST' });
    await sim.state.webhooks.flush();
    assert.equal(received.length, 1);
    await verifyWebhookSignature({
      payload: received[0]!.body,
      header: received[0]!.signature,
      secrets: [SECRET],
    });
    const event = parseEvent(JSON.parse(received[0]!.body));
    assert.equal(event.type, 'payment.succeeded');
    assert.equal(event.payment?.id, payment.id);
    assert.equal(event.payment?.payment_status, 'paid');
    assert.ok(event.createdAt);
  });

  it('retries with backoff until a 2xx, and can duplicate on purpose', async () => {
    const flaky = receiver(2);
    const sim = createSimulator({
      publicUrl: BASE,
      webhooks: {
        endpoints: [{ url: 'https://a.example/h', secret: SECRET }],
        fetch: flaky.fetch,
        retryBaseMs: 1,
      },
    });
    const payment = await apiCreate(sim);
    sim.ledger.pay(payment.id);
    sim.state.webhooks.paymentSucceeded(sim.ledger.find(payment.id)!);
    await sim.state.webhooks.flush();
    assert.deepEqual(
      sim.state.webhooks.deliveries.map((d) => d.status),
      [503, 503, 204],
    );
    assert.equal(flaky.received.length, 1);

    const twice = receiver();
    const dup = createSimulator({
      publicUrl: BASE,
      webhooks: {
        endpoints: [{ url: 'https://a.example/h', secret: SECRET }],
        fetch: twice.fetch,
        duplicate: true,
      },
    });
    const p2 = await apiCreate(dup);
    await dup.app.request(`/payments/${p2.id}/pay`, { method: 'POST' });
    await dup.state.webhooks.flush();
    assert.equal(twice.received.length, 2);
    assert.equal(JSON.parse(twice.received[0]!.body).id, JSON.parse(twice.received[1]!.body).id);
  });

  it('can deliver events out of the order they happened in', async () => {
    const { fetch, received } = receiver();
    // The first event is held back far longer than delivering the second can take, even on a slow machine.
    const delays = [0.9, 0];
    const webhooks = {
      endpoints: [{ url: 'https://a.example/h', secret: SECRET }],
      fetch,
      retryBaseMs: 500,
      reorder: true,
      random: () => delays.shift()!,
    };
    const sim = createSimulator({ publicUrl: BASE, webhooks });
    const first = await apiCreate(sim);
    const second = await apiCreate(sim);
    // Both queued in the same turn, so nothing between them can eat into the first one's delay.
    for (const payment of [first, second]) {
      sim.ledger.pay(payment.id);
      sim.state.webhooks.paymentSucceeded(sim.ledger.find(payment.id)!);
    }
    await sim.state.webhooks.flush();
    assert.deepEqual(
      received.map((r) => parseEvent(JSON.parse(r.body)).payment?.id),
      [second.id, first.id],
    );
  });

  it('gives up after maxAttempts', async () => {
    const down = receiver(100);
    const sim = createSimulator({
      publicUrl: BASE,
      webhooks: {
        endpoints: [{ url: 'https://a.example/h', secret: SECRET }],
        fetch: down.fetch,
        retryBaseMs: 1,
        maxAttempts: 3,
      },
    });
    const payment = await apiCreate(sim);
    await sim.app.request(`/payments/${payment.id}/pay`, { method: 'POST' });
    await sim.state.webhooks.flush();
    assert.equal(sim.state.webhooks.deliveries.length, 3);
  });
});

describe('simulator webhook signatures, read from PaySG’s docs apart from the BFF’s', () => {
  /** One character other at `index`, still of the same kind (a hex digit stays a hex digit). */
  function changedAt(text: string, index: number): string {
    const ch = text[index]!;
    const other = /[0-9]/.test(ch)
      ? String((Number(ch) + 1) % 10)
      : /[a-f]/.test(ch)
        ? ch === 'f'
          ? 'a'
          : String.fromCharCode(ch.charCodeAt(0) + 1)
        : ch === 'x'
          ? 'y'
          : 'x';
    return text.slice(0, index) + other + text.slice(index + 1);
  }

  const T = 1_763_773_200; // 2025-11-22T01:00:00Z
  const BODY = '{"id":"evt_known","object":"event","type":"payment.succeeded"}';

  it('no simulator source imports the BFF’s webhook signature (or anything of its PaySG client)', () => {
    const dir = new URL('../../demo/simulator/', import.meta.url);
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
    assert.ok(files.includes('webhook-signing.ts') && files.includes('webhook-dispatcher.ts'));
    for (const file of files) {
      // What it imports (static, dynamic or re-exported), not what its comments mention.
      const source = readFileSync(new URL(file, dir), 'utf8');
      const specifiers = [...source.matchAll(/\b(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map(
        (m) => m[1]!,
      );
      for (const specifier of specifiers) {
        assert.doesNotMatch(
          specifier,
          /server\/paysg\/webhook-signature/,
          `${file} imports ${specifier}`,
        );
        assert.doesNotMatch(
          specifier,
          /server\/paysg\/|^paysg-checkout\/paysg/,
          `${file} imports ${specifier}`,
        );
      }
    }
  });

  it('writes the header as PaySG documents it: t=<seconds>, v1=<hex HMAC-SHA256 of "t." and the raw body>', () => {
    // Worked out with openssl, a third reading:
    // printf '%s' '1763773200.{"id":"evt_known",…}' | openssl dgst -sha256 -hmac whsec_simulator_test -hex
    assert.equal(PAYSG_SIGNATURE_HEADER, 'PaySG-Signature');
    assert.equal(
      paysgSignatureHeader(BODY, SECRET, T),
      `t=${T}, v1=c77fb5ede0b4ae3d2eaaf2b41c701b12076a6fc46c224a8f4f56046bc45c9f43`,
    );
    assert.equal(
      paysgSignatureHeader(new TextEncoder().encode(BODY), SECRET, T),
      paysgSignatureHeader(BODY, SECRET, T),
      'bytes and text sign alike',
    );
  });

  it('the BFF’s verifier accepts the simulator’s signature, and refuses it when one character of the body or the signature changes', async () => {
    const header = paysgSignatureHeader(BODY, SECRET, T);
    const verify = (payload: string, signature: string, secrets = [SECRET]) =>
      verifyWebhookSignature({ payload, header: signature, secrets, now: T * 1000 });
    await verify(BODY, header);

    for (let i = 0; i < BODY.length; i++) {
      await assert.rejects(
        verify(changedAt(BODY, i), header),
        PaysgSignatureError,
        `body changed at ${i}`,
      );
    }
    const digestAt = header.indexOf('v1=') + 3;
    for (let i = digestAt; i < header.length; i++) {
      await assert.rejects(
        verify(BODY, changedAt(header, i)),
        PaysgSignatureError,
        `signature changed at ${i}`,
      );
    }
    // The timestamp is signed too: one digit other (still within the tolerance) is refused.
    await assert.rejects(verify(BODY, header.replace(`t=${T}`, `t=${T + 1}`)), PaysgSignatureError);
    await assert.rejects(
      verify(BODY, header, [changedAt(SECRET, SECRET.length - 1)]),
      PaysgSignatureError,
      'another secret',
    );
  });

  it('a payment paid on the simulator reaches the BFF’s webhook route signed, and is accepted and applied', async () => {
    // The harness starts its clock at this instant too: the signature's timestamp is in tolerance.
    const clock = new TestClock();
    let h: ReturnType<typeof createHarness> | undefined;
    const simulator = createSimulator({
      publicUrl: SIMULATOR_URL,
      now: clock.now,
      webhooks: {
        endpoints: [{ url: 'https://agency.example/paysg/webhooks', secret: WEBHOOK_SECRET }],
        fetch: (_url, init) => Promise.resolve(h!.app.request('/webhooks', init)),
        maxAttempts: 1,
      },
    });
    h = createHarness({ simulator });
    const { json } = await h.createCheckout({ reference: 'SIGNED-1' });
    await h.payOnSimulator(h.paymentIdOf(json.paymentUrl));
    await simulator.state.webhooks.flush();
    assert.deepEqual(
      simulator.state.webhooks.deliveries.map((d) => d.status),
      [200],
    );
    assert.ok(!h.logs.some((l) => l.event === 'webhook_signature_rejected'));
    await h.app.idle();
    assert.equal((await h.store.get(json.checkoutId))!.status, 'paid');
  });
});

describe('simulator control API', () => {
  it('counts creates per reference, sets and clears faults, pays and moves the clock', async () => {
    const sim = createSimulator({ publicUrl: BASE, controlToken: 'ctl' });
    const control = (path: string, init: RequestInit = {}) =>
      sim.app.request(`/_control${path}`, {
        ...init,
        headers: {
          'x-simulator-control': 'ctl',
          'content-type': 'application/json',
          ...init.headers,
        },
      });

    assert.equal((await sim.app.request('/_control/stats')).status, 401);
    await apiCreate(sim, 'ORDER-1');
    const stats = (await (
      await control(`/stats?reference=ORDER-1&paymentServiceId=${SIMULATOR_PAYMENT_SERVICE_ID}`)
    ).json()) as Record<string, unknown>;
    assert.equal(stats.creates, 1);
    assert.deepEqual(stats.createsByReference, { 'ORDER-1': 1 });

    assert.equal(
      (
        await control('/faults', {
          method: 'POST',
          body: JSON.stringify({ fault: { kind: 'teapot' } }),
        })
      ).status,
      400,
    );
    const added = await control('/faults', {
      method: 'POST',
      body: JSON.stringify({ fault: { kind: 'status', status: 503 }, route: 'create', count: 1 }),
    });
    assert.equal(added.status, 201);
    const failed = await sim.app.request(PAYMENTS, {
      method: 'POST',
      headers: { 'x-api-key': SIMULATOR_API_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({
        reference_id: 'ORDER-2',
        payer_name: 'Tan',
        description: 'Fee',
        amount_in_cents: 500,
      }),
    });
    assert.equal(failed.status, 503);
    assert.deepEqual(
      ((await (await control('/faults')).json()) as { faults: unknown[] }).faults,
      [],
    );

    const payment = await apiCreate(sim, 'ORDER-3');
    const paid = (await (
      await control(`/payments/${payment.id}/pay`, { method: 'POST' })
    ).json()) as { payment_status: string };
    assert.equal(paid.payment_status, 'paid');
    assert.equal((await control(`/payments/${payment.id}/pay`, { method: 'POST' })).status, 409);

    const before = sim.state.now().getTime();
    await control('/clock/advance', { method: 'POST', body: JSON.stringify({ ms: 3_600_000 }) });
    assert.ok(sim.state.now().getTime() - before >= 3_600_000);
  });

  it('over HTTP, commit-then-drop resets the connection after the payment exists', async () => {
    const sim = createSimulator({ publicUrl: 'http://127.0.0.1/' });
    const server = serve({ fetch: sim.handle, port: 0, hostname: '127.0.0.1' });
    await once(server, 'listening');
    const port = (server.address() as AddressInfo).port;
    try {
      sim.state.faults.add({ fault: { kind: 'drop_response' }, route: 'create', count: 1 });
      await assert.rejects(
        fetch(`http://127.0.0.1:${port}${PAYMENTS}`, {
          method: 'POST',
          headers: { 'x-api-key': SIMULATOR_API_KEY, 'content-type': 'application/json' },
          body: JSON.stringify({
            reference_id: 'DROPPED',
            payer_name: 'Tan',
            description: 'Fee',
            amount_in_cents: 500,
          }),
        }),
        TypeError,
      );
      assert.equal(sim.ledger.createCount(SIMULATOR_PAYMENT_SERVICE_ID, 'DROPPED'), 1);
    } finally {
      server.close();
    }
  });
});
