/**
 * The PaySG client's error tree. Every failure of a call is one of these, so callers branch on
 * the class (or `kind`) and never on message text. The API key is never part of a message.
 * @module
 */

export type PaysgErrorKind =
  | 'invalid_request'
  | 'authentication'
  | 'payment_state'
  | 'permission'
  | 'not_found'
  | 'conflict'
  | 'idempotency_mismatch'
  | 'rate_limited'
  | 'upstream'
  | 'connection'
  | 'timeout'
  | 'invalid_response'
  | 'invalid_signature';

export interface PaysgErrorFields {
  /** HTTP status from PaySG, absent when no response arrived. */
  status?: number;
  /** PaySG's `error.type` and `error.code` (errors page), when it sent an envelope. */
  type?: string;
  code?: string;
  data?: Record<string, unknown>;
  requestId?: string;
  /** Seconds from `Retry-After`, when PaySG sent one. */
  retryAfter?: number;
  cause?: unknown;
}

export class PaysgError extends Error {
  readonly kind: PaysgErrorKind = 'upstream';
  readonly status: number | undefined;
  readonly type: string | undefined;
  readonly code: string | undefined;
  readonly data: Record<string, unknown> | undefined;
  readonly requestId: string | undefined;
  readonly retryAfter: number | undefined;

  constructor(message: string, fields: PaysgErrorFields = {}) {
    super(message, fields.cause === undefined ? undefined : { cause: fields.cause });
    this.name = new.target.name;
    this.status = fields.status;
    this.type = fields.type;
    this.code = fields.code;
    this.data = fields.data;
    this.requestId = fields.requestId;
    this.retryAfter = fields.retryAfter;
  }

  /** True when the same call may succeed later: the outcome was not a definite "no". */
  get retryable(): boolean {
    return false;
  }
}

/** 400: PaySG (or our own pre-flight validation) refused the parameters. */
export class PaysgInvalidRequestError extends PaysgError {
  override readonly kind = 'invalid_request';
}
/** 401: the API key is missing or not valid. */
export class PaysgAuthenticationError extends PaysgError {
  override readonly kind = 'authentication';
}
/** 402: valid parameters, but the resource's state refuses the request. */
export class PaysgPaymentStateError extends PaysgError {
  override readonly kind = 'payment_state';
}
/** 403: the key holder is not a Billing collaborator on the payment service. */
export class PaysgPermissionError extends PaysgError {
  override readonly kind = 'permission';
}
/** 404. */
export class PaysgNotFoundError extends PaysgError {
  override readonly kind = 'not_found';
}
/** 409: e.g. a concurrent request with the same Idempotency-Key, or the key reused. */
export class PaysgConflictError extends PaysgError {
  override readonly kind = 'conflict';
  override get retryable(): boolean {
    return true;
  }
}
/**
 * The Idempotency-Key was used before with other parameters: a definite "no" for this key,
 * never worth retrying (paysg-api.md §6; its status and code are undocumented, see
 * `errorClassFor`).
 */
export class PaysgIdempotencyMismatchError extends PaysgError {
  override readonly kind = 'idempotency_mismatch';
}
/** 429. */
export class PaysgRateLimitError extends PaysgError {
  override readonly kind = 'rate_limited';
  override get retryable(): boolean {
    return true;
  }
}
/** 5xx: a fault inside PaySG or one of its providers. */
export class PaysgUpstreamError extends PaysgError {
  override readonly kind = 'upstream';
  override get retryable(): boolean {
    return true;
  }
}
/** No response: DNS, refused or reset connection. PaySG may or may not have acted. */
export class PaysgConnectionError extends PaysgError {
  override readonly kind = 'connection';
  override get retryable(): boolean {
    return true;
  }
}
/** No response in time; the request was aborted. PaySG may or may not have acted. */
export class PaysgTimeoutError extends PaysgError {
  override readonly kind = 'timeout';
  override get retryable(): boolean {
    return true;
  }
}
/** PaySG answered 2xx with a body we could not read as the documented object. */
export class PaysgInvalidResponseError extends PaysgError {
  override readonly kind = 'invalid_response';
}

/** A webhook whose `PaySG-Signature` is missing, malformed, stale or wrong. */
export class PaysgSignatureError extends PaysgError {
  override readonly kind = 'invalid_signature';
}

const BY_STATUS: Record<number, typeof PaysgError> = {
  400: PaysgInvalidRequestError,
  401: PaysgAuthenticationError,
  402: PaysgPaymentStateError,
  403: PaysgPermissionError,
  404: PaysgNotFoundError,
  409: PaysgConflictError,
  422: PaysgInvalidRequestError,
  429: PaysgRateLimitError,
};

/** The error class for an HTTP status PaySG answered with. */
export function errorClassForStatus(status: number): typeof PaysgError {
  return BY_STATUS[status] ?? (status >= 500 ? PaysgUpstreamError : PaysgError);
}

/** A key used before with other parameters, as opposed to one still in flight (retryable). */
const IDEMPOTENCY_MISMATCH =
  /idempot\w*.*(reuse|mismatch|different|other|match)|(reuse|mismatch)\w*.*idempot/i;
const STILL_UNDER_WAY = /in_?progress|in_?use|in_?flight|concurrent|being processed/i;
/** A request refused for the payment's state: paid, cancelled, not unpaid, not cancellable. */
const STATE_REFUSAL =
  /state|already_?(paid|cancel)|not_?(unpaid|cancellable|cancelable)|cannot_?cancel/i;

/**
 * The error class for an answer, by its status and by PaySG's `type` and `code`, which the guide
 * documents without listing (paysg-api.md §5, §15.5): a state refusal may come as 400 or 409 as
 * well as 402, and an idempotency mismatch as 400, 409 or 422.
 */
export function errorClassFor(
  status: number,
  detail: { type?: string | undefined; code?: string | undefined; message?: string | undefined },
): typeof PaysgError {
  if (status === 400 || status === 409 || status === 422) {
    const said = `${detail.type ?? ''} ${detail.code ?? ''} ${detail.message ?? ''}`;
    // Something still under way (a key in flight, a refund processing) is worth trying again.
    if (STILL_UNDER_WAY.test(`${detail.code ?? ''} ${detail.message ?? ''}`))
      return errorClassForStatus(status);
    if (IDEMPOTENCY_MISMATCH.test(said)) return PaysgIdempotencyMismatchError;
    if (STATE_REFUSAL.test(`${detail.type ?? ''} ${detail.code ?? ''}`))
      return PaysgPaymentStateError;
  }
  return errorClassForStatus(status);
}
