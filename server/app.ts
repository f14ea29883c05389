/**
 * The BFF as a Hono app: `createCheckoutApp(deps)`. It has no Node-only imports; `main.ts`
 * (or the demo) supplies PaySG, the store and the widget bundle, and mounts it under a base
 * path such as `/paysg`.
 * @module
 */
import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { BROWSER_HEADER, CHECKOUT_HEADER } from '../contract/wire-names.js';
import {
  reconcileOnce,
  startReconciler,
  type ReconcileOptions,
  type ReconcileReport,
} from './checkouts/reconcile.js';
import { resolveDeps, type CheckoutAppDeps } from './deps.js';
import { ApiError, errorResponse } from './errors.js';
import { browserPostGuard } from './middleware/browser-post-guard.js';
import { cors } from './middleware/cors.js';
import { rateLimit } from './middleware/rate-limit.js';
import { requestLog } from './middleware/request-log.js';
import { checkoutRoutes } from './routes/checkouts.js';
import { formsgRateKey, formsgRoutes } from './routes/formsg.js';
import { healthRoutes } from './routes/health.js';
import { quoteRoutes } from './routes/quote.js';
import { popupAssetRoutes, returnRoutes } from './routes/return.js';
import { webhookRoutes } from './routes/webhooks.js';
import { widgetRoutes } from './routes/widget.js';

export type { CheckoutAppDeps } from './deps.js';

/** Checkout requests are a few hundred bytes; anything near this is not one. */
const MAX_BODY_BYTES = 16 * 1024;
/** A `payment.succeeded` event holds one payment object. */
const MAX_WEBHOOK_BYTES = 64 * 1024;
/**
 * A FormSG delivery holds every answer of a submission, encrypted and base64'd (attachments are
 * links, not bodies): a long form with tables is tens of kilobytes; this leaves room.
 */
const MAX_FORMSG_BYTES = 1024 * 1024;

export interface CheckoutApp extends Hono {
  /** One reconciliation pass: see `reconcile.ts`. */
  reconcile(options?: ReconcileOptions): Promise<ReconcileReport>;
  /** Reconciles now and every `everyMs`; returns a stop function. */
  startReconciler(everyMs?: number, options?: ReconcileOptions): () => void;
  /** Resolves when work started after responses (webhook processing) has finished. */
  idle(): Promise<void>;
}

function limitBody(maxSize: number): MiddlewareHandler {
  const limit = bodyLimit({
    maxSize,
    onError: () => {
      throw new ApiError(413, 'payload_too_large', `The body must be at most ${maxSize} bytes`);
    },
  });
  // Decided from the headers where they tell: asking for `c.req.raw.body`, as bodyLimit does, makes
  // @hono/node-server build a full Request (a web stream and an AbortSignal) that every read then
  // goes through; a fifth of a status read's CPU, a tenth of a create's. Node's parser delivers
  // exactly Content-Length bytes, so the header is the size. Chunked bodies are counted as read.
  return (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      return Number(length) > maxSize ? limit(c, next) : next();
    }
    return limit(c, next);
  };
}

export function createCheckoutApp(deps: CheckoutAppDeps): CheckoutApp {
  const ctx = resolveDeps(deps);
  const app = deps.basePath ? new Hono().basePath(deps.basePath) : new Hono();

  app.use(requestId({ headerName: 'X-Request-Id' }));
  app.use(requestLog(ctx.logger));
  // overwrite: false lets a route set its own value (the widget's cross-origin CORP).
  app.use(secureHeaders({ overwrite: false }));

  const browserApi: MiddlewareHandler[] = [
    cors({
      allowOrigin: (origin) => ctx.allowedOrigins.has(origin),
      allowMethods: ['GET', 'POST'],
      // Explicit, never reflected (CVE-2026-69207).
      allowHeaders: ['Content-Type', 'Idempotency-Key', CHECKOUT_HEADER, BROWSER_HEADER],
      exposeHeaders: ['X-Request-Id', 'Retry-After'],
      maxAge: 600,
    }),
    browserPostGuard(ctx.allowedOrigins),
    limitBody(MAX_BODY_BYTES),
  ];
  const { store, windowSeconds } = ctx.rateLimits;
  const createLimit = rateLimit({
    limiter: store.limiter('creates', ctx.rateLimits.createsPerMinute, windowSeconds),
    keyOf: ctx.clientKey,
  });
  const readLimit = rateLimit({
    limiter: store.limiter('reads', ctx.rateLimits.readsPerMinute, windowSeconds),
    keyOf: ctx.clientKey,
  });
  // Hono's `/checkouts/*` also matches `/checkouts` itself: one registration covers both.
  for (const path of ['/quote', '/checkouts/*']) app.use(path, ...browserApi);
  app.use('/checkouts/*', (c, next) =>
    c.req.method === 'POST' ? createLimit(c, next) : readLimit(c, next),
  );
  app.use('/quote', readLimit);
  app.use('/webhooks', limitBody(MAX_WEBHOOK_BYTES));
  // FormSG's deliveries come from FormSG's servers, not browsers: no CORS or browser POST guard,
  // and a limit of their own, so a burst of submissions never starves payers or the reverse.
  if (ctx.fines) {
    app.use(
      '/formsg/*',
      limitBody(MAX_FORMSG_BYTES),
      rateLimit({
        limiter: store.limiter('formsg', ctx.rateLimits.formsgPerMinute, windowSeconds),
        keyOf: formsgRateKey(ctx.fines.rules.names()),
      }),
    );
    app.route('/formsg', formsgRoutes(ctx, ctx.fines));
  }

  app.route('/quote', quoteRoutes(ctx));
  app.route('/checkouts', checkoutRoutes(ctx));
  app.route('/return', returnRoutes(ctx));
  app.route('/', popupAssetRoutes());
  app.route('/webhooks', webhookRoutes(ctx));
  app.route('/', widgetRoutes(ctx));
  app.route('/healthz', healthRoutes(ctx));

  app.notFound((c) =>
    errorResponse(c, new ApiError(404, 'not_found', 'There is nothing at this address')),
  );
  app.onError((err, c) => {
    if (err instanceof ApiError) return errorResponse(c, err);
    ctx.logger.log('error', 'unhandled_error', {
      requestId: c.get('requestId'),
      name: err instanceof Error ? err.name : typeof err,
      message: err instanceof Error ? err.message : undefined,
    });
    return errorResponse(
      c,
      new ApiError(500, 'internal_error', 'Something went wrong on our side'),
    );
  });

  return Object.assign(app, {
    reconcile: (options?: ReconcileOptions) => reconcileOnce(ctx, options),
    startReconciler: (everyMs?: number, options?: ReconcileOptions) =>
      startReconciler(ctx, everyMs, options),
    idle: () => ctx.background.idle(),
  });
}
