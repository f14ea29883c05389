/**
 * The Idempotency-Key PaySG sees for a FormSG submission's payment, and how long it may be sent.
 *
 * FormSG retries a delivery for about a day (5 min, 1 h, 2 h, 4 h, 8 h, 20 h ± 4 h: paysg-api.md
 * §17), and the BFF may crash between PaySG's answer and its own record of it. One submission must
 * still make one payment: so the key is derived from the submission, never random, and every send
 * of it is PaySG replaying its first answer (§6), spelled like the other keys we derive from our
 * own ids (`checkouts/paysg-key.ts`): `paysg-checkout:formsg:{formId}:{submissionId}:{attempt}`.
 *
 * PaySG may prune a key after 24 hours, and FormSG's last retry comes near that. So a key first
 * sent longer ago than `IDEMPOTENCY_KEY_SAFE_FOR_MS` is not sent again: the payment it may have
 * made is looked for in PaySG's list by the submission's metadata, as the links command does for
 * a row (`links/create-links.ts`), and only when PaySG certainly holds none is a new attempt's key
 * sent. After PaySG's own 500 or 503, which it keeps for the key, the next attempt's key is used,
 * by the same rule as a checkout's (`keyAfterFailedSend`).
 * @module
 */
import { keyAfterFailedSend } from '../checkouts/paysg-key.js';
import type { PaysgClient } from '../paysg/client.js';
import { findPayment, IDEMPOTENCY_KEY_SAFE_FOR_MS } from '../paysg/find-payment.js';
import type { Payment } from '../paysg/schemas.js';
import { FORMSG_METADATA } from './fine-from-submission.js';

/** The submission a payment is for. */
export interface SubmissionIds {
  formId: string;
  submissionId: string;
}

/** What the store keeps of a submission's key, written before the key is sent. */
export interface SubmissionKeyState {
  /** 1 at first; raised after a failure PaySG keeps for the key, or a key aged out unused. */
  attempt: number;
  /** When this attempt's key was first sent (ISO-8601); absent while it never was. */
  sentAt?: string;
}

export type SubmissionKeyStep =
  /** Send (again) under `key`; persist `state` first: from then on the key may make a payment. */
  | { action: 'send'; key: string; state: SubmissionKeyState }
  /** PaySG already made the submission's payment under an aged-out key: use it, send nothing. */
  | { action: 'found'; payment: Payment };

/** How far back before the first send the list is searched (PaySG's clock may differ from ours). */
const LOOKUP_MARGIN_MS = 10 * 60 * 1000;
/** A day of an agency's payments, newest first, may be long. */
const LOOKUP_MAX_PAYMENTS = 5_000;

/** `paysg-checkout:formsg:{formId}:{submissionId}:{attempt}`: at most 90 characters of 255. */
export function submissionPaysgKey(ids: SubmissionIds, attempt: number): string {
  if (!Number.isSafeInteger(attempt) || attempt < 1) throw new RangeError('attempt counts from 1');
  return `paysg-checkout:formsg:${ids.formId.toLowerCase()}:${ids.submissionId.toLowerCase()}:${attempt}`;
}

/** Whether a PaySG payment is the one made for this submission (by the metadata we send). */
export function isSubmissionPayment(payment: Payment, ids: SubmissionIds): boolean {
  const metadata = payment.metadata ?? {};
  return (
    typeof metadata[FORMSG_METADATA.formId] === 'string' &&
    typeof metadata[FORMSG_METADATA.submissionId] === 'string' &&
    (metadata[FORMSG_METADATA.formId] as string).toLowerCase() === ids.formId.toLowerCase() &&
    (metadata[FORMSG_METADATA.submissionId] as string).toLowerCase() ===
      ids.submissionId.toLowerCase()
  );
}

/**
 * What to do for a submission whose key is in `state`: send under its key (the same one while
 * PaySG surely still holds it), or use the payment an aged-out key made. Throws PaySG's errors and
 * `PaymentSearchIncomplete` when the list cannot say whether a payment exists: not knowing is
 * never taken for "none", so nothing is sent; the caller tries again later (FormSG retries).
 */
export async function nextSubmissionKeyStep(
  paysg: PaysgClient,
  ids: SubmissionIds,
  state: SubmissionKeyState,
  now: Date,
): Promise<SubmissionKeyStep> {
  const sentAt = state.sentAt ? Date.parse(state.sentAt) : undefined;
  if (sentAt === undefined || now.getTime() - sentAt <= IDEMPOTENCY_KEY_SAFE_FOR_MS) {
    return {
      action: 'send',
      key: submissionPaysgKey(ids, state.attempt),
      state: { attempt: state.attempt, sentAt: state.sentAt ?? now.toISOString() },
    };
  }
  const found = await findPayment(paysg, (payment) => isSubmissionPayment(payment, ids), {
    since: sentAt - LOOKUP_MARGIN_MS,
    maxPayments: LOOKUP_MAX_PAYMENTS,
  });
  if (found) return { action: 'found', payment: found };
  const attempt = state.attempt + 1;
  return {
    action: 'send',
    key: submissionPaysgKey(ids, attempt),
    state: { attempt, sentAt: now.toISOString() },
  };
}

/**
 * The state after a send failed: after PaySG's own 500 or 503, which it replays for that key
 * forever, the next attempt (not yet sent); after anything else the same key, so a retry is
 * PaySG's replay of whatever it did.
 */
export function stateAfterFailedSend(
  state: SubmissionKeyState,
  ids: SubmissionIds,
  err: unknown,
): SubmissionKeyState {
  const rotated = keyAfterFailedSend(
    { paysgIdempotencyKey: submissionPaysgKey(ids, state.attempt) },
    err,
  );
  return rotated.paysgIdempotencyKey === undefined ? state : { attempt: state.attempt + 1 };
}
