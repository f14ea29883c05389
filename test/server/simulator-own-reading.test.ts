/**
 * The simulator is a second, independent reading of PaySG's documentation: its own request
 * rules (none of the client's schemas), what PaySG accepts today (line items, identifiers of 20),
 * and what PaySG answers that its guide leaves out (a QR code image, Stripe's `pi_…` id).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  createSimulator,
  SIMULATOR_API_KEY,
  SIMULATOR_PAYMENT_SERVICE_ID,
} from '../../demo/simulator/simulator.js';
import { freePort } from '../helpers/free-ports.js';

const SIM = 'https://pay.simulator.example';
const PAYMENTS = `/v1/payment-services/${SIMULATOR_PAYMENT_SERVICE_ID}/payments`;
const base = {
  reference_id: 'INV-1',
  payer_name: 'Tan Ah Kow',
  description: 'Licence',
  amount_in_cents: 1130,
  return_url: 'https://agency.example/r',
};

function create(sim: ReturnType<typeof createSimulator>, body: unknown, key = crypto.randomUUID()) {
  return sim.app.request(PAYMENTS, {
    method: 'POST',
    headers: {
      'x-api-key': SIMULATOR_API_KEY,
      'content-type': 'application/json',
      'idempotency-key': key,
    },
    body: JSON.stringify(body),
  });
}

describe('the simulator reads PaySG’s documentation on its own', () => {
  it('answers a path it does not know with PaySG’s JSON error envelope, never a text page', async () => {
    const sim = createSimulator({ publicUrl: SIM });
    for (const path of [
      `/v1/payment-services/${SIMULATOR_PAYMENT_SERVICE_ID}/subscriptions`,
      '/v1/nothing-here',
      '/nothing-here',
    ]) {
      const response = await sim.app.request(path, {
        method: 'POST',
        headers: { 'x-api-key': SIMULATOR_API_KEY, 'content-type': 'application/json' },
        body: '{}',
      });
      assert.equal(response.status, 404, path);
      assert.match(response.headers.get('content-type') ?? '', /^application\/json/, path);
      const body = (await response.json()) as {
        error: { type: string; code: string; message: string };
      };
      assert.deepEqual(
        [body.error.type, body.error.code],
        ['invalid_request_error', 'resource_not_found'],
        path,
      );
    }
  });

  it('imports none of the PaySG client’s schemas or client code', () => {
    const dir = new URL('../../demo/simulator/', import.meta.url);
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const source = readFileSync(new URL(file, dir), 'utf8');
      assert.doesNotMatch(source, /server\/paysg\/(schemas|client|errors)/, file);
    }
  });

  it('accepts the documented line_items and keeps them on the payment', async () => {
    const sim = createSimulator({ publicUrl: SIM });
    const lineItems = [
      { description: 'Permit fee', amount_in_cents: 1000 },
      { description: 'Processing' },
    ];
    const response = await create(sim, { ...base, line_items: lineItems });
    assert.equal(response.status, 201);
    assert.deepEqual(((await response.json()) as { line_items: unknown }).line_items, lineItems);
    const bad = await create(sim, { ...base, line_items: [{ description: 'x'.repeat(256) }] });
    assert.equal(bad.status, 400);
  });

  it('accepts identifiers up to 20 characters and refuses longer ones', async () => {
    const sim = createSimulator({ publicUrl: SIM });
    assert.equal((await create(sim, { ...base, payer_identifier: 'X'.repeat(20) })).status, 201);
    assert.equal((await create(sim, { ...base, payer_identifier: 'X'.repeat(21) })).status, 400);
  });

  it('answers with a QR code image it serves and a Stripe payment intent id', async () => {
    const sim = createSimulator({ publicUrl: SIM });
    const payment = (await (await create(sim, base)).json()) as {
      id: string;
      payment_qr_code_url: string;
      stripe_payment_intent_id: string;
    };
    assert.match(
      payment.stripe_payment_intent_id,
      /^pi_[A-Za-z0-9]{24}$/,
      'as a real staging answer has it (FormSG paysg.service.ts)',
    );
    assert.equal(payment.payment_qr_code_url, `${SIM}/v1/public/payments/${payment.id}-qr.png`);
    const image = await sim.app.request(new URL(payment.payment_qr_code_url).pathname);
    assert.equal(image.status, 200);
    assert.equal(image.headers.get('content-type'), 'image/png');
    const bytes = new Uint8Array(await image.arrayBuffer());
    assert.deepEqual([...bytes.slice(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.equal((await sim.app.request('/v1/public/payments/nobody-qr.png')).status, 404);
  });

  it('counts every request per route, retrieves included', async () => {
    const sim = createSimulator({ publicUrl: SIM });
    const payment = (await (await create(sim, base)).json()) as { id: string };
    for (let i = 0; i < 3; i++)
      await sim.app.request(`${PAYMENTS}/${payment.id}`, {
        headers: { 'x-api-key': SIMULATOR_API_KEY },
      });
    await sim.app.request(`${PAYMENTS}?limit=1`, { headers: { 'x-api-key': SIMULATOR_API_KEY } });
    const stats = (await (await sim.app.request('/_control/stats')).json()) as {
      requestsByRoute: Record<string, number>;
    };
    assert.deepEqual(stats.requestsByRoute, { create: 1, retrieve: 3, list: 1 });
  });

  it('listens on this machine only unless told otherwise', async () => {
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, SIMULATOR_PORT: String(port) };
    delete env.SIMULATOR_HOST;
    const child = spawn(process.execPath, ['--import', 'tsx', 'demo/simulator/main.ts'], {
      cwd: new URL('../..', import.meta.url),
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let output = '';
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      const deadline = Date.now() + 20_000;
      while (!/listening on/.test(output) && Date.now() < deadline && child.exitCode === null)
        await new Promise((r) => setTimeout(r, 50));
      assert.match(output, new RegExp(`listening on 127\\.0\\.0\\.1:${port}`));
      assert.doesNotMatch(output, /open control API/);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
