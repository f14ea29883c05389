/**
 * What `createCheckoutApp` is given, and the same with defaults filled in, as every route and
 * service sees it. Passing these in (rather than importing singletons) keeps the app free of
 * Node-only imports and lets tests swap PaySG, the store and the clock.
 * @module
 */
import type { Logger } from './logger.js';
import { jsonLogger } from './logger.js';
import { clientKeyFor } from './middleware/client-key.js';
import type { Catalog } from './orders/catalog.js';
import { DEFAULT_AUDIENCE } from './orders/order-token.js';
import type { PaysgClient } from './paysg/client.js';
import type { FineRules } from './formsg/fine-rules.js';
import type { CheckoutStore } from './storage/checkout-store.js';
import type { WidgetAssets } from './widget/widget-assets.js';
import { memoryRateLimitStore, type RateLimitStore } from './rate-limit-store.js';

export interface RateLimits {
  /** Per client per minute. */
  createsPerMinute: number;
  readsPerMinute: number;
  /** FormSG's deliveries, per form (its rule name) per minute: a limit of their own. Default 600. */
  formsgPerMinute: number;
  /** Where they are counted: this process (default), or PostgreSQL for several instances. */
  store: RateLimitStore;
  /** The window, seconds. Default 60 (tests shorten it). */
  windowSeconds: number;
}

export interface CheckoutAppDeps {
  paysg: PaysgClient;
  store: CheckoutStore;
  catalog: Catalog;
  /**
   * Where browsers reach this app, mount path included (`https://agency.example/paysg`).
   * PaySG's `return_url` is built from it.
   */
  publicUrl: string;
  /** Exact origins allowed to call the BFF and to be sent back to (`https://agency.example`). */
  allowedOrigins: readonly string[];
  /** Origins PaySG's hosted page may be on; a `payment_url` elsewhere is never handed out. */
  paymentPageOrigins: readonly string[];
  /** Order tokens are accepted only when secrets are given (several while rotating). */
  orderTokens?: { secrets: readonly string[]; audience?: string };
  /** `PaySG-Signature` secrets; `POST /webhooks` exists only when given. */
  webhookSecrets?: readonly string[];
  /**
   * Fines from FormSG forms: the rules (`FINE_RULES_FILE`) and FormSG's signing public key
   * (base64 ed25519). `POST /formsg/{form}` exists only when given.
   */
  fines?: FinesDeps;
  /** The built widget's files (`readWidgetAssets`), or `undefined` when it has not been built. */
  loadWidget?: () => Promise<WidgetAssets | undefined>;
  now?: () => Date;
  logger?: Logger;
  /** PaySG is asked about an unfinished checkout at most once per this many ms. Default 3000. */
  statusRecheckMs?: number;
  /** How long one request may hold a checkout while it creates the PaySG payment. Default 30 s. */
  createLockMs?: number;
  rateLimits?: Partial<RateLimits>;
  /**
   * Who a request comes from, for rate limits: e.g. the socket address, or the right entry of
   * X-Forwarded-For behind a proxy you trust. Default: the socket address on Node.
   */
  clientKey?: (request: Request, env: unknown) => string;
  /**
   * Serve the routes under this path (`/paysg`) directly, for a server that runs only the BFF:
   * cheaper per request than mounting the app in another (no copy of each Request). Absent, the
   * routes are at `/`, for mounting.
   */
  basePath?: string;
}

export interface FinesDeps {
  rules: FineRules;
  signingPublicKey: string;
}

export interface AppContext {
  paysg: PaysgClient;
  store: CheckoutStore;
  catalog: Catalog;
  publicUrl: string;
  allowedOrigins: ReadonlySet<string>;
  paymentPageOrigins: ReadonlySet<string>;
  orderTokens: { secrets: readonly string[]; audience: string } | undefined;
  webhookSecrets: readonly string[];
  fines: FinesDeps | undefined;
  loadWidget: () => Promise<WidgetAssets | undefined>;
  now: () => Date;
  logger: Logger;
  statusRecheckMs: number;
  createLockMs: number;
  rateLimits: RateLimits;
  clientKey: (request: Request, env: unknown) => string;
  /** Work started after a response was sent (webhook processing), awaited by `idle()`. */
  background: BackgroundWork;
}

export class BackgroundWork {
  readonly #pending = new Set<Promise<unknown>>();
  readonly #logger: Logger;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  run(name: string, task: () => Promise<unknown>): void {
    const promise = task().catch((err: unknown) =>
      this.#logger.log('error', 'background_task_failed', {
        task: name,
        error: err instanceof Error ? err.name : String(err),
      }),
    );
    this.#pending.add(promise);
    void promise.finally(() => this.#pending.delete(promise));
  }

  async idle(): Promise<void> {
    while (this.#pending.size) await Promise.allSettled([...this.#pending]);
  }
}

export function resolveDeps(deps: CheckoutAppDeps): AppContext {
  const logger = deps.logger ?? jsonLogger();
  return {
    paysg: deps.paysg,
    store: deps.store,
    catalog: deps.catalog,
    publicUrl: deps.publicUrl.replace(/\/+$/, ''),
    allowedOrigins: new Set(deps.allowedOrigins),
    paymentPageOrigins: new Set(deps.paymentPageOrigins),
    orderTokens: deps.orderTokens?.secrets.length
      ? {
          secrets: deps.orderTokens.secrets,
          audience: deps.orderTokens.audience ?? DEFAULT_AUDIENCE,
        }
      : undefined,
    webhookSecrets: deps.webhookSecrets ?? [],
    fines: deps.fines,
    loadWidget: deps.loadWidget ?? (async () => undefined),
    now: deps.now ?? (() => new Date()),
    logger,
    statusRecheckMs: deps.statusRecheckMs ?? 3_000,
    createLockMs: deps.createLockMs ?? 30_000,
    rateLimits: {
      createsPerMinute: 20,
      readsPerMinute: 120,
      formsgPerMinute: 600,
      windowSeconds: 60,
      store: memoryRateLimitStore(),
      ...deps.rateLimits,
    },
    clientKey: deps.clientKey ?? clientKeyFor(0),
    background: new BackgroundWork(logger),
  };
}
