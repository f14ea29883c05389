/**
 * The back office's exports: nothing from outside reaches a cell as a formula (non-negotiable
 * 10), money in dollars and times in Singapore's, one row per refund PaySG made, one column per
 * metadata key, and a stream that reads the store one page at a time, only when asked.
 *
 * The store here is a small fake that keeps the interface's documented order and cursors, so
 * these tests do not wait on the SQLite and PostgreSQL stores' back-office methods.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { AUDIT_CSV_COLUMNS, auditActionInWords, auditCsv } from '../../server/admin/audit-csv.js';
import {
  CHECKOUTS_CSV_COLUMNS,
  checkoutsCsv,
  statusInWords,
} from '../../server/admin/checkouts-csv.js';
import { spreadsheetCell } from '../../server/export/spreadsheet-cell.js';
import type { CreatePaymentParams } from '../../server/paysg/schemas.js';
import type {
  Checkout,
  CheckoutListQuery,
  CheckoutStore,
} from '../../server/storage/checkout-store.js';
import {
  API_TOKEN_ACTOR,
  AUDIT_ACTIONS,
  type AuditEvent,
  type AuditQuery,
  type Refund,
  type StaffActor,
} from '../../server/storage/staff-records.js';

const FORMULAS = [
  '=HYPERLINK("https://evil.example","x")',
  "+cmd|' /C calc'!A0",
  '-2+3',
  '@SUM(A1:A9)',
  '\tX',
  '\rX',
];

const ALICE: StaffActor = {
  kind: 'person',
  subject: 'https://idp.example#alice',
  email: 'alice@agency.gov.sg',
  name: 'Alice Tan',
};
const BOB: StaffActor = {
  kind: 'person',
  subject: 'https://idp.example#bob',
  email: 'bob@agency.gov.sg',
  name: 'Bob Lim',
};

let serial = 0;

function checkout(
  overrides: Partial<Checkout> = {},
  request: Partial<CreatePaymentParams> = {},
): Checkout {
  serial++;
  const id = overrides.id ?? `chk${String(serial).padStart(19, '0')}`;
  const referenceId = overrides.referenceId ?? `INV-${serial}`;
  const description = overrides.description ?? 'Licence renewal';
  const amountInCents = overrides.amountInCents ?? 12000;
  return {
    id,
    orderKey: `catalog:licence-renewal:${referenceId}`,
    orderFingerprint: 'f'.repeat(64),
    ownerHash: null,
    orderTokenId: null,
    item: 'licence-renewal',
    referenceId,
    description,
    amountInCents,
    currency: 'SGD',
    lineItems: [{ description, amountInCents }],
    status: 'paid',
    returnTo: 'https://agency.example/pay',
    returnMode: 'redirect',
    paysgIdempotencyKey: `paysg-checkout:${id}:create`,
    paysgKeySent: true,
    paysgRequest: {
      reference_id: referenceId,
      payer_name: 'Tan Ah Kow',
      payer_email: 'tan@example.com',
      description,
      amount_in_cents: amountInCents,
      ...request,
    },
    paymentId: `pay_${serial}`,
    paymentUrl: `https://pay.example/${serial}`,
    paidAt: '2026-11-22T01:05:00.000Z',
    createdAt: '2026-11-22T01:00:00.000Z',
    updatedAt: '2026-11-22T01:05:00.000Z',
    verifiedAt: '2026-11-22T01:05:00.000Z',
    lockedUntil: null,
    cancelRequestedAt: null,
    refundedInCents: 0,
    refundStatus: null,
    ...overrides,
  };
}

function refund(of: Checkout, overrides: Partial<Refund> = {}): Refund {
  serial++;
  const id = overrides.id ?? `rf_${String(serial).padStart(22, '0')}`;
  return {
    id,
    checkoutId: of.id,
    idempotencyKey: `key-${id}`,
    paysgIdempotencyKey: `paysg-checkout:${id}:refund`,
    amountInCents: 1000,
    reason: 'Paid twice',
    status: 'succeeded',
    requestedBy: ALICE,
    requestedAt: '2026-11-23T02:00:00.000Z',
    approvedBy: null,
    approvedAt: null,
    sentAt: '2026-11-23T02:00:01.000Z',
    settledAt: '2026-11-23T02:00:02.000Z',
    failure: null,
    ...overrides,
  };
}

function auditEvent(overrides: Partial<AuditEvent> = {}): AuditEvent {
  serial++;
  return {
    id: `ev${String(serial).padStart(10, '0')}`,
    at: '2026-11-23T02:00:00.000Z',
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
  };
}

/** Newest first by instant, then id, as `list` and `listAudit` promise. */
const newestFirst = (a: { at: string; id: string }, b: { at: string; id: string }) =>
  Date.parse(b.at) - Date.parse(a.at) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
