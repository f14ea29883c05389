/**
 * A stateful stand-in for PaySG: its API under `/v1/...` and its hosted payment page under
 * `/payments/{id}`, as one Hono app. Mount it anywhere (`app.route('/simulator', sim.app)`) or
 * call it in-process from tests through `sim.fetch`.
 * @module
 */
import { createHash } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { createPaymentParamsSchema } from '../../server/paysg/schemas.js';
import { PaymentLedger, type StoredResponse } from './payment-ledger.js';
import {
  PAYMENT_PAGE_SCRIPT,
  PAYMENT_PAGE_STYLES,
  renderNotFoundPage,
  renderPaymentPage,
} from './payment-page.js';

export const SIMULATOR_API_KEY = 'paysg_stag_simulator_demo_key_0000000000';
export const SIMULATOR_PAYMENT_SERVICE_ID =
  'payment_service_5f1c1b8e-3c39-4c5e-9a51-2d1f0d6a9e10';

export interface SimulatorOptions {
  /** Where browsers reach this app, including its mount path: `http://localhost:3000/simulator`. */
  publicUrl: string;
  apiKeys?: string[];
  paymentServiceIds?: string[];
  now?: () => Date;
}

export interface Simulator {
  app: Hono;
  ledger: PaymentLedger;
  /** Calls the app in-process, as a `fetch` for the PaySG client. */
  fetch: typeof fetch;
}

type ErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'idempotency_error';

function paysgError(c: Context, status: 400 | 401 | 403 | 404 | 409, type: ErrorType, code: string, message: string) {
  return c.json({ error: { type, code, message } }, status);
}

export function createSimulator(options: SimulatorOptions): Simulator {
  const publicUrl = new URL(options.publicUrl.replace(/\/+$/, ''));
  const basePath = publicUrl.pathname === '/' ? '' : publicUrl.pathname;
  const apiKeys = new Set(options.apiKeys ?? [SIMULATOR_API_KEY]);
  const serviceIds = new Set(options.paymentServiceIds ?? [SIMULATOR_PAYMENT_SERVICE_ID]);
  const ledger = new PaymentLedger(options.now ?? (() => new Date()));
  const createSchema = createPaymentParamsSchema({ allowLoopbackHttp: true });
  const paymentUrlFor = (id: string) => `${publicUrl.origin}${basePath}/payments/${id}`;

  const app = new Hono();

  app.use('/v1/*', async (c, next) => {
    const key = c.req.header('x-api-key');
    if (!key || !apiKeys.has(key)) {
      return paysgError(c, 401, 'authentication_error', 'invalid_api_key', 'Invalid API key provided');
    }
    return next();
  });

  app.use('/v1/payment-services/:serviceId/*', async (c, next) => {
    if (!serviceIds.has(c.req.param('serviceId'))) {
      return paysgError(c, 404, 'not_found_error', 'payment_service_not_found', 'No such payment service');
    }
    return next();
  });

  app.post('/v1/payment-services/:serviceId/payments', async (c) => {
    const serviceId = c.req.param('serviceId');
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return paysgError(c, 400, 'invalid_request_error', 'invalid_json', 'Request body must be JSON');
    }
    const parsed = createSchema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const param = issue?.path.join('.') ?? '';
      return c.json(
        {
          error: {
            type: 'invalid_request_error',
            code: 'parameter_invalid',
            message: `Invalid parameter ${param}: ${issue?.message}`,
            data: { param },
          },
        },
        400,
      );
    }

    const idempotencyKey = c.req.header('idempotency-key');
    const scope = `create:${serviceId}`;
    if (idempotencyKey !== undefined) {
      if (idempotencyKey.length === 0 || idempotencyKey.length > 255) {
        return paysgError(c, 400, 'invalid_request_error', 'idempotency_key_invalid', 'Idempotency-Key must be 1 to 255 characters');
      }
      const fingerprint = createHash('sha256').update(JSON.stringify(parsed.data)).digest('hex');
      const prior = ledger.beginIdempotent(scope, idempotencyKey, fingerprint);
      if (prior === 'in_flight') {
        return paysgError(c, 409, 'idempotency_error', 'idempotency_key_in_use', 'A request with this Idempotency-Key is in progress');
      }
      if (prior === 'mismatch') {
        return paysgError(c, 409, 'idempotency_error', 'idempotency_key_reused', 'This Idempotency-Key was used with other parameters');
      }
      if (prior) return replay(c, prior);
    }

    const payment = ledger.create(serviceId, parsed.data, paymentUrlFor);
    const response: StoredResponse = { status: 201, body: payment };
    if (idempotencyKey !== undefined) ledger.finishIdempotent(scope, idempotencyKey, response);
    return c.json(payment, 201);
  });

  app.get('/v1/payment-services/:serviceId/payments/:paymentId', (c) => {
    const payment = ledger.get(c.req.param('serviceId'), c.req.param('paymentId'));
    if (!payment) return paysgError(c, 404, 'not_found_error', 'payment_not_found', 'No such payment');
    return c.json(payment);
  });

  app.get('/payments/:paymentId', (c) => {
    const payment = ledger.find(c.req.param('paymentId'));
    c.header('Cache-Control', 'no-store');
    if (!payment) return c.html(renderNotFoundPage(basePath), 404);
    return c.html(renderPaymentPage({ payment, basePath }));
  });

  app.post('/payments/:paymentId/pay', (c) => {
    const id = c.req.param('paymentId');
    const outcome = ledger.pay(id);
    if (outcome === 'not_found') return c.html(renderNotFoundPage(basePath), 404);
    const payment = ledger.find(id)!;
    if (outcome === 'paid' && payment.return_url) {
      return c.redirect(returnUrlWithIds(payment.return_url, payment.id, payment.payment_service_id), 303);
    }
    return c.redirect(`${basePath}/payments/${id}`, 303);
  });

  app.get('/assets/payment-page.css', (c) => {
    c.header('Content-Type', 'text/css; charset=utf-8');
    return c.body(PAYMENT_PAGE_STYLES);
  });
  app.get('/assets/payment-page.js', (c) => {
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    return c.body(PAYMENT_PAGE_SCRIPT);
  });

  const simulatorFetch: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    // Strip the mount path so in-process calls work whatever URL the client was given.
    const path = basePath && url.pathname.startsWith(basePath) ? url.pathname.slice(basePath.length) : url.pathname;
    return app.request(new Request(new URL(path + url.search, url.origin), request));
  };

  return { app, ledger, fetch: simulatorFetch };
}

function replay(c: Context, stored: StoredResponse) {
  c.header('Idempotent-Replayed', 'true');
  return c.json(stored.body as object, stored.status as 201);
}

/** PaySG appends its two ids to `return_url` as query parameters, keeping any already there. */
function returnUrlWithIds(returnUrl: string, paymentId: string, serviceId: string): string {
  const url = new URL(returnUrl);
  url.searchParams.set('paysg_payment_id', paymentId);
  url.searchParams.set('paysg_payment_service_id', serviceId);
  return url.toString();
}
