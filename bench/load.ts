/**
 * Load on each route, driven by autocannon on 127.0.0.1 for a bounded time: req/s, p50 and p99,
 * and the **server CPU per request** (the server processes' user + system time over the run,
 * divided by the requests answered), the figure that varies least with the machine's load.
 * Every route beside a bare Hono app; creates on SQLite, on PostgreSQL and on the simulator.
 */
import autocannon from 'autocannon';
import { postgresCpuMs, totalCpuMs } from './process-stats.js';
import {
  benchSchema,
  BROWSER_HEADERS,
  orderBody,
  paidCheckout,
  payerAddress,
  startBff,
  startServer,
  startSimulator,
  type Server,
} from './servers.js';

export interface RouteLoad {
  route: string;
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Server CPU (user + system) per request, milliseconds. */
  cpuMsPerRequest: number;
  /** Of that, PostgreSQL's share, when the route uses it. */
  postgresCpuMsPerRequest?: number;
  non2xx: number;
  /** Requests that got no answer at all (timeouts, resets). */
  errors: number;
  skipped?: string;
}

export interface DriveOptions extends autocannon.Options {
  /** Processes whose CPU the route costs; a PostgreSQL server's are added with its postmaster's pid. */
  pids: number[];
  postgres?: number;
}

/** A second of warm-up (the JIT, statement caches, connections), then the measured run. */
export async function drive(
  route: string,
  { pids, postgres, ...options }: DriveOptions,
): Promise<RouteLoad> {
  await autocannon({ ...options, duration: 1 });
  const postgresCpu = () => (postgres ? postgresCpuMs(postgres) : 0);
  const before = totalCpuMs(pids);
  const pgBefore = postgresCpu();
  const result = await autocannon(options);
  const pgUsed = postgresCpu() - pgBefore;
  const used = totalCpuMs(pids) - before + pgUsed;
  const answered = result.requests.total;
  return {
    route,
    requests: answered,
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    cpuMsPerRequest: answered ? used / answered : NaN,
    ...(postgres !== undefined && { postgresCpuMsPerRequest: answered ? pgUsed / answered : NaN }),
    non2xx: result.non2xx,
    // autocannon's `errors` counts its timeouts too.
    errors: result.errors,
  };
}

/** autocannon options for a new order on every request: its own reference and key. */
export function newOrders(
  bffUrl: string,
  base: autocannon.Options | { connections: number; duration: number },
  prefix = `${process.pid}`,
): autocannon.Options {
  let order = 0;
  return {
    ...base,
    url: `${bffUrl}/paysg/checkouts`,
    method: 'POST',
    headers: BROWSER_HEADERS,
    requests: [
      {
        setupRequest: (request) => {
          order++;
          return {
            ...request,
            headers: {
              ...BROWSER_HEADERS,
              'Idempotency-Key': `bench-${prefix}-${order}`,
              'X-Forwarded-For': payerAddress(order),
            },
            body: orderBody(`BENCH-${prefix}-${order}`),
          };
        },
      },
    ],
  };
}

/** Payers' addresses each `fromPayers` route has to itself, so no payer's reads span two routes. */
const PAYERS_PER_ROUTE = 5000;
let routes = 0;

/** GETs of `url` from 5,000 payers in turn (about a dozen reads each in a run, well under the limit). */
export function fromPayers(
  url: string,
  base: { connections: number; duration: number },
): autocannon.Options {
  const first = 1_000_000 + routes++ * PAYERS_PER_ROUTE;
  let n = 0;
  return {
    ...base,
    url,
    requests: [
      {
        setupRequest: (request) => ({
          ...request,
          headers: {
            ...request.headers,
            'X-Forwarded-For': payerAddress(first + (n++ % PAYERS_PER_ROUTE)),
          },
        }),
      },
    ],
  };
}

/** The simulator's own create, as the BFF calls it: a new key and reference each time (never `SIM-…`: those ask for faults). */
function simulatorCreates(
  simulatorUrl: string,
  base: { connections: number; duration: number },
): autocannon.Options {
  let order = 0;
  const headers = {
    'Content-Type': 'application/json',
    'x-api-key': 'paysg_stag_simulator_demo_key_0000000000',
  };
  return {
    ...base,
    url: `${simulatorUrl}/v1/payment-services/payment_service_5f1c1b8e-3c39-4c5e-9a51-2d1f0d6a9e10/payments`,
    method: 'POST',
    headers,
    requests: [
      {
        setupRequest: (request) => {
          order++;
          return {
            ...request,
            headers: { ...headers, 'Idempotency-Key': `sim-${process.pid}-${order}` },
            body: JSON.stringify({
              reference_id: `BENCH-PAYSG-${order}`,
              payer_name: 'Tan Ah Kow',
              description: 'Licence renewal',
              amount_in_cents: 12000,
              return_url: 'http://localhost:5173/paysg/return/x',
              metadata: {},
            }),
          };
        },
      },
    ],
  };
}

export async function routeLoads(seconds = 5, connections = 50): Promise<RouteLoad[]> {
  const base = { connections, duration: seconds };
  const started: Server[] = [];
  const results: RouteLoad[] = [];
  try {
    const simulator = await startSimulator();
    started.push(simulator);
    const bare = await startServer(['bench/bare-hono.mjs'], {}, '/paysg/healthz');
    started.push(bare);
    const bff = await startBff(simulator.url);
    started.push(bff);
    results.push(
      await drive('bare Hono GET', { ...base, pids: [bare.pid], url: `${bare.url}/paysg/healthz` }),
    );
    results.push(
      await drive('GET /paysg/quote', {
        ...fromPayers(`${bff.url}/paysg/quote?item=licence-renewal`, base),
        pids: [bff.pid],
      }),
    );
    const paid = await paidCheckout(bff.url, simulator.url);
    results.push(
      await drive('GET /paysg/checkouts/{id} (paid)', {
        ...fromPayers(`${bff.url}/paysg/checkouts/${paid}`, base),
        pids: [bff.pid],
      }),
    );
    results.push(
      await drive('POST /paysg/checkouts (new order, SQLite)', {
        ...newOrders(bff.url, base),
        pids: [bff.pid],
      }),
    );

    const schema = await benchSchema();
    if ('skipped' in schema) {
      results.push({
        route: 'POST /paysg/checkouts (new order, PostgreSQL)',
        requests: 0,
        requestsPerSecond: 0,
        p50Ms: 0,
        p99Ms: 0,
        cpuMsPerRequest: NaN,
        non2xx: 0,
        errors: 0,
        skipped: schema.skipped,
      });
    } else {
      try {
        const onPostgres = await startBff(simulator.url, { DATABASE_URL: schema.url });
        started.push(onPostgres);
        results.push(
          await drive('POST /paysg/checkouts (new order, PostgreSQL)', {
            ...newOrders(onPostgres.url, base),
            pids: [onPostgres.pid],
            postgres: schema.postmasterPid,
          }),
        );
        onPostgres.stop();
      } finally {
        await schema.drop().catch(() => {});
      }
    }
    results.push(
      await drive("the simulator's create (PaySG's API)", {
        ...simulatorCreates(simulator.url, base),
        pids: [simulator.pid],
      }),
    );
  } finally {
    for (const server of started) server.stop();
  }
  return results;
}
