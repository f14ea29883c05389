/**
 * The widget's calls to the BFF. Every failure becomes a `BffError` with a code from the BFF's
 * closed list (or `network_error` / `invalid_response`), never a raw exception.
 */
import type {
  CheckoutView,
  CreateCheckoutRequest,
  CreatedCheckoutResponse,
  ErrorResponse,
  QuoteResponse,
} from '../contract/bff-contract.js';
import { BROWSER_HEADER, CHECKOUT_HEADER } from '../contract/wire-names.js';
import type { PaysgErrorCode } from './events.js';
import { browserSecret } from './internal/browser-secret.js';

export type {
  CheckoutView,
  PayerInput,
  QuoteResponse as Quote,
  Translations,
} from '../contract/bff-contract.js';

/** Codes worth trying again: the outcome was not a definite "no". */
const RETRYABLE: ReadonlySet<PaysgErrorCode> = new Set<PaysgErrorCode>([
  'network_error',
  'invalid_response',
  'rate_limited',
  'upstream_unavailable',
  'checkout_in_progress',
  'internal_error',
  // A new order token (the page reloaded, or the host set a fresh one) lets the payer go on.
  'order_token_expired',
  'order_token_superseded',
]);

export class BffError extends Error {
  readonly code: PaysgErrorCode;
  readonly requestId: string | undefined;

  /** `message` is for developers; the payer reads the text of `code` in their language. */
  constructor(code: PaysgErrorCode, message: string, requestId?: string) {
    super(message);
    this.name = 'BffError';
    this.code = code;
    this.requestId = requestId;
  }

  get retryable(): boolean {
    return RETRYABLE.has(this.code);
  }
}

const TIMEOUT_MS = 20_000;

export class BffClient {
  /** The BFF's base URL, without a trailing slash. */
  readonly endpoint: string;

  constructor(endpoint: string) {
    this.endpoint = endpoint.replace(/\/+$/, '');
  }

  /**
   * What a catalog item, or an order token signed by the agency's backend, will charge. With a
   * reference (or a token), this browser proves itself, so the answer names the order's paid
   * checkout when this browser (or this token) made it (`paidCheckoutId`).
   */
  getQuote(
    order: { item?: string; orderToken?: string; reference?: string },
    signal?: AbortSignal,
  ): Promise<QuoteResponse> {
    const { item = '', orderToken, reference } = order;
    return orderToken
      ? this.#request('POST', '/quote', signal, { orderToken })
      : // Only an order with a reference can be one this browser paid: no preflight otherwise.
        this.#request(
          'GET',
          `/quote?${new URLSearchParams(reference ? { item, reference } : { item })}`,
          signal,
          undefined,
          reference ? { [BROWSER_HEADER]: browserSecret() } : {},
        );
  }

  createCheckout(
    body: CreateCheckoutRequest,
    idempotencyKey: string,
    signal?: AbortSignal,
  ): Promise<CreatedCheckoutResponse> {
    return this.#request('POST', '/checkouts', signal, body, { 'Idempotency-Key': idempotencyKey });
  }

  getCheckout(checkoutId: string, signal?: AbortSignal): Promise<CheckoutView> {
    return this.#request('GET', `/checkouts/${encodeURIComponent(checkoutId)}`, signal);
  }

  cancelCheckout(checkoutId: string, signal?: AbortSignal): Promise<CheckoutView> {
    return this.#request('POST', `/checkouts/${encodeURIComponent(checkoutId)}/cancel`, signal, {});
  }

  async #request<T>(
    method: 'GET' | 'POST',
    path: string,
    signal: AbortSignal | undefined,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> {
    const timeout = AbortSignal.timeout(TIMEOUT_MS);
    let response: Response;
    try {
      response = await fetch(this.endpoint + path, {
        method,
        // Checkout ids are the capability; no cookies are needed or sent.
        credentials: 'omit',
        headers: {
          Accept: 'application/json',
          ...(body !== undefined && {
            'Content-Type': 'application/json',
            [CHECKOUT_HEADER]: '1',
            // This browser's checkouts are handed back, named, and may be cancelled, only with it.
            [BROWSER_HEADER]: browserSecret(),
          }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        // AbortSignal.any is recent (Safari 17.4); without it, the element's own signal comes first.
        signal: signal ? (AbortSignal.any?.([signal, timeout]) ?? signal) : timeout,
      });
    } catch (err) {
      // The element stopped caring (it was removed, or the order changed): not an error to show.
      if (signal?.aborted) throw err;
      throw new BffError('network_error', 'Unreachable');
    }
    let json: unknown;
    try {
      json = await response.json();
    } catch {
      throw new BffError('invalid_response', `HTTP ${response.status}, not JSON`);
    }
    if (!response.ok) {
      const error = (json as Partial<ErrorResponse> | null)?.error;
      throw new BffError(
        error?.code ?? 'invalid_response',
        error?.message ?? `HTTP ${response.status}`,
        error?.requestId,
      );
    }
    return json as T;
  }
}
