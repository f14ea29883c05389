/**
 * The simulator's payment-form submissions, the two endpoints Plumber's PaySG actions call
 * (paysg-api.md §2, §13, §17.2): a one-time submission creates a payment the hosted page takes;
 * a subscription submission is checked and recorded, never charged.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createSimulator,
  SIMULATOR_API_KEY,
  SIMULATOR_PAYMENT_SERVICE_ID,
} from '../../demo/simulator/simulator.js';
import { PaysgClient } from '../../server/paysg/client.js';

const SIM = 'https://pay.simulator.example';
const FORM_ID = 'aBC123Def456HijK789LMn';
const FORMS = `/v1/payment-services/${SIMULATOR_PAYMENT_SERVICE_ID}/forms/${FORM_ID}`;
const SUBMISSIONS = `${FORMS}/submissions`;
const SUBSCRIPTIONS = `${FORMS}/subscription-submissions`;

/**
 * The body Plumber puts on the wire for "Create payment form submission": opengovsg/plumber
 * `packages/backend/src/apps/paysg/actions/create-payment-form-submission/index.ts` (9cf3cacb)
 * posts `requestSchema.parse(parameters)` without `formId`, and that action's `schema.ts`
 * (7acaf18f) turns the amount's string into a number, leaves out empty optional fields and sends
 * `responses` (default `[]`). The one-time action has no address or identifier inputs.
 */
const plumberSubmission = {
  formsg_form_id: '650a1b2c3d4e5f6a7b8c9d0e',
  formsg_submission_id: '650a1b2c3d4e5f6a7b8c9d11',
  nonce: 'PF-7Q2M9X',
  payer_name: 'Tan Ah Kow',
  payer_email: 'ahkow@example.com',
  amount_in_cents: 1500,
  description: 'Dog licence, 1 year',
  responses: [
    { question: 'Dog’s name', answer: 'Milo' },
    { question: 'Microchip number', answer: '900123456789012' },
  ],
};

/**
 * And for "Create payment form submission for subscription":
 * `…/actions/create-payment-form-submission-subscription/index.ts` (63e0b0cd) and its `schema.ts`
 * (7acaf18f): the one-time body with `frequency: "monthly"`, `payer_email` and `description`
 * required, address and identifier offered.
 */
const plumberSubscription = {
  ...plumberSubmission,
  payer_address: 'Blk 123 Yishun Ave 2, #08-88, Singapore 760123',
  payer_identifier: 'S1234567A',
  description: 'Library membership, monthly',
  frequency: 'monthly',
};

