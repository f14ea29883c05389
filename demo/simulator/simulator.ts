/**
 * A stateful stand-in for PaySG: its API under `/v1/...`, its hosted payment page under
 * `/payments/{id}`, a control API under `/_control`, and the e-mails it would have sent at
 * `/_simulator/emails`, as one Hono app. Mount it anywhere
 * (`app.mount('/simulator', sim.handle)`) or call it in-process from tests through `sim.fetch`.
 * @module
 */
import { Hono } from 'hono';
import { apiRoutes } from './api-routes.js';
import { controlRoutes, outboxRoutes } from './control-routes.js';
import { EmailOutbox } from './email-outbox.js';
import { FaultBook } from './fault-book.js';
import { SubscriptionBook } from './form-submissions.js';
import { IdempotencyBook } from './idempotency-book.js';
import { pageRoutes } from './page-routes.js';
import { qrCodeRoutes } from './qr-code-routes.js';
import { PaymentLedger } from './payment-ledger.js';
import { abortableSleep, DROP_HEADER, paysgError, type SimulatorState } from './simulator-state.js';
import { WebhookDispatcher, type WebhookOptions } from './webhook-dispatcher.js';

export const SIMULATOR_API_KEY = 'paysg_stag_simulator_demo_key_0000000000';
export const SIMULATOR_PAYMENT_SERVICE_ID = 'payment_service_5f1c1b8e-3c39-4c5e-9a51-2d1f0d6a9e10';

export interface SimulatorOptions {
  /** Where browsers reach this app, including its mount path: `http://localhost:3000/simulator`. */
  publicUrl: string;
  /** API key → payment services its holder may use. Default: the demo key and service. */
  accounts?: Record<string, string[]>;
  now?: () => Date;
  webhooks?: WebhookOptions;
  /** A refund stays "in progress" this long (so a second one is refused meanwhile). Default 0. */
  refundSettleMs?: number;
  /** A simulated hang gives up after this long. Default 120 s. */
  maxHangMs?: number;
  /** Required in `X-Simulator-Control` by the control API when set. */
  controlToken?: string;
}

export interface Simulator {
  app: Hono;
  state: SimulatorState;
  /** The `fetch` handler for serving over HTTP: drops connections where a fault says so. */
  handle: (request: Request, env?: unknown) => Promise<Response>;
  /** Calls the app in-process, as a `fetch` for the PaySG client. */
  fetch: typeof fetch;
  /** Kept for tests: the same ledger as `state.ledger`. */
  ledger: PaymentLedger;
}

export function createSimulator(options: SimulatorOptions): Simulator {
  const publicUrl = new URL(options.publicUrl.replace(/\/+$/, ''));
  const basePath = publicUrl.pathname === '/' ? '' : publicUrl.pathname;
  let clockOffsetMs = 0;
  const baseNow = options.now ?? (() => new Date());
  const now = () => new Date(baseNow().getTime() + clockOffsetMs);

  const accounts = new Map(
    Object.entries(options.accounts ?? { [SIMULATOR_API_KEY]: [SIMULATOR_PAYMENT_SERVICE_ID] }).map(
      ([key, services]) => [key, new Set(services)],
    ),
  );
  const state: SimulatorState = {
    ledger: new PaymentLedger(now, { refundSettleMs: options.refundSettleMs ?? 0 }),
    subscriptions: new SubscriptionBook(now),
    idempotency: new IdempotencyBook(now),
    outbox: new EmailOutbox(),
    faults: new FaultBook(),
    webhooks: new WebhookDispatcher(options.webhooks ?? {}, now),
    accounts,
    knownServices: new Set([...accounts.values()].flatMap((s) => [...s])),
    requestCounts: new Map(),
    paymentUrls: {
      page: (id) => `${publicUrl.origin}${basePath}/payments/${id}`,
      qrCode: (id) => `${publicUrl.origin}${basePath}/v1/public/payments/${id}-qr.png`,
    },
    basePath,
    now,
    sleep: abortableSleep,
    maxHangMs: options.maxHangMs ?? 120_000,
  };

  const app = new Hono();
  // Before the API, whose key check covers all of /v1: PaySG's QR images are public.
  app.route('/v1/public', qrCodeRoutes(state));
  app.route('/v1', apiRoutes(state));
  app.route(
    '/_control',
    controlRoutes(state, {
      token: options.controlToken,
      advanceClock: (ms) => (clockOffsetMs += ms),
    }),
  );
  // What PaySG would have e-mailed, at the path the demo and the BFF's tests agreed on.
  app.route('/_simulator', outboxRoutes(state, { token: options.controlToken }));
  app.route('/', pageRoutes(state));
  // PaySG's clients read every answer as PaySG's JSON envelope: an unknown path gets one too.
  app.notFound((c) =>
    paysgError(
      c,
      404,
      'invalid_request_error',
      'resource_not_found',
      `Nothing at ${c.req.method} ${new URL(c.req.url).pathname}`,
    ),
  );
  app.onError((err, c) => {
    console.error('simulator: unexpected error', err);
    return c.json(
      { error: { type: 'api_error', code: 'internal_error', message: 'The simulator failed' } },
      500,
    );
  });

  /** Strips the mount path, so in-process calls work whatever URL the client was given. */
  function toLocal(request: Request): Request {
    const url = new URL(request.url);
    const path =
      basePath && url.pathname.startsWith(basePath)
        ? url.pathname.slice(basePath.length) || '/'
        : url.pathname;
    return new Request(new URL(path + url.search, url.origin), request);
  }

  const handle = async (request: Request, env?: unknown): Promise<Response> => {
    const response = await app.fetch(request, env);
    if (!response.headers.has(DROP_HEADER)) return response;
    // The work is committed; the client never hears about it (a reset connection).
    const socket = (env as { incoming?: { socket?: { destroy(): void } } } | undefined)?.incoming
      ?.socket;
    socket?.destroy();
    return new Response(null, { status: 502 });
  };

  /** Behaves like a network fetch: rejects when aborted, and when a fault drops the answer. */
  const simulatorFetch: typeof fetch = (input, init) => {
    const request = new Request(input, init);
    const { signal } = request;
    return new Promise<Response>((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      Promise.resolve(app.fetch(toLocal(request))).then((response) => {
        if (response.headers.has(DROP_HEADER))
          reject(new TypeError('fetch failed: socket hang up (simulated)'));
        else resolve(response);
      }, reject);
    });
  };

  return { app, state, handle, fetch: simulatorFetch, ledger: state.ledger };
}
