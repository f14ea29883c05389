/**
 * Each check of the chaos test can fail: a consistent ledger passes, and each violation made by
 * hand is reported by its own check and no other.
 *
 *   node --import tsx --test test/chaos/ledger-check.test.ts
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StoreRow } from './database.js';
import type { RequestRecord } from './driver.js';
import { checkLedger, type CheckInput, type CheckName } from './ledger-check.js';
import type { LedgerPayment } from './simulator-client.js';

const RETURN = 'http://127.0.0.1:3000/paysg/return/';

function payment(
  id: string,
  reference: string,
  status: 'unpaid' | 'paid' | 'cancelled',
  amount: number,
  extra: Partial<LedgerPayment> = {},
): LedgerPayment {
  return {
    id,
    reference_id: reference,
    amount_in_cents: amount,
    payment_status: status === 'paid' ? 'paid' : 'unpaid',
    latest_status: status,
    return_url: `${RETURN}C-${id}`,
    payment_url: `http://127.0.0.1:4010/payments/${id}`,
    created_at: new Date(0).toISOString(),
    payment_succeeded_timestamp: status === 'paid' ? new Date(5_000).toISOString() : null,
    payment_cancelled_timestamp: status === 'cancelled' ? new Date(5_000).toISOString() : null,
    ...extra,
  };
}

function row(
  paymentId: string | null,
  reference: string,
  status: string,
  amount: number,
  id = `C-${paymentId}`,
): StoreRow {
  return {
    id,
    order_key: `catalog:licence-renewal:${reference}`,
    reference_id: reference,
    status,
    amount_in_cents: amount,
    payment_id: paymentId,
    payment_url: paymentId && `http://127.0.0.1:4010/payments/${paymentId}`,
    updated_at: new Date(0).toISOString(),
    verified_at: null,
  };
}

function create(
  reference: string,
  browser: string,
  checkoutId: string,
  paymentId: string,
  at: number,
  extra: Partial<RequestRecord> = {},
): RequestRecord {
  return {
    index: at,
    kind: 'create',
    label: 'first',
    reference,
    orderKind: 'catalog',
    browser,
    instance: 0,
    expectedAmountInCents: 12_000,
    checkoutId,
    paymentId,
    paymentUrl: `http://127.0.0.1:4010/payments/${paymentId}`,
    checkoutStatus: 'unpaid',
    sentAt: at,
    receivedAt: at + 100,
    outcome: 201,
    ...extra,
  };
}

/** A run that went right: an unpaid order, a paid one, a superseded one, a repriced token order. */
function consistent(): CheckInput {
  return {
    payments: [
      payment('P1', 'A', 'unpaid', 12_000),
      payment('P2', 'B', 'paid', 12_000),
      payment('P3', 'C', 'cancelled', 12_000),
      payment('P4', 'C', 'unpaid', 12_000),
      payment('P5', 'D', 'cancelled', 3_500),
      payment('P6', 'D', 'unpaid', 4_000),
    ],
    rows: [
      row('P1', 'A', 'unpaid', 12_000),
      row('P2', 'B', 'paid', 12_000),
      row('P3', 'C', 'cancelled', 12_000),
      row('P4', 'C', 'unpaid', 12_000),
      row('P5', 'D', 'cancelled', 3_500),
      row('P6', 'D', 'unpaid', 4_000),
      row(null, 'F', 'created', 12_000, 'C-never-created-at-paysg'),
    ],
    records: [
      create('A', 'b1', 'C-P1', 'P1', 1_000),
      create('A', 'b1', 'C-P1', 'P1', 1_050, { label: 'retry', outcome: 200 }),
      create('A', 'b2', '', '', 1_100, {
        label: 'stranger',
        outcome: 409,
        checkoutId: undefined,
        paymentId: undefined,
        paymentUrl: undefined,
        checkoutStatus: undefined,
      }),
      create('B', 'b3', 'C-P2', 'P2', 2_000),
      create('C', 'b4', 'C-P3', 'P3', 3_000),
      {
        ...create('C', 'b4', 'C-P3', '', 4_000),
        kind: 'cancel',
        label: 'cancel',
        outcome: 200,
        checkoutStatus: 'cancelled',
      },
      create('C', 'b4', 'C-P4', 'P4', 6_000),
      create('D', 'b5', 'C-P5', 'P5', 100, {
        orderKind: 'token',
        tokenVersion: 1,
        expectedAmountInCents: 3_500,
      }),
      create('D', 'b5', 'C-P6', 'P6', 300, {
        orderKind: 'token',
        tokenVersion: 2,
        expectedAmountInCents: 4_000,
        label: 'reprice',
      }),
      create('D', 'b6', 'C-P6', 'P6', 500, {
        orderKind: 'token',
        tokenVersion: 2,
        expectedAmountInCents: 4_000,
        label: 'stranger',
      }),
    ],
    pending: { unverified: [], onUnfinishedCheckouts: [] },
  };
}