const olderThan = (row: { at: string; id: string }, cursor: { at: string; id: string }) =>
  newestFirst(cursor, row) < 0;

/** Just the three methods the exports call, honouring the interface's filters, order and cursors. */
class FakeStore implements Pick<CheckoutStore, 'list' | 'refundsOf' | 'listAudit'> {
  readonly listCalls: CheckoutListQuery[] = [];
  readonly refundsOfCalls: string[] = [];
  readonly auditCalls: AuditQuery[] = [];

  constructor(
    readonly checkouts: Checkout[] = [],
    readonly refunds: Refund[] = [],
    readonly audit: AuditEvent[] = [],
  ) {}

  async list(query: CheckoutListQuery): Promise<Checkout[]> {
    this.listCalls.push(query);
    const key = (c: Checkout) => ({ at: c.createdAt, id: c.id });
    return this.checkouts
      .filter((c) => !query.statuses || query.statuses.includes(c.status))
      .filter((c) => !query.refundStatus || c.refundStatus === query.refundStatus)
      .filter((c) => !query.createdFrom || Date.parse(c.createdAt) >= Date.parse(query.createdFrom))
      .filter(
        (c) => !query.createdBefore || Date.parse(c.createdAt) < Date.parse(query.createdBefore),
      )
      .filter(
        (c) =>
          !query.search ||
          [c.referenceId, c.paysgRequest.payer_name].some((text) =>
            text.toLowerCase().includes(query.search!.toLowerCase()),
          ) ||
          [c.id, c.paymentId].includes(query.search),
      )
      .filter(
        (c) =>
          !query.before || olderThan(key(c), { at: query.before.createdAt, id: query.before.id }),
      )
      .sort((a, b) => newestFirst(key(a), key(b)))
      .slice(0, query.limit);
  }

  async refundsOf(checkoutId: string): Promise<Refund[]> {
    this.refundsOfCalls.push(checkoutId);
    return this.refunds
      .filter((r) => r.checkoutId === checkoutId)
      .sort((a, b) => Date.parse(a.requestedAt) - Date.parse(b.requestedAt));
  }

  async listAudit(query: AuditQuery): Promise<AuditEvent[]> {
    this.auditCalls.push(query);
    return this.audit
      .filter((e) => !query.checkoutId || e.checkoutId === query.checkoutId)
      .filter((e) => !query.before || olderThan(e, query.before))
      .sort(newestFirst)
      .slice(0, query.limit);
  }
}

