/**
 * What the back office shows of a FormSG submission: the submission, its payment (the checkout's
 * status, amount and reference, and its id for the checkout's own page), where its one e-mail
 * stands in staff's words (`unknown` when a send was claimed and never answered), and whether its
 * letter can be made. No answer of the form is shown: only what the rule made of them.
 * @module
 */
import { type EmailState, emailStateOf, noEmailBecause } from '../formsg/fine-email.js';
import type { Checkout } from '../storage/checkout-store.js';
import type { FormsgSubmissionRecord } from '../storage/submission-rows.js';
import { singaporeDay } from '../singapore-time.js';
import { statusInWords } from './checkouts-csv.js';

export interface SubmissionView {
  formId: string;
  submissionId: string;
  /** The rule's name in the rules file. */
  form: string;
  submittedAt: string;
  receivedAt: string;
  payment: {
    checkoutId: string;
    status: Checkout['status'];
    statusText: string;
    paid: boolean;
    amountInCents: number;
    currency: string;
    referenceId: string;
    paymentId: string | null;
    paidAt: string | null;
  } | null;
  email: {
    state: EmailState;
    /** The payer's address, when they gave one. */
    to: string | null;
    requestedAt: string | null;
    sentAt: string | null;
    /** PaySG's refusal, or why none is sent. */
    note: string | null;
    /** Staff (refund role) may send it again: it failed, or its outcome is unknown. */
    canSendAgain: boolean;
  };
  letterAvailable: boolean;
  /** Why the letter cannot be made, in staff's words; `null` when it can. */
  letterUnavailableReason: string | null;
}

/**
 * Why no letter can be made for the submission, or `undefined` when one can. A letter asks the
 * payer to pay through its link, so it is for a fine still payable: never one paid (or refunded),
 * nor one whose payment was cancelled or failed (its link no longer takes a payment).
 */
export function letterProblem(
  submission: FormsgSubmissionRecord,
  checkout: Checkout | undefined,
): string | undefined {
  if (!submission.letter) return 'This form’s rule has no letter settings';
  switch (checkout?.status) {
    // A refunded fine stays `paid` here: refunds are kept apart from the checkout's status.
    case 'paid': {
      const on = checkout?.paidAt
        ? ` on ${singaporeDay(new Date(checkout.paidAt).toISOString())}`
        : '';
      return `The fine was paid${on}; no letter is needed`;
    }
    case 'cancelled':
      return 'The payment was cancelled: its link no longer takes a payment, so no letter is made';
    case 'failed':
      return 'The payment failed at PaySG: its link takes no payment, so no letter is made';
  }
  if (!checkout?.paymentUrl)
    return 'The payment has not been made yet: the letter carries its link';
  return undefined;
}

/** Whether staff may send the e-mail again, and why not when they may not. */
export function resendProblem(
  submission: FormsgSubmissionRecord,
  checkout: Checkout | undefined,
  now: Date,
): string | undefined {
  const state = emailStateOf(submission, now);
  if (state !== 'failed' && state !== 'unknown')
    return `The e-mail is ${state}: only a failed or unknown one is sent again`;
  if (!checkout?.paymentId) return 'The payment has not been made yet';
  return noEmailBecause(submission, checkout);
}

export function submissionView(
  submission: FormsgSubmissionRecord,
  checkout: Checkout | undefined,
  now: Date,
): SubmissionView {
  const letter = letterProblem(submission, checkout);
  return {
    formId: submission.formId,
    submissionId: submission.submissionId,
    form: submission.ruleName,
    submittedAt: submission.submittedAt,
    receivedAt: submission.receivedAt,
    payment: checkout
      ? {
          checkoutId: checkout.id,
          status: checkout.status,
          statusText: statusInWords(checkout),
          paid: checkout.status === 'paid',
          amountInCents: checkout.amountInCents,
          currency: checkout.currency,
          referenceId: checkout.referenceId,
          paymentId: checkout.paymentId,
          paidAt: checkout.paidAt && new Date(checkout.paidAt).toISOString(),
        }
      : null,
    email: {
      state: emailStateOf(submission, now),
      to: submission.paysgRequest.payer_email ?? null,
      requestedAt: submission.emailRequestedAt,
      sentAt: submission.emailSentAt,
      note: submission.emailError,
      canSendAgain: resendProblem(submission, checkout, now) === undefined,
    },
    letterAvailable: letter === undefined,
    letterUnavailableReason: letter ?? null,
  };
}
