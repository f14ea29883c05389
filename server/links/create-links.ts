/**
 * Creates payment links for checked rows, idempotently across reruns: each row's Idempotency-Key
 * is derived from its reference (and an attempt number the journal keeps), every step is
 * journalled before and after PaySG is called, a bounded number of rows are in flight at once
 * (rows are pulled from a stream, and results handed on in the rows' order as they complete), and
 * `--send-email` e-mails each link once. A run reports what it did: a link PaySG made before the
 * run began is "existing", even where the journal of that earlier run is elsewhere.
 * @module
 */
import { IDEMPOTENCY_KEY_SAFE_FOR_MS, paysgLinkKey } from '../checkouts/paysg-key.js';
import { sha256Hex } from '../encoding.js';
import type { PaysgClient } from '../paysg/client.js';
import { PaysgError, PaysgIdempotencyMismatchError, PaysgUpstreamError } from '../paysg/errors.js';
import { findPayment } from '../paysg/find-payment.js';
import type { Payment } from '../paysg/schemas.js';
import type { LinkJournal } from './link-journal.js';
import type { LinkRow } from './read-links-csv.js';
import { instantOf } from '../paysg/instant.js';

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

export interface CreateLinkOptions {
  sendEmail?: boolean;
  /** When this run began (epoch ms): a link PaySG made before it is an earlier run's. Default: now. */
  runStartedAt?: number;
}

export interface CreateLinksOptions extends CreateLinkOptions {
  /** Rows in flight at once. Default 4. */
  concurrency?: number;
  /** Each row's result, in the rows' order, with how many are done. */
  onResult?: (result: LinkResult, done: number) => void;
}

export type LinkCounts = Record<LinkStatus, number>;

/** The metadata entry that names the link, so a lost answer can be found in PaySG's list. */
export const LINK_METADATA_KEY = 'paysg_checkout_link';

/** Payments made long ago may be far down PaySG's list. */
const LOOKUP_MAX_PAYMENTS = 5_000;

/**
 * How far PaySG's clock and this machine's may differ. A create answered with a payment made more
 * than this before the run began was an earlier run's (PaySG replayed the key's first answer).
 */
const CLOCK_SKEW_MS = 10_000;

/** Results finished ahead of an earlier row that is still in flight: beyond this, no new row starts. */
const MAX_RESULTS_HELD = 1_000;

/** What decides whether a row is the link made for its reference before: its PaySG parameters. */
function fingerprintOf(row: LinkRow): Promise<string> {
  return sha256Hex(JSON.stringify(row.params));
}

function messageOf(err: unknown): string {
  if (err instanceof PaysgError)
    return `${err.message}${err.status ? ` (PaySG ${err.status})` : ''}`;
  return err instanceof Error ? err.message : String(err);
}

/** Whether a payment found for a reference is this row's (and not an earlier version of it). */
function isRowsPayment(payment: Payment, row: LinkRow): boolean {
  return (
    payment.amount_in_cents === row.params.amount_in_cents &&
    payment.description === row.params.description
  );
}

