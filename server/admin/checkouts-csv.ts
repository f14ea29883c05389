/**
 * The back office's checkouts export, as a finance officer reconciles it against PaySG's payout
 * report: dollars, Singapore time and the Singapore day a payment counts towards, one row per
 * checkout and after it one row per refund PaySG made (so the refunds column sums), and one
 * column per metadata key, as the payout report has them.
 *
 * Nothing in it runs (non-negotiable 10): every value that came from outside (payer, reference,
 * description, metadata, ids, reasons, names) goes through `spreadsheetCell`. Our own amounts and
 * times do not, so a spreadsheet still reads them as numbers and dates.
 *
 * It is a stream, read from the store page by page only as the reader asks for more, so an
 * export of 100,000 checkouts holds one page in memory, and a slow download slows the reading
 * instead of piling rows up.
 * @module
 */
import { dollars } from '../money.js';
import { checkedPageSize, csvWriter, pullStream, type CsvWriter } from '../export/csv-stream.js';
import { singaporeDay, singaporeTime } from '../singapore-time.js';
import { spreadsheetCell } from '../export/spreadsheet-cell.js';
import type {
  Checkout,
  CheckoutListQuery,
  CheckoutStatus,
  CheckoutStore,
} from '../storage/checkout-store.js';
import type { Refund, StaffActor } from '../storage/staff-records.js';

export const CHECKOUTS_CSV_COLUMNS = [
  'Row',
  'Checkout id',
  'Reference',
  'Status',
  'Description',
  'Amount',
  'Currency',
  'Refunded',
  'Payer name',
  'Payer e-mail',
  'PaySG payment id',
  'Created (Singapore time)',
  'Paid (Singapore time)',
  'Paid on (Singapore day)',
  'Refund id',
  'Refund date (Singapore time)',
  'Refund amount',
  'Refunded by',
  'Refund reason',
  'Approved by',
] as const;

export const DEFAULT_PAGE_SIZE = 500;

const STATUS_IN_WORDS: Readonly<Record<CheckoutStatus, string>> = {
  created: 'Not started',
  unpaid: 'Unpaid',
  paid: 'Paid',
  cancelled: 'Cancelled',
  failed: 'Failed',
};

const REFUND_STATUS_IN_WORDS: Readonly<Record<NonNullable<Checkout['refundStatus']>, string>> = {
  partially_refunded: 'Paid, partly refunded',
  refunded: 'Paid, refunded in full',
};

/** A checkout's status as staff say it; shared with the back office's page and API. */
export function statusInWords(checkout: Pick<Checkout, 'status' | 'refundStatus'>): string {
  if (checkout.status === 'paid' && checkout.refundStatus)
    return REFUND_STATUS_IN_WORDS[checkout.refundStatus];
  return STATUS_IN_WORDS[checkout.status];
}

export interface CsvExportOptions {
  /** Checkouts read from the store at a time; the most the export holds in memory. */
  pageSize?: number;
}

/**
 * The checkouts `query` selects, newest first, as CSV: UTF-8 with a byte-order mark (without it
 * Excel on Windows reads the file as the local code page and garbles non-ASCII names) and CRLF
 * line ends (RFC 4180). The first chunk is the byte-order mark alone, so the download starts
 * while the metadata keys are gathered.
 */
export function checkoutsCsv(
  store: Pick<CheckoutStore, 'list' | 'refundsOf'>,
  query: Omit<CheckoutListQuery, 'before' | 'limit'>,
  options: CsvExportOptions = {},
): ReadableStream<Uint8Array> {
  const pageSize = checkedPageSize(options.pageSize ?? DEFAULT_PAGE_SIZE);
  const csv = csvWriter();
  return pullStream((stopped) => checkoutChunks(store, query, pageSize, stopped, csv));
}

async function* checkoutChunks(
  store: Pick<CheckoutStore, 'list' | 'refundsOf'>,
  query: Omit<CheckoutListQuery, 'before' | 'limit'>,
  pageSize: number,
  stopped: AbortSignal,
  csv: CsvWriter,
): AsyncGenerator<Uint8Array, void, undefined> {
  yield new TextEncoder().encode('\uFEFF');

  // First pass: only the metadata keys. Each checkout carries its own keys (up to ten, chosen by
  // whoever made the order), so the columns are known only after every checkout has been seen,
  // and the header comes first. Holding every row until the end would hold the whole export in
  // memory; reading the pages twice holds one page and a set of keys.
  const keys = new Set<string>();
  let newest: Checkout | undefined;
  for await (const page of pagesOf(store, query, pageSize)) {
    if (stopped.aborted) return;
    newest ??= page[0];
    for (const checkout of page)
      for (const key of Object.keys(checkout.paysgRequest.metadata ?? {})) keys.add(key);
  }
  const metadataKeys = [...keys].sort();
  // `metadata.` comes first, so a key from outside cannot make its header cell a formula.
  yield csv([[...CHECKOUTS_CSV_COLUMNS, ...metadataKeys.map((key) => `metadata.${key}`)]]);
  if (!newest) return;

  // Second pass: the rows. A checkout made since the first pass is left out: its keys may have
  // no column, and an export is of the checkouts there were when it started.
  const head = newest;
  for await (const page of pagesOf(store, query, pageSize)) {
    const shown = page.filter((checkout) => !newerThan(checkout, head));
    const refunds = await succeededRefunds(store, shown);
    const rows = shown.flatMap((checkout) => [
      paymentRow(checkout, metadataKeys),
      ...(refunds.get(checkout.id) ?? []).map((refund) =>
        refundRow(checkout, refund, metadataKeys),
      ),
    ]);
    if (rows.length > 0) yield csv(rows);
  }
}

