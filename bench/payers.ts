/**
 * 500 payers at once against a PaySG that takes 300 ms to create each payment. Each payer does
 * what the widget does: creates its checkout (one PaySG create), then reads its status every
 * 3 s, as a tab waiting on the payer does. They arrive 10 ms apart (all 500 within 5 s) and stay
 * for the whole run, so all 500 are connected and polling together. Reported: errors, what the
 * BFF adds to the p99 (a create's latency less PaySG's 300 ms; a status read's whole latency),
 * and the BFF's resident memory before, at the peak, and how soon after each of two waves it is
 * back near idle.
 *
 * A closed loop (every connection sending again the moment it is answered) measures capacity,
 * not payers: its latency is connections ÷ throughput whatever the server does, so it is
 * reported apart, as "creates per second with PaySG at 300 ms".
 */
import { Agent, request } from 'node:http';
import { rssMiB } from './process-stats.js';
import { BROWSER_HEADERS, orderBody, payerAddress, startBff, startSimulator } from './servers.js';

export interface PayersResult {
  payers: number;
  paysgCreateMs: number;
  creates: { count: number; p50Ms: number; p99Ms: number; bffAddedP99Ms: number };
  statusReads: { count: number; p50Ms: number; p99Ms: number };
  errors: number;
  /** Idle: once near idle after each wave has left (`secondsToIdle` later), or 60 s after. */
  rssMiB: { before: number; peak: number; idleAfter: number; idleAfterSecondWave: number };
  /** How long after each wave memory was back near idle; absent when it was not within 60 s. */
  secondsToIdle: (number | undefined)[];
}

const PAYERS = 500;
const ARRIVAL_GAP_MS = 10;
const POLL_EVERY_MS = 3000;
const RUN_MS = 15_000;
const PAYSG_CREATE_MS = 300;
/** "Near idle": within a quarter of the resident memory before the payers came. */
export const NEAR_IDLE = 1.25;
const IDLE_WATCH_S = 60;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length
    ? Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!)
    : NaN;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** One request on the payer's own kept-alive connection; resolves with its status and body. */
function send(
  agent: Agent,
  url: URL,
  method: 'GET' | 'POST',
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent, timeout: 30_000 }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body: text }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

export async function payersAtOnce(): Promise<PayersResult> {
  const simulator = await startSimulator();
  const bff = await startBff(simulator.url);
  try {
    await fetch(`${simulator.url}/_control/faults`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ fault: { kind: 'latency', ms: PAYSG_CREATE_MS }, route: 'create' }),
    });
    // Warm the BFF as a running service would be, then let it settle.
    for (let i = 0; i < 200; i++) await fetch(`${bff.url}/paysg/quote?item=licence-renewal`);
    await sleep(1000);
    const rssBefore = rssMiB(bff.pid);
    let peak = rssBefore;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(bff.pid))), 200);

    /** One wave of payers; resolves when the last has left. */
    const wave = async (name: string) => {
      const creates: number[] = [];
      const reads: number[] = [];
      let errors = 0;
      const started = performance.now();
      const payer = async (i: number) => {
        const agent = new Agent({ keepAlive: true, maxSockets: 1 });
        try {
          await sleep(i * ARRIVAL_GAP_MS);
          const t0 = performance.now();
          const created = await send(
            agent,
            new URL(`${bff.url}/paysg/checkouts`),
            'POST',
            {
              ...BROWSER_HEADERS,
              'Idempotency-Key': `${name}-${process.pid}-${i}`,
              'X-Forwarded-For': payerAddress(i),
            },
            orderBody(`${name}-${process.pid}-${i}`),
          );
          creates.push(performance.now() - t0);
          if (created.status !== 201) return void errors++;
          const statusUrl = new URL(
            `${bff.url}/paysg/checkouts/${(JSON.parse(created.body) as { checkoutId: string }).checkoutId}`,
          );
          for (
            let next = performance.now() + POLL_EVERY_MS;
            next < started + RUN_MS;
            next += POLL_EVERY_MS
          ) {
            await sleep(next - performance.now());
            const t = performance.now();
            const read = await send(agent, statusUrl, 'GET', {
              Origin: BROWSER_HEADERS.Origin,
              'X-PaySG-Browser': BROWSER_HEADERS['X-PaySG-Browser'],
              'X-Forwarded-For': payerAddress(i),
            });
            reads.push(performance.now() - t);
            if (read.status !== 200) errors++;
          }
        } catch {
          errors++;
        } finally {
          agent.destroy();
        }
      };
      await Promise.all(Array.from({ length: PAYERS }, (_, i) => payer(i)));
      // V8 gives memory back once allocation has been quiet a while (its memory reducer, some
      // seconds on): watch for it, a second at a time, for at most IDLE_WATCH_S.
      let idleRss = rssMiB(bff.pid);
      let seconds = 0;
      while (seconds < IDLE_WATCH_S && idleRss > rssBefore * NEAR_IDLE) {
        await sleep(1000);
        seconds++;
        idleRss = rssMiB(bff.pid);
      }
      return {
        creates,
        reads,
        errors,
        idleRss: Math.round(idleRss),
        secondsToIdle: idleRss <= rssBefore * NEAR_IDLE ? seconds : undefined,
      };
    };
    const first = await wave('PAYER');
    // A second wave: memory that grows again would be a leak; memory that stays is the heap and
    // the allocator keeping what the first wave needed.
    const second = await wave('AGAIN');
    clearInterval(sampler);
    const creates = [...first.creates, ...second.creates];
    const reads = [...first.reads, ...second.reads];
    const errors = first.errors + second.errors;
    const createP99 = percentile(creates, 0.99);
    return {
      payers: PAYERS,
      paysgCreateMs: PAYSG_CREATE_MS,
      creates: {
        count: creates.length,
        p50Ms: percentile(creates, 0.5),
        p99Ms: createP99,
        bffAddedP99Ms: Math.max(0, createP99 - PAYSG_CREATE_MS),
      },
      statusReads: {
        count: reads.length,
        p50Ms: percentile(reads, 0.5),
        p99Ms: percentile(reads, 0.99),
      },
      errors,
      rssMiB: {
        before: Math.round(rssBefore),
        peak: Math.round(peak),
        idleAfter: first.idleRss,
        idleAfterSecondWave: second.idleRss,
      },
      secondsToIdle: [first.secondsToIdle, second.secondsToIdle],
    };
  } finally {
    bff.stop();
    simulator.stop();
  }
}
