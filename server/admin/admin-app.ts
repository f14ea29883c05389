/**
 * The back office: a page and its API, served at `{base}/admin/` beside the widget's routes.
 * Staff sign in through the agency's identity provider (OpenID Connect) into sessions kept in the
 * store; scripts use the ADMIN_TOKEN. Every refund, approval, cancel, export and sign-in is a row
 * in the store's append-only audit, naming the person and the reason they gave.
 *
 *   GET  /                                 the page (index.html, admin.js, admin.css)
 *   GET  /sign-in · GET /callback          OpenID Connect sign-in; POST /sign-out
 *   GET  /api/me                           who is signed in, their roles, the approval amount
 *   GET  /api/checkouts?search=&status=&from=&to=&before=&limit=   newest first, paged
 *   GET  /api/checkouts.csv?…              the same filters, every row, streamed
 *   GET  /api/checkouts/{id}               the checkout, PaySG's payment, refunds, history
 *   POST /api/checkouts/{id}/refunds       {amountInCents?, reason} + Idempotency-Key   (refund role)
 *   POST /api/refunds/{id}/approve · /decline {reason}                                (refund role)
 *   POST /api/checkouts/{id}/cancel        {reason}                                   (refund role)
 *   GET  /api/audit?checkoutId=&before=&limit= · GET /api/audit.csv
 *   GET  /api/submissions?submissionId=…   a FormSG submission; its letter and e-mail: submission-routes.ts
 * @module
 */
import { Hono, type Context } from 'hono';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { z } from 'zod';
import { recordAudit } from '../audit/record-audit.js';
import { endCheckout } from '../checkouts/cancel-checkout.js';
import { resolveDeps, type CheckoutAppDeps } from '../deps.js';
import { ApiError, errorResponse } from '../errors.js';
import { rateLimit } from '../middleware/rate-limit.js';
import { parseOrThrow, readJson } from '../middleware/read-json.js';
import { present } from '../present.js';
import { requestLog } from '../middleware/request-log.js';
import { settleOpenRefunds } from '../refunds/send-refund.js';
import type { Checkout } from '../storage/checkout-store.js';
import { adminPageRoutes, type PageFileReader } from './admin-page.js';
import {
  adminView,
  auditInWords,
  history,
  refundView,
  submissionOfAudit,
  whoInWords,
} from './admin-view.js';
import { auditCsv } from './audit-csv.js';
import { checkoutsCsv } from './checkouts-csv.js';
import { cursorOf, filtersOf } from './list-query.js';
import { oidcSignIn, type OidcSettings, type OidcSignIn } from './oidc-sign-in.js';
import { signInRoutes, signOutRoute } from './sign-in-routes.js';
import { submissionRoutes } from './submission-routes.js';
import type { StaffDirectory } from './staff-directory.js';
import {
  DEFAULT_SESSION_TIMES,
  requireRole,
  staffAuth,
  type SessionTimes,
  type StaffEnv,
} from './staff-auth.js';
import { approveRefund, askForRefund, declineRefund, type RefundOutcome } from './staff-refunds.js';

export { ADMIN_PATH } from './admin-path.js';

export interface AdminAppOptions {
  /** `ADMIN_TOKEN`, for scripts: at least 32 characters; audited as "API token". */
  token?: string;
  /** The agency's identity provider; staff sign in through it. */
  oidc?: OidcSettings | OidcSignIn;
  /** Who may sign in, and their roles. */
  staff?: StaffDirectory;
  /** Refunds above this many cents wait for a second person with the refund role. */
  refundApprovalOverInCents?: number;
  sessions?: Partial<SessionTimes>;
  /**
   * Per client address and minute, failed attempts included. Default 600: staff behind one agency
   * address share it, and a search, a checkout and a refund are a few requests each.
   */
  requestsPerMinute?: number;
  /**
   * Serve the routes under this path (`/paysg/admin`) directly rather than being mounted there.
   * Either way, browsers must reach it at `{publicUrl}/admin`, which sign-in's return is built from.
   */
  basePath?: string;
  /** Reads the page's files; by default from the package, beside this module. */
  readPage?: PageFileReader;
}

const DEFAULT_REQUESTS_PER_MINUTE = 600;

/** Staff's own idempotency keys: what a browser's `crypto.randomUUID()` or a script's key looks like. */
const idempotencyKey = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{8,100}$/, 'Use 8 to 100 letters, digits, - _ . or : (a UUID is ideal)');
const reason = z
  .string()
  .trim()
  .min(3, 'Give a reason of at least 3 characters')
  .max(500, 'At most 500 characters');
const refundBody = z
  .object({
    amountInCents: z
      .number()
      .int()
      .min(1, 'Enter an amount above SGD 0.00')
      .max(20_000_000)
      .optional(),
    reason,
  })
  .strict();
