/**
 * Every Idempotency-Key PaySG sees from us, and the life of a checkout's. PaySG stores its first
 * answer to a key, 500s included, and replays it for at least 24 hours (paysg-api.md §6), so each
 * key is derived from something of ours (a checkout id, a refund id, a link's reference), never
 * taken from a caller: sending it again is asking PaySG again, never a second payment or refund
 * (reliability.md §1).
 *
 * A checkout's key is derived and stored with the claim, counted as sent before each send,
 * rotated after PaySG's own 500 or 503 (replayed for that key forever), and sent again, or looked
 * for in PaySG's list, to learn what it made. The refund and link keys live here too, beside it:
 * one file shows every key we send and how each is spelled.
 *
 * A FormSG submission's payment is a checkout like any other, with one difference: its key is
 * derived from the submission (`submissionPaysgKey`), not from the checkout id, because FormSG
 * retries a delivery for about a day (paysg-api.md §17) and two instances may receive the same
 * one: whichever makes the checkout, PaySG sees one key for the submission. From there the
 * checkout's machinery applies unchanged (marked sent before sending, rotated after PaySG's own
 * 500 or 503); past PaySG's 24 hours the payment is looked for by the submission's metadata.
 * @module
 */
import type { AppContext } from '../deps.js';
import { sha256Hex } from '../encoding.js';
import {
  PaysgError,
  PaysgInvalidRequestError,
  PaysgInvalidResponseError,
  PaysgUpstreamError,
} from '../paysg/errors.js';
import { FORMSG_METADATA } from '../formsg/formsg-metadata.js';
import type { PaysgClient } from '../paysg/client.js';
import { findPayment } from '../paysg/find-payment.js';
import type { Payment } from '../paysg/schemas.js';
import type { Checkout, CheckoutPatch } from '../storage/checkout-store.js';

/**
 * PaySG keeps an Idempotency-Key for at least 24 hours (§6): past this, resending a key could
 * make a second payment, so a lost answer is looked for in the list instead. An hour short of
 * PaySG's day, for clocks that differ and requests in flight.
 */
export const IDEMPOTENCY_KEY_SAFE_FOR_MS = 23 * 60 * 60 * 1000;

/** The submission a payment is for: FormSG's ids (MongoDB ObjectIds, hex). */
export interface SubmissionIds {
  formId: string;
  submissionId: string;
}

/**
 * A FormSG submission's key: `paysg-checkout:formsg:{formId}:{submissionId}:{attempt}`, at most
 * 90 characters of 255. The attempt counts from 1 and is raised only where a checkout's key
 * would be rotated (`rotatedPaysgKey`).
 */
export function submissionPaysgKey(ids: SubmissionIds, attempt: number): string {
  if (!Number.isSafeInteger(attempt) || attempt < 1) throw new RangeError('attempt counts from 1');
  return `paysg-checkout:formsg:${ids.formId.toLowerCase()}:${ids.submissionId.toLowerCase()}:${attempt}`;
}

/** A fine's checkout's first key, as it is claimed: counted as sent, like a payer's (`newCheckoutKey`). */
export function newSubmissionKey(
  ids: SubmissionIds,
): Pick<Checkout, 'paysgIdempotencyKey' | 'paysgKeySent'> {
  return { paysgIdempotencyKey: submissionPaysgKey(ids, 1), paysgKeySent: true };
}

/** Whether a PaySG payment is the one made for this submission (by the metadata we send). */
export function isSubmissionPayment(payment: Payment, ids: SubmissionIds): boolean {
  const metadata = payment.metadata ?? {};
  const formId = metadata[FORMSG_METADATA.formId];
  const submissionId = metadata[FORMSG_METADATA.submissionId];
  return (
    typeof formId === 'string' &&
    typeof submissionId === 'string' &&
    formId.toLowerCase() === ids.formId.toLowerCase() &&
    submissionId.toLowerCase() === ids.submissionId.toLowerCase()
  );
}

/** A day of an agency's payments, newest first, may be long. */
const SUBMISSION_LOOKUP_MAX_PAYMENTS = 5_000;

/**
 * The payment PaySG made for a submission since `since` (ms), found in its list by the
 * submission's metadata; `undefined` only when PaySG certainly holds none. Throws PaySG's errors
 * and `PaymentSearchIncomplete` when the list cannot say: not knowing is never taken for
 * "none", so no new key is sent on it.
 */
export function submissionPaymentInList(
  paysg: PaysgClient,
  ids: SubmissionIds,
  since: number,
): Promise<Payment | undefined> {
  return findPayment(paysg, (payment) => isSubmissionPayment(payment, ids), {
    since,
    maxPayments: SUBMISSION_LOOKUP_MAX_PAYMENTS,
  });
}

/** A checkout's first key: one per checkout, stored with it before PaySG is first called. */
export function paysgCheckoutKey(checkoutId: string): string {
  return `paysg-checkout:${checkoutId}:create`;
}

/**
 * The key for the next attempt: `…:create` → `…:create:2` → `…:create:3`, and a submission's
 * `paysg-checkout:formsg:{form}:{submission}:1` → `…:2`.
 */
