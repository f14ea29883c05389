/**
 * The contract every `CheckoutStore` keeps, as one suite any implementation runs.
 */
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import {
  CHECKOUT_TRANSITIONS,
  IllegalTransitionError,
} from '../../server/storage/checkout-status.js';
import type {
  Checkout,
  CheckoutStatus,
  CheckoutStore,
} from '../../server/storage/checkout-store.js';
import {
  IllegalEmailTransitionError,
  type EmailStatus,
} from '../../server/storage/email-status.js';
import type { FormsgSubmissionRecord } from '../../server/storage/submission-rows.js';
import {
  IllegalRefundTransitionError,
  REFUND_TRANSITIONS,
  type RefundStatus,
} from '../../server/storage/refund-status.js';
import {
  RECONCILER_ACTOR,
  type AuditEvent,
  type Refund,
  type SignInAttempt,
  type StaffActor,
  type StaffSession,
} from '../../server/storage/staff-records.js';

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
    paysgRequest: {
      reference_id: `REF-${counter}`,
      payer_name: 'Tan',
      description: 'Licence renewal',
      amount_in_cents: 12000,
    },
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

/** A paid checkout with a payment id of its own. */
export function paidCheckout(overrides: Partial<Checkout> = {}): Checkout {
  const checkout = sampleCheckout({ status: 'paid', paidAt: NOW, ...overrides });
  return { ...checkout, paymentId: overrides.paymentId ?? `pay_${checkout.id}` };
}

const ALICE: StaffActor = {
  kind: 'person',
  subject: 'https://idp.example#alice',
  email: 'alice@agency.example',
  name: 'Alice Tan',
};
const BOB: StaffActor = {
  kind: 'person',
  subject: 'https://idp.example#bob',
  email: null,
  name: 'Bob Lim',
};

let refunds = 0;

export function sampleRefund(checkoutId: string, overrides: Partial<Refund> = {}): Refund {
  refunds++;
  const id = `rf_${String(refunds).padStart(22, '0')}`;
  return {
    id,
    checkoutId,
    idempotencyKey: `staff-key-${refunds}`,
    paysgIdempotencyKey: `paysg-checkout:${checkoutId}:refund:${id}`,
    amountInCents: 2000,
    reason: 'Paid twice by mistake',
    status: 'requested',
    requestedBy: ALICE,
    requestedAt: NOW,
    approvedBy: null,
    approvedAt: null,
    sentAt: null,
    settledAt: null,
    failure: null,
    ...overrides,
  };
}

let submissions = 0;

/** A recorded FormSG submission, no payment attached yet, its e-mail not yet claimed. */
export function sampleSubmission(
  overrides: Partial<FormsgSubmissionRecord> = {},
): FormsgSubmissionRecord {
  submissions++;
  const submissionId = `6753ac00${String(submissions).padStart(16, '0')}`;
  return {
    formId: '65a1b2c3d4e5f60718293a4b',
    submissionId,
    ruleName: 'parking',
    submittedAt: '2026-11-22T00:59:59.000Z',
    receivedAt: '2026-11-22T01:00:00.000Z',
    updatedAt: '2026-11-22T01:00:00.000Z',
    paysgRequest: {
      reference_id: `PF-${submissionId}`,
      payer_name: 'Tan Ah Kow',
      payer_email: 'tan@example.com',
      description: 'Parking fine P01',
      amount_in_cents: 7000,
      metadata: { formsg_form_id: '65a1b2c3d4e5f60718293a4b', formsg_submission_id: submissionId },
    },
    letter: {
      lang: 'en',
      agencyName: 'Urban Parking Authority',
      payerName: 'Tan Ah Kow',
      referenceId: `PF-${submissionId}`,
      offence: 'Parking without a valid parking coupon',
      amountInCents: 7000,
      currency: 'SGD',
      issuedOn: '2026-11-22',
    },
    checkoutId: null,
    emailStatus: 'pending',
    emailRequestedAt: null,
    emailSentAt: null,
    emailError: null,
    ...overrides,
  };
}

/** An instant `seconds` after 2026-11-22T01:00:00Z. */
function at(seconds: number): string {
  return new Date(Date.parse('2026-11-22T01:00:00.000Z') + seconds * 1000).toISOString();
}

/**
 * The database under a store, reached around the store: for what the database itself refuses
 * whatever the code does, and for a database older code left behind. Each call makes a new one.
 */
export interface DirectDatabase {
  /** Runs one statement on the database directly. */
  sql(text: string): Promise<void>;
  /** Opens the store on this database, which applies the migrations it lacks. */
  openStore(): Promise<CheckoutStore>;
  /** Closes the direct connection, and removes the database where it is a file of its own. */
  close(): Promise<void>;
}

export interface ContractOptions {
  skip?: string | false;
  /** A new database with only the first `migrations` migrations applied (0: empty). */
  direct?: (migrations?: number) => Promise<DirectDatabase>;
}

/** How many migrations were released before refunds were recorded as asked for. */
const MIGRATIONS_BEFORE_AUDIT = 5;

