/**
 * A refund is never lost to a crash: the BFF (a real process, `server/main.ts`) is killed with
 * SIGKILL while PaySG (the simulator, another process) has made the refund and still holds its
 * answer. The refund was written as requested before PaySG was asked (found so in the store of the
 * dead process); after a restart the reconciler sends it again under its own key, PaySG replays,
 * and the store records what PaySG did: once.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { SIMULATOR_API_KEY, SIMULATOR_PAYMENT_SERVICE_ID } from '../../demo/simulator/simulator.js';
import { SqliteCheckoutStore } from '../../server/storage/sqlite-store.js';
import { freePorts, ManagedProcess, sleep } from '../chaos/processes.js';
import { TEST_CATALOG } from '../helpers/bff-harness.js';

const ADMIN_TOKEN = 'crash-test-admin-token-0123456789abcdef';
const CONTROL = 'crash-test-control-token';
const ORIGIN = 'http://127.0.0.1';
const processes: ManagedProcess[] = [];
after(async () => {
  for (const p of processes) await p.kill();
});

it('records a refund PaySG made while the BFF was killed, from the row written before PaySG was asked', {
  timeout: 90_000,
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'paysg-refund-crash-'));
  const [simPort, bffPort] = await freePorts(2);
  const simUrl = `http://127.0.0.1:${simPort}`;
  const bffUrl = `http://127.0.0.1:${bffPort}/paysg`;
  writeFileSync(join(dir, 'catalog.json'), JSON.stringify(TEST_CATALOG));

  const simulator = new ManagedProcess({
    name: 'simulator',
    script: 'demo/simulator/main.ts',
    port: simPort!,
    env: {
      SIMULATOR_PORT: String(simPort),
      SIMULATOR_PUBLIC_URL: simUrl,
      SIMULATOR_CONTROL_TOKEN: CONTROL,
    },
    readyPath: '/',
    readyWhen200: false,
    logFile: join(dir, 'simulator.log'),
  });
  const bff = new ManagedProcess({
    name: 'bff',
    script: 'server/main.ts',
    port: bffPort!,
    env: {
      PORT: String(bffPort),
      PUBLIC_URL: bffUrl.replace(/\/paysg$/, ''),
      ALLOWED_ORIGINS: `${ORIGIN}:${bffPort}`,
      PAYSG_API_KEY: SIMULATOR_API_KEY,
      PAYSG_PAYMENT_SERVICE_ID: SIMULATOR_PAYMENT_SERVICE_ID,
      PAYSG_API_URL: simUrl,
      PAYSG_PAYMENT_PAGE_ORIGIN: simUrl,
      CATALOG_FILE: join(dir, 'catalog.json'),
      DATABASE_PATH: join(dir, 'checkouts.sqlite'),
      ADMIN_TOKEN,
      RECONCILE_EVERY_SECONDS: '5',
      RECONCILE_QUIET_SECONDS: '1',
    },
    readyPath: '/paysg/healthz',
    readyWhen200: true,
    logFile: join(dir, 'bff.log'),
  });
  processes.push(simulator, bff);
  await simulator.start(20_000);
  await bff.start(30_000);

  const control = (path: string, init: RequestInit = {}) =>
    fetch(`${simUrl}/_control${path}`, {
      ...init,
      headers: {
        'X-Simulator-Control': CONTROL,
        'Content-Type': 'application/json',
        ...init.headers,
      },
    });
  const admin = (path: string, init: RequestInit = {}) =>
    fetch(`${bffUrl}/admin/api${path}`, {
      ...init,
      headers: {
        Authorization: `Bearer ${ADMIN_TOKEN}`,
        'Content-Type': 'application/json',
        ...init.headers,
      },
    });
  const paysgPayment = async (id: string) =>
    (await (
      await fetch(`${simUrl}/v1/payment-services/${SIMULATOR_PAYMENT_SERVICE_ID}/payments/${id}`, {
        headers: { 'x-api-key': SIMULATOR_API_KEY },
      })
    ).json()) as { refund_status: string };

  // A paid checkout.
  const created = await fetch(`${bffUrl}/checkouts`, {
    method: 'POST',
    headers: {
      Origin: `${ORIGIN}:${bffPort}`,
      'Content-Type': 'application/json',
      'X-PaySG-Checkout': '1',
      'X-PaySG-Browser': 'browser-crash-0123456789',
    },
    body: JSON.stringify({
      item: 'licence-renewal',
      reference: 'LIC-CRASH-1',
      payer: { name: 'Tan Ah Kow' },
      returnTo: `${ORIGIN}:${bffPort}/done`,
    }),
  });
  assert.equal(created.status, 201, await created.clone().text());
  const { checkoutId, paymentUrl } = (await created.json()) as {
    checkoutId: string;
    paymentUrl: string;
  };
  const paymentId = paymentUrl.split('/').pop()!;
  assert.equal((await control(`/payments/${paymentId}/pay`, { method: 'POST' })).status, 200);
  assert.equal(
    ((await (await fetch(`${bffUrl}/checkouts/${checkoutId}`)).json()) as { status: string })
      .status,
    'paid',
  );

  // PaySG will make the next refund and then hold its answer for 60 s.
  assert.equal(
    (
      await control('/faults', {
        method: 'POST',
        body: JSON.stringify({ route: 'refund', count: 1, fault: { kind: 'hold', ms: 60_000 } }),
      })
    ).status,
    201,
  );
  const asked = admin(`/checkouts/${checkoutId}/refunds`, {
    method: 'POST',
    headers: { 'Idempotency-Key': 'crash-refund-0001' },
    body: JSON.stringify({ amountInCents: 5000, reason: 'Overcharged' }),
  }).catch(() => undefined);
  for (let i = 0; i < 100 && (await paysgPayment(paymentId)).refund_status === 'not_refunded'; i++)
    await sleep(50);
  assert.equal(
    (await paysgPayment(paymentId)).refund_status,
    'partially_refunded',
    'PaySG made the refund',
  );

  await bff.kill();
  await asked;
  // Dead in the middle: the store already holds the refund, as asked for and not yet answered,
  // which keeps any other refund of this checkout from starting until PaySG's answer is recorded.
  const store = new SqliteCheckoutStore(join(dir, 'checkouts.sqlite'));
  const [held] = await store.refundsOf(checkoutId);
  assert.deepEqual(
    [held?.status, held?.amountInCents, held?.reason, held?.requestedBy.name],
    ['requested', 5000, 'Overcharged', 'API token'],
  );
  assert.equal((await store.get(checkoutId))?.refundedInCents, 0);
  await store.close();

  await bff.start(30_000);
  // The restarted BFF's reconciler asks PaySG under the refund's own key and records its answer.
  let checkout: { refundedInCents: number; refundInProgress: boolean } | undefined;
  for (let i = 0; i < 120; i++) {
    const page = (await (await admin('/checkouts?search=LIC-CRASH-1')).json()) as {
      checkouts: { refundedInCents: number; refundInProgress: boolean }[];
    };
    checkout = page.checkouts[0];
    if (checkout?.refundedInCents) break;
    await sleep(250);
  }
  assert.equal(checkout?.refundedInCents, 5000);
  const detail = (await (await admin(`/checkouts/${checkoutId}`)).json()) as {
    refunds: { amountInCents: number; status: string; reason: string }[];
    history: { text: string; who: string }[];
  };
  assert.deepEqual(
    detail.refunds.map((r) => [r.amountInCents, r.status, r.reason]),
    [[5000, 'succeeded', 'Overcharged']],
  );
  assert.ok(
    detail.history.some(
      (l) =>
        l.text === 'PaySG refunded SGD 50.00' && l.who === 'PaySG (recorded by the reconciler)',
    ),
    JSON.stringify(detail.history),
  );
  // PaySG refunded once: SGD 50.00 of SGD 120.00 is all it took back.
  assert.equal((await paysgPayment(paymentId)).refund_status, 'partially_refunded');
  // And the remaining SGD 70.00 can still be refunded, which PaySG would refuse if it had refunded twice.
  const rest = await admin(`/checkouts/${checkoutId}/refunds`, {
    method: 'POST',
    headers: { 'Idempotency-Key': 'crash-refund-0003' },
    body: JSON.stringify({ reason: 'The rest' }),
  });
  assert.equal(rest.status, 201, await rest.clone().text());
  assert.equal((await paysgPayment(paymentId)).refund_status, 'fully_refunded');
});
