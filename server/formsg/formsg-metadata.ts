/**
 * The metadata keys that tie a PaySG payment to its FormSG submission. PaySG keeps metadata on
 * the payment and gives each key a column of its payout report (paysg-api.md §17.4), so a
 * payment made for a submission can be found by them in PaySG's list (after the 24 h key window)
 * and in the agency's reports. A file of its own: the key rules (`checkouts/paysg-key.ts`) and
 * the mapping from answers (`fine-from-submission.ts`) both read it.
 * @module
 */
export const FORMSG_METADATA = {
  formId: 'formsg_form_id',
  submissionId: 'formsg_submission_id',
} as const;