/** Creates (or finds) one row's link. */
export async function createLink(
  paysg: PaysgClient,
  journal: LinkJournal,
  row: LinkRow,
  options: CreateLinkOptions = {},
): Promise<LinkResult> {
  const sendEmail = options.sendEmail ?? false;
  const runStartedAt = options.runStartedAt ?? journal.now().getTime();
  const base = { line: row.line, reference: row.reference };
  const fingerprint = await fingerprintOf(row);
  let state = journal.state(row.reference);
  if (state.paymentId && state.fingerprint !== fingerprint) {
    return {
      ...base,
      status: 'failed',
      paymentId: state.paymentId,
      error:
        'a link with this reference was created earlier with other details: give the row a new reference, or cancel the old link',
    };
  }

  if (!state.paymentId && state.inFlight && state.fingerprint !== fingerprint) {
    // An earlier attempt's answer never came: PaySG may hold a link with the row's old details.
    return {
      ...base,
      status: 'unknown',
      error:
        'this row changed after an attempt whose answer was lost: rerun with the row as it was to learn what PaySG made, or use a new reference',
    };
  }
  let attempt = state.attempt;
  if (
    !state.paymentId &&
    state.inFlight &&
    journal.now().getTime() - Date.parse(state.inFlight.at) > IDEMPOTENCY_KEY_SAFE_FOR_MS
  ) {
    // The key may be pruned by now: look for the payment instead of resending it.
    let found: Payment | undefined;
    try {
      // Not knowing (an error, or the bound reached) is never taken for "none".
      const ours = (payment: Payment) =>
        payment.reference_id === row.reference &&
        payment.metadata?.[LINK_METADATA_KEY] === row.reference;
      found = await findPayment(paysg, ours, {
        since: Date.parse(state.inFlight.at) - 10 * 60_000,
        maxPayments: LOOKUP_MAX_PAYMENTS,
      });
    } catch (err) {
      return {
        ...base,
        status: 'unknown',
        error: `could not search PaySG for an earlier attempt (${messageOf(err)}): nothing was sent; rerun later`,
      };
    }
    if (found && !isRowsPayment(found, row)) {
      return {
        ...base,
        status: 'failed',
        paymentId: found.id,
        error:
          'PaySG holds a link for this reference with other details: cancel it, or use a new reference',
      };
    }
    if (found)
      journal.record({
        reference: row.reference,
        step: 'created',
        paymentId: found.id,
        paymentUrl: found.payment_url,
      });
    else attempt++;
  }
  state = journal.state(row.reference);
  if (state.paymentId) {
    return {
      ...base,
      status: 'existing',
      paymentId: state.paymentId,
      paymentUrl: state.paymentUrl,
      ...(await emailStep(paysg, journal, row, sendEmail)),
    };
  }

  const key = await paysgLinkKey(row.reference, attempt);
  journal.record({ reference: row.reference, step: 'sending', key, attempt, fingerprint });
  let payment: Payment;
  try {
    payment = await paysg.payments.create(
      { ...row.params, metadata: { ...row.params.metadata, [LINK_METADATA_KEY]: row.reference } },
      { idempotencyKey: key },
    );
  } catch (err) {
    if (err instanceof PaysgUpstreamError && (err.status === 500 || err.status === 503)) {
      journal.record({
        reference: row.reference,
        step: 'failed_stored',
        attempt,
        error: messageOf(err),
      });
      return {
        ...base,
        status: 'failed',
        error: `${messageOf(err)}: nothing was created; rerun to try again`,
      };
    }
    if (err instanceof PaysgIdempotencyMismatchError) {
      // The key was used with other details: a link may exist, so nothing is recorded as refused.
      return {
        ...base,
        status: 'failed',
        error:
          'PaySG already holds this reference with other details: cancel that link (status --reference), or use a new reference',
      };
    }
    if (err instanceof PaysgError && !err.retryable) {
      journal.record({ reference: row.reference, step: 'refused', error: messageOf(err) });
      return { ...base, status: 'failed', error: messageOf(err) };
    }
    return {
      ...base,
      status: 'unknown',
      error: `${messageOf(err)}: PaySG may have made it; rerun to find out (nothing is made twice)`,
    };
  }
  journal.record({
    reference: row.reference,
    step: 'created',
    paymentId: payment.id,
    paymentUrl: payment.payment_url,
  });
  const madeAt = instantOf(payment.created_at);
  const earlierRuns = madeAt !== undefined && madeAt < runStartedAt - CLOCK_SKEW_MS;
  return {
    ...base,
    status: earlierRuns ? 'existing' : 'created',
    paymentId: payment.id,
    paymentUrl: payment.payment_url,
    qrCodeUrl: payment.payment_qr_code_url,
    ...(await emailStep(paysg, journal, row, sendEmail)),
  };
}

/** Sends the link once: an e-mail whose answer was lost is checked with PaySG before any resend. */
async function emailStep(
  paysg: PaysgClient,
  journal: LinkJournal,
  row: LinkRow,
  sendEmail: boolean,
): Promise<Pick<LinkResult, 'emailed' | 'error'>> {
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
    return {
      emailed: false,
      error: `the link exists, but the e-mail was not sent: ${messageOf(err)}; rerun to send it`,
    };
  }
}

/**
 * Creates (or finds) every row's link, at most `concurrency` at a time. Rows are pulled as workers
 * free up, so a file streamed in is never held whole; `onResult` gets each result in the rows'
 * order.
 */
export async function createLinks(
  paysg: PaysgClient,
  journal: LinkJournal,
  rows: Iterable<LinkRow> | AsyncIterable<LinkRow>,
  options: CreateLinksOptions = {},
): Promise<LinkCounts> {
  const counts: LinkCounts = { created: 0, existing: 0, failed: 0, unknown: 0 };
  const one: CreateLinkOptions = {
    sendEmail: options.sendEmail ?? false,
    runStartedAt: options.runStartedAt ?? journal.now().getTime(),
  };
  const source =
    Symbol.asyncIterator in rows ? rows[Symbol.asyncIterator]() : rows[Symbol.iterator]();
  // Results that finished before an earlier row's, held until it is done, so they go out in order.
  const held = new Map<number, LinkResult>();
  let taken = 0;
  let handedOn = 0;
  const waiting: (() => void)[] = [];
  let stopped: { err: unknown } | undefined;
  const handOn = () => {
    for (let result = held.get(handedOn); result !== undefined; result = held.get(handedOn)) {
      held.delete(handedOn++);
      counts[result.status]++;
      options.onResult?.(result, handedOn);
    }
    if (held.size < MAX_RESULTS_HELD) for (const wake of waiting.splice(0)) wake();
  };
  const worker = async () => {
    for (;;) {
      while (held.size >= MAX_RESULTS_HELD)
        await new Promise<void>((resolve) => waiting.push(resolve));
      let next: IteratorResult<LinkRow>;
      try {
        next = await source.next();
      } catch (err) {
        // The rows cannot be read on (the file changed): rows in flight finish, and no more start.
        stopped ??= { err };
        return;
      }
      if (next.done || stopped) return;
      const index = taken++;
      const row = next.value;
      const result = await createLink(paysg, journal, row, one).catch((err: unknown) => ({
        line: row.line,
        reference: row.reference,
        status: 'unknown' as const,
        error: messageOf(err),
      }));
      // A file holds each reference once: nothing in this run asks about it again.
      journal.settle(row.reference);
      held.set(index, result);
      handOn();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
  if (stopped) throw stopped.err;
  return counts;
}
