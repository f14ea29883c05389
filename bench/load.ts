/**
 * Load on the BFF as agencies run it: the compiled `paysg-checkout bff` on SQLite against the
 * simulator in a process of its own (no added latency), beside a bare Hono app, each driven by
 * autocannon on 127.0.0.1 for a bounded time. Reports req/s, p50 and p99, and the **server CPU
 * per request** (the server process's user + system time over the run, divided by the requests
 * it answered): a figure that varies little with the machine's load, unlike req/s.
 */
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../test/helpers/free-ports.js';
import { cpuMs, rssMiB } from './process-stats.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PAGE = 'http://localhost:5173';

export interface LoadResult {
  route: string;
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Server CPU (user + system) per request, milliseconds. */
  cpuMsPerRequest: number;
  non2xx: number;
  /** Requests that got no answer at all (timeouts, resets). */
  errors: number;
  /** With a PaySG that answers in 300 ms: what the BFF adds to its p99. */
  bffAddedP99Ms?: number;
  rssMiB?: { before: number; underLoad: number; idleAfter: number };
}

async function start(args: string[], env: Record<string, string>, readyPath: string): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, NODE_OPTIONS: '', ...env, PORT: String(port), SIMULATOR_PORT: String(port) },
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 300; attempt++) {
    if (await fetch(url + readyPath).then((r) => r.status < 500, () => false)) return { child, url };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`${args.join(' ')} did not start`);
}

async function drive(route: string, pid: number, options: autocannon.Options): Promise<LoadResult> {
  // A second of warm-up (the JIT, the statement cache), not counted.
  await autocannon({ ...options, duration: 1 });
  const before = cpuMs(pid);
  const result = await autocannon(options);
  const used = cpuMs(pid) - before;
  const answered = result.requests.total;
  return {
    route,
    requests: answered,
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    cpuMsPerRequest: answered ? used / answered : NaN,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

export async function loadResults(seconds = 5, connections = 50): Promise<LoadResult[]> {
  const simulator = await start(['dist/lib/server/cli/paysg-checkout.js', 'simulator'], {}, '/_control/stats');
  const env = {
    PAYSG_API_KEY: 'paysg_stag_simulator_demo_key_0000000000',
    PAYSG_PAYMENT_SERVICE_ID: 'payment_service_5f1c1b8e-3c39-4c5e-9a51-2d1f0d6a9e10',
    PAYSG_API_URL: simulator.url,
    // The simulator builds its payment pages on http://localhost:{port}.
    PAYSG_PAYMENT_PAGE_ORIGIN: simulator.url.replace('127.0.0.1', 'localhost'),
    ALLOWED_ORIGINS: PAGE,
    CATALOG_FILE: join(ROOT, 'demo/catalog.json'),
    DATABASE_PATH: join(mkdtempSync(join(tmpdir(), 'paysg-load-')), 'checkouts.sqlite'),
    RATE_LIMIT_CREATES_PER_MINUTE: '100000',
    RATE_LIMIT_READS_PER_MINUTE: '100000',
  };
  const bff = await start([...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []), 'dist/lib/server/cli/paysg-checkout.js', 'bff'], env, '/paysg/healthz');
  const bare = await start(['bench/bare-hono.mjs'], {}, '/paysg/healthz');
  const base = { connections, duration: seconds };
  const results: LoadResult[] = [];
  try {
    results.push(await drive('bare Hono GET', bare.child.pid!, { ...base, url: `${bare.url}/paysg/healthz` }));
    results.push(await drive('GET /paysg/quote', bff.child.pid!, { ...base, url: `${bff.url}/paysg/quote?item=licence-renewal` }));

    // A paid checkout, for the status read every tab polls.
    const headers = { Origin: PAGE, 'Content-Type': 'application/json', 'X-PaySG-Checkout': '1', 'X-PaySG-Browser': 'browser-bench-0123456789' };
    const created = (await (
      await fetch(`${bff.url}/paysg/checkouts`, {
        method: 'POST',
        headers: { ...headers, 'Idempotency-Key': crypto.randomUUID() },
        body: JSON.stringify({ item: 'licence-renewal', payer: { name: 'Tan Ah Kow' }, returnTo: `${PAGE}/pay` }),
      })
    ).json()) as { checkoutId: string; paymentUrl: string };
    await fetch(`${simulator.url}/_control/payments/${created.paymentUrl.split('/').pop()}/pay`, { method: 'POST' });
    await fetch(`${bff.url}/paysg/checkouts/${created.checkoutId}`);
    results.push(await drive('GET /paysg/checkouts/{id} (paid)', bff.child.pid!, { ...base, url: `${bff.url}/paysg/checkouts/${created.checkoutId}` }));

    // A new order every request: its own reference and key.
    let order = 0;
    const newOrders: autocannon.Options = {
      ...base,
      url: `${bff.url}/paysg/checkouts`,
      method: 'POST',
      headers,
      requests: [
        {
          setupRequest: (request) => {
            order++;
            return {
              ...request,
              headers: { ...headers, 'Idempotency-Key': `bench-${process.pid}-${order}` },
              body: JSON.stringify({ item: 'licence-renewal', reference: `BENCH-${process.pid}-${order}`, payer: { name: 'Tan Ah Kow' }, returnTo: `${PAGE}/pay` }),
            };
          },
        },
      ],
    };
    results.push(await drive('POST /paysg/checkouts (new order, SQLite)', bff.child.pid!, newOrders));

    // 500 payers at once against a PaySG that takes 300 ms to create each payment.
    await fetch(`${simulator.url}/_control/faults`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ fault: { kind: 'latency', ms: 300 }, route: 'create' }),
    });
    const rssBefore = Math.round(rssMiB(bff.child.pid!));
    const crowd = await drive('500 payers, PaySG creating in 300 ms', bff.child.pid!, { ...newOrders, connections: 500 });
    const rssUnderLoad = Math.round(rssMiB(bff.child.pid!));
    await new Promise((resolve) => setTimeout(resolve, 3000));
    results.push({ ...crowd, bffAddedP99Ms: Math.max(0, crowd.p99Ms - 300), rssMiB: { before: rssBefore, underLoad: rssUnderLoad, idleAfter: Math.round(rssMiB(bff.child.pid!)) } });
  } finally {
    for (const server of [bff, bare, simulator]) server.child.kill('SIGTERM');
  }
  return results;
}
