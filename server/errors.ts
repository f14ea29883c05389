/**
 * The BFF's one error shape: `{"error": {"code", "message", "requestId", "issues"?}}`.
 *
 * Every failure a client can see is an `ApiError`; anything else that escapes a handler is
 * logged and answered as `internal_error` without detail, so no stack trace or upstream secret
 * ever reaches a response.
 * @module
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ERROR_CODES, type ErrorCode } from '../contract/bff-contract.js';
import type { FieldIssue } from './zod-issues.js';

/** Every error code the BFF answers with: the contract's list, which the widget reads too. */
export { ERROR_CODES, type ErrorCode };

/** One field-level problem, path in dotted form (`payer.email`), as `zod-issues.ts` writes them. */
export type ErrorIssue = FieldIssue;

export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    requestId: string;
    issues?: ErrorIssue[];
  };
}

export class ApiError extends Error {
  readonly status: ContentfulStatusCode;
  readonly code: ErrorCode;
  readonly issues: ErrorIssue[] | undefined;
  /** Seconds, sent as `Retry-After` when set. */
  readonly retryAfter: number | undefined;

  constructor(
    status: ContentfulStatusCode,
    code: ErrorCode,
    message: string,
    options: { issues?: ErrorIssue[]; retryAfter?: number } = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.issues = options.issues;
    this.retryAfter = options.retryAfter;
  }
}

/** Renders an `ApiError` in the one shape, with the request id the middleware assigned. */
export function errorResponse(c: Context, err: ApiError): Response {
  const body: ErrorBody = {
    error: { code: err.code, message: err.message, requestId: requestIdOf(c) },
  };
  if (err.issues?.length) body.error.issues = err.issues;
  if (err.retryAfter !== undefined) c.header('Retry-After', String(err.retryAfter));
  c.header('Cache-Control', 'no-store');
  return c.json(body, err.status);
}

export function requestIdOf(c: Context): string {
  return (c.get('requestId') as string | undefined) ?? 'unknown';
}
