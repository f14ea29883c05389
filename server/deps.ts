/**
 * What `createCheckoutApp` is given, and the same with defaults filled in, as every route and
 * service sees it. Passing these in (rather than importing singletons) keeps the app free of
 * Node-only imports and lets tests swap PaySG, the store and the clock.
 * @module
 */
import type { Logger } from './logger.js';
import { jsonLogger } from './logger.js';
import type { Catalog } from './orders/catalog.js';
import type { PaysgClient } from './paysg/client.js';
import type { CheckoutStore } from './storage/checkout-store.js';

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
  /** The built widget bundle, or `undefined` when it has not been built. */
  loadWidget?: () => Promise<string | undefined>;
  now?: () => Date;
  logger?: Logger;
  /** PaySG is asked about an unfinished checkout at most once per this many ms. Default 3000. */
  statusRecheckMs?: number;
  /** How long one request may hold a checkout while it creates the PaySG payment. Default 30 s. */
  createLockMs?: number;
}

export interface AppContext {
  paysg: PaysgClient;
  store: CheckoutStore;
  catalog: Catalog;
  publicUrl: string;
  allowedOrigins: ReadonlySet<string>;
  paymentPageOrigins: ReadonlySet<string>;
  loadWidget: () => Promise<string | undefined>;
  now: () => Date;
  logger: Logger;
  statusRecheckMs: number;
  createLockMs: number;
}

export function resolveDeps(deps: CheckoutAppDeps): AppContext {
  return {
    paysg: deps.paysg,
    store: deps.store,
    catalog: deps.catalog,
    publicUrl: deps.publicUrl.replace(/\/+$/, ''),
    allowedOrigins: new Set(deps.allowedOrigins),
    paymentPageOrigins: new Set(deps.paymentPageOrigins),
    loadWidget: deps.loadWidget ?? (async () => undefined),
    now: deps.now ?? (() => new Date()),
    logger: deps.logger ?? jsonLogger(),
    statusRecheckMs: deps.statusRecheckMs ?? 3_000,
    createLockMs: deps.createLockMs ?? 30_000,
  };
}
