/**
 * The simulator's control API under `/_control`, for tests and demos: what it received, faults
 * to inject, paying a payment without a browser, moving its clock, and webhook endpoints; and
 * its outbox at `/_simulator/emails`, the e-mails PaySG would have sent.
 * Both are guarded by `X-Simulator-Control: <token>` when the simulator was given a control
 * token: the control API pays and faults, and the outbox holds payers' addresses.
 * @module
 */
import { Hono, type MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { faultRuleSchema } from './fault-book.js';
import { OUTBOX_PAGE_STYLES, renderOutboxPage } from './outbox-page.js';
import { LedgerRefusal } from './payment-ledger.js';
import { paysgError, type SimulatorState } from './simulator-state.js';

export interface ControlOptions {
  token: string | undefined;
  advanceClock: (ms: number) => void;
}

/** Refuses a request without the control token, when the simulator has one. */
function controlGuard(token: string | undefined): MiddlewareHandler {
  return async (c, next) => {
    if (token !== undefined && c.req.header('x-simulator-control') !== token) {
      return paysgError(
        c,
        401,
        'authentication_error',
        'invalid_control_token',
        'Send X-Simulator-Control with the control token',
      );
    }
    return next();
  };
}

/**
 * `GET /emails`: every e-mail a send-email would have sent, newest first, as a JSON list of
 * `{to, paymentId, paymentUrl, referenceId, amountInCents, description, sentAt}`; `GET /outbox`
 * the same as a page.
 */
export function outboxRoutes(state: SimulatorState, options: Pick<ControlOptions, 'token'>) {
  const app = new Hono();
  app.use('*', controlGuard(options.token));
  app.use('*', async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
    c.header('X-Content-Type-Options', 'nosniff');
  });
  app.get('/emails', (c) => c.json(state.outbox.list()));
  // The same, for a person: a page under the hosted page's strict policy (no script at all).
  app.get('/outbox', (c) => {
    c.header(
      'Content-Security-Policy',
      "default-src 'none'; style-src 'self'; base-uri 'none'; frame-ancestors 'none'",
    );
    return c.html(renderOutboxPage(state.outbox.list(), 'outbox.css'));
  });
  app.get('/outbox.css', (c) => {
    c.header('Content-Type', 'text/css; charset=utf-8');
    return c.body(OUTBOX_PAGE_STYLES);
  });
  return app;
}

export function controlRoutes(state: SimulatorState, options: ControlOptions) {
  const app = new Hono();

  app.use('*', controlGuard(options.token));

  async function body<T>(schema: z.ZodType<T>, raw: unknown): Promise<T | undefined> {
    const parsed = schema.safeParse(raw);
    return parsed.success ? parsed.data : undefined;
  }

  app.get('/stats', (c) => {
    const reference = c.req.query('reference');
    const serviceId = c.req.query('paymentServiceId');
    return c.json({
      payments: state.ledger.paymentCount,
      subscriptionSubmissions: state.subscriptions.count,
      emailsSent: state.outbox.count,
      createsByReference: state.ledger.createsByReference(),
      ...(reference && serviceId && { creates: state.ledger.createCount(serviceId, reference) }),
      idempotentReplays: state.idempotency.replays,
      requestsByRoute: Object.fromEntries(state.requestCounts),
      webhookDeliveries: state.webhooks.deliveries.length,
    });
  });

  app.get('/faults', (c) => c.json({ faults: state.faults.list() }));

  app.post('/faults', async (c) => {
    const rule = await body(faultRuleSchema, await c.req.json().catch(() => undefined));
    if (!rule)
      return paysgError(
        c,
        400,
        'invalid_request_error',
        'invalid_fault',
        'Not a fault rule (see docs/simulator.md)',
      );
    return c.json({ id: state.faults.add(rule) }, 201);
  });

  app.delete('/faults', (c) => {
    state.faults.clear();
    return c.body(null, 204);
  });

  app.post('/payments/:paymentId/pay', (c) => {
    try {
      const payment = state.ledger.pay(c.req.param('paymentId'));
      state.webhooks.paymentSucceeded(payment);
      return c.json(payment);
    } catch (err) {
      if (!(err instanceof LedgerRefusal)) throw err;
      return paysgError(c, err.status, 'invalid_state_error', err.code, err.message);
    }
  });

  app.post('/clock/advance', async (c) => {
    const parsed = await body(
      z.object({ ms: z.number().int().min(0) }).strict(),
      await c.req.json().catch(() => undefined),
    );
    if (!parsed)
      return paysgError(
        c,
        400,
        'invalid_request_error',
        'invalid_advance',
        'Send {"ms": <milliseconds>}',
      );
    options.advanceClock(parsed.ms);
    return c.json({ now: state.now().toISOString() });
  });

  app.post('/webhooks', async (c) => {
    const endpoint = await body(
      z.object({ url: z.url(), secret: z.string().min(1) }).strict(),
      await c.req.json().catch(() => undefined),
    );
    if (!endpoint)
      return paysgError(
        c,
        400,
        'invalid_request_error',
        'invalid_endpoint',
        'Send {"url", "secret"}',
      );
    state.webhooks.addEndpoint(endpoint);
    return c.body(null, 204);
  });

  app.get('/webhooks/deliveries', (c) => c.json({ deliveries: state.webhooks.deliveries }));

  app.post('/webhooks/resend', (c) => {
    const eventId = state.webhooks.resendLast();
    if (!eventId)
      return paysgError(
        c,
        404,
        'invalid_request_error',
        'nothing_to_resend',
        'No webhook has been sent yet, or no endpoint is set',
      );
    return c.json({ eventId });
  });

  return app;
}
