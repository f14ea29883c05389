/**
 * The contract every `CheckoutStore` keeps, as one suite any implementation runs.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CHECKOUT_TRANSITIONS, IllegalTransitionError } from '../../server/storage/checkout-status.js';
import type { Checkout, CheckoutStatus, CheckoutStore } from '../../server/storage/checkout-store.js';

let counter = 0;

export function sampleCheckout(overrides: Partial<Checkout> = {}): Checkout {
  counter++;
  const id = `chk_${String(counter).padStart(18, '0')}`;
  return {
    id,
    orderKey: `catalog:licence-renewal:REF-${counter}`,
    orderFingerprint: 'f'.repeat(64),
    item: 'licence-renewal',
    referenceId: `REF-${counter}`,
    description: 'Licence renewal',
    amountInCents: 12000,
    currency: 'SGD',
    lineItems: [{ description: 'Licence renewal', amountInCents: 12000 }],
    status: 'created',
    returnTo: 'https://agency.example/pay',
    returnMode: 'redirect',
    paysgIdempotencyKey: `paysg-checkout:${id}:create`,
    paysgRequest: { reference_id: `REF-${counter}`, payer_name: 'Tan', description: 'Licence renewal', amount_in_cents: 12000 },
    paymentId: null,
    paymentUrl: null,
    paidAt: null,
    createdAt: '2026-11-22T01:00:00.000Z',
    updatedAt: '2026-11-22T01:00:00.000Z',
    verifiedAt: null,
    lockedUntil: null,
    ownerHash: null,
    orderTokenId: null,
    paysgKeySent: true,
    cancelRequestedAt: null,
    refundedInCents: 0,
    refundStatus: null,
    ...overrides,
  };
}

const NOW = '2026-11-22T01:00:01.000Z';

export function checkoutStoreContract(name: string, open: () => Promise<CheckoutStore>, options: { skip?: string | false } = {}): void {
  describe(`${name} keeps the CheckoutStore contract`, { skip: options.skip ?? false }, () => {
    it('stores and reads back a checkout, payer details included', async () => {
      const store = await open();
      const checkout = sampleCheckout({ paysgRequest: { ...sampleCheckout().paysgRequest, payer_email: 'a@b.example' } });
      assert.deepEqual(await store.claim(checkout), { claimed: true, checkout });
      assert.deepEqual(await store.get(checkout.id), checkout);
      assert.equal(await store.get('missing'), undefined);
      await store.close();
    });

    it('lets one checkout hold an order: a second claim gets the holder', async () => {
      const store = await open();
      const first = sampleCheckout();
      await store.claim(first);
      const second = sampleCheckout({ orderKey: first.orderKey });
      const result = await store.claim(second);
      assert.equal(result.claimed, false);
      assert.equal(result.checkout.id, first.id);
      assert.equal(await store.get(second.id), undefined);
      await store.close();
    });

    it('lets exactly one of many concurrent claims for one order win', async () => {
      const store = await open();
      const orderKey = 'catalog:licence-renewal:RACE';
      const results = await Promise.all(Array.from({ length: 20 }, () => store.claim(sampleCheckout({ orderKey }))));
      assert.equal(results.filter((r) => r.claimed).length, 1);
      assert.equal(new Set(results.map((r) => r.checkout.id)).size, 1);
      await store.close();
    });

    it('frees the order once its checkout is cancelled or failed', async () => {
      const store = await open();
      const first = sampleCheckout();
      await store.claim(first);
      await store.update(first.id, 'created', { status: 'failed' }, NOW);
      const again = await store.claim(sampleCheckout({ orderKey: first.orderKey }));
      assert.equal(again.claimed, true);
      await store.close();
    });

    it('keeps a paid order held', async () => {
      const store = await open();
      const first = sampleCheckout({ status: 'paid' });
      await store.claim(first);
      const again = await store.claim(sampleCheckout({ orderKey: first.orderKey }));
      assert.equal(again.claimed, false);
      assert.equal(again.checkout.status, 'paid');
      await store.close();
    });

    it('moves a status only from the states given: no going back from paid', async () => {
      const store = await open();
      const checkout = sampleCheckout();
      await store.claim(checkout);
      const unpaid = await store.update(checkout.id, 'created', { status: 'unpaid', paymentId: 'pay_1', paymentUrl: 'https://x/pay_1' }, NOW);
      assert.equal(unpaid?.status, 'unpaid');
      assert.equal(unpaid?.paymentId, 'pay_1');
      assert.equal(unpaid?.updatedAt, NOW);
      const paid = await store.update(checkout.id, 'unpaid', { status: 'paid', paidAt: NOW }, NOW);
      assert.equal(paid?.status, 'paid');
      assert.equal(await store.update(checkout.id, 'unpaid', { status: 'cancelled' }, NOW), undefined);
      assert.equal((await store.get(checkout.id))?.status, 'paid');
      await store.close();
    });

    it('applies the transition table: every listed change works, every other is refused', async () => {
      const store = await open();
      const statuses = Object.keys(CHECKOUT_TRANSITIONS) as CheckoutStatus[];
      for (const from of statuses) {
        for (const to of statuses) {
          const checkout = sampleCheckout({ status: from });
          await store.claim(checkout);
          const legal = from === to || CHECKOUT_TRANSITIONS[from].includes(to);
          if (legal) {
            assert.equal((await store.update(checkout.id, from, { status: to }, NOW))?.status, to, `${from} → ${to}`);
          } else {
            await assert.rejects(store.update(checkout.id, from, { status: to }, NOW), IllegalTransitionError, `${from} → ${to}`);
            assert.equal((await store.get(checkout.id))?.status, from);
          }
        }
      }
      await store.close();
    });

    it('keeps the owner, the token id, the key state and a requested cancel', async () => {
      const store = await open();
      const checkout = sampleCheckout({ ownerHash: 'a'.repeat(64), orderTokenId: 'jti-9', paysgKeySent: false });
      await store.claim(checkout);
      assert.deepEqual(await store.get(checkout.id), checkout);
      const held = await store.update(checkout.id, 'created', { status: 'unpaid', paymentId: 'pay_9', paysgKeySent: true, cancelRequestedAt: NOW }, NOW);
      assert.equal(held?.paysgKeySent, true);
      assert.equal(held?.cancelRequestedAt, NOW);
      // Still holding its order: another checkout for it is refused, and names this one.
      const rival = sampleCheckout({ orderKey: checkout.orderKey });
      const refused = await store.claim(rival);
      assert.equal(refused.claimed, false);
      assert.equal(refused.checkout.id, checkout.id);
      await store.update(checkout.id, 'unpaid', { status: 'cancelled', cancelRequestedAt: null }, NOW);
      assert.equal((await store.claim(rival)).claimed, true, 'a cancelled checkout frees its order');
      await store.close();
    });

    it('knows the newest order token issued for an order, whatever the order of arrival', async () => {
      const store = await open();
      assert.equal(await store.noteOrderTokenIssue('token:INV-1', 1_800_000_100), 1_800_000_100);
      assert.equal(await store.noteOrderTokenIssue('token:INV-1', 1_800_000_050), 1_800_000_100);
      assert.equal(await store.noteOrderTokenIssue('token:INV-1', 1_800_000_200), 1_800_000_200);
      assert.equal(await store.noteOrderTokenIssue('token:INV-2', 1_800_000_050), 1_800_000_050);
      await store.close();
    });

    it('lets one request at a time hold the creation lock, and takes over an expired one', async () => {
      const store = await open();
      const checkout = sampleCheckout({ lockedUntil: '2026-11-22T01:00:30.000Z' });
      await store.claim(checkout);
      assert.equal(await store.lockForCreate(checkout.id, NOW, '2026-11-22T01:01:00.000Z'), undefined);
      const later = '2026-11-22T01:00:31.000Z';
      const locked = await store.lockForCreate(checkout.id, later, '2026-11-22T01:01:01.000Z');
      assert.equal(locked?.lockedUntil, '2026-11-22T01:01:01.000Z');
      await store.update(checkout.id, 'created', { lockedUntil: null }, later);
      assert.ok(await store.lockForCreate(checkout.id, later, '2026-11-22T01:01:02.000Z'));
      await store.close();
    });

    it('remembers the first use of an idempotency key', async () => {
      const store = await open();
      const first = await store.rememberIdempotencyKey({ key: 'k', fingerprint: 'f1', checkoutId: 'c1' }, NOW);
      assert.deepEqual(first, { key: 'k', fingerprint: 'f1', checkoutId: 'c1' });
      const second = await store.rememberIdempotencyKey({ key: 'k', fingerprint: 'f2', checkoutId: 'c2' }, NOW);
      assert.deepEqual(second, first);
      await store.close();
    });

    it('finds a checkout by its PaySG payment id', async () => {
      const store = await open();
      const checkout = sampleCheckout();
      await store.claim(checkout);
      const paymentId = `pay_${checkout.id}`;
      await store.update(checkout.id, 'created', { status: 'unpaid', paymentId }, NOW);
      assert.equal((await store.findByPaymentId(paymentId))?.id, checkout.id);
      assert.equal(await store.findByPaymentId('pay_nobody'), undefined);
      await store.close();
    });

    it('lists unfinished checkouts for the reconciler, oldest first, skipping live locks', async () => {
      const store = await open();
      const old = sampleCheckout({ status: 'unpaid', updatedAt: '2026-11-22T00:00:00.000Z' });
      const stuck = sampleCheckout({ status: 'created', lockedUntil: '2026-11-22T00:30:00.000Z', updatedAt: '2026-11-22T00:10:00.000Z' });
      const locked = sampleCheckout({ status: 'created', lockedUntil: '2026-11-22T02:00:00.000Z', updatedAt: '2026-11-22T00:20:00.000Z' });
      const fresh = sampleCheckout({ status: 'unpaid', updatedAt: '2026-11-22T00:59:59.000Z' });
      const done = sampleCheckout({ status: 'paid', updatedAt: '2026-11-22T00:00:00.000Z' });
      for (const c of [old, stuck, locked, fresh, done]) await store.claim(c);
      const listed = await store.listUnfinished('2026-11-22T00:59:00.000Z', NOW, 10);
      assert.deepEqual(listed.map((c) => c.id), [old.id, stuck.id]);
      assert.deepEqual((await store.listUnfinished('2026-11-22T00:59:00.000Z', NOW, 1)).map((c) => c.id), [old.id]);
      await store.close();
    });

    it('remembers what an order token id ordered first', async () => {
      const store = await open();
      assert.equal(await store.rememberTokenId('jti-1', 'fp-a', NOW), 'fp-a');
      assert.equal(await store.rememberTokenId('jti-1', 'fp-b', NOW), 'fp-a');
      await store.close();
    });

    it('records each webhook event once, and keeps the pending ones until applied', async () => {
      const store = await open();
      const event = { eventId: 'evt_1', type: 'payment.succeeded', paymentId: 'pay_1', receivedAt: NOW };
      assert.equal(await store.recordWebhookEvent(event), true);
      assert.equal(await store.recordWebhookEvent(event), false);
      await store.recordWebhookEvent({ ...event, eventId: 'evt_2', receivedAt: '2026-11-22T01:00:02.000Z' });
      assert.deepEqual((await store.pendingWebhookEvents(10)).map((e) => e.eventId), ['evt_1', 'evt_2']);
      await store.setWebhookOutcome('evt_1', 'paid');
      assert.deepEqual(await store.pendingWebhookEvents(10), [{ ...event, eventId: 'evt_2', receivedAt: '2026-11-22T01:00:02.000Z', outcome: null }]);
      await store.close();
    });

    it('lists checkouts newest first, a page at a time, and finds one by id or reference', async () => {
      const store = await open();
      const made = [];
      for (let i = 0; i < 5; i++) {
        // Two share a creation time: the id breaks the tie, so no page repeats or skips one.
        const checkout = sampleCheckout({ createdAt: `2026-11-22T02:00:0${Math.min(i, 3)}.000Z` });
        await store.claim(checkout);
        made.push(checkout);
      }
      const newestFirst = [...made].sort((a, b) => (a.createdAt === b.createdAt ? b.id.localeCompare(a.id) : b.createdAt.localeCompare(a.createdAt)));
      const first = await store.list({ limit: 2 });
      assert.deepEqual(first.map((c) => c.id), newestFirst.slice(0, 2).map((c) => c.id));
      const second = await store.list({ limit: 2, before: { createdAt: first[1]!.createdAt, id: first[1]!.id } });
      assert.deepEqual(second.map((c) => c.id), newestFirst.slice(2, 4).map((c) => c.id));
      const third = await store.list({ limit: 2, before: { createdAt: second[1]!.createdAt, id: second[1]!.id } });
      assert.deepEqual(third.map((c) => c.id), newestFirst.slice(4).map((c) => c.id));
      assert.deepEqual((await store.list({ limit: 10, search: made[2]!.referenceId })).map((c) => c.id), [made[2]!.id]);
      assert.deepEqual((await store.list({ limit: 10, search: made[3]!.id })).map((c) => c.id), [made[3]!.id]);
      assert.deepEqual(await store.list({ limit: 10, search: 'nothing-like-it' }), []);
      await store.close();
    });

    it('records each refund of a paid checkout once, sums them, and keeps the checkout paid', async () => {
      const store = await open();
      const checkout = sampleCheckout({ status: 'paid', paymentId: 'pay_refund', paidAt: NOW });
      await store.claim(checkout);
      const refund = { idempotencyKey: `refund-${checkout.id}-1`, checkoutId: checkout.id, amountInCents: 2000, createdAt: NOW };
      const partly = await store.recordRefund(refund, false);
      assert.deepEqual([partly?.status, partly?.refundedInCents, partly?.refundStatus], ['paid', 2000, 'partially_refunded']);
      // A replay of the same key (a retried request) is not a second refund.
      assert.equal((await store.recordRefund(refund, false))?.refundedInCents, 2000);
      // Concurrent refunds of one checkout each count.
      await Promise.all(
        [3000, 4000].map((amountInCents, i) => store.recordRefund({ ...refund, idempotencyKey: `refund-${checkout.id}-c${i}`, amountInCents }, false)),
      );
      assert.equal((await store.get(checkout.id))?.refundedInCents, 9000);
      const wholly = await store.recordRefund({ ...refund, idempotencyKey: `refund-${checkout.id}-2`, amountInCents: 3000 }, false);
      assert.deepEqual([wholly?.refundedInCents, wholly?.refundStatus], [12000, 'refunded']);
      assert.deepEqual((await store.refundsOf(checkout.id)).map((r) => r.amountInCents).sort((a, b) => a - b), [2000, 3000, 3000, 4000]);
      // PaySG's word that it is fully refunded counts, and an unpaid checkout records nothing.
      const other = sampleCheckout({ status: 'paid', paymentId: 'pay_refund_2', paidAt: NOW });
      await store.claim(other);
      assert.equal((await store.recordRefund({ ...refund, idempotencyKey: `refund-${other.id}`, checkoutId: other.id, amountInCents: 100 }, true))?.refundStatus, 'refunded');
      const unpaid = sampleCheckout();
      await store.claim(unpaid);
      assert.equal(await store.recordRefund({ ...refund, idempotencyKey: `refund-${unpaid.id}`, checkoutId: unpaid.id }, false), undefined);
      assert.deepEqual(await store.refundsOf(unpaid.id), []);
      await store.close();
    });

    it('answers a ping', async () => {
      const store = await open();
      await store.ping();
      await store.close();
    });
  });
}