const reasonBody = z.object({ reason }).strict();
const auditQuery = z.object({
  checkoutId: z.string().max(100).optional(),
  before: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export function createAdminApp(deps: CheckoutAppDeps, options: AdminAppOptions): Hono<StaffEnv> {
  if (!options.token && !options.oidc)
    throw new Error(
      'The back office needs an identity provider for staff (oidc) or an ADMIN_TOKEN for scripts',
    );
  const ctx = resolveDeps(deps);
  const adminUrl = `${ctx.publicUrl}/admin`;
  const sessions = { ...DEFAULT_SESSION_TIMES, ...options.sessions };
  const signIn =
    options.oidc && ('start' in options.oidc ? options.oidc : oidcSignIn(options.oidc));
  const approvalOver = options.refundApprovalOverInCents;

  // Not strict: `{base}/admin` and `{base}/admin/` both reach the page, which redirects to the latter.
  const app = options.basePath
    ? new Hono<StaffEnv>({ strict: false }).basePath(options.basePath)
    : new Hono<StaffEnv>({ strict: false });
  app.use(requestId({ headerName: 'X-Request-Id' }));
  app.use(requestLog(ctx.logger));
  app.use(secureHeaders({ xFrameOptions: 'DENY' }));
  app.use(async (c, next) => {
    await next();
    if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-store');
  });
  // The page's own files are static and cached: only sign-in and the API count against the limit.
  adminPageRoutes(app, options.readPage);
  app.use(
    rateLimit({
      limiter: ctx.rateLimits.store.limiter(
        'admin',
        options.requestsPerMinute ?? DEFAULT_REQUESTS_PER_MINUTE,
        ctx.rateLimits.windowSeconds,
      ),
      keyOf: ctx.clientKey,
    }),
  );
  if (signIn)
    signInRoutes(app, ctx, {
      signIn,
      staff: options.staff ?? { byEmail: new Map() },
      sessions,
      adminUrl,
    });

  const auth = staffAuth(ctx, { token: options.token, sessions, origin: new URL(adminUrl).origin });
  app.use('/api/*', auth);
  app.use('/sign-out', auth);
  if (signIn) signOutRoute(app, ctx, signIn, adminUrl);

  const checkoutOf = async (id: string) => {
    const checkout = await ctx.store.get(id);
    if (!checkout) throw new ApiError(404, 'not_found', 'No checkout has this id');
    return checkout;
  };
  const answer = async (outcome: RefundOutcome) => ({
    refund: refundView(outcome.refund),
    checkout: adminView(outcome.checkout, await ctx.store.refundsOf(outcome.checkout.id)),
  });

  app.get('/api/me', (c) => {
    const { actor, roles } = c.get('staff');
    return c.json({
      person: { kind: actor.kind, name: actor.name, email: actor.email, subject: actor.subject },
      roles,
      refundApprovalOverInCents: approvalOver ?? null,
    });
  });

  app.get('/api/checkouts', async (c) => {
    const { filters, before, limit } = filtersOf(c.req.query());
    const page = await ctx.store.list({ ...filters, before, limit: limit + 1 });
    const shown = page.slice(0, limit);
    const last = shown.at(-1);
    return c.json({
      checkouts: shown.map((checkout) => adminView(checkout)),
      next: page.length > limit && last ? cursorOf(last) : null,
    });
  });

  app.get('/api/checkouts.csv', async (c) => {
    const { filters } = filtersOf(c.req.query());
    await recordAudit(ctx, {
      actor: c.get('staff').actor,
      action: 'export_checkouts',
      requestId: c.get('requestId'),
      detail: { filters: c.req.query() },
    });
    return c.body(checkoutsCsv(ctx.store, filters), 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="checkouts-${ctx.now().toISOString().slice(0, 10)}.csv"`,
    });
  });

  app.get('/api/checkouts/:id', async (c) => {
    const staff = c.get('staff');
    // Opening a checkout asks PaySG about any refund it has not answered yet, and records it.
    const checkout = await settleOpenRefunds(ctx, await checkoutOf(c.req.param('id')), {
      actor: staff.actor,
      requestId: c.get('requestId'),
    });
    let payment = null;
    let paysgProblem: string | undefined;
    if (checkout.paymentId) {
      try {
        payment = await ctx.paysg.payments.retrieve(checkout.paymentId, { maxRetries: 0 });
      } catch (err) {
        paysgProblem = `PaySG could not be asked: ${(err as Error).message}`;
      }
    }
    const [refunds, audit] = await Promise.all([
      ctx.store.refundsOf(checkout.id),
      ctx.store.listAudit({ checkoutId: checkout.id, limit: 200 }),
    ]);
    return c.json({
      checkout: adminView(checkout, refunds),
      payment,
      ...(paysgProblem && { paysgProblem }),
      refunds: refunds.map(refundView),
      history: history(checkout, audit),
    });
  });

  app.post('/api/checkouts/:id/refunds', requireRole('refund'), async (c) => {
    const key = parseOrThrow(
      idempotencyKey,
      c.req.header('Idempotency-Key'),
      'The Idempotency-Key header is not valid',
    );
    const body = await readJson(c, refundBody);
    const checkout = await checkoutOf(c.req.param('id'));
    const outcome = await askForRefund(
      ctx,
      c.get('staff'),
      checkout,
      {
        amountInCents: body.amountInCents,
        reason: body.reason,
        idempotencyKey: key,
        requestId: c.get('requestId'),
      },
      approvalOver,
    );
    return refundAnswer(c, outcome, await answer(outcome));
  });

  app.post('/api/refunds/:id/approve', requireRole('refund'), async (c) => {
    await readJson(c, z.object({}).strict());
    const outcome = await approveRefund(ctx, c.get('staff'), c.req.param('id'), c.get('requestId'));
    return refundAnswer(c, outcome, await answer(outcome));
  });

  app.post('/api/refunds/:id/decline', requireRole('refund'), async (c) => {
    const body = await readJson(c, reasonBody);
    const outcome = await declineRefund(
      ctx,
      c.get('staff'),
      c.req.param('id'),
      body.reason,
      c.get('requestId'),
    );
    return c.json(await answer(outcome));
  });

  app.post('/api/checkouts/:id/cancel', requireRole('refund'), async (c) => {
    const body = await readJson(c, reasonBody);
    const checkout = await checkoutOf(c.req.param('id'));
    const entry = {
      actor: c.get('staff').actor,
      action: 'cancel' as const,
      checkoutId: checkout.id,
      reason: body.reason,
      requestId: c.get('requestId'),
    };
    let ended: Checkout;
    try {
      ended = await endCheckout(ctx, checkout, 'staff');
    } catch (err) {
      await recordAudit(ctx, {
        ...entry,
        outcome: 'refused',
        detail: { code: err instanceof ApiError ? err.code : 'internal_error' },
      });
      throw err;
    }
    await recordAudit(ctx, {
      ...entry,
      ...(ended.status !== 'cancelled' && { detail: { status: ended.status } }),
    });
    return c.json({ checkout: adminView(ended) });
  });

  submissionRoutes(app, ctx);

  app.get('/api/audit', async (c) => {
    const q = parseOrThrow(auditQuery, c.req.query(), 'The query is not valid');
    const before = q.before ? /^(\S+) (\S+)$/.exec(q.before) : undefined;
    if (q.before && !before)
      throw new ApiError(400, 'invalid_request', 'The page cursor is not one this list gave', {
        issues: [{ path: 'before', message: 'Unknown cursor' }],
      });
    const page = await ctx.store.listAudit({
      ...(q.checkoutId && { checkoutId: q.checkoutId }),
      ...(before && {
        before: {
          at: present(before[1], 'the cursor’s time'),
          id: present(before[2], 'the cursor’s id'),
        },
      }),
      limit: q.limit + 1,
    });
    const shown = page.slice(0, q.limit);
    const last = shown.at(-1);
    return c.json({
      events: shown.map((e) => ({
        at: e.at,
        who: whoInWords(e.actor),
        text: auditInWords(e),
        action: e.action,
        checkoutId: e.checkoutId,
        refundId: e.refundId,
        amountInCents: e.amountInCents,
        reason: e.reason,
        outcome: e.outcome,
        requestId: e.requestId,
        // A fine's letter or e-mail is known to staff by its FormSG submission, not its checkout.
        ...submissionOfAudit(e),
      })),
      next: page.length > q.limit && last ? `${last.at} ${last.id}` : null,
    });
  });

  app.get('/api/audit.csv', async (c) => {
    const q = parseOrThrow(
      auditQuery.pick({ checkoutId: true }),
      c.req.query(),
      'The query is not valid',
    );
    await recordAudit(ctx, {
      actor: c.get('staff').actor,
      action: 'export_audit',
      requestId: c.get('requestId'),
      ...(q.checkoutId && { checkoutId: q.checkoutId }),
    });
    return c.body(auditCsv(ctx.store, q.checkoutId ? { checkoutId: q.checkoutId } : {}), 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="audit-${ctx.now().toISOString().slice(0, 10)}.csv"`,
    });
  });

  app.notFound((c) =>
    errorResponse(c, new ApiError(404, 'not_found', 'There is nothing at this address')),
  );
  app.onError((err, c) => {
    if (err instanceof ApiError) return errorResponse(c, err);
    ctx.logger.log('error', 'unhandled_error', {
      requestId: c.get('requestId'),
      name: err.name,
      message: err.message,
    });
    return errorResponse(
      c,
      new ApiError(500, 'internal_error', 'Something went wrong on our side'),
    );
  });
  return app;
}

/**
 * 201 refunded now; 202 recorded and waiting (for approval, or for PaySG's answer); 200 a replay
 * of an earlier answer; 409 `refund_refused` when PaySG refused it (recorded as such, and replayed
 * as such).
 */
function refundAnswer(c: Context<StaffEnv>, outcome: RefundOutcome, body: object): Response {
  if (outcome.refund.status === 'failed')
    throw new ApiError(409, 'refund_refused', outcome.refund.failure ?? 'PaySG refused the refund');
  if (outcome.replayed) return c.json(body, 200);
  return c.json(body, outcome.refund.status === 'succeeded' ? 201 : 202);
}
