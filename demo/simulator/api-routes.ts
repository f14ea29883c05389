/**
 * The simulator's PaySG API under `/v1`: every documented payments endpoint, the payment-form
 * submissions Plumber sends (`form-submissions.ts`), the `x-api-key` check, payment-service
 * ownership, PaySG's limits and error envelope, idempotency, and faults.
 * @module
 */
import { createHash } from 'node:crypto';
import { Hono, type Context } from 'hono';
import type { z } from 'zod';
import { magicFaults, type Fault, type SimulatedRoute } from './fault-book.js';
import { FORM_ID, formSubmissionSchema, subscriptionSubmissionSchema } from './form-submissions.js';
import type { StoredResponse } from './idempotency-book.js';
import { LedgerRefusal } from './payment-ledger.js';
import { createRequestSchema, listQuerySchema, refundRequestSchema } from './request-rules.js';
import { DROP_HEADER, paysgError, type SimulatorState } from './simulator-state.js';

type Env = { Variables: { serviceId: string } };

function invalidParameter(c: Context, error: z.ZodError) {
  const issue = error.issues[0];
  const param = issue?.path.join('.') ?? '';
  return c.json(
    {
      error: {
        type: 'invalid_request_error',
        code: 'parameter_invalid',
        message: `Invalid parameter ${param || '(body)'}: ${issue?.message}`,
        data: { param },
      },
    },
    400,
  );
}

function refusal(c: Context, err: LedgerRefusal) {
  const type =
    err.status === 404
      ? 'not_found_error'
      : err.status === 400
        ? 'invalid_request_error'
        : 'invalid_state_error';
  return paysgError(c, err.status, type, err.code, err.message);
}

async function readBody(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') return {};
  return JSON.parse(text);
}

/** A payment-form submission's form id and body, read and checked, or PaySG's error answer. */
async function readSubmission<T>(
  c: Context,
  schema: z.ZodType<T>,
): Promise<Response | { formId: string; submission: T }> {
  const formId = c.req.param('formId') ?? '';
  if (!FORM_ID.test(formId))
    return paysgError(c, 404, 'not_found_error', 'form_not_found', 'No such payment form');
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    return paysgError(c, 400, 'invalid_request_error', 'invalid_json', 'Request body must be JSON');
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) return invalidParameter(c, parsed.error);
  return { formId, submission: parsed.data };
}