async function bytesOf(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The text as written, byte-order mark included (a plain TextDecoder would drop it). */
async function textOf(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(await bytesOf(stream));
}

/**
 * Read as the least forgiving spreadsheet would: a CR or LF outside quotes ends the row, so a
 * line break left unquoted in a cell splits its row and fails the parse.
 */
const READ_AS_A_SPREADSHEET = { bom: true, record_delimiter: ['\r\n', '\n', '\r'] };

/** Each row by its header. */
function rowsOf(text: string): Record<string, string>[] {
  return parse(text, { ...READ_AS_A_SPREADSHEET, columns: true }) as Record<string, string>[];
}

/** Lets the event loop turn, so a stream that reads ahead on its own would have done so. */
const idle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('spreadsheetCell', () => {
  it('prefixes with a quote a cell that a spreadsheet would read as a formula, full-width signs too', () => {
    for (const value of [
      ...FORMULAS,
      '=1+1',
      '+65 6123 4567',
      '-',
      '@x',
      '\uFF1D1+1',
      '\uFF0B1',
      '\uFF0D1',
      '\uFF20SUM(A1)',
    ]) {
      assert.equal(spreadsheetCell(value), `'${value}`, JSON.stringify(value));
    }
  });

  it('leaves other text as it is, and makes nothing of null', () => {
    for (const value of [
      'Tan Ah Kow',
      'INV-2026-0001',
      'a=b',
      ' =not first',
      "'already",
      '',
      '0.50',
      '新加坡',
    ])
      assert.equal(spreadsheetCell(value), value);
    assert.equal(spreadsheetCell(null), '');
    assert.equal(spreadsheetCell(undefined), '');
  });
});

describe('statusInWords', () => {
  it('says each status as staff do, and how much of a paid one was refunded', () => {
    assert.equal(statusInWords({ status: 'created', refundStatus: null }), 'Not started');
    assert.equal(statusInWords({ status: 'unpaid', refundStatus: null }), 'Unpaid');
    assert.equal(statusInWords({ status: 'paid', refundStatus: null }), 'Paid');
    assert.equal(
      statusInWords({ status: 'paid', refundStatus: 'partially_refunded' }),
      'Paid, partly refunded',
    );
    assert.equal(
      statusInWords({ status: 'paid', refundStatus: 'refunded' }),
      'Paid, refunded in full',
    );
    assert.equal(statusInWords({ status: 'cancelled', refundStatus: null }), 'Cancelled');
    assert.equal(statusInWords({ status: 'failed', refundStatus: null }), 'Failed');
  });
});

describe('checkoutsCsv', () => {
  it('starts with a byte-order mark and the header, and ends its lines with CRLF', async () => {
    const bytes = await bytesOf(checkoutsCsv(new FakeStore([checkout()]), {}));
    assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    const lines = text.split('\r\n');
    assert.equal(lines[0], CHECKOUTS_CSV_COLUMNS.join(','));
    assert.equal(lines.length, 3, 'header, one row, and the empty tail after the last CRLF');
    assert.doesNotMatch(text, /[^\r]\n/);
  });

  it('writes no formula: every value from outside that would be one starts with a quote', async () => {
    const hostile = FORMULAS.map((formula, i) => {
      const c = checkout(
        {
          id: `-${i}AbCdEfGhIjKlMnOpQrSt`,
          referenceId: formula,
          description: formula,
          paymentId: formula,
          refundedInCents: 1000,
          refundStatus: 'partially_refunded',
        },
        { payer_name: formula, payer_email: formula, metadata: { note: formula } },
      );
      return {
        formula,
        checkout: c,
        refund: refund(c, {
          id: formula,
          reason: formula,
          requestedBy: { ...BOB, email: formula },
          approvedBy: { ...ALICE, email: formula },
        }),
      };
    });
    const plain = checkout(
      { referenceId: 'INV-2026-0001', description: 'Licence renewal', amountInCents: 12000 },
      { payer_name: 'Tan Ah Kow', metadata: { note: 'a=b' } },
    );
    const store = new FakeStore(
      [...hostile.map((h) => h.checkout), plain],
      hostile.map((h) => h.refund),
    );

    const rows = rowsOf(await textOf(checkoutsCsv(store, {})));
    for (const { formula, checkout: c } of hostile) {
      const payment = rows.find((r) => r.Row === 'payment' && r['Checkout id'] === `'${c.id}`);
      assert.ok(payment, `the checkout ${c.id} comes out with its id quoted`);
      for (const column of [
        'Reference',
        'Description',
        'Payer name',
        'Payer e-mail',
        'PaySG payment id',
        'metadata.note',
      ]) {
        assert.equal(payment[column], `'${formula}`, `${column} of ${JSON.stringify(formula)}`);
      }
      const refundRow = rows.find((r) => r.Row === 'refund' && r['Checkout id'] === `'${c.id}`);
      assert.ok(refundRow, `the refund of ${c.id} comes out with its checkout id quoted`);
      for (const column of [
        'Refund id',
        'Refund reason',
        'Refunded by',
        'Approved by',
        'Reference',
        'metadata.note',
      ]) {
        assert.equal(refundRow[column], `'${formula}`, `${column} of ${JSON.stringify(formula)}`);
      }
    }
    const untouched = rows.find((r) => r['Checkout id'] === plain.id);
    assert.ok(untouched, 'the plain checkout is there under its own id');
    assert.equal(untouched.Reference, 'INV-2026-0001');
    assert.equal(untouched['Payer name'], 'Tan Ah Kow');
    assert.equal(untouched.Description, 'Licence renewal');
    assert.equal(untouched['metadata.note'], 'a=b');
    assert.equal(untouched.Amount, '120.00');
    assert.equal(untouched.Refunded, '0.00');
    assert.equal(untouched.Currency, 'SGD');
  });

  it('keeps a value with a line break in one cell of one row', async () => {
    // A lone LF or CR too, not only the CRLF the file's rows end with.
    const c = checkout({ description: 'Line one\nline two\rend' }, { payer_name: 'Tan\r\nAh Kow' });
    const rows = rowsOf(await textOf(checkoutsCsv(new FakeStore([c]), {})));
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.Description, 'Line one\nline two\rend');
    assert.equal(rows[0]!['Payer name'], 'Tan\r\nAh Kow');
  });

  it('counts a payment on the Singapore day it was made, whichever offset PaySG wrote', async () => {
    const utc = checkout({ paidAt: '2026-12-06T17:30:00Z', createdAt: '2026-12-06T17:29:00.000Z' });
    const sgt = checkout({
      paidAt: '2026-12-07T01:30:00+08:00',
      createdAt: '2026-12-06T17:29:00.000Z',
    });
    const unpaid = checkout({ status: 'unpaid', paidAt: null, paymentId: 'pay_unpaid' });
    const rows = rowsOf(await textOf(checkoutsCsv(new FakeStore([utc, sgt, unpaid]), {})));
    for (const c of [utc, sgt]) {
      const row = rows.find((r) => r['Checkout id'] === c.id)!;
      assert.equal(row['Paid on (Singapore day)'], '2026-12-07');
      assert.equal(row['Paid (Singapore time)'], '2026-12-07T01:30:00+08:00');
      assert.equal(row['Created (Singapore time)'], '2026-12-07T01:29:00+08:00');
    }
    const open = rows.find((r) => r['Checkout id'] === unpaid.id)!;
    assert.equal(open.Status, 'Unpaid');
    assert.equal(open['Paid on (Singapore day)'], '');
    assert.equal(open['Paid (Singapore time)'], '');
  });

  it('follows a checkout with one row per refund PaySG made, so the refunds sum to what was refunded', async () => {
    const refunded = checkout(
      {
        amountInCents: 12000,
        refundedInCents: 5000,
        refundStatus: 'partially_refunded',
        createdAt: '2026-11-22T02:00:00.000Z',
      },
      { metadata: { branch: 'Tampines' } },
    );
    const first = refund(refunded, {
      amountInCents: 2000,
      reason: 'Paid twice',
      requestedAt: '2026-11-23T02:00:00.000Z',
      settledAt: '2026-11-23T02:00:05.000Z',
      requestedBy: ALICE,
      approvedBy: null,
    });
    const second = refund(refunded, {
      amountInCents: 3000,
      reason: 'Fee waived',
      requestedAt: '2026-12-06T17:00:00.000Z',
      settledAt: '2026-12-06T17:30:00.000Z',
      requestedBy: { ...BOB, email: null },
      approvedBy: API_TOKEN_ACTOR,
    });
    const moved = [
      refund(refunded, { amountInCents: 1000, status: 'failed', failure: 'PaySG refused' }),
      refund(refunded, { amountInCents: 500, status: 'declined', failure: 'Not ours' }),
      refund(refunded, {
        amountInCents: 700,
        status: 'awaiting_approval',
        settledAt: null,
        sentAt: null,
      }),
    ];
    const older = checkout({ createdAt: '2026-11-22T01:00:00.000Z' });
    const store = new FakeStore([older, refunded], [...moved, second, first]);

    const rows = rowsOf(await textOf(checkoutsCsv(store, {})));
    assert.deepEqual(
      rows.map((r) => [r.Row, r['Checkout id']]),
      [
        ['payment', refunded.id],
        ['refund', refunded.id],
        ['refund', refunded.id],
        ['payment', older.id],
      ],
    );
    const [payment, one, two] = rows as [
      Record<string, string>,
      Record<string, string>,
      Record<string, string>,
    ];
    assert.equal(payment.Status, 'Paid, partly refunded');
    assert.equal(payment.Amount, '120.00');
    assert.equal(payment.Refunded, '50.00');
    assert.deepEqual(
      [
        one['Refund id'],
        one['Refund date (Singapore time)'],
        one['Refund amount'],
        one['Refunded by'],
        one['Refund reason'],
        one['Approved by'],
      ],
      [first.id, '2026-11-23T10:00:05+08:00', '20.00', 'alice@agency.gov.sg', 'Paid twice', ''],
    );
    assert.deepEqual(
      [
        two['Refund id'],
        two['Refund date (Singapore time)'],
        two['Refund amount'],
        two['Refunded by'],
        two['Refund reason'],
        two['Approved by'],
      ],
      [second.id, '2026-12-07T01:30:00+08:00', '30.00', 'Bob Lim', 'Fee waived', 'API token'],
    );
    // A refund row names its checkout but leaves its amounts empty: each dollar counted once.
    for (const row of [one, two]) {
      assert.equal(row.Reference, refunded.referenceId);
      assert.equal(row['PaySG payment id'], refunded.paymentId);
      assert.equal(row['metadata.branch'], 'Tampines');
      assert.equal(row.Amount, '');
      assert.equal(row.Refunded, '');
    }
    const cents = (text: string) => (text ? Math.round(Number(text) * 100) : 0);
    assert.equal(
      rows.reduce((sum, r) => sum + cents(r['Refund amount']!), 0),
      refunded.refundedInCents,
    );
    assert.equal(
      rows.reduce((sum, r) => sum + cents(r.Amount!), 0),
      refunded.amountInCents + older.amountInCents,
    );
    assert.deepEqual(
      store.refundsOfCalls,
      [refunded.id],
      'only a checkout with something refunded is asked about',
    );
  });

  it('gives each metadata key a column, from every page, sorted, empty where a checkout has none', async () => {
    const at = (minute: number) => `2026-11-22T01:${String(minute).padStart(2, '0')}:00.000Z`;
    const checkouts = [
      checkout({ createdAt: at(9) }, { metadata: { branch: 'Tampines', case_no: 'C-1' } }),
      checkout({ createdAt: at(8) }),
      checkout({ createdAt: at(7) }, { metadata: { branch: 'Jurong' } }),
      checkout({ createdAt: at(6) }, { metadata: {} }),
      // On the last page only: the header still has it.
      checkout({ createdAt: at(5) }, { metadata: { constructor: 'x', aardvark: '1' } }),
    ];
    const store = new FakeStore(checkouts);
    const text = await textOf(checkoutsCsv(store, {}, { pageSize: 2 }));
    const [header] = parse(text, { ...READ_AS_A_SPREADSHEET, toLine: 1 }) as string[][];
    assert.deepEqual(header, [
      ...CHECKOUTS_CSV_COLUMNS,
      'metadata.aardvark',
      'metadata.branch',
      'metadata.case_no',
      'metadata.constructor',
    ]);
    const rows = rowsOf(text);
    assert.deepEqual(
      rows.map((r) => [
        r['metadata.aardvark'],
        r['metadata.branch'],
        r['metadata.case_no'],
        r['metadata.constructor'],
      ]),
      [
        ['', 'Tampines', 'C-1', ''],
        ['', '', '', ''],
        ['', 'Jurong', '', ''],
        ['', '', '', ''],
        ['1', '', '', 'x'],
      ],
    );
  });

  it('passes the filters on to every page, with the page size as the limit', async () => {
    const store = new FakeStore([
      checkout({ status: 'paid', createdAt: '2026-11-22T01:03:00.000Z' }),
      checkout({ status: 'cancelled', createdAt: '2026-11-22T01:02:00.000Z' }),
      checkout({ status: 'paid', createdAt: '2026-11-22T01:01:00.000Z' }),
      checkout({ status: 'paid', createdAt: '2026-11-22T01:00:00.000Z' }),
    ]);
    const rows = rowsOf(
      await textOf(checkoutsCsv(store, { statuses: ['paid'], search: 'inv' }, { pageSize: 2 })),
    );
    assert.equal(rows.length, 3);
    assert.deepEqual(
      rows.map((r) => r.Status),
      ['Paid', 'Paid', 'Paid'],
    );
    assert.notEqual(store.listCalls.length, 0);
    for (const call of store.listCalls) {
      assert.deepEqual(call.statuses, ['paid']);
      assert.equal(call.search, 'inv');
      assert.equal(call.limit, 2);
    }
  });

  it('leaves out a checkout made while it is being exported, whose metadata key has no column', async () => {
    const store = new FakeStore([
      checkout({ createdAt: '2026-11-22T01:00:00.000Z' }, { metadata: { branch: 'Tampines' } }),
    ]);
    const reader = checkoutsCsv(store, {}).getReader();
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < 2; i++) chunks.push((await reader.read()).value!); // the mark, then the header
    const late = checkout({ createdAt: '2026-11-22T02:00:00.000Z' }, { metadata: { late: 'yes' } });
    store.checkouts.push(late);
    for (let next = await reader.read(); !next.done; next = await reader.read())
      chunks.push(next.value);
    const text = new TextDecoder().decode(Buffer.concat(chunks));
    const rows = rowsOf(text);
    assert.equal(rows.length, 1);
    assert.notEqual(rows[0]!['Checkout id'], late.id);
    assert.doesNotMatch(text, /metadata\.late/);
  });

  it('refuses a page size that would never finish', () => {
    for (const pageSize of [0, -1, 1.5, Number.NaN])
      assert.throws(() => checkoutsCsv(new FakeStore(), {}, { pageSize }), RangeError);
  });

  describe('over 100,000 checkouts', () => {
    const TOTAL = 100_000;
    const PAGE = 500;
    const base = Date.parse('2026-12-01T00:00:00.000Z');
    const idOf = (i: number) => `c${String(i).padStart(6, '0')}`;

    /** Makes each page when asked for it, so only the export could hold many at once. */
    function lazyStore(onList: (calls: number) => void = () => {}) {
      const calls: CheckoutListQuery[] = [];
      const refundsOfCalls: string[] = [];
      const make = (i: number) =>
        checkout(
          {
            id: idOf(i),
            referenceId: `INV-${i}`,
            createdAt: new Date(base - i * 1000).toISOString(),
            // Every thousandth was refunded in part.
            ...(i % 1000 === 0 && {
              refundedInCents: 1000,
              refundStatus: 'partially_refunded' as const,
            }),
          },
          // Only the very last checkout has this key: the header must still carry it.
          i === TOTAL - 1 ? { metadata: { batch: 'last' } } : {},
        );
      const store: Pick<CheckoutStore, 'list' | 'refundsOf'> = {
        async list(query) {
          calls.push(query);
          onList(calls.length);
          const start = query.before ? Number(query.before.id.slice(1)) + 1 : 0;
          return Array.from({ length: Math.max(0, Math.min(query.limit, TOTAL - start)) }, (_, k) =>
            make(start + k),
          );
        },
        async refundsOf(checkoutId) {
          refundsOfCalls.push(checkoutId);
          const c = make(Number(checkoutId.slice(1)));
          return [
            refund(c, { id: `rf_${checkoutId}` }),
            refund(c, { id: `rf_${checkoutId}_declined`, status: 'declined' }),
          ];
        },
      };
      return { store, calls, refundsOfCalls };
    }

    it('reads a page only when the reader asks, each page once per pass, and writes every row', async () => {
      const { store, calls, refundsOfCalls } = lazyStore();
      const reader = checkoutsCsv(store, {}, { pageSize: PAGE }).getReader();

      const mark = await reader.read();
      assert.deepEqual([...mark.value!], [0xef, 0xbb, 0xbf]);
      await idle();
      assert.ok(calls.length <= 2, `the first chunk read the store ${calls.length} times`);

      const header = new TextDecoder().decode((await reader.read()).value);
      assert.match(header, /^Row,Checkout id,/);
      assert.ok(
        header.trimEnd().endsWith(',metadata.batch'),
        'the key of the last checkout is in the header',
      );
      const firstPass = TOTAL / PAGE + 1; // every page, then the empty one that says it is over
      assert.equal(calls.length, firstPass, 'the header needed one whole pass of keys');

      // Lines counted as the chunks go by, so the test does not hold the export either.
      const linesIn = (chunk: Uint8Array) =>
        chunk.reduce((n, byte) => n + (byte === 0x0a ? 1 : 0), 0);
      let lines = linesIn((await reader.read()).value!);
      await idle();
      assert.ok(
        calls.length - firstPass <= 2,
        `the first rows read ${calls.length - firstPass} pages of the second pass`,
      );
      let tail = '';
      for (let next = await reader.read(); !next.done; next = await reader.read()) {
        lines += linesIn(next.value);
        tail = new TextDecoder().decode(next.value.slice(-200));
      }
      assert.equal(
        lines,
        TOTAL + TOTAL / 1000,
        'one row per checkout and one per succeeded refund',
      );
      assert.match(tail, /,last\r\n$/);

      assert.equal(calls.length, 2 * firstPass);
      assert.ok(
        calls.every((call) => call.limit === PAGE),
        'no page larger than the page size',
      );
      for (const pass of [calls.slice(0, firstPass), calls.slice(firstPass)]) {
        const cursors = pass.map((call) => call.before?.id ?? 'start');
        assert.equal(new Set(cursors).size, cursors.length, 'no page read twice in a pass');
        assert.equal(cursors[0], 'start');
        assert.equal(cursors[1], idOf(PAGE - 1));
      }
      assert.equal(refundsOfCalls.length, TOTAL / 1000);
    });

    it('stops reading the store when the reader goes away', async () => {
      let cancelled: Promise<void> | undefined;
      let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
      const { store, calls } = lazyStore((n) => {
        if (n === 3) cancelled = reader!.cancel();
      });
      reader = checkoutsCsv(store, {}, { pageSize: PAGE }).getReader();
      await reader.read();
      assert.equal((await reader.read()).done, true);
      await cancelled;
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(calls.length, 3);
    });
  });
});

