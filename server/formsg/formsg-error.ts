/**
 * The one error a FormSG submission can fail with, from the webhook's signature to the PaySG
 * payment its answers make: a stable `code` to branch on and log, and a message that says what
 * was wrong without repeating any answer (an answer is a payer's personal data).
 *
 * The BFF's error codes are a closed list shared with the widget (`contract/bff-contract.ts`),
 * and the FormSG codes are on it: `toWebhookError` is what the route answers FormSG, with the
 * exact code, so FormSG's delivery log names the refusal. `toApiError` keeps the older answer
 * (the nearest pre-FormSG code, the FormSG code at the start of the message) for callers that
 * read only those codes.
 * @module
 */
import type { ErrorCode } from '../../contract/bff-contract.js';
import { ApiError } from '../errors.js';

/** The BFF's codes for FormSG's deliveries, declared with the others in the contract. */
export type FormsgErrorCode = Extract<ErrorCode, `formsg_${string}`>;

export class FormsgError extends Error {
  override name = 'FormsgError';
  readonly code: FormsgErrorCode;
  /**
   * The ids FormSG signed, when the refusal came after its signature passed: a submission FormSG
   * did send, which nobody will see unless the refusal is raised (`routes/formsg.ts`).
   */
  signed?: { formId: string; submissionId: string };

  constructor(code: FormsgErrorCode, message: string) {
    super(message);
    this.code = code;
  }

  /**
   * Whether FormSG's own retry (5 min to about a day later, paysg-api.md §17) could succeed
   * where this attempt failed: only a delivery that arrived too late or too early. Every other
   * failure is the same on every retry, so the route may record it and answer 2xx instead.
   */
  get retryable(): boolean {
    return this.code === 'formsg_stale';
  }

  /**
   * What `POST /formsg/{form}` answers FormSG: the BFF's one error shape with this exact code
   * (the contract lists them), so FormSG's delivery log names the refusal. 401 for a signature
   * FormSG did not make now, 404 for a form not configured here, 400 for a body that is not a
   * readable delivery, 422 for answers the rule cannot make a payment of.
   */
  toWebhookError(): ApiError {
    switch (this.code) {
      case 'formsg_signature_invalid':
      case 'formsg_stale':
        return new ApiError(401, this.code, this.message);
      case 'formsg_unknown_form':
        return new ApiError(404, this.code, this.message);
      case 'formsg_malformed':
      case 'formsg_mismatch':
      case 'formsg_undecryptable':
        return new ApiError(400, this.code, this.message);
      case 'formsg_rule_unmatched':
        return new ApiError(422, this.code, this.message);
    }
  }

  /** The BFF's one error shape, with the nearest code on its pre-FormSG list. */
  toApiError(): ApiError {
    const message = `${this.code}: ${this.message}`;
    switch (this.code) {
      case 'formsg_signature_invalid':
      case 'formsg_stale':
        return new ApiError(401, 'invalid_signature', message);
      case 'formsg_unknown_form':
        return new ApiError(404, 'not_found', message);
      case 'formsg_malformed':
      case 'formsg_mismatch':
      case 'formsg_undecryptable':
      case 'formsg_rule_unmatched':
        return new ApiError(400, 'invalid_request', message);
    }
  }
}
