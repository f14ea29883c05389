/**
 * A BFF wired to an in-process simulator and an in-memory SQLite store, for tests that go
 * through `app.request()` with no ports.
 */
import { createCheckoutApp } from '../../server/app.js';
import type { Logger, LogLevel } from '../../server/logger.js';
import { Catalog } from '../../server/orders/catalog.js';
import { PaysgClient } from '../../server/paysg/client.js';
import { SqliteCheckoutStore } from '../../server/storage/sqlite-store.js';
import {
  createSimulator,
  SIMULATOR_API_KEY,
  SIMULATOR_PAYMENT_SERVICE_ID,
  type Simulator,
} from '../../demo/simulator/simulator.js';

export const PAGE_ORIGIN = 'https://agency.example';
export const BFF_URL = 'https://agency.example/paysg';
export const SIMULATOR_URL = 'https://pay.simulator.example';
export const RETURN_TO = `${PAGE_ORIGIN}/licence/renew?step=pay`;

export const TEST_CATALOG = {
  items: {
    'licence-renewal': { description: 'Hawker stall licence renewal', amountInCents: 12000 },
    'replacement-card': { description: 'Replacement card', amountInCents: 5000 },
  },
};

export interface LogEntry {
  level: LogLevel;
  event: string;
  fields: Record<string, unknown>;
}

export interface HarnessOptions {
  /** Wraps the simulator's fetch, to inject faults between the BFF and PaySG. */
  wrapFetch?: (inner: typeof fetch) => typeof fetch;
  now?: () => Date;
  widget?: string;
}

export function createHarness(options: HarnessOptions = {}) {
  const simulator: Simulator = createSimulator({ publicUrl: SIMULATOR_URL, ...(options.now && { now: options.now }) });
  /** Calls the BFF made to PaySG, and a switch that makes PaySG unreachable. */
  const paysgTraffic = { gets: 0, posts: 0, down: false };
  const trafficFetch: typeof fetch = async (input, init) => {
    if ((init?.method ?? 'GET') === 'GET') paysgTraffic.gets++;
    else paysgTraffic.posts++;
    if (paysgTraffic.down) throw new TypeError('connect ECONNREFUSED');
    return simulator.fetch(input, init);
  };
  const paysgFetch = options.wrapFetch ? options.wrapFetch(trafficFetch) : trafficFetch;
  const paysg = new PaysgClient({
    apiKey: SIMULATOR_API_KEY,
    paymentServiceId: SIMULATOR_PAYMENT_SERVICE_ID,
    baseUrl: SIMULATOR_URL,
    fetch: paysgFetch,
    sleep: async () => {},
  });
  const store = new SqliteCheckoutStore(':memory:');
  const logs: LogEntry[] = [];
  const logger: Logger = { log: (level, event, fields = {}) => logs.push({ level, event, fields }) };
  const app = createCheckoutApp({
    paysg,
    store,
    catalog: Catalog.from(TEST_CATALOG),
    publicUrl: BFF_URL,
    allowedOrigins: [PAGE_ORIGIN],
    paymentPageOrigins: [SIMULATOR_URL],
    loadWidget: async () => options.widget,
    logger,
    ...(options.now && { now: options.now }),
  });

  /** A browser-like JSON POST from the agency page. */
  function post(path: string, body: unknown, headers: Record<string, string> = {}) {
    return app.request(path, {
      method: 'POST',
      headers: {
        Origin: PAGE_ORIGIN,
        'Content-Type': 'application/json',
        'X-PaySG-Checkout': '1',
        ...headers,
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  }

  function get(path: string, headers: Record<string, string> = {}) {
    return app.request(path, { headers });
  }

  /** Creates a checkout for `licence-renewal` and returns its JSON body. */
  async function createCheckout(body: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
    const response = await post(
      '/checkouts',
      { item: 'licence-renewal', payer: { name: 'Tan Ah Kow' }, returnTo: RETURN_TO, ...body },
      headers,
    );
    return { response, json: (await response.clone().json()) as Record<string, any> };
  }

  /** Pays a payment on the simulator's hosted page, as a payer would. */
  async function payOnSimulator(paymentId: string) {
    return simulator.app.request(`/payments/${paymentId}/pay`, { method: 'POST' });
  }

  return { app, simulator, store, logs, paysg, paysgTraffic, post, get, createCheckout, payOnSimulator };
}

export type Harness = ReturnType<typeof createHarness>;

/** A `wrapFetch` that edits the payment PaySG answers with, for requests of one method. */
export function rewritePayments(method: 'GET' | 'POST', edit: (payment: Record<string, unknown>) => void) {
  return (inner: typeof fetch): typeof fetch =>
    async (input, init) => {
      const response = await inner(input, init);
      if ((init?.method ?? 'GET') !== method || !response.ok) return response;
      const payment = (await response.json()) as Record<string, unknown>;
      edit(payment);
      return new Response(JSON.stringify(payment), { status: response.status, headers: response.headers });
    };
}

/** Asserts the one error shape and returns it. */
export async function errorOf(response: Response): Promise<{ code: string; message: string; requestId: string; issues?: { path: string; message: string }[] }> {
  const body = (await response.json()) as { error: any };
  if (!body.error || typeof body.error.code !== 'string' || typeof body.error.message !== 'string' || typeof body.error.requestId !== 'string') {
    throw new Error(`Not the error shape: ${JSON.stringify(body)}`);
  }
  return body.error;
}