describe('auditCsv', () => {
  it('says each action in words, names the person, and writes no formula', async () => {
    const hostile = FORMULAS.map((formula, i) =>
      auditEvent({
        at: `2026-11-2${i}T17:30:00.000Z`,
        actor: { kind: 'person', subject: formula, email: formula, name: formula },
        action: 'refund_requested',
        checkoutId: formula,
        refundId: formula,
        reason: formula,
        requestId: formula,
        amountInCents: 2550,
        outcome: 'pending',
      }),
    );
    const byToken = auditEvent({
      at: '2026-12-06T17:30:00.000Z',
      actor: { ...API_TOKEN_ACTOR, name: null },
      action: 'cancel',
      checkoutId: '-AbC',
      reason: 'Payer asked',
      detail: { status: 'cancelled', note: '=1+1' },
    });
    const signIn = auditEvent({ at: '2026-12-01T00:00:00.000Z', actor: ALICE, action: 'sign_in' });
    const store = new FakeStore([], [], [...hostile, byToken, signIn]);

    const text = await textOf(auditCsv(store, {}));
    const header = `\uFEFF${AUDIT_CSV_COLUMNS.join(',')}\r\n`;
    assert.equal(text.slice(0, header.length), header);
    const rows = rowsOf(text);
    assert.equal(rows.length, hostile.length + 2);

    const token = rows[0]!;
    assert.deepEqual(
      [
        token['Time (Singapore)'],
        token.Person,
        token['E-mail'],
        token.Subject,
        token.Action,
        token['Checkout id'],
        token.Amount,
        token.Reason,
        token.Outcome,
        token.Detail,
      ],
      [
        '2026-12-07T01:30:00+08:00',
        'API token',
        '',
        'api-token',
        'Cancelled a checkout',
        "'-AbC",
        '',
        'Payer asked',
        'ok',
        '{"status":"cancelled","note":"=1+1"}',
      ],
    );
    const alice = rows[1]!;
    assert.deepEqual(
      [alice.Person, alice['E-mail'], alice.Subject, alice.Action],
      ['Alice Tan', 'alice@agency.gov.sg', ALICE.subject, 'Signed in'],
    );

    for (const event of hostile) {
      const formula = event.reason!;
      const row = rows.find((r) => r.Reason === `'${formula}`);
      assert.ok(row, `the reason ${JSON.stringify(formula)} comes out quoted`);
      for (const column of [
        'Person',
        'E-mail',
        'Subject',
        'Checkout id',
        'Refund id',
        'Request id',
      ])
        assert.equal(row[column], `'${formula}`, `${column} of ${JSON.stringify(formula)}`);
      assert.equal(row.Action, 'Refund asked for');
      assert.equal(row.Amount, '25.50');
      assert.equal(row.Outcome, 'pending');
    }
  });

  it('has words for every action', () => {
    assert.deepEqual(Object.keys(auditActionInWords).sort(), [...AUDIT_ACTIONS].sort());
    assert.equal(auditActionInWords.refund_sent, 'Refund sent to PaySG');
    assert.equal(auditActionInWords.sign_in_refused, 'Sign-in refused');
    assert.equal(auditActionInWords.export_audit, 'Exported the audit');
  });

  it('reads the audit page by page, newest first, only as the reader asks, with the filter on every page', async () => {
    const events = Array.from({ length: 5 }, (_, i) =>
      auditEvent({ at: `2026-11-2${i}T00:00:00.000Z`, checkoutId: 'chk_a', reason: `step ${i}` }),
    );
    const store = new FakeStore([], [], [...events, auditEvent({ checkoutId: 'chk_other' })]);
    const reader = auditCsv(store, { checkoutId: 'chk_a' }, { pageSize: 2 }).getReader();
    const chunks: Uint8Array[] = [(await reader.read()).value!];
    await idle();
    assert.ok(store.auditCalls.length <= 1, 'the header needs no page');
    for (let next = await reader.read(); !next.done; next = await reader.read())
      chunks.push(next.value);
    const rows = rowsOf(new TextDecoder().decode(Buffer.concat(chunks)));
    assert.deepEqual(
      rows.map((r) => r.Reason),
      ['step 4', 'step 3', 'step 2', 'step 1', 'step 0'],
    );
    assert.deepEqual(
      store.auditCalls.map((call) => [call.checkoutId, call.limit, call.before?.id]),
      [
        ['chk_a', 2, undefined],
        ['chk_a', 2, events[3]!.id],
        ['chk_a', 2, events[1]!.id],
      ],
    );
  });
});