/** As Plumber's HTTP client sends it (§17.1): JSON, `x-api-key`, axios's `accept`. */
function post(
  sim: ReturnType<typeof createSimulator>,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
) {
  return sim.fetch(`${SIM}${path}`, {
    method: 'POST',
    headers: {
      accept: 'application/json, text/plain, */*',
      'content-type': 'application/json',
      'x-api-key': SIMULATOR_API_KEY,
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

type ErrorBody = {
  error: { type: string; code: string; message: string; data?: { param?: string } };
};

async function envelope(response: Response): Promise<ErrorBody['error']> {
  assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
  const body = (await response.json()) as ErrorBody;
  assert.ok(body.error.type && body.error.code && body.error.message, JSON.stringify(body));
  return body.error;
}

describe('simulator: payment-form submissions', () => {
  it('creates, from the body Plumber sends, a payment the API returns and the hosted page takes', async () => {
    const received: string[] = [];
    const sim = createSimulator({
      publicUrl: SIM,
      webhooks: {
        endpoints: [{ url: 'https://agency.example/paysg/webhooks', secret: 'whsec_form' }],
        fetch: async (_url, init) => {
          received.push(String(init?.body));
          return new Response(null, { status: 204 });
        },
      },
    });
    const response = await post(sim, SUBMISSIONS, plumberSubmission);
    assert.equal(response.status, 201);
    const payment = (await response.json()) as Record<string, unknown> & { id: string };
    assert.match(payment.id, /^[A-Za-z0-9_-]{21}$/);
    assert.equal(payment.payment_url, `${SIM}/payments/${payment.id}`);
    assert.equal(payment.payment_service_id, SIMULATOR_PAYMENT_SERVICE_ID);
    assert.equal(payment.reference_id, plumberSubmission.nonce);
    assert.equal(payment.amount_in_cents, 1500);
    assert.equal(payment.payer_email, 'ahkow@example.com');
    assert.equal(payment.description, 'Dog licence, 1 year');
    assert.equal(payment.payment_status, 'unpaid');
    assert.equal(sim.ledger.paymentCount, 1);

    // Retrieved through the API, and read by the BFF's own PaySG client.
    const paysg = new PaysgClient({
      apiKey: SIMULATOR_API_KEY,
      paymentServiceId: SIMULATOR_PAYMENT_SERVICE_ID,
      baseUrl: SIM,
      fetch: sim.fetch,
    });
    const retrieved = await paysg.payments.retrieve(payment.id);
    assert.equal(retrieved.id, payment.id);
    assert.equal(retrieved.payment_status, 'unpaid');

    // The hosted page shows it and takes it; no return_url, so the page shows it paid.
    assert.match(
      await (await sim.app.request(`/payments/${payment.id}`)).text(),
      /Dog licence, 1 year/,
    );
    const paid = await sim.app.request(`/payments/${payment.id}/pay`, { method: 'POST' });
    assert.equal(paid.status, 303);
    assert.equal(paid.headers.get('location'), `/payments/${payment.id}`);
    assert.equal((await paysg.payments.retrieve(payment.id)).payment_status, 'paid');
    await sim.state.webhooks.flush();
    assert.equal(received.length, 1);
    assert.equal(JSON.parse(received[0]!).data.object.id, payment.id);
  });

  it('names a payment whose submission has no description after its form', async () => {
    const sim = createSimulator({ publicUrl: SIM });
    const { description: _omitted, payer_email: _none, ...bare } = plumberSubmission;
    const response = await post(sim, SUBMISSIONS, bare);
    assert.equal(response.status, 201);
    const payment = (await response.json()) as { description: string; payer_email: string | null };
    assert.equal(payment.description, `Payment form ${FORM_ID}`);
    assert.equal(payment.payer_email, null);
  });

  it('records a subscription from the body Plumber sends, answers the simulator’s record of it, and charges nothing', async () => {
    const sim = createSimulator({ publicUrl: SIM });
    const response = await post(sim, SUBSCRIPTIONS, plumberSubscription);
    assert.equal(response.status, 201);
    const subscription = (await response.json()) as Record<string, unknown>;
    assert.equal(subscription.object, 'subscription_submission');
    assert.equal(subscription.status, 'pending');
    assert.equal(subscription.frequency, 'monthly');
    assert.equal(subscription.form_id, FORM_ID);
    assert.equal(subscription.payment_service_id, SIMULATOR_PAYMENT_SERVICE_ID);
    assert.equal(subscription.amount_in_cents, 1500);
    assert.equal(subscription.payer_identifier, 'S1234567A');
    assert.equal(subscription.payment_url, undefined, 'nothing to pay on the hosted page');
    assert.equal(sim.ledger.paymentCount, 0);
    const stats = (await (await sim.app.request('/_control/stats')).json()) as {
      subscriptionSubmissions: number;
      payments: number;
    };
    assert.deepEqual([stats.subscriptionSubmissions, stats.payments], [1, 0]);
  });

  it('refuses a bad body with PaySG’s error envelope and a 400, and creates nothing', async () => {
    const sim = createSimulator({ publicUrl: SIM });
    const { nonce: _n, ...noNonce } = plumberSubmission;
    const { payer_email: _e, ...subscriptionNoEmail } = plumberSubscription;
    const { frequency: _f, ...subscriptionNoFrequency } = plumberSubscription;
    const { description: _d, ...subscriptionNoDescription } = plumberSubscription;
    const cases: [string, unknown, string][] = [
      [SUBMISSIONS, '{"payer_name": ', ''],
      [SUBMISSIONS, noNonce, 'nonce'],
      [SUBMISSIONS, { ...plumberSubmission, amount_in_cents: '1500' }, 'amount_in_cents'],
      [SUBMISSIONS, { ...plumberSubmission, amount_in_cents: 0 }, 'amount_in_cents'],
      [SUBMISSIONS, { ...plumberSubmission, amount_in_cents: 20_000_001 }, 'amount_in_cents'],
      [SUBMISSIONS, { ...plumberSubmission, formsg_form_id: 'not-a-form' }, 'formsg_form_id'],
      [SUBMISSIONS, { ...plumberSubmission, payer_name: '' }, 'payer_name'],
      [SUBMISSIONS, { ...plumberSubmission, payer_email: 'ahkow' }, 'payer_email'],
      [SUBMISSIONS, { ...plumberSubmission, payer_identifier: 'X'.repeat(21) }, 'payer_identifier'],
      [SUBMISSIONS, { ...plumberSubmission, description: 'x'.repeat(501) }, 'description'],
      [
        SUBMISSIONS,
        { ...plumberSubmission, responses: [{ question: 'Dog’s name', answer: '' }] },
        'responses.0.answer',
      ],
      [SUBMISSIONS, { ...plumberSubmission, frequency: 'monthly' }, ''],
      [SUBSCRIPTIONS, plumberSubmission, 'frequency'],
      [SUBSCRIPTIONS, subscriptionNoFrequency, 'frequency'],
      [SUBSCRIPTIONS, { ...plumberSubscription, frequency: 'weekly' }, 'frequency'],
      [SUBSCRIPTIONS, subscriptionNoEmail, 'payer_email'],
      [SUBSCRIPTIONS, subscriptionNoDescription, 'description'],
    ];
    for (const [path, body, param] of cases) {
      const label = `${path.split('/').at(-1)} ${typeof body === 'string' ? body : JSON.stringify(body).slice(0, 80)}`;
      const response = await post(sim, path, body);
      assert.equal(response.status, 400, label);
      const error = await envelope(response);
      assert.equal(error.type, 'invalid_request_error', label);
      if (typeof body === 'string') assert.equal(error.code, 'invalid_json', label);
      else assert.equal(error.data?.param, param, label);
    }
    assert.equal(sim.ledger.paymentCount, 0);
    assert.equal(sim.state.subscriptions.count, 0);
  });

  it('needs an API key whose holder may bill the payment service, on both endpoints', async () => {
    const other = 'payment_service_00000000-0000-4000-8000-000000000000';
    const sim = createSimulator({
      publicUrl: SIM,
      accounts: {
        [SIMULATOR_API_KEY]: [SIMULATOR_PAYMENT_SERVICE_ID],
        paysg_stag_someone_else: [other],
      },
    });
    for (const [path, body] of [
      [SUBMISSIONS, plumberSubmission],
      [SUBSCRIPTIONS, plumberSubscription],
    ] as const) {
      const none = await sim.fetch(`${SIM}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      assert.equal(none.status, 401, path);
      assert.equal((await envelope(none)).type, 'authentication_error');
      const wrong = await post(sim, path, body, { 'x-api-key': 'paysg_stag_not_a_key' });
      assert.equal(wrong.status, 401, path);
      const notBilling = await post(sim, path, body, { 'x-api-key': 'paysg_stag_someone_else' });
      assert.equal(notBilling.status, 403, path);
      assert.equal((await envelope(notBilling)).type, 'permission_error');
      const unknownService = await post(
        sim,
        path.replace(SIMULATOR_PAYMENT_SERVICE_ID, 'payment_service_nope'),
        body,
      );
      assert.equal(unknownService.status, 404, path);
      assert.equal((await envelope(unknownService)).code, 'payment_service_not_found');
    }
    assert.equal(sim.ledger.paymentCount, 0);
    assert.equal(sim.state.subscriptions.count, 0);
  });

  it('takes any form id of a PaySG form’s shape, answers 404 form_not_found for another, and the envelope for other methods', async () => {
    const sim = createSimulator({ publicUrl: SIM });
    const anyForm = await post(sim, SUBMISSIONS.replace(FORM_ID, 'Zz9_-x'), plumberSubmission);
    assert.equal(anyForm.status, 201);
    for (const [path, body] of [
      [SUBMISSIONS.replace(FORM_ID, 'a.b'), plumberSubmission],
      [SUBSCRIPTIONS.replace(FORM_ID, 'x'.repeat(65)), plumberSubscription],
    ] as const) {
      const response = await post(sim, path, body);
      assert.equal(response.status, 404, path);
      assert.deepEqual([(await envelope(response)).code], ['form_not_found'], path);
    }
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const response = await sim.fetch(`${SIM}${SUBMISSIONS}`, {
        method,
        headers: { 'x-api-key': SIMULATOR_API_KEY },
      });
      assert.equal(response.status, 404, method);
      assert.equal((await envelope(response)).code, 'resource_not_found', method);
    }
    assert.equal(sim.ledger.paymentCount, 1);
  });

  it('replays a repeated Idempotency-Key, refuses it with another body or form, on both endpoints', async () => {
    const sim = createSimulator({ publicUrl: SIM });
    for (const [path, body] of [
      [SUBMISSIONS, plumberSubmission],
      [SUBSCRIPTIONS, plumberSubscription],
    ] as const) {
      const first = await post(sim, path, body, { 'idempotency-key': 'form-key-1' });
      assert.equal(first.status, 201, path);
      const again = await post(sim, path, body, { 'idempotency-key': 'form-key-1' });
      assert.equal(again.status, 201, path);
      assert.equal(again.headers.get('idempotent-replayed'), 'true', path);
      assert.deepEqual(await again.json(), await first.json());
      const otherBody = await post(
        sim,
        path,
        { ...body, amount_in_cents: 1600 },
        { 'idempotency-key': 'form-key-1' },
      );
      assert.equal(otherBody.status, 409, path);
      assert.equal((await envelope(otherBody)).code, 'idempotency_key_reused');
      const otherForm = await post(sim, path.replace(FORM_ID, 'AnotherForm123'), body, {
        'idempotency-key': 'form-key-1',
      });
      assert.equal(otherForm.status, 409, path);
    }
    assert.equal(sim.ledger.paymentCount, 1);
    assert.equal(sim.state.subscriptions.count, 1);
  });

  it('takes faults for its own routes from the control API, and magic values from the nonce', async () => {
    const sim = createSimulator({ publicUrl: SIM });
    for (const route of ['form_submission', 'subscription_submission']) {
      const added = await sim.app.request('/_control/faults', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ fault: { kind: 'status', status: 503 }, route, count: 1 }),
      });
      assert.equal(added.status, 201, route);
    }
    const failed = await post(sim, SUBMISSIONS, plumberSubmission);
    assert.equal(failed.status, 503);
    assert.equal((await envelope(failed)).type, 'api_error');
    assert.equal((await post(sim, SUBSCRIPTIONS, plumberSubscription)).status, 503);
    assert.equal(
      (await post(sim, SUBMISSIONS, plumberSubmission)).status,
      201,
      'the counted fault is used up',
    );

    const declined = (await (
      await post(sim, SUBMISSIONS, { ...plumberSubmission, nonce: 'PF-SIM-DECLINE' })
    ).json()) as { id: string };
    const attempt = await sim.app.request(`/payments/${declined.id}/pay`, { method: 'POST' });
    assert.equal(attempt.headers.get('location'), `/payments/${declined.id}?declined=1`);
    assert.equal(
      (await post(sim, SUBMISSIONS, { ...plumberSubmission, nonce: 'PF-SIM-429' })).status,
      429,
    );
  });
});
