/**
 * A BFF wired to an in-process simulator and an in-memory SQLite store, for tests that go
 * through `app.request()` with no ports.
 */
import type { CreatedCheckoutResponse, ErrorResponse } from '../../contract/bff-contract.js';
import { createCheckoutApp, type CheckoutAppDeps } from '../../server/app.js';
import type { FinesDeps, RateLimits } from '../../server/deps.js';
import {
  signOrderToken,
  type OrderTokenInput,
  type SignOptions,
} from '../../server/orders/order-token.js';
import type { CheckoutStore } from '../../server/storage/checkout-store.js';
import type { Logger, LogLevel } from '../../server/logger.js';
import { Catalog } from '../../server/orders/catalog.js';
import { PaysgClient } from '../../server/paysg/client.js';
import { SqliteCheckoutStore } from '../../server/storage/sqlite-store.js';
import { widgetAssetsOf } from '../../server/widget/widget-assets.js';
import {
  createSimulator,
  SIMULATOR_API_KEY,
  SIMULATOR_PAYMENT_SERVICE_ID,
  type Simulator,
} from '../../demo/simulator/simulator.js';

/**
 * What a test reads of `POST /checkouts`' answer: the checkout it made (with its payment URL) or
 * the error. The test asserts the status first, so each field is typed as there.
 */
export type CheckoutAnswer = Omit<CreatedCheckoutResponse, 'paymentUrl'> & {
  paymentUrl: string;
  error: Required<ErrorResponse['error']>;
};

export const PAGE_ORIGIN = 'https://agency.example';
export const BFF_URL = 'https://agency.example/paysg';
export const SIMULATOR_URL = 'https://pay.simulator.example';
export const RETURN_TO = `${PAGE_ORIGIN}/licence/renew?step=pay`;

export const TEST_CATALOG = {
  items: {
    'licence-renewal': { description: 'Hawker stall licence renewal', amountInCents: 12000 },
    'stall-licence': {
      description: 'Market stall licence, one year',
      amountInCents: 24000,
      requiresReference: true,
    },
    'replacement-card': {
      description: 'Replacement card',
      amountInCents: 5000,
      translations: { zh: { description: '补发卡' }, ta: { description: 'மாற்று அட்டை' } },
    },
    donation: {
      description: 'Donation to the community fund',
      minAmountInCents: 500,
      maxAmountInCents: 100000,
    },
  },
};

export interface LogEntry {
  level: LogLevel;
  event: string;
  fields: Record<string, unknown>;
}

/** Two browsers' secrets, as the widget keeps one per browser (`X-PaySG-Browser`). */
export const BROWSER_A = 'browser-a-0123456789abcdef';
export const BROWSER_B = 'browser-b-0123456789abcdef';

export const ORDER_TOKEN_SECRET = 'order-token-secret-for-tests-0123456789abcdef';
export const WEBHOOK_SECRET = 'whsec_bff_tests_0123456789';

export interface HarnessOptions {
  /** Wraps the simulator's fetch, to inject faults between the BFF and PaySG. */
  wrapFetch?: (inner: typeof fetch) => typeof fetch;
  widget?: string;
  /** Languages served beside the widget, by language: their JSON text. */
  widgetLocales?: Record<string, string>;
  /** Shares one simulator (one PaySG) between several BFF instances. */
  simulator?: Simulator;
  store?: CheckoutStore;
  rateLimits?: Partial<RateLimits>;
  clientKey?: CheckoutAppDeps['clientKey'];
  /** The PaySG client's timeout per attempt (default 10 s). */
  paysgTimeoutMs?: number;
  /** Fines from FormSG forms: the rules and the signing key deliveries are checked against. */
  fines?: FinesDeps;
}

