/**
 * Random sequences of what payers, PaySG and the BFF's own jobs do to a few orders (create from
 * one of two browsers, double click, retry, pay, return, webhook, cancel, reconcile, PaySG going
 * down or losing its answers), checking after every step: at most one live PaySG payment per
 * order, nothing paid that PaySG has not paid for that amount, no stored `unpaid` link that PaySG
 * has cancelled, and statuses that change only as `CHECKOUT_TRANSITIONS` allows. At the end, with
 * PaySG back and the reconciler run, no PaySG payment is left payable but the order's own.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import fc from 'fast-check';
import { SIMULATOR_PAYMENT_SERVICE_ID } from '../../demo/simulator/simulator.js';
import { signWebhookPayload } from '../../server/paysg/webhook-signature.js';
import { CHECKOUT_TRANSITIONS, type CheckoutStatus } from '../../server/storage/checkout-status.js';
import {
  BROWSER_A,
  BROWSER_B,
  createHarness,
  WEBHOOK_SECRET,
  type Harness,
} from '../helpers/bff-harness.js';

const ORDERS = ['M-0', 'M-1', 'M-2'];
const BROWSERS = [BROWSER_A, BROWSER_B];

/** Where a status may be by the next look: itself, or any status the table leads to. */
function reachableFrom(status: CheckoutStatus): Set<CheckoutStatus> {
  const reached = new Set<CheckoutStatus>([status]);
  for (const next of reached) for (const after of CHECKOUT_TRANSITIONS[next]) reached.add(after);
  return reached;
}

interface Model {
  /** Every checkout id the BFF handed out, per order, newest last. */
  checkouts: Map<string, string[]>;
  /** The last status seen for each checkout. */
  seen: Map<string, CheckoutStatus>;
}

type Real = Harness;

async function check(model: Model, h: Real): Promise<void> {
  const payments = h.simulator.ledger.list(SIMULATOR_PAYMENT_SERVICE_ID, { limit: 100 }).data;
  for (const reference of ORDERS) {
    const mine = payments.filter((p) => p.reference_id === reference);
    assert.ok(
      mine.filter((p) => p.latest_status !== 'cancelled').length <= 1,
      `${reference}: two live PaySG payments`,
    );
    assert.ok(
      mine.filter((p) => p.payment_status === 'paid').length <= 1,
      `${reference}: paid twice`,
    );
  }
  for (const [id, before] of model.seen) {
    const checkout = (await h.store.get(id))!;
    assert.ok(reachableFrom(before).has(checkout.status), `${id}: ${before} → ${checkout.status}`);
    model.seen.set(id, checkout.status);
    if (checkout.status === 'unpaid' && !checkout.cancelRequestedAt && checkout.paymentUrl) {
      const payment = h.simulator.ledger.find(checkout.paymentId!)!;
      assert.notEqual(
        payment.latest_status,
        'cancelled',
        `${id}: stored as payable, but PaySG cancelled it`,
      );
    }
    if (checkout.status === 'paid') {
      const payment = h.simulator.ledger.find(checkout.paymentId!)!;
      assert.equal(payment.payment_status, 'paid', `${id} paid without PaySG`);
      assert.equal(payment.amount_in_cents, checkout.amountInCents);
    }
  }
}

function latest(model: Model, order: string): string | undefined {
  return model.checkouts.get(order)?.at(-1);
}

function remember(model: Model, order: string, id: string | undefined): void {
  if (!id) return;
  const list = model.checkouts.get(order) ?? [];
  if (!list.includes(id)) list.push(id);
  model.checkouts.set(order, list);
  if (!model.seen.has(id)) model.seen.set(id, 'created');
}

const order = fc.constantFrom(...ORDERS);

class Create implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly order: string,
    readonly key: number,
    readonly twice: boolean,
    readonly browser: number,
  ) {}
  check = () => true;
  async run(model: Model, h: Real) {
    const headers = {
      'Idempotency-Key': `${this.order}-${this.key}-${this.browser}`,
      'X-PaySG-Browser': BROWSERS[this.browser]!,
    };
    const send = () => h.createCheckout({ reference: this.order }, headers);
    const results = this.twice ? await Promise.all([send(), send()]) : [await send()];
    for (const r of results) {
      assert.ok([200, 201, 409, 503].includes(r.response.status), JSON.stringify(r.json));
      remember(model, this.order, r.json.checkoutId);
    }
    await check(model, h);
  }
  toString = () =>
    `Create(${this.order}, key ${this.key}, browser ${this.browser}${this.twice ? ', double click' : ''})`;
}

class PayerPays implements fc.AsyncCommand<Model, Real> {
  constructor(readonly order: string) {}
  check = () => true;
  async run(model: Model, h: Real) {
    const id = latest(model, this.order);
    const checkout = id ? await h.store.get(id) : undefined;
    if (checkout?.paymentId) await h.payOnSimulator(checkout.paymentId);
    await check(model, h);
  }
  toString = () => `PayerPays(${this.order})`;
}