export function checkoutStoreContract(
  name: string,
  open: () => Promise<CheckoutStore>,
  options: ContractOptions = {},
): void {
  /** A store on a database the test also reaches directly; both closed when the test ends, passed or not. */
  async function openDirect(t: TestContext): Promise<{ db: DirectDatabase; store: CheckoutStore }> {
    const db = await options.direct!();
    let store: CheckoutStore | undefined;
    t.after(async () => {
      await store?.close();
      await db.close();
    });
    store = await db.openStore();
    return { db, store };
  }

  describe(`${name} keeps the CheckoutStore contract`, { skip: options.skip ?? false }, () => {
    it('stores and reads back a checkout, payer details included', async () => {
      const store = await open();
      const checkout = sampleCheckout({
        paysgRequest: { ...sampleCheckout().paysgRequest, payer_email: 'a@b.example' },
      });
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
      const results = await Promise.all(
        Array.from({ length: 20 }, () => store.claim(sampleCheckout({ orderKey }))),
      );
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

    it('names the checkout holding an order, and none once it is freed', async () => {
      const store = await open();
      const first = sampleCheckout();
      assert.equal(await store.holderOf(first.orderKey), undefined);
      await store.claim(first);
      assert.equal((await store.holderOf(first.orderKey))?.id, first.id);
      await store.update(first.id, 'created', { status: 'failed' }, NOW);
      assert.equal(
        await store.holderOf(first.orderKey),
        undefined,
        'a failed checkout holds nothing',
      );
      const paid = sampleCheckout({ orderKey: first.orderKey, status: 'paid' });
      await store.claim(paid);
      assert.deepEqual(await store.holderOf(first.orderKey), paid);
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
      const unpaid = await store.update(
        checkout.id,
        'created',
        { status: 'unpaid', paymentId: 'pay_1', paymentUrl: 'https://x/pay_1' },
        NOW,
      );
      assert.equal(unpaid?.status, 'unpaid');
      assert.equal(unpaid?.paymentId, 'pay_1');
      assert.equal(unpaid?.updatedAt, NOW);
      const paid = await store.update(checkout.id, 'unpaid', { status: 'paid', paidAt: NOW }, NOW);
      assert.equal(paid?.status, 'paid');
      assert.equal(
        await store.update(checkout.id, 'unpaid', { status: 'cancelled' }, NOW),
        undefined,
      );
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
            assert.equal(
              (await store.update(checkout.id, from, { status: to }, NOW))?.status,
              to,
              `${from} → ${to}`,
            );
          } else {
            await assert.rejects(
              store.update(checkout.id, from, { status: to }, NOW),
              IllegalTransitionError,
              `${from} → ${to}`,
            );
            assert.equal((await store.get(checkout.id))?.status, from);
          }
        }
      }
      await store.close();
    });

    it('keeps the owner, the token id, the key state and a requested cancel', async () => {
      const store = await open();
      const checkout = sampleCheckout({
        ownerHash: 'a'.repeat(64),
        orderTokenId: 'jti-9',
        paysgKeySent: false,
      });
      await store.claim(checkout);
      assert.deepEqual(await store.get(checkout.id), checkout);
      const held = await store.update(
        checkout.id,
        'created',
        { status: 'unpaid', paymentId: 'pay_9', paysgKeySent: true, cancelRequestedAt: NOW },
        NOW,
      );
      assert.equal(held?.paysgKeySent, true);
      assert.equal(held?.cancelRequestedAt, NOW);
      // Still holding its order: another checkout for it is refused, and names this one.
      const rival = sampleCheckout({ orderKey: checkout.orderKey });
      const refused = await store.claim(rival);
      assert.equal(refused.claimed, false);
      assert.equal(refused.checkout.id, checkout.id);
      await store.update(
        checkout.id,
        'unpaid',
        { status: 'cancelled', cancelRequestedAt: null },
        NOW,
      );
      assert.equal(
        (await store.claim(rival)).claimed,
        true,
        'a cancelled checkout frees its order',
      );
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
      assert.equal(
        await store.lockForCreate(checkout.id, NOW, '2026-11-22T01:01:00.000Z'),
        undefined,
      );
      const later = '2026-11-22T01:00:31.000Z';
      const locked = await store.lockForCreate(checkout.id, later, '2026-11-22T01:01:01.000Z');
      assert.equal(locked?.lockedUntil, '2026-11-22T01:01:01.000Z');
      await store.update(checkout.id, 'created', { lockedUntil: null }, later);
      assert.ok(await store.lockForCreate(checkout.id, later, '2026-11-22T01:01:02.000Z'));
      await store.close();
    });

    it('remembers the first use of an idempotency key', async () => {
      const store = await open();
      const first = await store.rememberIdempotencyKey(
        { key: 'k', fingerprint: 'f1', checkoutId: 'c1' },
        NOW,
      );
      assert.deepEqual(first, { key: 'k', fingerprint: 'f1', checkoutId: 'c1' });
      const second = await store.rememberIdempotencyKey(
        { key: 'k', fingerprint: 'f2', checkoutId: 'c2' },
        NOW,
      );
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
      const stuck = sampleCheckout({
        status: 'created',
        lockedUntil: '2026-11-22T00:30:00.000Z',
        updatedAt: '2026-11-22T00:10:00.000Z',
      });
      const locked = sampleCheckout({
        status: 'created',
        lockedUntil: '2026-11-22T02:00:00.000Z',
        updatedAt: '2026-11-22T00:20:00.000Z',
      });
      const fresh = sampleCheckout({ status: 'unpaid', updatedAt: '2026-11-22T00:59:59.000Z' });
      const done = sampleCheckout({ status: 'paid', updatedAt: '2026-11-22T00:00:00.000Z' });
      for (const c of [old, stuck, locked, fresh, done]) await store.claim(c);
      const listed = await store.listUnfinished('2026-11-22T00:59:00.000Z', NOW, 10);
      assert.deepEqual(
        listed.map((c) => c.id),
        [old.id, stuck.id],
      );
      assert.deepEqual(
        (await store.listUnfinished('2026-11-22T00:59:00.000Z', NOW, 1)).map((c) => c.id),
        [old.id],
      );
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
      const event = {
        eventId: 'evt_1',
        type: 'payment.succeeded',
        paymentId: 'pay_1',
        receivedAt: NOW,
      };
      assert.equal(await store.recordWebhookEvent(event), true);
      assert.equal(await store.recordWebhookEvent(event), false);
      await store.recordWebhookEvent({
        ...event,
        eventId: 'evt_2',
        receivedAt: '2026-11-22T01:00:02.000Z',
      });
      assert.deepEqual(
        (await store.pendingWebhookEvents(10)).map((e) => e.eventId),
        ['evt_1', 'evt_2'],
      );
      await store.setWebhookOutcome('evt_1', 'paid');
      assert.deepEqual(await store.pendingWebhookEvents(10), [
        { ...event, eventId: 'evt_2', receivedAt: '2026-11-22T01:00:02.000Z', outcome: null },
      ]);
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
      const newestFirst = [...made].sort((a, b) =>
        a.createdAt === b.createdAt
          ? b.id.localeCompare(a.id)
          : b.createdAt.localeCompare(a.createdAt),
      );
      const first = await store.list({ limit: 2 });
      assert.deepEqual(
        first.map((c) => c.id),
        newestFirst.slice(0, 2).map((c) => c.id),
      );
      const second = await store.list({
        limit: 2,
        before: { createdAt: first[1]!.createdAt, id: first[1]!.id },
      });
      assert.deepEqual(
        second.map((c) => c.id),
        newestFirst.slice(2, 4).map((c) => c.id),
      );
      const third = await store.list({
        limit: 2,
        before: { createdAt: second[1]!.createdAt, id: second[1]!.id },
      });
      assert.deepEqual(
        third.map((c) => c.id),
        newestFirst.slice(4).map((c) => c.id),
      );
      assert.deepEqual(
        (await store.list({ limit: 10, search: made[2]!.referenceId })).map((c) => c.id),
        [made[2]!.id],
      );
      assert.deepEqual(
        (await store.list({ limit: 10, search: made[3]!.id })).map((c) => c.id),
        [made[3]!.id],
      );
      assert.deepEqual(await store.list({ limit: 10, search: 'nothing-like-it' }), []);
      await store.close();
    });

    describe('search and filters', () => {
      it('finds a checkout by part of its reference, in any case', async () => {
        const store = await open();
        const wanted = sampleCheckout({ referenceId: 'HS-01-23-2027' });
        const other = sampleCheckout({ referenceId: 'HS-01-24-2027' });
        for (const c of [wanted, other]) await store.claim(c);
        assert.deepEqual(
          (await store.list({ limit: 10, search: 'hs-01-23' })).map((c) => c.id),
          [wanted.id],
        );
        assert.deepEqual(
          (await store.list({ limit: 10, search: '23-2027' })).map((c) => c.id),
          [wanted.id],
        );
        assert.deepEqual(
          (await store.list({ limit: 10, search: 'HS-01-2' })).map((c) => c.id).sort(),
          [wanted.id, other.id].sort(),
        );
        await store.close();
      });

      it('finds a checkout by part of its payer name, written when it is created', async () => {
        const store = await open();
        const tan = sampleCheckout({
          paysgRequest: { ...sampleCheckout().paysgRequest, payer_name: 'Tan Ah Kow' },
        });
        const lim = sampleCheckout({
          paysgRequest: { ...sampleCheckout().paysgRequest, payer_name: 'Lim Bee Hoon' },
        });
        for (const c of [tan, lim]) await store.claim(c);
        assert.deepEqual(
          (await store.list({ limit: 10, search: 'ah ko' })).map((c) => c.id),
          [tan.id],
        );
        assert.deepEqual(
          (await store.list({ limit: 10, search: 'BEE' })).map((c) => c.id),
          [lim.id],
        );
        assert.deepEqual(await store.list({ limit: 10, search: 'Ong' }), []);
        await store.close();
      });

      it('finds a checkout by its whole checkout id or PaySG payment id, not by a part of one', async () => {
        const store = await open();
        const checkout = paidCheckout({ paymentId: 'pay_7f3a9c0e2b' });
        await store.claim(checkout);
        await store.claim(sampleCheckout());
        assert.deepEqual(
          (await store.list({ limit: 10, search: checkout.id })).map((c) => c.id),
          [checkout.id],
        );
        assert.deepEqual(
          (await store.list({ limit: 10, search: 'pay_7f3a9c0e2b' })).map((c) => c.id),
          [checkout.id],
        );
        assert.deepEqual(await store.list({ limit: 10, search: 'pay_7f3a9c' }), []);
        await store.close();
      });

      it('matches a term of fewer than three characters to a whole reference only, in any case', async () => {
        const store = await open();
        const ab = sampleCheckout({ referenceId: 'AB' });
        const abc = sampleCheckout({
          referenceId: 'AB-1',
          paysgRequest: { ...sampleCheckout().paysgRequest, payer_name: 'Ab Rahman' },
        });
        for (const c of [ab, abc]) await store.claim(c);
        assert.deepEqual(
          (await store.list({ limit: 10, search: 'ab' })).map((c) => c.id),
          [ab.id],
        );
        assert.deepEqual(await store.list({ limit: 10, search: 'A' }), []);
        assert.deepEqual(await store.list({ limit: 10, search: '' }), []);
        await store.close();
      });

      it('takes %, _ and \\ in a term literally', async () => {
        const store = await open();
        const percent = sampleCheckout({ referenceId: 'PROMO-50%-A' });
        const fifty = sampleCheckout({ referenceId: 'PROMO-500-B' });
        const underscore = sampleCheckout({ referenceId: 'LOT_7' });
        const letter = sampleCheckout({ referenceId: 'LOTX7' });
        const backslash = sampleCheckout({ referenceId: 'DIR\\042' });
        const plain = sampleCheckout({ referenceId: 'DIR042' });
        for (const c of [percent, fifty, underscore, letter, backslash, plain])
          await store.claim(c);
        assert.deepEqual(
          (await store.list({ limit: 10, search: '50%' })).map((c) => c.id),
          [percent.id],
        );
        assert.deepEqual(
          (await store.list({ limit: 10, search: 'T_7' })).map((c) => c.id),
          [underscore.id],
        );
        assert.deepEqual(
          (await store.list({ limit: 10, search: 'R\\0' })).map((c) => c.id),
          [backslash.id],
        );
        assert.deepEqual(await store.list({ limit: 10, search: '%%%' }), []);
        await store.close();
      });

      it('takes quotes and search operators in a term literally', async () => {
        const store = await open();
        const quoted = sampleCheckout({ referenceId: 'Q"HS-01-23"' });
        const operators = sampleCheckout({ referenceId: 'A AND B*' });
        for (const c of [quoted, operators]) await store.claim(c);
        assert.deepEqual(
          (await store.list({ limit: 10, search: 'HS-01-23"' })).map((c) => c.id),
          [quoted.id],
        );
        assert.deepEqual(
          (await store.list({ limit: 10, search: '"HS' })).map((c) => c.id),
          [quoted.id],
        );
        assert.deepEqual(
          (await store.list({ limit: 10, search: 'AND B*' })).map((c) => c.id),
          [operators.id],
        );
        for (const term of ['"', '""', '"""', 'a OR', 'NEAR(a b)', '*', 'x:y', '(((', "'; --"]) {
          assert.ok(Array.isArray(await store.list({ limit: 10, search: term })), term);
        }
        await store.close();
      });

      it('filters by status, refund status and creation time, and pages through what matches', async () => {
        const store = await open();
        const made: Checkout[] = [];
        for (let i = 0; i < 12; i++) {
          const createdAt = at(60 * i);
          const status = (['paid', 'unpaid', 'cancelled'] as const)[i % 3]!;
          const checkout =
            status === 'paid'
              ? paidCheckout({ createdAt, referenceId: `FLT-${i}` })
              : sampleCheckout({ createdAt, status, referenceId: `FLT-${i}` });
          await store.claim(checkout);
          made.push(checkout);
        }
        const newest = (list: Checkout[]): string[] => [...list].reverse().map((c) => c.id);
        const pages = async (query: Parameters<CheckoutStore['list']>[0]): Promise<string[]> => {
          const ids: string[] = [];
          let before: { createdAt: string; id: string } | undefined;
          for (;;) {
            const page = await store.list({ ...query, ...(before && { before }) });
            ids.push(...page.map((c) => c.id));
            if (page.length < query.limit) return ids;
            before = { createdAt: page.at(-1)!.createdAt, id: page.at(-1)!.id };
          }
        };
        assert.deepEqual(
          await pages({ limit: 2, statuses: ['paid'] }),
          newest(made.filter((c) => c.status === 'paid')),
        );
        assert.deepEqual(
          await pages({ limit: 3, statuses: ['unpaid', 'cancelled'] }),
          newest(made.filter((c) => c.status !== 'paid')),
        );
        assert.deepEqual(
          await pages({ limit: 2, createdFrom: at(120), createdBefore: at(480) }),
          newest(made.slice(2, 8)),
        );
        assert.deepEqual(
          await pages({ limit: 1, statuses: ['paid'], createdFrom: at(120), search: 'flt-' }),
          newest(made.slice(2).filter((c) => c.status === 'paid')),
        );
        assert.deepEqual(await store.list({ limit: 10, statuses: [] }), []);

        // Refund statuses, as settled refunds leave them.
        const [partly, wholly] = [made[0]!, made[3]!];
        for (const [checkout, amountInCents] of [
          [partly, 2000],
          [wholly, 12000],
        ] as const) {
          const refund = sampleRefund(checkout.id, { amountInCents });
          await store.requestRefund(refund);
          await store.updateRefund(
            refund.id,
            'requested',
            { status: 'succeeded', settledAt: NOW },
            NOW,
          );
        }
        assert.deepEqual(
          (await store.list({ limit: 10, refundStatus: 'partially_refunded' })).map((c) => c.id),
          [partly.id],
        );
        assert.deepEqual(
          (await store.list({ limit: 10, refundStatus: 'refunded', statuses: ['paid'] })).map(
            (c) => c.id,
          ),
          [wholly.id],
        );
        assert.deepEqual(
          await store.list({ limit: 10, refundStatus: 'refunded', createdFrom: at(600) }),
          [],
        );
        await store.close();
      });
    });

    describe('refunds', () => {
      it('writes a refund as asked for, and finds it by id, by key and by checkout', async () => {
        const store = await open();
        const checkout = paidCheckout();
        await store.claim(checkout);
        const refund = sampleRefund(checkout.id, { status: 'awaiting_approval' });
        assert.deepEqual(await store.requestRefund(refund), { kind: 'created', refund });
        assert.deepEqual(await store.getRefund(refund.id), refund);
        assert.deepEqual(await store.refundByKey(refund.idempotencyKey), refund);
        assert.deepEqual(await store.refundsOf(checkout.id), [refund]);
        assert.equal(await store.getRefund('rf_missing'), undefined);
        assert.equal(await store.refundByKey('missing'), undefined);
        // A retried request is the same refund, not a second one.
        assert.deepEqual(
          await store.requestRefund({ ...refund, id: sampleRefund(checkout.id).id }),
          { kind: 'key_seen', refund },
        );
        assert.equal((await store.refundsOf(checkout.id)).length, 1);
        await store.close();
      });

      it('answers a key already used for another checkout with the refund it belongs to', async () => {
        const store = await open();
        const [first, second] = [paidCheckout(), paidCheckout()];
        for (const c of [first, second]) await store.claim(c);
        const refund = sampleRefund(first.id);
        await store.requestRefund(refund);
        const elsewhere = sampleRefund(second.id, { idempotencyKey: refund.idempotencyKey });
        assert.deepEqual(await store.requestRefund(elsewhere), { kind: 'key_seen', refund });
        assert.deepEqual(await store.refundsOf(second.id), []);
        await store.close();
      });

      it('refuses a refund of a checkout that is not paid, after looking up its key', async () => {
        const store = await open();
        const paid = paidCheckout();
        await store.claim(paid);
        const known = sampleRefund(paid.id);
        await store.requestRefund(known);
        for (const status of ['created', 'unpaid', 'cancelled', 'failed'] as const) {
          const checkout = sampleCheckout({ status });
          await store.claim(checkout);
          assert.deepEqual(
            await store.requestRefund(sampleRefund(checkout.id)),
            { kind: 'not_paid' },
            status,
          );
          assert.deepEqual(
            await store.requestRefund(
              sampleRefund(checkout.id, { idempotencyKey: known.idempotencyKey }),
            ),
            { kind: 'key_seen', refund: known },
          );
          assert.deepEqual(await store.refundsOf(checkout.id), []);
        }
        assert.deepEqual(await store.requestRefund(sampleRefund('chk_nobody')), {
          kind: 'not_paid',
        });
        await store.close();
      });

      it('keeps at most one refund of a checkout open, awaiting approval or in progress', async () => {
        const store = await open();
        const checkout = paidCheckout();
        await store.claim(checkout);
        const awaiting = sampleRefund(checkout.id, { status: 'awaiting_approval' });
        await store.requestRefund(awaiting);
        assert.deepEqual(await store.requestRefund(sampleRefund(checkout.id)), {
          kind: 'refund_open',
          refund: awaiting,
        });
        const approved = await store.updateRefund(
          awaiting.id,
          'awaiting_approval',
          { status: 'requested', approvedBy: BOB, approvedAt: NOW },
          NOW,
        );
        assert.deepEqual(
          await store.requestRefund(sampleRefund(checkout.id, { status: 'awaiting_approval' })),
          { kind: 'refund_open', refund: approved },
        );
        await store.updateRefund(
          awaiting.id,
          'requested',
          { status: 'failed', settledAt: NOW, failure: 'A refund is already in progress' },
          NOW,
        );
        const next = sampleRefund(checkout.id);
        assert.deepEqual(await store.requestRefund(next), { kind: 'created', refund: next });
        await store.close();
      });

      it('refuses more than is left, and says how much is', async () => {
        const store = await open();
        const checkout = paidCheckout({ amountInCents: 12000 });
        await store.claim(checkout);
        assert.deepEqual(
          await store.requestRefund(sampleRefund(checkout.id, { amountInCents: 12001 })),
          { kind: 'over_remaining', remainingInCents: 12000 },
        );
        const first = sampleRefund(checkout.id, { amountInCents: 5000 });
        await store.requestRefund(first);
        await store.updateRefund(
          first.id,
          'requested',
          { status: 'succeeded', settledAt: NOW },
          NOW,
        );
        assert.deepEqual(
          await store.requestRefund(sampleRefund(checkout.id, { amountInCents: 7001 })),
          { kind: 'over_remaining', remainingInCents: 7000 },
        );
        assert.equal(
          (await store.requestRefund(sampleRefund(checkout.id, { amountInCents: 7000 }))).kind,
          'created',
        );
        await store.close();
      });

      it('lets one of many concurrent requests for one checkout through', async () => {
        const store = await open();
        const checkout = paidCheckout();
        await store.claim(checkout);
        // Connections opened first: otherwise the first request is done before the others connect.
        await Promise.all(Array.from({ length: 12 }, () => store.ping()));
        const results = await Promise.all(
          Array.from({ length: 12 }, () => store.requestRefund(sampleRefund(checkout.id))),
        );
        const created = results.filter((r) => r.kind === 'created');
        assert.equal(created.length, 1, JSON.stringify(results.map((r) => r.kind)));
        for (const r of results)
          if (r.kind !== 'created')
            assert.deepEqual(r, { kind: 'refund_open', refund: created[0]!.refund });
        assert.equal((await store.refundsOf(checkout.id)).length, 1);

        // One key sent for two checkouts at once: one refund, the other request told whose.
        const [a, b] = [paidCheckout(), paidCheckout()];
        for (const c of [a, b]) await store.claim(c);
        const twins = await Promise.all(
          [a, b].map((c) =>
            store.requestRefund(sampleRefund(c.id, { idempotencyKey: 'same-key' })),
          ),
        );
        assert.deepEqual(twins.map((r) => r.kind).sort(), ['created', 'key_seen']);
        assert.equal(new Set(twins.map((r) => (r as { refund: Refund }).refund.id)).size, 1);
        await store.close();
      });

      it('changes a refund only from the status given, and only the ways the table allows', async () => {
        const store = await open();
        const checkout = paidCheckout();
        await store.claim(checkout);
        const refund = sampleRefund(checkout.id, { status: 'awaiting_approval' });
        await store.requestRefund(refund);
        const approved = await store.updateRefund(
          refund.id,
          'awaiting_approval',
          { status: 'requested', approvedBy: BOB, approvedAt: at(5) },
          at(5),
        );
        assert.deepEqual(approved, {
          ...refund,
          status: 'requested',
          approvedBy: BOB,
          approvedAt: at(5),
        });
        // A second approver, or a decline, arrives too late: nothing changes.
        assert.equal(
          await store.updateRefund(
            refund.id,
            'awaiting_approval',
            { status: 'declined', failure: 'No' },
            at(6),
          ),
          undefined,
        );
        assert.deepEqual(await store.getRefund(refund.id), approved);
        // Other fields change without the status.
        assert.equal(
          (await store.updateRefund(refund.id, 'requested', { sentAt: at(7) }, at(7)))?.sentAt,
          at(7),
        );
        assert.equal(
          await store.updateRefund('rf_missing', 'requested', { sentAt: at(7) }, at(7)),
          undefined,
        );

        const statuses = Object.keys(REFUND_TRANSITIONS) as RefundStatus[];
        const pathTo: Record<RefundStatus, RefundStatus[]> = {
          awaiting_approval: [],
          requested: ['requested'],
          succeeded: ['requested', 'succeeded'],
          failed: ['requested', 'failed'],
          declined: ['awaiting_approval', 'declined'],
        };
        for (const from of statuses) {
          for (const to of statuses) {
            const own = paidCheckout();
            await store.claim(own);
            const first = pathTo[from][0] ?? 'awaiting_approval';
            const r = sampleRefund(own.id, { status: first });
            await store.requestRefund(r);
            let status: RefundStatus = first;
            for (const next of pathTo[from].slice(1))
              status = (await store.updateRefund(r.id, status, { status: next }, NOW))!.status;
            const legal = from === to || REFUND_TRANSITIONS[from].includes(to);
            if (legal) {
              assert.equal(
                (await store.updateRefund(r.id, from, { status: to }, NOW))?.status,
                to,
                `${from} → ${to}`,
              );
            } else {
              await assert.rejects(
                store.updateRefund(r.id, from, { status: to }, NOW),
                IllegalRefundTransitionError,
                `${from} → ${to}`,
              );
              assert.equal((await store.getRefund(r.id))?.status, from);
            }
          }
        }
        await store.close();
      });

      it("sets the checkout's refund totals from its succeeded refunds as each succeeds", async () => {
        const store = await open();
        const checkout = paidCheckout({ amountInCents: 12000 });
        await store.claim(checkout);
        const settle = async (
          amountInCents: number,
          outcome: 'succeeded' | 'failed',
          when: string,
          fullyRefunded?: boolean,
        ) => {
          const refund = sampleRefund(checkout.id, { amountInCents });
          await store.requestRefund(refund);
          return store.updateRefund(
            refund.id,
            'requested',
            { status: outcome, settledAt: when },
            when,
            fullyRefunded,
          );
        };
        await settle(2000, 'succeeded', at(10));
        let stored = await store.get(checkout.id);
        assert.deepEqual(
          [stored?.status, stored?.refundedInCents, stored?.refundStatus, stored?.updatedAt],
          ['paid', 2000, 'partially_refunded', at(10)],
        );
        // A refund PaySG refused counts for nothing.
        await settle(3000, 'failed', at(20));
        stored = await store.get(checkout.id);
        assert.deepEqual(
          [stored?.refundedInCents, stored?.refundStatus, stored?.updatedAt],
          [2000, 'partially_refunded', at(10)],
        );
        await settle(10000, 'succeeded', at(30));
        stored = await store.get(checkout.id);
        assert.deepEqual(
          [stored?.status, stored?.refundedInCents, stored?.refundStatus],
          ['paid', 12000, 'refunded'],
        );

        // PaySG's word that the payment is fully refunded counts.
        const other = paidCheckout();
        await store.claim(other);
        const small = sampleRefund(other.id, { amountInCents: 100 });
        await store.requestRefund(small);
        await store.updateRefund(
          small.id,
          'requested',
          { status: 'succeeded', settledAt: NOW },
          NOW,
          true,
        );
        stored = await store.get(other.id);
        assert.deepEqual([stored?.refundedInCents, stored?.refundStatus], [100, 'refunded']);
        await store.close();
      });

      it("lists refunds still waiting for PaySG's answer, oldest first", async () => {
        const store = await open();
        const make = async (
          requestedAt: string,
          status: 'awaiting_approval' | 'requested' = 'requested',
        ) => {
          const checkout = paidCheckout();
          await store.claim(checkout);
          const refund = sampleRefund(checkout.id, { requestedAt, status });
          await store.requestRefund(refund);
          return refund;
        };
        const late = await make(at(30));
        const early = await make(at(10));
        const tied = [await make(at(20)), await make(at(20))].sort((a, b) =>
          a.id.localeCompare(b.id),
        );
        await make(at(5), 'awaiting_approval');
        const settled = await make(at(1));
        await store.updateRefund(
          settled.id,
          'requested',
          { status: 'succeeded', settledAt: at(2) },
          at(2),
        );
        await make(at(40));
        assert.deepEqual(
          (await store.unsettledRefunds(at(40), 10)).map((r) => r.id),
          [early.id, ...tied.map((r) => r.id), late.id],
        );
        assert.deepEqual(
          (await store.unsettledRefunds(at(40), 2)).map((r) => r.id),
          [early.id, tied[0]!.id],
        );
        await store.close();
      });
    });

    describe('audit', () => {
      const event = (overrides: Partial<AuditEvent>): AuditEvent => ({
        id: `ae_${overrides.at ?? NOW}_x`,
        at: NOW,
        actor: ALICE,
        action: 'refund_requested',
        checkoutId: null,
        refundId: null,
        amountInCents: null,
        reason: null,
        requestId: null,
        outcome: 'ok',
        detail: null,
        ...overrides,
      });

      it('appends events and lists them newest first, a page at a time, or for one checkout', async () => {
        const store = await open();
        const full = event({
          id: 'ae_0001',
          at: at(1),
          checkoutId: 'chk_a',
          refundId: 'rf_a',
          amountInCents: 2000,
          reason: 'Paid twice',
          requestId: 'req-1',
          outcome: 'pending',
          detail: { paysg: { refused: false }, rows: 3 },
        });
        const bare = event({
          id: 'ae_0002',
          at: at(2),
          actor: { kind: 'token', subject: 'api-token', email: null, name: 'API token' },
          action: 'export_audit',
        });
        // Two at one instant: the id breaks the tie, so no page repeats or skips one.
        const tiedA = event({
          id: 'ae_0003a',
          at: at(3),
          checkoutId: 'chk_a',
          action: 'refund_settled',
          actor: RECONCILER_ACTOR,
        });
        const tiedB = event({ id: 'ae_0003b', at: at(3), checkoutId: 'chk_b', action: 'sign_in' });
        for (const e of [full, bare, tiedA, tiedB]) await store.appendAudit(e);
        const first = await store.listAudit({ limit: 3 });
        assert.deepEqual(first, [tiedB, tiedA, bare]);
        assert.deepEqual(
          await store.listAudit({ limit: 3, before: { at: bare.at, id: bare.id } }),
          [full],
        );
        assert.deepEqual(
          await store.listAudit({ limit: 1, before: { at: tiedB.at, id: tiedB.id } }),
          [tiedA],
        );
        assert.deepEqual(await store.listAudit({ limit: 10, checkoutId: 'chk_a' }), [tiedA, full]);
        assert.deepEqual(
          await store.listAudit({
            limit: 10,
            checkoutId: 'chk_a',
            before: { at: tiedA.at, id: tiedA.id },
          }),
          [full],
        );
        // An id is written once.
        await assert.rejects(store.appendAudit({ ...bare, reason: 'again' }));
        await store.close();
      });

      it('is append-only in the database itself: a row is never changed or removed', {
        skip: !options.direct && 'needs direct access to the database',
      }, async (t) => {
        const { db, store } = await openDirect(t);
        const written = event({ id: 'ae_kept', reason: 'Paid twice' });
        await store.appendAudit(written);
        await assert.rejects(
          db.sql(`UPDATE audit_events SET reason = 'Nothing happened' WHERE id = 'ae_kept'`),
          /append-only/,
        );
        await assert.rejects(
          db.sql(`DELETE FROM audit_events WHERE id = 'ae_kept'`),
          /append-only/,
        );
        await assert.rejects(db.sql(`DELETE FROM audit_events`), /append-only/);
        assert.deepEqual(await store.listAudit({ limit: 10 }), [written]);
      });
    });

    describe('staff sign-ins and sessions', () => {
      const attempt = (idHash: string, expiresAt: string): SignInAttempt => ({
        idHash,
        state: `state-${idHash}`,
        nonce: `nonce-${idHash}`,
        codeVerifier: `verifier-${idHash}`,
        returnTo: '/paysg/admin/checkouts?status=paid',
        expiresAt,
      });

      it('hands a sign-in back once, and never once it has expired', async () => {
        const store = await open();
        const live = attempt('a'.repeat(64), at(600));
        const expired = attempt('b'.repeat(64), at(60));
        const swept = attempt('c'.repeat(64), at(90));
        for (const a of [live, expired, swept]) await store.createSignIn(a);
        assert.equal(
          await store.takeSignIn(expired.idHash, at(60)),
          undefined,
          'expired at its expiry',
        );
        assert.deepEqual(await store.takeSignIn(live.idHash, at(100)), live);
        assert.equal(await store.takeSignIn(live.idHash, at(101)), undefined, 'completed once');
        // Taking one removed the expired ones: not found even at an earlier instant.
        assert.equal(await store.takeSignIn(swept.idHash, at(1)), undefined);
        assert.equal(await store.takeSignIn('d'.repeat(64), at(1)), undefined);

        const raced = attempt('e'.repeat(64), at(600));
        await store.createSignIn(raced);
        const taken = await Promise.all(
          Array.from({ length: 5 }, () => store.takeSignIn(raced.idHash, at(100))),
        );
        assert.equal(taken.filter(Boolean).length, 1);
        await store.close();
      });

      it('keeps a session while it is used, and ends it when idle, past its end, or revoked', async () => {
        const store = await open();
        const idleMs = 30 * 60_000;
        const session: StaffSession = {
          idHash: 'f'.repeat(64),
          subject: ALICE.subject,
          email: ALICE.email,
          name: ALICE.name,
          roles: ['view', 'refund'],
          createdAt: at(0),
          lastSeenAt: at(0),
          expiresAt: at(8 * 3600),
          revokedAt: null,
        };
        await store.createSession(session);
        assert.deepEqual(
          await store.getSession(session.idHash, at(1800), idleMs),
          session,
          'seen exactly the idle time ago',
        );
        assert.equal(await store.getSession(session.idHash, at(1801), idleMs), undefined, 'idle');
        assert.equal(await store.getSession('0'.repeat(64), at(1), idleMs), undefined);

        // Each use moves it on, never back.
        await store.touchSession(session.idHash, at(1700));
        await store.touchSession(session.idHash, at(1600));
        assert.deepEqual(await store.getSession(session.idHash, at(3000), idleMs), {
          ...session,
          lastSeenAt: at(1700),
        });
        for (let t = 3000; t < 8 * 3600; t += 1500) await store.touchSession(session.idHash, at(t));
        assert.ok(await store.getSession(session.idHash, at(8 * 3600 - 1), idleMs));
        assert.equal(
          await store.getSession(session.idHash, at(8 * 3600), idleMs),
          undefined,
          'past its absolute end, however busy',
        );

        const viewer: StaffSession = {
          ...session,
          idHash: '1'.repeat(64),
          roles: ['view'],
          email: null,
          name: null,
          expiresAt: at(9 * 3600),
        };
        await store.createSession(viewer);
        assert.deepEqual(await store.getSession(viewer.idHash, at(10), idleMs), viewer);
        await store.revokeSession(viewer.idHash, at(20));
        await store.revokeSession(viewer.idHash, at(30));
        assert.equal(await store.getSession(viewer.idHash, at(21), idleMs), undefined, 'revoked');
        await store.touchSession(viewer.idHash, at(40));
        assert.equal(
          await store.getSession(viewer.idHash, at(41), idleMs),
          undefined,
          'a touch does not bring it back',
        );
        await store.close();
      });
    });

    describe('the database keeps its own guarantees', {
      skip: !options.direct && 'needs direct access to the database',
    }, () => {
      it('refuses a second open refund of a checkout, a refund of nothing, and an unknown status', async (t) => {
        const { db, store } = await openDirect(t);
        const checkout = paidCheckout();
        await store.claim(checkout);
        const declined = sampleRefund(checkout.id, { status: 'awaiting_approval' });
        await store.requestRefund(declined);
        await store.updateRefund(
          declined.id,
          'awaiting_approval',
          { status: 'declined', failure: 'No' },
          NOW,
        );
        const open = sampleRefund(checkout.id);
        await store.requestRefund(open);
        await assert.rejects(
          db.sql(`UPDATE refunds SET status = 'awaiting_approval' WHERE id = '${declined.id}'`),
          /unique/i,
        );
        await assert.rejects(
          db.sql(`UPDATE refunds SET amount_in_cents = 0 WHERE id = '${open.id}'`),
          /check/i,
        );
        await assert.rejects(
          db.sql(`UPDATE refunds SET status = 'sent' WHERE id = '${open.id}'`),
          /check/i,
        );
        await assert.rejects(
          db.sql(
            `UPDATE refunds SET paysg_idempotency_key = '${declined.paysgIdempotencyKey}' WHERE id = '${open.id}'`,
          ),
          /unique/i,
        );
      });

      it('brings refunds recorded before the audit, and payer names, into a database older code left', async (t) => {
        const db = await options.direct!(MIGRATIONS_BEFORE_AUDIT);
        let store: CheckoutStore | undefined;
        t.after(async () => {
          await store?.close();
          await db.close();
        });
        const request = JSON.stringify({
          reference_id: 'OLD-7',
          payer_name: 'Siti Nurhaliza',
          description: 'Licence renewal',
          amount_in_cents: 12000,
        });
        await db.sql(
          `INSERT INTO checkouts (id, order_key, order_fingerprint, item, reference_id, description, amount_in_cents, currency, line_items, status,
                                  return_to, paysg_idempotency_key, paysg_request, payment_id, paid_at, created_at, updated_at, refunded_in_cents, refund_status)
           VALUES ('chk_old', 'catalog:licence-renewal:OLD-7', 'fp', 'licence-renewal', 'OLD-7', 'Licence renewal', 12000, 'SGD', '[]', 'paid',
                   'https://agency.example/pay', 'paysg-checkout:chk_old:create', '${request}', 'pay_old', '${at(0)}', '${at(0)}', '${at(60)}', 2000, 'partially_refunded')`,
        );
        await db.sql(
          `INSERT INTO refunds (idempotency_key, checkout_id, amount_in_cents, created_at) VALUES ('staff-click-1', 'chk_old', 2000, '${at(60)}')`,
        );
        store = await db.openStore();
        const migrated: Refund = {
          id: 'rf_before_audit:staff-click-1',
          checkoutId: 'chk_old',
          idempotencyKey: 'staff-click-1',
          paysgIdempotencyKey: 'paysg-checkout:chk_old:refund:staff-click-1',
          amountInCents: 2000,
          reason: 'Recorded before the audit',
          status: 'succeeded',
          requestedBy: {
            kind: 'token',
            subject: 'before-audit',
            email: null,
            name: 'Recorded before the audit',
          },
          requestedAt: at(60),
          approvedBy: null,
          approvedAt: null,
          sentAt: at(60),
          settledAt: at(60),
          failure: null,
        };
        assert.deepEqual(await store.refundsOf('chk_old'), [migrated]);
        assert.deepEqual(await store.refundByKey('staff-click-1'), migrated);
        const checkout = await store.get('chk_old');
        assert.deepEqual(
          [checkout?.refundedInCents, checkout?.refundStatus],
          [2000, 'partially_refunded'],
        );
        // Found by its payer's name and by part of its reference, as new checkouts are.
        assert.deepEqual(
          (await store.list({ limit: 10, search: 'nurhal' })).map((c) => c.id),
          ['chk_old'],
        );
        assert.deepEqual(
          (await store.list({ limit: 10, search: 'old-' })).map((c) => c.id),
          ['chk_old'],
        );
        // What is left counts the old refund; the old key is still known.
        assert.deepEqual(
          await store.requestRefund(sampleRefund('chk_old', { amountInCents: 10001 })),
          { kind: 'over_remaining', remainingInCents: 10000 },
        );
        assert.deepEqual(
          await store.requestRefund(sampleRefund('chk_old', { idempotencyKey: 'staff-click-1' })),
          { kind: 'key_seen', refund: migrated },
        );
      });
    });

    describe('FormSG submissions', () => {
      it('records a submission once: a second record of the same ids returns the first, unchanged', async () => {
        const store = await open();
        const first = sampleSubmission();
        assert.deepEqual(await store.recordSubmission(first), {
          recorded: true,
          submission: first,
        });
        const retry = { ...first, ruleName: 'other', receivedAt: at(300), updatedAt: at(300) };
        assert.deepEqual(await store.recordSubmission(retry), {
          recorded: false,
          submission: first,
        });
        assert.deepEqual(await store.getSubmission(first), first);
        // Another form's submission with the same id is another record.
        const otherForm = { ...first, formId: '65a1b2c3d4e5f60718293aff' };
        assert.equal((await store.recordSubmission(otherForm)).recorded, true);
        await store.close();
      });

      it('lets exactly one of many concurrent records of one submission win', async () => {
        const store = await open();
        const submission = sampleSubmission();
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            store.recordSubmission({ ...submission, receivedAt: at(i), updatedAt: at(i) }),
          ),
        );
        assert.equal(results.filter((r) => r.recorded).length, 1);
        const winner = results.find((r) => r.recorded)?.submission;
        for (const r of results) assert.deepEqual(r.submission, winner);
        await store.close();
      });

      it('reads a submission by its ids, and by its submission id alone', async () => {
        const store = await open();
        const submission = sampleSubmission({ letter: null });
        await store.recordSubmission(submission);
        assert.deepEqual(await store.findSubmission(submission.submissionId), submission);
        assert.equal(await store.findSubmission('6753ac00ffffffffffffffff'), undefined);
        assert.equal(
          await store.getSubmission({ ...submission, formId: '65a1b2c3d4e5f60718293aff' }),
          undefined,
        );
        await store.close();
      });

      it('attaches the first checkout only: a second attach keeps the first', async () => {
        const store = await open();
        const submission = sampleSubmission();
        await store.recordSubmission(submission);
        const one = sampleCheckout();
        const two = sampleCheckout();
        await store.claim(one);
        await store.claim(two);
        const attached = await store.attachSubmissionCheckout(submission, one.id, at(5));
        assert.equal(attached?.checkoutId, one.id);
        assert.equal(attached?.updatedAt, at(5));
        const again = await store.attachSubmissionCheckout(submission, two.id, at(6));
        assert.equal(again?.checkoutId, one.id);
        await store.close();
      });

      it('lists as unfinished what has no payment or an unclaimed e-mail, oldest first, quiet ones only', async () => {
        const store = await open();
        const checkout = sampleCheckout();
        await store.claim(checkout);
        const noPayment = sampleSubmission({ updatedAt: at(2) });
        const noEmail = sampleSubmission({ checkoutId: checkout.id, updatedAt: at(1) });
        const claimed = sampleSubmission({
          checkoutId: checkout.id,
          emailStatus: 'sending',
          emailRequestedAt: at(1),
          updatedAt: at(1),
        });
        const recent = sampleSubmission({ updatedAt: at(100) });
        for (const s of [noPayment, noEmail, claimed, recent]) await store.recordSubmission(s);
        assert.deepEqual(
          (await store.unfinishedSubmissions(at(50), 10)).map((s) => s.submissionId),
          [noEmail.submissionId, noPayment.submissionId],
        );
        assert.equal((await store.unfinishedSubmissions(at(50), 1)).length, 1);
        await store.close();
      });

      it('claims the e-mail at most once: of many concurrent claims exactly one wins', async () => {
        const store = await open();
        const submission = sampleSubmission();
        await store.recordSubmission(submission);
        const claims = await Promise.all(
          Array.from({ length: 10 }, () =>
            store.claimSubmissionEmail(
              submission,
              { status: 'pending', requestedAt: null },
              at(10),
            ),
          ),
        );
        const won = claims.filter((c) => c !== undefined);
        assert.equal(won.length, 1);
        assert.deepEqual([won[0]?.emailStatus, won[0]?.emailRequestedAt], ['sending', at(10)]);
        // A claim expecting what no longer holds wins nothing.
        assert.equal(
          await store.claimSubmissionEmail(
            submission,
            { status: 'pending', requestedAt: null },
            at(11),
          ),
          undefined,
        );
        await store.close();
      });

      it('records the outcome only for the claim it expects, and a claim taken again from an unknown one', async () => {
        const store = await open();
        const submission = sampleSubmission();
        await store.recordSubmission(submission);
        await store.claimSubmissionEmail(
          submission,
          { status: 'pending', requestedAt: null },
          at(10),
        );
        // Staff send an unknown e-mail again: a new claim over the old one, once.
        const again = await store.claimSubmissionEmail(
          submission,
          { status: 'sending', requestedAt: at(10) },
          at(20),
        );
        assert.equal(again?.emailRequestedAt, at(20));
        assert.equal(
          await store.claimSubmissionEmail(
            submission,
            { status: 'sending', requestedAt: at(10) },
            at(21),
          ),
          undefined,
          'the old claim, as read, is gone',
        );
        // The first claim's late outcome changes nothing; the current one's is recorded.
        assert.equal(
          await store.settleSubmissionEmail(
            submission,
            { status: 'sending', requestedAt: at(10) },
            { status: 'sent', sentAt: at(30) },
            at(30),
          ),
          undefined,
        );
        const failed = await store.settleSubmissionEmail(
          submission,
          { status: 'sending', requestedAt: at(20) },
          { status: 'failed', error: 'PaySG refused it' },
          at(31),
        );
        assert.deepEqual(
          [failed?.emailStatus, failed?.emailError, failed?.emailSentAt],
          ['failed', 'PaySG refused it', null],
        );
        // A failed e-mail may be claimed again (staff), and then sent.
        const retried = await store.claimSubmissionEmail(
          submission,
          { status: 'failed', requestedAt: at(20) },
          at(40),
        );
        assert.deepEqual([retried?.emailStatus, retried?.emailError], ['sending', null]);
        const sent = await store.settleSubmissionEmail(
          submission,
          { status: 'sending', requestedAt: at(40) },
          { status: 'sent', sentAt: at(41) },
          at(41),
        );
        assert.deepEqual([sent?.emailStatus, sent?.emailSentAt], ['sent', at(41)]);
        await store.close();
      });

      it('records why no e-mail is sent, and refuses a change the e-mail table does not list', async () => {
        const store = await open();
        const submission = sampleSubmission();
        await store.recordSubmission(submission);
        const skipped = await store.settleSubmissionEmail(
          submission,
          { status: 'pending', requestedAt: null },
          { status: 'skipped', error: 'The payer gave no e-mail address' },
          at(5),
        );
        assert.deepEqual(
          [skipped?.emailStatus, skipped?.emailError],
          ['skipped', 'The payer gave no e-mail address'],
        );
        const illegal: [EmailStatus, () => Promise<unknown>][] = [
          [
            'sent',
            () =>
              store.claimSubmissionEmail(submission, { status: 'sent', requestedAt: null }, at(6)),
          ],
          [
            'skipped',
            () =>
              store.claimSubmissionEmail(
                submission,
                { status: 'skipped', requestedAt: null },
                at(6),
              ),
          ],
          [
            'pending',
            () =>
              store.settleSubmissionEmail(
                submission,
                { status: 'pending', requestedAt: null },
                { status: 'sent' },
                at(6),
              ),
          ],
        ];
        for (const [from, run] of illegal)
          await assert.rejects(run(), IllegalEmailTransitionError, `from ${from}`);
        await store.close();
      });
    });

    it('answers a ping', async () => {
      const store = await open();
      await store.ping();
      await store.close();
    });
  });
}
