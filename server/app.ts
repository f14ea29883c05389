/**
 * The BFF as a Hono app: `createCheckoutApp(deps)`. It has no Node-only imports; `main.ts`
 * (or the demo) supplies PaySG, the store and the widget bundle, and mounts it under a base
 * path such as `/paysg`.
 * @module
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { resolveDeps, type CheckoutAppDeps } from './deps.js';
import { ApiError, errorResponse } from './errors.js';
import { browserPostGuard, CHECKOUT_HEADER } from './middleware/browser-post-guard.js';
import { checkoutRoutes } from './routes/checkouts.js';
import { healthRoutes } from './routes/health.js';
import { quoteRoutes } from './routes/quote.js';
import { returnRoutes } from './routes/return.js';
import { widgetRoutes } from './routes/widget.js';

export type { CheckoutAppDeps } from './deps.js';

/** Checkout requests are a few hundred bytes; anything near this is not one. */
const MAX_BODY_BYTES = 16 * 1024;

export function createCheckoutApp(deps: CheckoutAppDeps) {
  const ctx = resolveDeps(deps);
  const app = new Hono();

  app.use(requestId({ headerName: 'X-Request-Id' }));
  // overwrite: false lets a route set its own value (the widget's cross-origin CORP).
  app.use(secureHeaders({ overwrite: false }));
  const api = cors({
    origin: (origin) => (ctx.allowedOrigins.has(origin) ? origin : null),
    allowMethods: ['GET', 'POST'],
    // Explicit, never reflected (CVE-2026-69207).
    allowHeaders: ['Content-Type', 'Idempotency-Key', CHECKOUT_HEADER],
    exposeHeaders: ['X-Request-Id', 'Retry-After'],
    maxAge: 600,
  });
  app.use('/quote', api);
  app.use('/checkouts', api);
  app.use('/checkouts/*', api);
  app.use(browserPostGuard(ctx.allowedOrigins));
  app.use(
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new ApiError(413, 'payload_too_large', `The body must be at most ${MAX_BODY_BYTES} bytes`);
      },
    }),
  );

  app.route('/quote', quoteRoutes(ctx));
  app.route('/checkouts', checkoutRoutes(ctx));
  app.route('/return', returnRoutes(ctx));
  app.route('/widget.js', widgetRoutes(ctx));
  app.route('/healthz', healthRoutes(ctx));

  app.notFound((c) => errorResponse(c, new ApiError(404, 'not_found', 'There is nothing at this address')));
  app.onError((err, c) => {
    if (err instanceof ApiError) return errorResponse(c, err);
    ctx.logger.log('error', 'unhandled_error', {
      requestId: c.get('requestId'),
      name: err instanceof Error ? err.name : typeof err,
      message: err instanceof Error ? err.message : undefined,
    });
    return errorResponse(c, new ApiError(500, 'internal_error', 'Something went wrong on our side'));
  });
  return app;
}
