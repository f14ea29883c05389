/**
 * What the store keeps of a FormSG submission, and how it is laid out in a row of
 * `formsg_submissions`, shared by the SQLite and PostgreSQL stores. The record holds everything
 * the BFF needs to finish a submission without FormSG's body (which it never keeps: it holds a
 * payer's answers, encrypted or not): the rule, the PaySG request derived from the answers, the
 * letter's content, the checkout of its payment, and where its one e-mail stands.
 * @module
 */
import type { FineLetterContent } from '../formsg/fine-from-submission.js';
import type { CreatePaymentParams } from '../paysg/schemas.js';
import type { EmailStatus } from './email-status.js';

/** A letter's content before PaySG made the payment: everything but the link. */
export type FineLetterDraft = Omit<FineLetterContent, 'paymentUrl'>;

export interface SubmissionIds {
  formId: string;
  submissionId: string;
}

export interface FormsgSubmissionRecord extends SubmissionIds {
  /** The rule's name in the rules file (the route's last segment). */
  ruleName: string;
  /** When the payer submitted, as FormSG said (the same on every retry). */
  submittedAt: string;
  /** When the first verified delivery was recorded. */
  receivedAt: string;
  updatedAt: string;
  /** PaySG's create request as the rule made it from the answers (no `return_url` yet). */
  paysgRequest: CreatePaymentParams;
  /** `null` when the rule has no letter settings. */
  letter: FineLetterDraft | null;
  /** The checkout holding the submission's PaySG payment, once made. */
  checkoutId: string | null;
  emailStatus: EmailStatus;
  /** When the e-mail was last claimed (PaySG about to be asked). */
  emailRequestedAt: string | null;
  emailSentAt: string | null;
  /** PaySG's refusal, or why no e-mail is sent (no address). */
  emailError: string | null;
}

/** What a claim or an outcome expects the e-mail to be, for its compare and set. */
export interface EmailExpectation {
  status: EmailStatus;
  /** The claim's time as read: two staff sending an unknown e-mail again cannot both win. */
  requestedAt: string | null;
}

/** What became of an e-mail (or why none is sent). */
export interface EmailOutcome {
  status: 'sent' | 'failed' | 'skipped';
  sentAt?: string;
  error?: string;
}

export type RecordSubmissionResult = {
  /** False when the submission was already recorded: the first verified delivery decided. */
  recorded: boolean;
  submission: FormsgSubmissionRecord;
};

export interface SubmissionRow {
  form_id: string;
  submission_id: string;
  rule_name: string;
  submitted_at: string;
  received_at: string;
  updated_at: string;
  paysg_request: string;
  letter: string | null;
  checkout_id: string | null;
  email_status: string;
  email_requested_at: string | null;
  email_sent_at: string | null;
  email_error: string | null;
}

export const SUBMISSION_COLUMNS: readonly (keyof SubmissionRow)[] = [
  'form_id',
  'submission_id',
  'rule_name',
  'submitted_at',
  'received_at',
  'updated_at',
  'paysg_request',
  'letter',
  'checkout_id',
  'email_status',
  'email_requested_at',
  'email_sent_at',
  'email_error',
];

/**
 * The submissions the reconciler finishes, word for word as the partial index has it (so the
 * planner uses it): no payment attached yet, or an e-mail never claimed.
 */
export const UNFINISHED_SUBMISSION_SQL = `(checkout_id IS NULL OR email_status = 'pending')`;

export function toSubmissionRow(s: FormsgSubmissionRecord): SubmissionRow {
  return {
    form_id: s.formId,
    submission_id: s.submissionId,
    rule_name: s.ruleName,
    submitted_at: s.submittedAt,
    received_at: s.receivedAt,
    updated_at: s.updatedAt,
    paysg_request: JSON.stringify(s.paysgRequest),
    letter: s.letter && JSON.stringify(s.letter),
    checkout_id: s.checkoutId,
    email_status: s.emailStatus,
    email_requested_at: s.emailRequestedAt,
    email_sent_at: s.emailSentAt,
    email_error: s.emailError,
  };
}

export function fromSubmissionRow(r: SubmissionRow): FormsgSubmissionRecord {
  return {
    formId: r.form_id,
    submissionId: r.submission_id,
    ruleName: r.rule_name,
    submittedAt: r.submitted_at,
    receivedAt: r.received_at,
    updatedAt: r.updated_at,
    paysgRequest: JSON.parse(r.paysg_request),
    letter: r.letter === null ? null : JSON.parse(r.letter),
    checkoutId: r.checkout_id,
    emailStatus: r.email_status as EmailStatus,
    emailRequestedAt: r.email_requested_at,
    emailSentAt: r.email_sent_at,
    emailError: r.email_error,
  };
}