class Return implements fc.AsyncCommand<Model, Real> {
  constructor(readonly order: string) {}
  check = () => true;
  async run(model: Model, h: Real) {
    const id = latest(model, this.order);
    const checkout = id ? await h.store.get(id) : undefined;
    if (checkout?.paymentId) {
      const r = await h.get(`/return/${id}?paysg_payment_id=${checkout.paymentId}`);
      assert.equal(r.status, 303);
    }
    await check(model, h);
  }
  toString = () => `Return(${this.order})`;
}

class Webhook implements fc.AsyncCommand<Model, Real> {
  constructor(readonly order: string) {}
  check = () => true;
  async run(model: Model, h: Real) {
    const id = latest(model, this.order);
    const checkout = id ? await h.store.get(id) : undefined;
    const payment = checkout?.paymentId ? h.simulator.ledger.find(checkout.paymentId) : undefined;
    if (payment) {
      const body = JSON.stringify({
        id: `evt_${payment.id}_${payment.payment_status}`,
        type: 'payment.succeeded',
        data: { object: payment },
      });
      const header = await signWebhookPayload(
        body,
        WEBHOOK_SECRET,
        Math.floor(h.clock.now().getTime() / 1000),
      );
      const r = await h.app.request('/webhooks', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'PaySG-Signature': header },
        body,
      });
      assert.equal(r.status, 200);
      await h.app.idle();
    }
    await check(model, h);
  }
  toString = () => `Webhook(${this.order})`;
}

class Cancel implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly order: string,
    readonly browser: number,
  ) {}
  check = () => true;
  async run(model: Model, h: Real) {
    const id = latest(model, this.order);
    if (id) {
      const r = await h.post(
        `/checkouts/${id}/cancel`,
        {},
        { 'X-PaySG-Browser': BROWSERS[this.browser]! },
      );
      assert.ok([200, 403, 409, 503].includes(r.status), `${r.status}`);
    }
    await check(model, h);
  }
  toString = () => `Cancel(${this.order}, browser ${this.browser})`;
}

class Reconcile implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(model: Model, h: Real) {
    h.clock.advance(61_000);
    await h.app.reconcile();
    await check(model, h);
  }
  toString = () => 'Reconcile';
}

class PaysgOutage implements fc.AsyncCommand<Model, Real> {
  constructor(readonly down: boolean) {}
  check = () => true;
  async run(model: Model, h: Real) {
    h.paysgTraffic.down = this.down;
    await check(model, h);
  }
  toString = () => (this.down ? 'PaysgDown' : 'PaysgUp');
}

/** PaySG commits the next create, then its answer and every retry are lost (the BFF answers 503). */
class PaysgLosesNextAnswer implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(model: Model, h: Real) {
    h.paysgTraffic.downAfterNextPost = true;
    await check(model, h);
  }
  toString = () => 'PaysgLosesNextAnswer';
}

const commands = [
  fc
    .tuple(order, fc.integer({ min: 0, max: 2 }), fc.boolean(), fc.integer({ min: 0, max: 1 }))
    .map(([o, k, twice, b]) => new Create(o, k, twice, b)),
  order.map((o) => new PayerPays(o)),
  order.map((o) => new Return(o)),
  order.map((o) => new Webhook(o)),
  fc.tuple(order, fc.integer({ min: 0, max: 1 })).map(([o, b]) => new Cancel(o, b)),
  fc.constant(new Reconcile()),
  fc.boolean().map((down) => new PaysgOutage(down)),
  fc.constant(new PaysgLosesNextAnswer()),
];

it('one order, one payment, paid only when PaySG says so, statuses only forward (model-based)', async () => {
  await fc.assert(
    fc.asyncProperty(fc.commands(commands, { maxCommands: 30 }), async (cmds) => {
      const h = createHarness();
      const model: Model = { checkouts: new Map(), seen: new Map() };
      await fc.asyncModelRun(() => ({ model, real: h }), cmds);
      // Finally PaySG is reachable and the reconciler runs: every payment PaySG took is recorded.
      h.paysgTraffic.down = false;
      h.paysgTraffic.downAfterNextPost = false;
      h.clock.advance(61_000);
      await h.app.reconcile();
      await check(model, h);
      for (const payment of h.simulator.ledger.list(SIMULATOR_PAYMENT_SERVICE_ID, { limit: 100 })
        .data) {
        const checkout = await h.store.findByPaymentId(payment.id);
        if (payment.payment_status === 'paid')
          assert.equal(
            checkout?.status,
            'paid',
            `PaySG payment ${payment.id} paid but not recorded`,
          );
        if (payment.latest_status === 'unpaid') {
          assert.equal(
            checkout?.status,
            'unpaid',
            `PaySG payment ${payment.id} payable but no unpaid checkout has it (an orphan)`,
          );
          assert.equal(
            checkout?.cancelRequestedAt,
            null,
            `PaySG payment ${payment.id} still to be cancelled`,
          );
        }
      }
    }),
    { numRuns: 100 },
  );
});
