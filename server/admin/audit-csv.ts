/**
 * The audit as CSV, for whoever checks what staff did: who, what (in words), to which checkout
 * and refund, how much, why, and how it ended, newest first, in Singapore time.
 *
 * Nothing in it runs (non-negotiable 10): names, e-mails, subjects, ids, reasons, request ids and
 * the detail came from outside (the identity provider, the person typing, the request) and go
 * through `spreadsheetCell`. Streamed page by page as the reader asks, like the checkouts export;
 * its columns are fixed, so one pass is enough.
 * @module
 */
import { dollars } from '../money.js';
import { checkedPageSize, csvWriter, pullStream, type CsvWriter } from '../export/csv-stream.js';
import { singaporeTime } from '../singapore-time.js';
import { spreadsheetCell } from '../export/spreadsheet-cell.js';
import type { CheckoutStore } from '../storage/checkout-store.js';
import type { AuditAction, AuditEvent, AuditQuery } from '../storage/staff-records.js';

export const AUDIT_CSV_COLUMNS = [
  'Time (Singapore)',
  'Person',
  'E-mail',
  'Subject',
  'Action',
  'Checkout id',
  'Refund id',
  'Amount',
  'Reason',
  'Outcome',
  'Request id',
  'Detail',
] as const;

export const DEFAULT_PAGE_SIZE = 500;

/** What each audited action is called where staff read it. */
export const auditActionInWords: Readonly<Record<AuditAction, string>> = {
  refund_requested: 'Refund asked for',
  refund_approved: 'Refund approved',
  refund_declined: 'Refund declined',
  refund_sent: 'Refund sent to PaySG',
  refund_settled: 'Refund settled',
  sign_in: 'Signed in',
  sign_in_refused: 'Sign-in refused',
  sign_out: 'Signed out',
  cancel: 'Cancelled a checkout',
  export_checkouts: 'Exported checkouts',
  export_audit: 'Exported the audit',
  letter_downloaded: 'Downloaded a fine letter',
  email_resent: 'Sent a fine’s e-mail again',
};

/**
 * The audit events `query` selects, newest first, as CSV: UTF-8 with a byte-order mark (for Excel
 * on Windows) and CRLF line ends (RFC 4180).
 */
export function auditCsv(
  store: Pick<CheckoutStore, 'listAudit'>,
  query: Omit<AuditQuery, 'before' | 'limit'>,
  options: { pageSize?: number } = {},
): ReadableStream<Uint8Array> {
  const pageSize = checkedPageSize(options.pageSize ?? DEFAULT_PAGE_SIZE);
  const csv = csvWriter();
  return pullStream(() => auditChunks(store, query, pageSize, csv));
}

async function* auditChunks(
  store: Pick<CheckoutStore, 'listAudit'>,
  query: Omit<AuditQuery, 'before' | 'limit'>,
  pageSize: number,
  csv: CsvWriter,
): AsyncGenerator<Uint8Array, void, undefined> {
  yield csv([[...AUDIT_CSV_COLUMNS]], true);
  let before: AuditQuery['before'];
  for (;;) {
    const page = await store.listAudit({ ...query, ...(before && { before }), limit: pageSize });
    if (page.length > 0) yield csv(page.map(auditRow));
    const last = page.at(-1);
    if (page.length < pageSize || !last) return;
    before = { at: last.at, id: last.id };
  }
}

function auditRow(event: AuditEvent): string[] {
  const { actor } = event;
  return [
    singaporeTime(event.at),
    actor.kind === 'token' ? 'API token' : spreadsheetCell(actor.name),
    spreadsheetCell(actor.email),
    spreadsheetCell(actor.subject),
    // A row written by a newer version may carry an action this one has no words for.
    auditActionInWords[event.action] ?? spreadsheetCell(event.action),
    spreadsheetCell(event.checkoutId),
    spreadsheetCell(event.refundId),
    event.amountInCents === null ? '' : dollars(event.amountInCents),
    spreadsheetCell(event.reason),
    event.outcome,
    spreadsheetCell(event.requestId),
    event.detail === null ? '' : spreadsheetCell(JSON.stringify(event.detail)),
  ];
}