export function apiRoutes(state: SimulatorState) {
  const app = new Hono<Env>();

  app.use('*', async (c, next) => {
    const key = c.req.header('x-api-key');
    if (!key || !state.accounts.has(key)) {
      return paysgError(
        c,
        401,
        'authentication_error',
        'invalid_api_key',
        'Invalid API key provided',
      );
    }
    return next();
  });

  app.use('/payment-services/:serviceId/*', async (c, next) => {
    const serviceId = c.req.param('serviceId');
    if (!state.knownServices.has(serviceId)) {
      return paysgError(
        c,
        404,
        'not_found_error',
        'payment_service_not_found',
        'No such payment service',
      );
    }
    // Keys belong to people; a key works on services where its holder is a Billing collaborator.
    if (!state.accounts.get(c.req.header('x-api-key') ?? '')?.has(serviceId)) {
      return paysgError(
        c,
        403,
        'permission_error',
        'not_billing_collaborator',
        'This API key may not use this payment service',
      );
    }
    c.set('serviceId', serviceId);
    return next();
  });

  /**
   * Runs one request through faults and, for create and refund, idempotency. `work` commits and
   * returns the answer; faults decide whether it runs, when, and whether its answer arrives.
   */
  async function handle(
    c: Context<Env>,
    route: SimulatedRoute,
    work: () => StoredResponse,
    idempotency?: { fingerprintOf: unknown; extraFaults?: Fault[] },
  ): Promise<Response> {
    const serviceId = c.get('serviceId');
    state.requestCounts.set(route, (state.requestCounts.get(route) ?? 0) + 1);
    const faults = [...state.faults.take(route, serviceId), ...(idempotency?.extraFaults ?? [])];
    const key = idempotency ? c.req.header('idempotency-key') : undefined;
    const scope = `${route}:${serviceId}:${c.req.param('paymentId') ?? ''}`;

    if (idempotency && key !== undefined) {
      if (key.length === 0 || key.length > 255) {
        return paysgError(
          c,
          400,
          'invalid_request_error',
          'idempotency_key_invalid',
          'Idempotency-Key must be 1 to 255 characters',
        );
      }
      const fingerprint = createHash('sha256')
        .update(JSON.stringify(idempotency.fingerprintOf))
        .digest('hex');
      const begun = state.idempotency.begin(scope, key, fingerprint);
      if (begun.kind === 'in_flight') {
        return paysgError(
          c,
          409,
          'idempotency_error',
          'idempotency_key_in_use',
          'A request with this Idempotency-Key is in progress',
        );
      }
      if (begun.kind === 'mismatch') {
        return paysgError(
          c,
          409,
          'idempotency_error',
          'idempotency_key_reused',
          'This Idempotency-Key was used with other parameters',
        );
      }
      if (begun.kind === 'replay') {
        c.header('Idempotent-Replayed', 'true');
        return c.json(begun.response.body as object, begun.response.status as 200);
      }
    }

    for (const fault of faults) {
      if (fault.kind === 'latency') await state.sleep(fault.ms, c.req.raw.signal);
      if (fault.kind === 'hang') {
        await state.sleep(state.maxHangMs, c.req.raw.signal);
        if (key !== undefined) state.idempotency.forget(scope, key);
        return paysgError(
          c,
          503,
          'api_error',
          'simulated_hang',
          'The simulator hung up after a simulated hang',
        );
      }
      if (fault.kind === 'status' && fault.status === 429) {
        // Refused before execution began: nothing is stored for the key.
        if (key !== undefined) state.idempotency.forget(scope, key);
        c.header('Retry-After', '1');
        return paysgError(c, 429, 'rate_limit_error', 'rate_limited', 'Too many requests');
      }
      if (fault.kind === 'status') {
        // A failure after execution began is stored and replayed, 500s included.
        const body = {
          error: {
            type: 'api_error',
            code: 'internal_error',
            message: `Simulated HTTP ${fault.status}`,
          },
        };
        if (key !== undefined) state.idempotency.finish(scope, key, { status: fault.status, body });
        return c.json(body, fault.status);
      }
    }

    let response: StoredResponse;
    try {
      response = work();
    } catch (err) {
      if (!(err instanceof LedgerRefusal)) throw err;
      const errorResponse = refusal(c, err);
      if (key !== undefined)
        state.idempotency.finish(scope, key, {
          status: err.status,
          body: await errorResponse.clone().json(),
        });
      return errorResponse;
    }
    if (key !== undefined) state.idempotency.finish(scope, key, response);
    for (const fault of faults)
      if (fault.kind === 'hold') await state.sleep(fault.ms, c.req.raw.signal);
    if (faults.some((f) => f.kind === 'drop_response')) c.header(DROP_HEADER, '1');
    if (response.body === undefined) return c.body(null, response.status as 200);
    return c.json(response.body as object, response.status as 200);
  }

  app.post('/payment-services/:serviceId/payments', async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return paysgError(
        c,
        400,
        'invalid_request_error',
        'invalid_json',
        'Request body must be JSON',
      );
    }
    const parsed = createRequestSchema.safeParse(body);
    if (!parsed.success) return invalidParameter(c, parsed.error);
    const params = parsed.data;
    return handle(
      c,
      'create',
      () => ({
        status: 201,
        body: state.ledger.create(c.get('serviceId'), params, state.paymentUrls),
      }),
      {
        fingerprintOf: params,
        extraFaults: magicFaults(params.reference_id).filter((f) => f.kind !== 'decline'),
      },
    );
  });

  /**
   * A payment-form submission creates a one-time payment, exactly as a create would (same ids,
   * `payment_url` to the hosted page, payable there, `payment.succeeded` when paid), and answers
   * 201 with that payment. Known (Plumber): the path and body; Plumber reads nothing of the answer.
   * Inferred, the simulator's choices: the answer is the payment object, as a create's is; the
   * `nonce` (Plumber's "FormSG Reference Field Answer") is the payment's `reference_id`; without
   * a `description` the payment's is `Payment form <formId>` (PaySG would presumably use the
   * form's own); `return_url` is null and `metadata` `{}`; `responses` are checked and not kept.
   * `Idempotency-Key` is honoured as on a create: PaySG documents it for create and refund only,
   * so a client must not count on it here at real PaySG.
   */
  app.post('/payment-services/:serviceId/forms/:formId/submissions', async (c) => {
    const read = await readSubmission(c, formSubmissionSchema);
    if (read instanceof Response) return read;
    const { formId, submission } = read;
    const params = {
      reference_id: submission.nonce,
      payer_name: submission.payer_name,
      ...(submission.payer_address !== undefined && { payer_address: submission.payer_address }),
      ...(submission.payer_identifier !== undefined && {
        payer_identifier: submission.payer_identifier,
      }),
      ...(submission.payer_email !== undefined && { payer_email: submission.payer_email }),
      description: submission.description ?? `Payment form ${formId}`,
      amount_in_cents: submission.amount_in_cents,
    };
    return handle(
      c,
      'form_submission',
      () => ({
        status: 201,
        body: state.ledger.create(c.get('serviceId'), params, state.paymentUrls),
      }),
      {
        fingerprintOf: { formId, ...submission },
        extraFaults: magicFaults(submission.nonce).filter((f) => f.kind !== 'decline'),
      },
    );
  });

  /**
   * A subscription submission is validated (the one-time body plus `frequency: "monthly"`, with
   * `payer_email` and `description` required, as Plumber's schema) and recorded, and answers 201
   * with the simulator's own record of it (`SimulatedSubscription`): PaySG's answer is unknown,
   * and a subscription is charged monthly by card through Stripe, which the hosted page does not
   * simulate, so no payment is created and nothing is ever charged. Same idempotency as above.
   */
  app.post('/payment-services/:serviceId/forms/:formId/subscription-submissions', async (c) => {
    const read = await readSubmission(c, subscriptionSubmissionSchema);
    if (read instanceof Response) return read;
    const { formId, submission } = read;
    return handle(
      c,
      'subscription_submission',
      () => ({
        status: 201,
        body: state.subscriptions.record(c.get('serviceId'), formId, submission),
      }),
      {
        fingerprintOf: { formId, ...submission },
        extraFaults: magicFaults(submission.nonce).filter((f) => f.kind !== 'decline'),
      },
    );
  });

  app.get('/payment-services/:serviceId/payments', async (c) => {
    const parsed = listQuerySchema.safeParse(c.req.query());
    if (!parsed.success) return invalidParameter(c, parsed.error);
    return handle(c, 'list', () => ({
      status: 200,
      body: state.ledger.list(c.get('serviceId'), parsed.data),
    }));
  });

  app.get('/payment-services/:serviceId/payments/:paymentId', (c) =>
    handle(c, 'retrieve', () => {
      const payment = state.ledger.get(c.get('serviceId'), c.req.param('paymentId'));
      if (!payment) throw new LedgerRefusal(404, 'payment_not_found', 'No such payment');
      return { status: 200, body: payment };
    }),
  );

  app.post('/payment-services/:serviceId/payments/:paymentId/cancel', (c) =>
    handle(c, 'cancel', () => ({
      status: 200,
      body: state.ledger.cancel(c.get('serviceId'), c.req.param('paymentId')),
    })),
  );

  app.post('/payment-services/:serviceId/payments/:paymentId/send-email', (c) =>
    handle(c, 'send_email', () => {
      // Each accepted request is one e-mail, as PaySG sends one each time it is asked.
      state.outbox.record(state.ledger.sendEmail(c.get('serviceId'), c.req.param('paymentId')));
      // Plumber's client expects an empty body from send-email.
      return { status: 200, body: undefined };
    }),
  );

  app.post('/payment-services/:serviceId/payments/:paymentId/refund', async (c) => {
    let body: unknown;
    try {
      body = await readBody(c);
    } catch {
      return paysgError(
        c,
        400,
        'invalid_request_error',
        'invalid_json',
        'Request body must be JSON',
      );
    }
    const parsed = refundRequestSchema.safeParse(body);
    if (!parsed.success) return invalidParameter(c, parsed.error);
    const paymentId = c.req.param('paymentId');
    return handle(
      c,
      'refund',
      () => ({
        status: 200,
        body: state.ledger.refund(
          c.get('serviceId'),
          paymentId,
          parsed.data.refund_amount_in_cents,
        ),
      }),
      { fingerprintOf: { paymentId, ...parsed.data } },
    );
  });

  return app;
}
