/**
 * Creates payment links for checked rows, idempotently across reruns: each row's Idempotency-Key
 * is derived from its reference (and an attempt number the journal keeps), every step is
 * journalled before and after PaySG is called, a bounded number of rows are in flight at once,
 * and `--send-email` e-mails each link once.
 * @module
 */
import { createHash } from 'node:crypto';
import type { PaysgClient } from '../paysg/client.js';
import { PaysgError, PaysgIdempotencyMismatchError, PaysgUpstreamError } from '../paysg/errors.js';
import { findPayment, IDEMPOTENCY_KEY_SAFE_FOR_MS } from '../paysg/find-payment.js';
import type { Payment } from '../paysg/schemas.js';
import type { LinkJournal } from './link-journal.js';
import type { LinkRow } from './read-links-csv.js';

export type LinkStatus = 'created' | 'existing' | 'failed' | 'unknown';

export interface LinkResult {
  line: number;
  reference: string;
  status: LinkStatus;
  paymentId?: string | undefined;
  paymentUrl?: string | undefined;
  qrCodeUrl?: string | undefined;
  emailed?: boolean;
  error?: string | undefined;
}

export interface CreateLinksOptions {
  /** Rows in flight at once. Default 4. */
  concurrency?: number;
  sendEmail?: boolean;
  onResult?: (result: LinkResult, done: number, total: number) => void;
}

/** The metadata entry that names the link, so a lost answer can be found in PaySG's list. */
export const LINK_METADATA_KEY = 'paysg_checkout_link';

/** Payments made long ago may be far down PaySG's list. */
const LOOKUP_MAX_PAYMENTS = 5_000;

export function linkIdempotencyKey(reference: string, attempt: number): string {
  return `paysg-checkout:link:${createHash('sha256').update(reference).digest('hex').slice(0, 32)}:${attempt}`;
}

function fingerprintOf(row: LinkRow): string {
  return createHash('sha256').update(JSON.stringify(row.params)).digest('hex');
}

function messageOf(err: unknown): string {
  if (err instanceof PaysgError) return `${err.message}${err.status ? ` (PaySG ${err.status})` : ''}`;
  return err instanceof Error ? err.message : String(err);
}

/** Whether a payment found for a reference is this row's (and not an earlier version of it). */
function isRowsPayment(payment: Payment, row: LinkRow): boolean {
  return payment.amount_in_cents === row.params.amount_in_cents && payment.description === row.params.description;
}