function checksFailing(input: CheckInput): CheckName[] {
  return [...new Set(checkLedger(input).violations.map((v) => v.check))].sort();
}

describe('the chaos ledger check', () => {
  it('finds nothing wrong with a consistent run', () => {
    assert.deepEqual(checkLedger(consistent()), { violations: [], unsettled: [] });
  });

  const cases: [CheckName, string, (input: CheckInput) => void][] = [
    [
      'one-payable',
      'two payable payments for one order',
      (i) => {
        i.payments.push(payment('P7', 'A', 'unpaid', 12_000));
        i.rows.push(row('P7', 'A', 'unpaid', 12_000));
      },
    ],
    [
      'cancelled-but-unpaid',
      'PaySG cancelled an unpaid checkout’s payment',
      (i) => {
        i.payments[0] = payment('P1', 'A', 'cancelled', 12_000, {
          payment_cancelled_timestamp: new Date(9_000).toISOString(),
        });
      },
    ],
    [
      'paid-recorded',
      'paid at PaySG, unpaid in the store',
      (i) => {
        i.payments[0] = payment('P1', 'A', 'paid', 12_000);
      },
    ],
    [
      'paid-recorded',
      'paid at PaySG, cancelled in the store',
      (i) => {
        // The store cancelled C-P3 (its browser asked), but PaySG says it was paid.
        i.payments[2] = payment('P3', 'C', 'paid', 12_000);
      },
    ],
    [
      'orphan',
      'a payable payment no checkout names',
      (i) => {
        i.payments.push(payment('P8', 'E', 'unpaid', 12_000));
      },
    ],
    [
      'orphan',
      'a payable payment of a cancelled checkout',
      (i) => {
        // The store cancelled a checkout (its browser asked) whose payment PaySG still takes.
        i.rows[0] = row('P1', 'A', 'cancelled', 12_000);
        i.records.push({
          ...create('A', 'b1', 'C-P1', '', 1_500),
          kind: 'cancel',
          label: 'cancel',
          outcome: 503,
        });
      },
    ],
    [
      'paid-matches',
      'PaySG charged another amount',
      (i) => {
        i.payments[1] = payment('P2', 'B', 'paid', 11_000);
      },
    ],
    [
      'paid-matches',
      'paid in the store, cancelled at PaySG',
      (i) => {
        i.rows[2] = row('P3', 'C', 'paid', 12_000);
      },
    ],
    [
      'double-charge',
      'an order paid twice',
      (i) => {
        i.payments.push(payment('P9', 'B', 'paid', 12_000));
        i.rows.push(row('P9', 'B', 'paid', 12_000));
      },
    ],
    [
      'store-dangling',
      'a payment id PaySG does not know',
      (i) => {
        i.rows.push(row('P-unknown', 'G', 'cancelled', 12_000));
      },
    ],
    [
      'bff-500',
      'a 500',
      (i) => {
        i.records.push(
          create('A', 'b1', '', '', 1_200, {
            outcome: 500,
            checkoutId: undefined,
            paymentId: undefined,
            checkoutStatus: undefined,
          }),
        );
      },
    ],
    [
      'stranger-handout',
      'another browser handed the checkout',
      (i) => {
        i.records.push(create('A', 'b2', 'C-P1', 'P1', 1_300, { label: 'stranger', outcome: 200 }));
      },
    ],
    [
      'price-changed',
      'a newer token handed the older price',
      (i) => {
        i.records.push(
          create('D', 'b5', 'C-P5', 'P5', 150, {
            orderKind: 'token',
            tokenVersion: 2,
            expectedAmountInCents: 4_000,
            label: 'reprice',
            outcome: 200,
          }),
        );
      },
    ],
    [
      'stale-token',
      'an older token accepted after a newer one',
      (i) => {
        i.records.push(
          create('D', 'b5', 'C-P5', 'P5', 450, {
            orderKind: 'token',
            tokenVersion: 1,
            expectedAmountInCents: 3_500,
            label: 'stale',
            outcome: 200,
          }),
        );
      },
    ],
    [
      'cancelled-unasked',
      'a catalog checkout cancelled with no cancel from its browser',
      (i) => {
        i.records = i.records.filter((r) => r.kind !== 'cancel');
      },
    ],
    [
      'cancelled-unasked',
      'a catalog checkout cancelled by a browser it was not handed to',
      (i) => {
        for (const r of i.records) if (r.kind === 'cancel') r.browser = 'b9';
      },
    ],
    [
      'cancelled-unasked',
      'a catalog checkout cancelled before another browser asked for the order',
      (i) => {
        i.records = i.records.filter((r) => r.kind !== 'cancel');
        i.records.push(
          create('C', 'b7', '', '', 5_500, {
            label: 'stranger',
            outcome: 503,
            checkoutId: undefined,
            paymentId: undefined,
            checkoutStatus: undefined,
          }),
        );
      },
    ],
    [
      'cancelled-unasked',
      'a catalog checkout whose holder’s cancel never reached a BFF',
      (i) => {
        for (const r of i.records) if (r.kind === 'cancel') r.outcome = 'refused';
      },
    ],
    [
      'cancelled-unasked',
      'a catalog checkout cancelled at PaySG before its browser asked',
      (i) => {
        // P3 was cancelled at PaySG at 5 000; the cancel was sent at 5 500.
        for (const r of i.records) if (r.kind === 'cancel') r.sentAt = 5_500;
      },
    ],
    [
      'cancelled-unasked',
      'a token checkout cancelled with no newer token',
      (i) => {
        // Order D: without the v2 requests, nothing newer than v1 ever came.
        i.records = i.records.filter((r) => r.reference !== 'D' || r.tokenVersion === 1);
      },
    ],
    [
      'dead-link',
      'a cancelled link handed out',
      (i) => {
        // P3 was cancelled at 5 000; a create sent at 7 000 was handed it as unpaid.
        i.records.push(create('C', 'b4', 'C-P3', 'P3', 7_000, { label: 'again', outcome: 200 }));
      },
    ],
  ];

  for (const [check, what, breakIt] of cases) {
    it(`reports ${check} (${what}), and nothing else`, () => {
      const input = consistent();
      breakIt(input);
      assert.deepEqual(checksFailing(input), [check]);
    });
  }

  it('does not judge an older token after the payer cancelled the newer checkout', () => {
    const input = consistent();
    input.records.push({
      ...create('D', 'b5', 'C-P6', '', 420),
      kind: 'cancel',
      label: 'cancel',
      outcome: 200,
    });
    input.records.push(
      create('D', 'b5', 'C-P5', 'P5', 450, {
        orderKind: 'token',
        tokenVersion: 1,
        expectedAmountInCents: 3_500,
        label: 'stale',
        outcome: 200,
      }),
    );
    assert.deepEqual(checksFailing(input), []);
  });

  it('does not count a link cancelled after the request was sent as a dead link', () => {
    const input = consistent();
    input.records.push(create('C', 'b4', 'C-P3', 'P3', 4_990, { label: 'again', outcome: 200 }));
    assert.deepEqual(checksFailing(input), []);
  });

  it('sets aside, as unsettled, what settling had not finished with', () => {
    const input = consistent();
    input.payments[0] = payment('P1', 'A', 'cancelled', 12_000, {
      payment_cancelled_timestamp: new Date(9_000).toISOString(),
    });
    input.payments.push(
      payment('P10', 'F', 'unpaid', 12_000, { return_url: `${RETURN}C-never-created-at-paysg` }),
    );
    input.pending = {
      unverified: [input.rows[0]!],
      onUnfinishedCheckouts: [input.payments.at(-1)!],
    };
    const result = checkLedger(input);
    assert.deepEqual(result.violations, []);
    assert.deepEqual(result.unsettled.map((v) => v.check).sort(), [
      'cancelled-but-unpaid',
      'orphan',
    ]);
  });
});