export function rotatedPaysgKey(key: string): string {
  const submission = /^(paysg-checkout:formsg:[^:]+:[^:]+):(\d+)$/.exec(key);
  if (submission) return `${submission[1]}:${Number(submission[2]) + 1}`;
  const match = /^(.*:create)(?::(\d+))?$/.exec(key);
  if (!match) return `${key}:2`;
  return `${match[1]}:${Number(match[2] ?? 1) + 1}`;
}

/** The key PaySG sees for a refund: derived from our id, so every send of it is the same request. */
export function paysgRefundKey(refundId: string): string {
  return `paysg-checkout:refund:${refundId}`;
}

/**
 * The key PaySG sees for a payment link: its reference, hashed (a reference may be as long as a
 * key may be, 255 characters), and the attempt the links journal keeps.
 */
export async function paysgLinkKey(reference: string, attempt: number): Promise<string> {
  return `paysg-checkout:link:${(await sha256Hex(reference)).slice(0, 32)}:${attempt}`;
}

/** A new checkout's key, as it is claimed: counted as sent, since the claimer sends it at once. */
export function newCheckoutKey(
  checkoutId: string,
): Pick<Checkout, 'paysgIdempotencyKey' | 'paysgKeySent'> {
  return { paysgIdempotencyKey: paysgCheckoutKey(checkoutId), paysgKeySent: true };
}

/**
 * Records the checkout's key as sent, before it is sent: from then on it may make a payment at
 * PaySG, so nothing frees the order without asking PaySG under it (the reconciler fails unasked
 * only a checkout whose key was never sent). Resolves to the checkout to send, or `undefined`
 * when it has moved on meanwhile and must not be sent.
 */
export async function markPaysgKeySent(
  ctx: AppContext,
  checkout: Checkout,
): Promise<Checkout | undefined> {
  if (checkout.paysgKeySent) return checkout;
  return ctx.store.update(checkout.id, 'created', { paysgKeySent: true }, ctx.now().toISOString());
}

/** 500 and 503 are PaySG's own answers, stored under the key; a gateway's 502 or 504 is not. */
function isStoredFailure(err: unknown): boolean {
  return err instanceof PaysgUpstreamError && (err.status === 500 || err.status === 503);
}

/**
 * What a failed send leaves of the key, for the write that releases the creation lock: after
 * PaySG's own 500 or 503, which it would replay for that key forever, the next derived key, not
 * yet sent (nothing exists at PaySG under it until it is); after anything else, the same key, so
 * a retry is PaySG's replay.
 */
export function keyAfterFailedSend(
  checkout: Pick<Checkout, 'paysgIdempotencyKey'>,
  err: unknown,
): CheckoutPatch {
  if (!isStoredFailure(err)) return {};
  return {
    paysgIdempotencyKey: rotatedPaysgKey(checkout.paysgIdempotencyKey),
    paysgKeySent: false,
  };
}

/**
 * Sends the checkout's stored request under its key. When PaySG's answer cannot be read, the
 * payment it may have made is looked for in its list; when none is found, the error stands.
 */
export async function sendUnderKey(ctx: AppContext, checkout: Checkout): Promise<Payment> {
  try {
    return await ctx.paysg.payments.create(checkout.paysgRequest, {
      idempotencyKey: checkout.paysgIdempotencyKey,
    });
  } catch (err) {
    const found =
      err instanceof PaysgInvalidResponseError ? await findPaymentInList(ctx, checkout) : undefined;
    if (found) return found;
    throw err;
  }
}

/**
 * Asks PaySG again with the same Idempotency-Key whether it made a payment for this checkout:
 * PaySG replays a payment it made (or makes it now, when the first request never arrived).
 * Returns `undefined` when PaySG definitely made none; throws when that cannot be known yet.
 */
export async function paymentMadeUnderKey(
  ctx: AppContext,
  checkout: Checkout,
): Promise<Payment | undefined> {
  if (!checkout.paysgKeySent) return undefined;
  try {
    return await sendUnderKey(ctx, checkout);
  } catch (err) {
    // PaySG refused the parameters, or answered with its own 500/503 (stored for the key and
    // replayed): nothing was made. Anything else (a key or permission problem) says nothing.
    if (err instanceof PaysgInvalidRequestError || isStoredFailure(err)) return undefined;
    throw err;
  }
}

/** How far back, and through how many payments, the list is searched for a lost answer. */
const LOOKUP_MARGIN_MS = 10 * 60 * 1000;
const LOOKUP_MAX_PAYMENTS = 500;

/**
 * Finds the payment PaySG made for this checkout when its create answer could not be read, or
 * its key is too old to send again: PaySG lists payments newest first, and only this checkout's
 * payment has its `return_url`. `undefined` when none was found or the list could not be read.
 */
export async function findPaymentInList(
  ctx: AppContext,
  checkout: Checkout,
  maxPayments = LOOKUP_MAX_PAYMENTS,
): Promise<Payment | undefined> {
  const since = Date.parse(checkout.createdAt) - LOOKUP_MARGIN_MS;
  const ours = (payment: Payment) =>
    payment.return_url === checkout.paysgRequest.return_url &&
    payment.reference_id === checkout.referenceId;
  try {
    return await findPayment(ctx.paysg, ours, { since, maxPayments });
  } catch (err) {
    ctx.logger.log('warn', 'paysg_lookup_failed', {
      checkoutId: checkout.id,
      kind: err instanceof PaysgError ? err.kind : err instanceof Error ? err.name : 'unexpected',
    });
    return undefined;
  }
}
