/**
 * The widget's calls to the BFF. Every failure becomes a `BffError` with a code from the BFF's
 * closed list (or `network_error` / `invalid_response`), never a raw exception.
 */
import type { PaysgErrorCode } from './events.js';
import { browserSecret } from './internal/browser-secret.js';
import type { Lang } from './locales/index.js';

/** What is being paid for, in Singapore's other official languages, when the agency gave it. */
export type Translations = Partial<Record<Lang, { description: string; lineItems?: string[] }>>;

export interface Quote {
  description: string;
  translations?: Translations;
  /** Absent when the payer chooses the amount, between the two bounds. */
  amountInCents?: number;
  minAmountInCents?: number;
  maxAmountInCents?: number;
  currency: string;
  lineItems?: { description: string; amountInCents: number }[];
  /** False when the order already names the payer (an order token with `payer.name`). */
  payerNameRequired?: boolean;
}

export interface PayerInput {
  name?: string;
  email?: string;
  identifier?: string;
  address?: string;
}

export interface CheckoutRequestBody {
  item?: string;
  orderToken?: string;
  reference?: string;
  chosenAmountInCents?: number;
  payer?: PayerInput;
  returnTo: string;
  mode?: 'redirect' | 'popup';
}

export interface CreatedCheckout {
  checkoutId: string;
  status: string;
  paymentUrl: string | null;
}

export type CheckoutStatus = 'created' | 'unpaid' | 'paid' | 'cancelled' | 'failed';

export interface CheckoutStatusView {
  checkoutId: string;
  status: CheckoutStatus;
  description: string;
  translations?: Translations;
  amountInCents: number;
  currency: string;
  referenceId: string;
  paymentId?: string;
  paymentUrl?: string;
  paidAt?: string;
}

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
  readonly status: number | undefined;
  readonly requestId: string | undefined;

  constructor(code: PaysgErrorCode, message: string, status?: number, requestId?: string) {
    super(message);
    this.name = 'BffError';
    this.code = code;
    this.status = status;
    this.requestId = requestId;
  }

  get retryable(): boolean {
    return RETRYABLE.has(this.code);
  }
}

const TIMEOUT_MS = 20_000;

export class BffClient {
  readonly #endpoint: string;

  constructor(endpoint: string) {
    this.#endpoint = endpoint.replace(/\/+$/, '');
  }

  getQuote(item: string): Promise<Quote> {
    return this.#request('GET', `/quote?item=${encodeURIComponent(item)}`);
  }

  /** What an order token (signed by the agency's backend) will charge. */
  getTokenQuote(orderToken: string): Promise<Quote> {
    return this.#request('POST', '/quote', { orderToken });
  }

  createCheckout(body: CheckoutRequestBody, idempotencyKey: string): Promise<CreatedCheckout> {
    return this.#request('POST', '/checkouts', body, { 'Idempotency-Key': idempotencyKey });
  }

  getCheckout(checkoutId: string): Promise<CheckoutStatusView> {
    return this.#request('GET', `/checkouts/${encodeURIComponent(checkoutId)}`);
  }

  cancelCheckout(checkoutId: string): Promise<CheckoutStatusView> {
    return this.#request('POST', `/checkouts/${encodeURIComponent(checkoutId)}/cancel`, {});
  }

  async #request<T>(method: 'GET' | 'POST', path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    let response: Response;
    try {
      response = await fetch(this.#endpoint + path, {
        method,
        // Checkout ids are the capability; no cookies are needed or sent.
        credentials: 'omit',
        headers:
          body === undefined
            ? { Accept: 'application/json' }
            : {
                Accept: 'application/json',
                'Content-Type': 'application/json',
                'X-PaySG-Checkout': '1',
                // This browser's checkouts are handed back, and may be cancelled, only with it.
                'X-PaySG-Browser': browserSecret(),
                ...headers,
              },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch {
      throw new BffError('network_error', 'The payment service could not be reached');
    }
    let json: unknown;
    try {
      json = await response.json();
    } catch {
      throw new BffError('invalid_response', 'The payment service sent an unreadable answer', response.status);
    }
    if (!response.ok) {
      const error = (json as { error?: { code?: string; message?: string; requestId?: string } })?.error;
      throw new BffError(
        (error?.code as PaysgErrorCode | undefined) ?? 'invalid_response',
        error?.message ?? `HTTP ${response.status}`,
        response.status,
        error?.requestId,
      );
    }
    return json as T;
  }
}
