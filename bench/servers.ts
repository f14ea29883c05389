/**
 * The servers the bench measures, each a process of its own on 127.0.0.1 as agencies run them:
 * the compiled `paysg-checkout bff` and `paysg-checkout simulator`, and a bare Hono app.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../test/helpers/free-ports.js';
import { parentPid } from './process-stats.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The agency page the BFF's browser API allows. */
export const PAGE = 'http://localhost:5173';
export const BFF_COMMAND = ['dist/lib/server/cli/paysg-checkout.js', 'bff'];
export const SIMULATOR_COMMAND = ['dist/lib/server/cli/paysg-checkout.js', 'simulator'];

export interface Server {
  child: ChildProcess;
  url: string;
  pid: number;
  stop(): void;
}

/** Starts `node args…` on a free port and waits (bounded) until `readyPath` answers. */
export async function startServer(
  args: string[],
  env: Record<string, string>,
  readyPath: string,
): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_OPTIONS: '',
      ...env,
      PORT: String(port),
      SIMULATOR_PORT: String(port),
    },
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  const server = { child, url, pid: child.pid!, stop: () => child.kill('SIGTERM') };
  for (let attempt = 0; attempt < 300; attempt++) {
    if (child.exitCode !== null) break;
    if (
      await fetch(url + readyPath).then(
        (r) => r.status < 500,
        () => false,
      )
    )
      return server;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`${args.join(' ')} did not start`);
}

export const startSimulator = () => startServer(SIMULATOR_COMMAND, {}, '/_control/stats');

/** The BFF's environment against a simulator: a SQLite file of its own unless told otherwise. */
export function bffEnv(
  simulatorUrl: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    PAYSG_API_KEY: 'paysg_stag_simulator_demo_key_0000000000',
    PAYSG_PAYMENT_SERVICE_ID: 'payment_service_5f1c1b8e-3c39-4c5e-9a51-2d1f0d6a9e10',
    PAYSG_API_URL: simulatorUrl,
    // The simulator builds its payment pages on http://localhost:{port}.
    PAYSG_PAYMENT_PAGE_ORIGIN: simulatorUrl.replace('127.0.0.1', 'localhost'),
    ALLOWED_ORIGINS: PAGE,
    CATALOG_FILE: join(ROOT, 'demo/catalog.json'),
    DATABASE_PATH: join(mkdtempSync(join(tmpdir(), 'paysg-bench-')), 'checkouts.sqlite'),
    // No reconciling in the middle of a measured run (it checks unpaid checkouts with PaySG).
    RECONCILE_EVERY_SECONDS: '3600',
    // Requests come from many payers, each its own address (`payerAddress`) behind one proxy,
    // as in production: limits are counted per payer, never one client's for the whole bench.
    TRUST_PROXY: '1',
    ...extra,
  };
}

export const startBff = (simulatorUrl: string, extra: Record<string, string> = {}) =>
  startServer(
    [
      ...(process.env.BENCH_CPU_PROF
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
        : []),
      ...BFF_COMMAND,
    ],
    bffEnv(simulatorUrl, extra),
    '/paysg/healthz',
  );

/** Headers of the agency page's browser, as the widget sends them. */
export const BROWSER_HEADERS = {
  Origin: PAGE,
  'Content-Type': 'application/json',
  'X-PaySG-Checkout': '1',
  'X-PaySG-Browser': 'browser-bench-0123456789',
};

/** The address of the `n`th payer, as the agency's proxy reports it (`TRUST_PROXY=1`). */
export function payerAddress(n: number): string {
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

/** One order as the widget posts it: its own reference, so every call is a new payment. */
export function orderBody(reference: string): string {
  return JSON.stringify({
    item: 'licence-renewal',
    reference,
    payer: { name: 'Tan Ah Kow' },
    returnTo: `${PAGE}/pay`,
  });
}

/** Creates a checkout and pays it on the simulator: the status read every tab then polls. */
export async function paidCheckout(bffUrl: string, simulatorUrl: string): Promise<string> {
  const response = await fetch(`${bffUrl}/paysg/checkouts`, {
    method: 'POST',
    headers: { ...BROWSER_HEADERS, 'Idempotency-Key': crypto.randomUUID() },
    body: orderBody(`PAID-${crypto.randomUUID()}`),
  });
  const created = (await response.json()) as { checkoutId: string; paymentUrl: string };
  await fetch(`${simulatorUrl}/_control/payments/${created.paymentUrl.split('/').pop()}/pay`, {
    method: 'POST',
  });
  await fetch(`${bffUrl}/paysg/checkouts/${created.checkoutId}`);
  return created.checkoutId;
}

/** A schema of its own on the test PostgreSQL, or the reason there is none. */
export async function benchSchema(): Promise<
  { url: string; postmasterPid: number; drop(): Promise<void> } | { skipped: string }
> {
  const { PG_TEST_URL, postgresUnavailable } = await import('../test/helpers/postgres.js');
  const unavailable = await postgresUnavailable();
  if (unavailable) return { skipped: unavailable };
  const pg = (await import('pg')).default;
  const schema = `bench_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: PG_TEST_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  // This connection's backend is a child of the server's postmaster: the process whose CPU counts.
  const { rows } = await admin.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  const postmasterPid = parentPid(rows[0]!.pid);
  await admin.end();
  const url = new URL(PG_TEST_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    postmasterPid,
    drop: async () => {
      const client = new pg.Client({ connectionString: PG_TEST_URL });
      await client.connect();
      await client.query(`DROP SCHEMA ${schema} CASCADE`);
      await client.end();
    },
  };
}