/** A clock tests move by hand, shared by the BFF and the simulator. */
export class TestClock {
  #t = Date.parse('2026-11-22T01:00:00.000Z');
  now = (): Date => new Date(this.#t);
  advance(ms: number): void {
    this.#t += ms;
  }
}

export function createHarness(options: HarnessOptions = {}) {
  const clock = new TestClock();
  const simulator: Simulator =
    options.simulator ?? createSimulator({ publicUrl: SIMULATOR_URL, now: clock.now });
  /**
   * Calls the BFF made to PaySG, a switch that makes PaySG unreachable, and one that does so
   * right after the next POST reached PaySG (its answer lost, and every retry refused).
   */
  const paysgTraffic = { gets: 0, posts: 0, down: false, downAfterNextPost: false };
  const trafficFetch: typeof fetch = async (input, init) => {
    const post = (init?.method ?? 'GET') !== 'GET';
    if (post) paysgTraffic.posts++;
    else paysgTraffic.gets++;
    if (paysgTraffic.down) throw new TypeError('connect ECONNREFUSED');
    if (!(post && paysgTraffic.downAfterNextPost)) return simulator.fetch(input, init);
    paysgTraffic.downAfterNextPost = false;
    paysgTraffic.down = true;
    await simulator.fetch(input, init);
    throw new TypeError('socket hang up');
  };
  const paysgFetch = options.wrapFetch ? options.wrapFetch(trafficFetch) : trafficFetch;
  const paysg = new PaysgClient({
    apiKey: SIMULATOR_API_KEY,
    paymentServiceId: SIMULATOR_PAYMENT_SERVICE_ID,
    baseUrl: SIMULATOR_URL,
    fetch: paysgFetch,
    sleep: async () => {},
    ...(options.paysgTimeoutMs && { timeoutMs: options.paysgTimeoutMs }),
  });
  const store = options.store ?? new SqliteCheckoutStore(':memory:');
  const logs: LogEntry[] = [];
  const logger: Logger = {
    log: (level, event, fields = {}) => logs.push({ level, event, fields }),
  };
  const deps: CheckoutAppDeps = {
    paysg,
    store,
    catalog: Catalog.from(TEST_CATALOG),
    publicUrl: BFF_URL,
    allowedOrigins: [PAGE_ORIGIN],
    paymentPageOrigins: [SIMULATOR_URL],
    loadWidget: async () =>
      options.widget === undefined
        ? undefined
        : widgetAssetsOf(options.widget, options.widgetLocales),
    logger,
    now: clock.now,
    orderTokens: { secrets: [ORDER_TOKEN_SECRET] },
    webhookSecrets: [WEBHOOK_SECRET],
    rateLimits: { createsPerMinute: 10_000, readsPerMinute: 10_000, ...options.rateLimits },
    ...(options.clientKey && { clientKey: options.clientKey }),
    ...(options.fines && { fines: options.fines }),
  };
  const app = createCheckoutApp(deps);

  /** A browser-like JSON POST from the agency page, from browser A unless told otherwise. */
  function post(path: string, body: unknown, headers: Record<string, string> = {}) {
    return app.request(path, {
      method: 'POST',
      headers: {
        Origin: PAGE_ORIGIN,
        'Content-Type': 'application/json',
        'X-PaySG-Checkout': '1',
        'X-PaySG-Browser': BROWSER_A,
        ...headers,
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  }

  function get(path: string, headers: Record<string, string> = {}) {
    return app.request(path, { headers });
  }

  /** Creates a checkout for `licence-renewal` and returns its JSON body. */
  async function createCheckout(
    body: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ) {
    const response = await post(
      '/checkouts',
      { item: 'licence-renewal', payer: { name: 'Tan Ah Kow' }, returnTo: RETURN_TO, ...body },
      headers,
    );
    return { response, json: (await response.clone().json()) as CheckoutAnswer };
  }

  /** Pays a payment on the simulator's hosted page, as a payer would. */
  async function payOnSimulator(paymentId: string) {
    return simulator.app.request(`/payments/${paymentId}/pay`, { method: 'POST' });
  }

  /** Signs an order token the way the agency's backend would. */
  function orderToken(input: Partial<OrderTokenInput> = {}, signOptions: SignOptions = {}) {
    return signOrderToken(
      {
        reference_id: `INV-${Math.random().toString(36).slice(2, 10)}`,
        amount_in_cents: 4550,
        description: 'Permit application',
        payer: { name: 'Siti' },
        ...input,
      },
      ORDER_TOKEN_SECRET,
      { now: Math.floor(clock.now().getTime() / 1000), ...signOptions },
    );
  }

  /** The id of the PaySG payment behind a payment URL. */
  function paymentIdOf(paymentUrl: string): string {
    return paymentUrl.split('/').pop()!;
  }

  return {
    app,
    deps,
    simulator,
    store,
    logs,
    paysg,
    paysgTraffic,
    clock,
    post,
    get,
    createCheckout,
    payOnSimulator,
    orderToken,
    paymentIdOf,
  };
}

export type Harness = ReturnType<typeof createHarness>;

/** A `wrapFetch` that edits the payment PaySG answers with, for requests of one method. */
export function rewritePayments(
  method: 'GET' | 'POST',
  edit: (payment: Record<string, unknown>) => void,
) {
  return (inner: typeof fetch): typeof fetch =>
    async (input, init) => {
      const response = await inner(input, init);
      if ((init?.method ?? 'GET') !== method || !response.ok) return response;
      const payment = (await response.json()) as Record<string, unknown>;
      edit(payment);
      return new Response(JSON.stringify(payment), {
        status: response.status,
        headers: response.headers,
      });
    };
}

/** Asserts the one error shape and returns it. */
export async function errorOf(response: Response): Promise<{
  code: string;
  message: string;
  requestId: string;
  issues?: { path: string; message: string }[];
}> {
  const body = (await response.json()) as Partial<ErrorResponse>;
  if (
    !body.error ||
    typeof body.error.code !== 'string' ||
    typeof body.error.message !== 'string' ||
    typeof body.error.requestId !== 'string'
  ) {
    throw new Error(`Not the error shape: ${JSON.stringify(body)}`);
  }
  return body.error;
}