async function createOne(paysg: PaysgClient, journal: LinkJournal, row: LinkRow, sendEmail: boolean): Promise<LinkResult> {
  const base = { line: row.line, reference: row.reference };
  const fingerprint = fingerprintOf(row);
  let state = journal.state(row.reference);
  if (state.paymentId && state.fingerprint !== fingerprint) {
    return { ...base, status: 'failed', paymentId: state.paymentId, error: 'a link with this reference was created earlier with other details: give the row a new reference, or cancel the old link' };
  }

  if (!state.paymentId && state.inFlight && state.fingerprint !== fingerprint) {
    // An earlier attempt's answer never came: PaySG may hold a link with the row's old details.
    return { ...base, status: 'unknown', error: 'this row changed after an attempt whose answer was lost: rerun with the row as it was to learn what PaySG made, or use a new reference' };
  }
  let attempt = state.attempt;
  if (!state.paymentId && state.inFlight && journal.now().getTime() - Date.parse(state.inFlight.at) > IDEMPOTENCY_KEY_SAFE_FOR_MS) {
    // The key may be pruned by now: look for the payment instead of resending it.
    let found: Payment | undefined;
    try {
      // Not knowing (an error, or the bound reached) is never taken for "none".
      const ours = (payment: Payment) => payment.reference_id === row.reference && payment.metadata?.[LINK_METADATA_KEY] === row.reference;
      found = await findPayment(paysg, ours, { since: Date.parse(state.inFlight.at) - 10 * 60_000, maxPayments: LOOKUP_MAX_PAYMENTS });
    } catch (err) {
      return { ...base, status: 'unknown', error: `could not search PaySG for an earlier attempt (${messageOf(err)}): nothing was sent; rerun later` };
    }
    if (found && !isRowsPayment(found, row)) {
      return { ...base, status: 'failed', paymentId: found.id, error: 'PaySG holds a link for this reference with other details: cancel it, or use a new reference' };
    }
    if (found) journal.record({ reference: row.reference, step: 'created', paymentId: found.id, paymentUrl: found.payment_url });
    else attempt++;
  }
  state = journal.state(row.reference);
  if (state.paymentId) {
    return { ...base, status: 'existing', paymentId: state.paymentId, paymentUrl: state.paymentUrl, ...(await emailStep(paysg, journal, row, sendEmail)) };
  }

  const key = linkIdempotencyKey(row.reference, attempt);
  journal.record({ reference: row.reference, step: 'sending', key, attempt, fingerprint });
  let payment: Payment;
  try {
    payment = await paysg.payments.create({ ...row.params, metadata: { ...row.params.metadata, [LINK_METADATA_KEY]: row.reference } }, { idempotencyKey: key });
  } catch (err) {
    if (err instanceof PaysgUpstreamError && (err.status === 500 || err.status === 503)) {
      journal.record({ reference: row.reference, step: 'failed_stored', attempt, error: messageOf(err) });
      return { ...base, status: 'failed', error: `${messageOf(err)}: nothing was created; rerun to try again` };
    }
    if (err instanceof PaysgIdempotencyMismatchError) {
      // The key was used with other details: a link may exist, so nothing is recorded as refused.
      return { ...base, status: 'failed', error: 'PaySG already holds this reference with other details: cancel that link (status --reference), or use a new reference' };
    }
    if (err instanceof PaysgError && !err.retryable) {
      journal.record({ reference: row.reference, step: 'refused', error: messageOf(err) });
      return { ...base, status: 'failed', error: messageOf(err) };
    }
    return { ...base, status: 'unknown', error: `${messageOf(err)}: PaySG may have made it; rerun to find out (nothing is made twice)` };
  }
  journal.record({ reference: row.reference, step: 'created', paymentId: payment.id, paymentUrl: payment.payment_url });
  return { ...base, status: 'created', paymentId: payment.id, paymentUrl: payment.payment_url, qrCodeUrl: payment.payment_qr_code_url, ...(await emailStep(paysg, journal, row, sendEmail)) };
}

/** Sends the link once: an e-mail whose answer was lost is checked with PaySG before any resend. */
async function emailStep(paysg: PaysgClient, journal: LinkJournal, row: LinkRow, sendEmail: boolean): Promise<Pick<LinkResult, 'emailed' | 'error'>> {
  const state = journal.state(row.reference);
  if (!sendEmail || !row.params.payer_email || !state.paymentId) return {};
  if (state.emailed) return { emailed: true };
  try {
    if (state.emailing) {
      const payment = await paysg.payments.retrieve(state.paymentId);
      if (payment.email_delivery_status === 'sent') {
        journal.record({ reference: row.reference, step: 'emailed' });
        return { emailed: true };
      }
    }
    journal.record({ reference: row.reference, step: 'emailing' });
    await paysg.payments.sendEmail(state.paymentId);
    journal.record({ reference: row.reference, step: 'emailed' });
    return { emailed: true };
  } catch (err) {
    return { emailed: false, error: `the link exists, but the e-mail was not sent: ${messageOf(err)}; rerun to send it` };
  }
}

/** Creates (or finds) every row's link, at most `concurrency` at a time, in the rows' order. */
export async function createLinks(paysg: PaysgClient, journal: LinkJournal, rows: readonly LinkRow[], options: CreateLinksOptions = {}): Promise<LinkResult[]> {
  const results: LinkResult[] = new Array(rows.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < rows.length) {
      const i = next++;
      const row = rows[i]!;
      results[i] = await createOne(paysg, journal, row, options.sendEmail ?? false).catch((err: unknown) => ({
        line: row.line,
        reference: row.reference,
        status: 'unknown' as const,
        error: messageOf(err),
      }));
      options.onResult?.(results[i]!, ++done, rows.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 4, rows.length)) }, worker));
  return results;
}
