/**
 * Random sequences of what payers, PaySG and the BFF's own jobs do to a few orders (create,
 * double click, retry, pay, return, webhook, cancel, reconcile, PaySG going down or losing its
 * answers), checking
 * after every step: at most one live PaySG payment per order, nothing paid that PaySG has not
 * paid for that amount, and statuses that only move forward.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import fc from 'fast-check';
import { SIMULATOR_PAYMENT_SERVICE_ID } from '../../demo/simulator/simulator.js';
import { signWebhookPayload } from '../../server/paysg/webhook-signature.js';
import type { CheckoutStatus } from '../../server/storage/checkout-store.js';
import { createHarness, WEBHOOK_SECRET, type Harness } from '../helpers/bff-harness.js';

const ORDERS = ['M-0', 'M-1', 'M-2'];
const FORWARD: Record<CheckoutStatus, readonly CheckoutStatus[]> = {
  created: ['created', 'unpaid', 'paid', 'cancelled', 'failed'],
  unpaid: ['unpaid', 'paid', 'cancelled'],
  paid: ['paid'],
  cancelled: ['cancelled'],
  failed: ['failed'],
};

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
    assert.ok(mine.filter((p) => p.latest_status !== 'cancelled').length <= 1, `${reference}: two live PaySG payments`);
    assert.ok(mine.filter((p) => p.payment_status === 'paid').length <= 1, `${reference}: paid twice`);
  }
  for (const [id, before] of model.seen) {
    const checkout = (await h.store.get(id))!;
    assert.ok(FORWARD[before].includes(checkout.status), `${id}: ${before} → ${checkout.status}`);
    model.seen.set(id, checkout.status);
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
  constructor(readonly order: string, readonly key: number, readonly twice: boolean) {}
  check = () => true;
  async run(model: Model, h: Real) {
    const send = () => h.createCheckout({ reference: this.order }, { 'Idempotency-Key': `${this.order}-${this.key}` });
    const results = this.twice ? await Promise.all([send(), send()]) : [await send()];
    for (const r of results) {
      assert.ok([200, 201, 409, 503].includes(r.response.status), JSON.stringify(r.json));
      remember(model, this.order, r.json.checkoutId);
    }
    await check(model, h);
  }
  toString = () => `Create(${this.order}, key ${this.key}${this.twice ? ', double click' : ''})`;
}

class PayerPays implements fc.AsyncCommand<Model, Real> {
  constructor(readonly order: string) {}
  check = () => true;
  async run(model: Model, h: Real) {
    const id = latest(model, this.order);
    const checkout = id && (await h.store.get(id));
    if (checkout && checkout.paymentId) await h.payOnSimulator(checkout.paymentId);
    await check(model, h);
  }
  toString = () => `PayerPays(${this.order})`;
}

class Return implements fc.AsyncCommand<Model, Real> {
  constructor(readonly order: string) {}
  check = () => true;
  async run(model: Model, h: Real) {
    const id = latest(model, this.order);
    const checkout = id && (await h.store.get(id));
    if (checkout && checkout.paymentId) {
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
    const checkout = id && (await h.store.get(id));
    const payment = checkout && checkout.paymentId ? h.simulator.ledger.find(checkout.paymentId) : undefined;
    if (payment) {
      const body = JSON.stringify({ id: `evt_${payment.id}_${payment.payment_status}`, type: 'payment.succeeded', data: { object: payment } });
      const header = await signWebhookPayload(body, WEBHOOK_SECRET, Math.floor(h.clock.now().getTime() / 1000));
      const r = await h.app.request('/webhooks', { method: 'POST', headers: { 'Content-Type': 'application/json', 'PaySG-Signature': header }, body });
      assert.equal(r.status, 200);
      await h.app.idle();
    }
    await check(model, h);
  }
  toString = () => `Webhook(${this.order})`;
}

class Cancel implements fc.AsyncCommand<Model, Real> {
  constructor(readonly order: string) {}
  check = () => true;
  async run(model: Model, h: Real) {
    const id = latest(model, this.order);
    if (id) {
      const r = await h.post(`/checkouts/${id}/cancel`, {});
      assert.ok([200, 409, 503].includes(r.status));
    }
    await check(model, h);
  }
  toString = () => `Cancel(${this.order})`;
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
  fc.tuple(order, fc.integer({ min: 0, max: 2 }), fc.boolean()).map(([o, k, twice]) => new Create(o, k, twice)),
  order.map((o) => new PayerPays(o)),
  order.map((o) => new Return(o)),
  order.map((o) => new Webhook(o)),
  order.map((o) => new Cancel(o)),
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
      for (const payment of h.simulator.ledger.list(SIMULATOR_PAYMENT_SERVICE_ID, { limit: 100 }).data) {
        if (payment.payment_status !== 'paid') continue;
        const checkout = await h.store.findByPaymentId(payment.id);
        assert.equal(checkout?.status, 'paid', `PaySG payment ${payment.id} paid but not recorded`);
      }
    }),
    { numRuns: 100 },
  );
});
