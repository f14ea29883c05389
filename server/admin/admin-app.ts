/**
 * The back office's API: the list of checkouts, one checkout with its PaySG payment and
 * history, refunds and cancels. A Hono app of its own, mounted apart from the widget's routes
 * (`/admin/api` in the demo and `paysg-checkout bff`), with no CORS (only the back office's own
 * page calls it), its own rate limit, the ADMIN_TOKEN as its only key, and an audit line per
 * action. Without an ADMIN_TOKEN there is no back office at all.
 *
 *   GET  /checkouts?search=&before=&limit=   newest first; `next` is the cursor for the page after
 *   GET  /checkouts.csv?search=              the same list (up to 10,000), as CSV
 *   GET  /checkouts/{id}                     the checkout, PaySG's payment, its history
 *   POST /checkouts/{id}/refund {amountInCents?}   Idempotency-Key required; the rest when no amount
 *   POST /checkouts/{id}/cancel              an unpaid checkout and its PaySG payment
 * @module
 */
import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { z } from 'zod';
import { endCheckout } from '../checkouts/cancel-checkout.js';
import { resolveDeps, type CheckoutAppDeps } from '../deps.js';
import { ApiError, errorResponse } from '../errors.js';
import { rateLimit } from '../middleware/rate-limit.js';
import { readJson } from '../middleware/read-json.js';
import { requestLog } from '../middleware/request-log.js';
import { optionalPackage } from '../optional-package.js';
import { adminAuth } from './admin-auth.js';
import { adminView, CSV_COLUMNS, history } from './admin-view.js';
import { refundCheckout } from './refund-checkout.js';

export interface AdminAppOptions {
  /** The bearer token staff use; at least 32 characters. */
  token: string;
  /** Per client and minute, failed attempts included. Default 120. */
  requestsPerMinute?: number;
  /** Serve the routes under this path directly rather than being mounted (see `CheckoutAppDeps.basePath`). */
  basePath?: string;
}

export { ADMIN_API_PATH } from './admin-path.js';

const PAGE_SIZE = 50;
const CSV_LIMIT = 10_000;

const listQuery = z.object({
  search: z.string().trim().min(1).max(255).optional(),
  before: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(PAGE_SIZE),
});
const refundBody = z.object({ amountInCents: z.number().int().min(1).optional() }).strict();
const idempotencyKey = z.string().min(8).max(255);

/** A page cursor: the last checkout's creation time and id (ids never hold a space). */
function cursorOf(c: { createdAt: string; id: string }): string {
  return `${c.createdAt} ${c.id}`;
}

function readCursor(cursor: string | undefined): { createdAt: string; id: string } | undefined {
  if (cursor === undefined) return undefined;
  const match = /^(\d{4}-\d\d-\d\dT[\d:.]+Z) (\S+)$/.exec(cursor);
  if (!match) throw new ApiError(400, 'invalid_request', 'The page cursor is not one this list gave', { issues: [{ path: 'before', message: 'Unknown cursor' }] });
  return { createdAt: match[1]!, id: match[2]! };
}

function parsed<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ApiError(400, 'invalid_request', `The ${what} is not valid`, {
    issues: result.error.issues.map((i) => ({ path: i.path.join('.') || what, message: i.message })),
  });
}

export function createAdminApp(deps: CheckoutAppDeps, options: AdminAppOptions): Hono {
  const ctx = resolveDeps(deps);
  const app = options.basePath ? new Hono().basePath(options.basePath) : new Hono();
  app.use(requestId({ headerName: 'X-Request-Id' }));
  app.use(requestLog(ctx.logger));
  app.use(secureHeaders());
  app.use(async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
  });
  app.use(rateLimit({ limiter: ctx.rateLimits.store.limiter('admin', options.requestsPerMinute ?? 120, ctx.rateLimits.windowSeconds), keyOf: ctx.clientKey }));
  app.use(adminAuth(options.token));

  const audit = (action: string, fields: Record<string, unknown>) => ctx.logger.log('info', 'admin_action', { action, ...fields });
  const checkoutOf = async (id: string) => {
    const checkout = await ctx.store.get(id);
    if (!checkout) throw new ApiError(404, 'not_found', 'No checkout has this id');
    return checkout;
  };

  app.get('/checkouts', async (c) => {
    const query = parsed(listQuery, c.req.query(), 'query');
    const page = await ctx.store.list({ ...(query.search && { search: query.search }), before: readCursor(query.before), limit: query.limit + 1 });
    const shown = page.slice(0, query.limit);
    return c.json({ checkouts: shown.map(adminView), next: page.length > query.limit ? cursorOf(shown.at(-1)!) : null });
  });

  app.get('/checkouts.csv', async (c) => {
    const query = parsed(listQuery.pick({ search: true }), c.req.query(), 'query');
    const { stringify } = optionalPackage<typeof import('csv-stringify/sync')>('csv-stringify/sync', 'the back office’s CSV export');
    const rows = (await ctx.store.list({ ...(query.search && { search: query.search }), limit: CSV_LIMIT })).map(adminView);
    audit('export_csv', { rows: rows.length });
    c.header('Content-Disposition', 'attachment; filename="checkouts.csv"');
    return c.body(stringify(rows, { header: true, columns: [...CSV_COLUMNS] }), 200, { 'Content-Type': 'text/csv; charset=utf-8' });
  });

  app.get('/checkouts/:id', async (c) => {
    const checkout = await checkoutOf(c.req.param('id'));
    let payment = null;
    let paysgProblem: string | undefined;
    if (checkout.paymentId) {
      try {
        payment = await ctx.paysg.payments.retrieve(checkout.paymentId, { maxRetries: 0 });
      } catch (err) {
        paysgProblem = `PaySG could not be asked: ${(err as Error).message}`;
      }
    }
    const refunds = await ctx.store.refundsOf(checkout.id);
    return c.json({ checkout: adminView(checkout), payment, ...(paysgProblem && { paysgProblem }), history: history(checkout, refunds) });
  });

  app.post('/checkouts/:id/refund', async (c) => {
    const key = parsed(idempotencyKey, c.req.header('Idempotency-Key'), 'Idempotency-Key header');
    const body = await readJson(c, refundBody);
    const checkout = await checkoutOf(c.req.param('id'));
    audit('refund_requested', { checkoutId: checkout.id, amountInCents: body.amountInCents ?? 'rest' });
    const refunded = await refundCheckout(ctx, checkout, body.amountInCents, key);
    audit('refunded', { checkoutId: checkout.id, refundedInCents: refunded.refundedInCents, refundStatus: refunded.refundStatus });
    return c.json({ checkout: adminView(refunded) });
  });

  app.post('/checkouts/:id/cancel', async (c) => {
    const checkout = await checkoutOf(c.req.param('id'));
    audit('cancel_requested', { checkoutId: checkout.id });
    const ended = await endCheckout(ctx, checkout, 'staff');
    audit('cancelled', { checkoutId: ended.id, status: ended.status });
    return c.json({ checkout: adminView(ended) });
  });

  app.notFound((c) => errorResponse(c, new ApiError(404, 'not_found', 'There is nothing at this address')));
  app.onError((err, c) => {
    if (err instanceof ApiError) return errorResponse(c, err);
    ctx.logger.log('error', 'unhandled_error', { requestId: c.get('requestId'), name: err.name, message: err.message });
    return errorResponse(c, new ApiError(500, 'internal_error', 'Something went wrong on our side'));
  });
  return app;
}