/** The store's pages, newest first, each read once, until a short page says there is no more. */
async function* pagesOf(
  store: Pick<CheckoutStore, 'list'>,
  query: Omit<CheckoutListQuery, 'before' | 'limit'>,
  pageSize: number,
): AsyncGenerator<Checkout[], void, undefined> {
  let before: CheckoutListQuery['before'];
  for (;;) {
    const page = await store.list({ ...query, ...(before && { before }), limit: pageSize });
    if (page.length > 0) yield page;
    const last = page.at(-1);
    if (page.length < pageSize || !last) return;
    before = { createdAt: last.createdAt, id: last.id };
  }
}

/** In the store's order (creation, then id): true when `a` comes before `b`, newest first. */
function newerThan(a: Checkout, b: Checkout): boolean {
  const at = Date.parse(a.createdAt) - Date.parse(b.createdAt);
  return at > 0 || (at === 0 && a.id > b.id);
}

/**
 * The refunds PaySG made, by checkout. Only `succeeded` ones: one awaiting approval, declined or
 * refused moved no money, and a finance officer sums this column. The store is asked only about
 * checkouts that have some refunded, which is few of them.
 */
async function succeededRefunds(
  store: Pick<CheckoutStore, 'refundsOf'>,
  checkouts: readonly Checkout[],
): Promise<Map<string, Refund[]>> {
  const refunded = checkouts.filter((checkout) => checkout.refundedInCents > 0);
  return new Map(
    await Promise.all(
      refunded.map(
        async (checkout): Promise<[string, Refund[]]> => [
          checkout.id,
          (await store.refundsOf(checkout.id)).filter((refund) => refund.status === 'succeeded'),
        ],
      ),
    ),
  );
}

function paymentRow(checkout: Checkout, metadataKeys: readonly string[]): string[] {
  const request = checkout.paysgRequest;
  return [
    'payment',
    spreadsheetCell(checkout.id),
    spreadsheetCell(checkout.referenceId),
    statusInWords(checkout),
    spreadsheetCell(checkout.description),
    dollars(checkout.amountInCents),
    checkout.currency,
    dollars(checkout.refundedInCents),
    spreadsheetCell(request.payer_name),
    spreadsheetCell(request.payer_email),
    spreadsheetCell(checkout.paymentId),
    singaporeTime(checkout.createdAt),
    // PaySG's `+08:00` and our UTC both parse: the instant is what counts.
    checkout.paidAt ? singaporeTime(checkout.paidAt) : '',
    checkout.paidAt ? singaporeDay(checkout.paidAt) : '',
    '',
    '',
    '',
    '',
    '',
    '',
    ...metadataCells(checkout, metadataKeys),
  ];
}

/**
 * A refund repeats what identifies its checkout (id, reference, PaySG payment id, metadata) so it
 * can be filtered and matched on its own, and leaves the checkout's amounts empty, so summing
 * `Amount` or `Refund amount` down the sheet counts each dollar once.
 */
function refundRow(checkout: Checkout, refund: Refund, metadataKeys: readonly string[]): string[] {
  return [
    'refund',
    spreadsheetCell(checkout.id),
    spreadsheetCell(checkout.referenceId),
    '',
    '',
    '',
    checkout.currency,
    '',
    '',
    '',
    spreadsheetCell(checkout.paymentId),
    '',
    '',
    '',
    spreadsheetCell(refund.id),
    // When PaySG confirmed it, which a succeeded refund records; the fallbacks only keep a row
    // whose time is missing readable.
    singaporeTime(refund.settledAt ?? refund.sentAt ?? refund.requestedAt),
    dollars(refund.amountInCents),
    actorInWords(refund.requestedBy),
    spreadsheetCell(refund.reason),
    actorInWords(refund.approvedBy),
    ...metadataCells(checkout, metadataKeys),
  ];
}

/** Own keys only: a checkout without a `constructor` key must not show `Object`'s. */
function metadataCells(checkout: Checkout, metadataKeys: readonly string[]): string[] {
  const metadata = checkout.paysgRequest.metadata ?? {};
  return metadataKeys.map((key) =>
    Object.hasOwn(metadata, key) ? spreadsheetCell(metadata[key]) : '',
  );
}

/** A person by e-mail (what finance can write to), else name; the ADMIN_TOKEN as "API token". */
function actorInWords(actor: StaffActor | null): string {
  if (!actor) return '';
  if (actor.kind === 'token') return 'API token';
  return spreadsheetCell(actor.email ?? actor.name ?? actor.subject);
}
