/**
 * The PaySG API client: resources with verbs (`paysg.payments.create(params, options)`),
 * responses parsed with zod, one typed error per failure, a timeout on every call, and retries
 * with full-jitter backoff only where repeating is safe (GETs, and POSTs that carry an
 * Idempotency-Key, which PaySG replays: paysg-api.md §6).
 * @module
 */
import { z } from 'zod';
import { firstIssue } from '../zod-issues.js';
import { API_KEY_PREFIXES_IN_WORDS, environmentOfKey } from './api-key.js';
import { normalizePunctuation } from './normalize-text.js';
import {
  PaysgConnectionError,
  PaysgError,
  PaysgInvalidRequestError,
  PaysgInvalidResponseError,
  PaysgTimeoutError,
  errorClassFor,
} from './errors.js';
import {
  createPaymentParamsSchema,
  readErrorEnvelope,
  isLoopbackHost,
  listParamsSchema,
  paymentPageSchema,
  paymentSchema,
  refundParamsSchema,
  type CreatePaymentParams,
  type ListParams,
  type Payment,
  type PaymentPage,
  type RefundParams,
} from './schemas.js';

export const PAYSG_STAGING_API = 'https://api-staging.pay.gov.sg';
export const PAYSG_PRODUCTION_API = 'https://api.pay.gov.sg';

export interface PaysgClientOptions {
  apiKey: string;
  /** `payment_service_…`; every call is made on this payment service. */
  paymentServiceId: string;
  /** Defaults from the key prefix: `paysg_stag_` → staging, `paysg_live_` → production. */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Per attempt. Default 10 s. */
  timeoutMs?: number;
  /** Extra attempts for retryable failures of safe requests. Default 2. */
  maxRetries?: number;
  /** Injected for tests, so backoff never sleeps for real. */
  sleep?: (ms: number) => Promise<void>;
  /** Told of each item of a list that could not be read as a payment, and was left out. */
  onUnreadablePayment?: (item: { id: unknown }) => void;
}

export interface RequestOptions {
  signal?: AbortSignal;
  /** This call's timeout per attempt, instead of the client's. */
  timeoutMs?: number;
  /** This call's extra attempts for retryable failures, instead of the client's. */
  maxRetries?: number;
}

export interface IdempotentRequestOptions extends RequestOptions {
  /** Sent as `Idempotency-Key`; the caller derives and stores it before calling. */
  idempotencyKey: string;
}

/** The base URL a key belongs to, from its documented prefix (paysg-api.md §1). */
export function baseUrlForKey(apiKey: string): string {
  switch (environmentOfKey(apiKey)) {
    case 'staging':
      return PAYSG_STAGING_API;
    case 'production':
      return PAYSG_PRODUCTION_API;
    default:
      throw new TypeError(`A PaySG API key starts with ${API_KEY_PREFIXES_IN_WORDS}`);
  }
}

/** Where PaySG's hosted payment pages live for a given API (paysg-api.md §1). */
export function paymentPageOriginsFor(apiBaseUrl: string): string[] {
  switch (new URL(apiBaseUrl).origin) {
    case PAYSG_STAGING_API:
      return ['https://staging.pay.gov.sg'];
    case PAYSG_PRODUCTION_API:
      return ['https://pay.gov.sg'];
    default:
      return [];
  }
}

interface RequestSpec<T> extends RequestOptions {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  idempotencyKey?: string;
  schema: z.ZodType<T>;
}

const BACKOFF_BASE_MS = 250;
const BACKOFF_CAP_MS = 4_000;
/** Full jitter can draw ~0 ms; a retry that soon meets the same overload (stripe-node's floor). */
const BACKOFF_FLOOR_MS = 100;
/** A longer `Retry-After` is not waited out inside one call: the caller hears of it at once. */
const MAX_RETRY_AFTER_SECONDS = 5;

/**
 * PaySG stores a keyed request's first answer, 500s and 503s included, and replays it for that
 * key (paysg-api.md §6): sending the same key again can only bring the same failure back. A
 * gateway's 502 or 504, a timeout or a lost connection may hide a payment, so those are retried
 * with the same key, which PaySG then replays or runs for the first time.
 */
function isReplayedFailure(err: PaysgError, idempotencyKey: string | undefined): boolean {
  return idempotencyKey !== undefined && (err.status === 500 || err.status === 503);
}

export class PaysgClient {
  readonly payments: PaymentsResource;
  readonly baseUrl: string;
  readonly paymentServiceId: string;
  /** See `PaysgClientOptions.onUnreadablePayment`. */
  readonly onUnreadablePayment: (item: { id: unknown }) => void;
  readonly #apiKey: string;
  readonly #fetch: typeof fetch;
  readonly #timeoutMs: number;
  readonly #maxRetries: number;
  readonly #sleep: (ms: number) => Promise<void>;

  constructor(options: PaysgClientOptions) {
    this.#apiKey = options.apiKey;
    this.baseUrl = (options.baseUrl ?? baseUrlForKey(options.apiKey)).replace(/\/+$/, '');
    this.paymentServiceId = options.paymentServiceId;
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#maxRetries = options.maxRetries ?? 2;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.onUnreadablePayment = options.onUnreadablePayment ?? (() => {});
    this.payments = new PaymentsResource(this);
  }

  /** True when talking to a PaySG stand-in on this machine (the simulator). */
  get isLoopback(): boolean {
    return isLoopbackHost(new URL(this.baseUrl).hostname);
  }

  /** @internal Used by resources. */
  async request<T>(spec: RequestSpec<T>): Promise<T> {
    const safeToRepeat = spec.method === 'GET' || spec.idempotencyKey !== undefined;
    const maxRetries = spec.maxRetries ?? this.#maxRetries;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#attempt(spec);
      } catch (err) {
        const canRetry =
          safeToRepeat &&
          attempt < maxRetries &&
          err instanceof PaysgError &&
          err.retryable &&
          !isReplayedFailure(err, spec.idempotencyKey) &&
          (err.retryAfter ?? 0) <= MAX_RETRY_AFTER_SECONDS &&
          !spec.signal?.aborted;
        if (!canRetry) throw err;
        await this.#sleep(this.#backoff(attempt, err.retryAfter));
      }
    }
  }

  /** Full jitter (AWS architecture blog) above a floor, and never sooner than PaySG's `Retry-After`. */
  #backoff(attempt: number, retryAfter: number | undefined): number {
    const jittered = Math.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt);
    return Math.max(BACKOFF_FLOOR_MS, jittered, (retryAfter ?? 0) * 1000);
  }

  async #attempt<T>(spec: RequestSpec<T>): Promise<T> {
    // Our own timer rather than AbortSignal.timeout(), whose unref'd timer would let a process
    // that is only waiting on PaySG exit silently instead of failing with a timeout.
    const timeoutMs = spec.timeoutMs ?? this.#timeoutMs;
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), timeoutMs);
    const signal = spec.signal ? AbortSignal.any([spec.signal, timeout.signal]) : timeout.signal;
    const headers: Record<string, string> = {
      'x-api-key': this.#apiKey,
      accept: 'application/json',
    };
    if (spec.body !== undefined) headers['content-type'] = 'application/json';
    if (spec.idempotencyKey !== undefined) headers['idempotency-key'] = spec.idempotencyKey;

    let response: Response;
    let text: string;
    try {
      response = await this.#fetch(this.baseUrl + spec.path, {
        method: spec.method,
        headers,
        body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
        signal,
        // Never followed: a redirect would carry `x-api-key` to wherever it points (fetch strips
        // only `Authorization` across origins). It also spares undici a copy of every request.
        redirect: 'error',
      });
      text = await response.text();
    } catch (err) {
      if (timeout.signal.aborted && !spec.signal?.aborted) {
        throw new PaysgTimeoutError(`PaySG did not answer within ${timeoutMs} ms`, {
          cause: err,
        });
      }
      const redirected =
        err instanceof Error && (err.cause as Error | undefined)?.message === 'unexpected redirect';
      throw new PaysgConnectionError(
        redirected
          ? 'PaySG answered with a redirect, which is never followed'
          : 'Could not reach PaySG',
        { cause: err },
      );
    } finally {
      clearTimeout(timer);
    }

    const requestId = response.headers.get('x-request-id') ?? undefined;
    const json = parseJson(text);
    if (!response.ok) throw errorFromResponse(response, json, requestId);

    const parsed = spec.schema.safeParse(json);
    if (!parsed.success) {
      throw new PaysgInvalidResponseError('PaySG answered with an unexpected body', {
        status: response.status,
        requestId,
      });
    }
    return parsed.data;
  }
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function errorFromResponse(response: Response, json: unknown, requestId?: string): PaysgError {
  const detail = readErrorEnvelope(json);
  const retryAfterHeader = Number(response.headers.get('retry-after'));
  const ErrorClass = errorClassFor(response.status, detail);
  return new ErrorClass(detail.message ?? `PaySG answered HTTP ${response.status}`, {
    status: response.status,
    type: detail.type,
    code: detail.code,
    data: detail.data,
    requestId,
    retryAfter:
      Number.isFinite(retryAfterHeader) && retryAfterHeader > 0 ? retryAfterHeader : undefined,
  });
}

export class PaymentsResource {
  readonly #client: PaysgClient;
  /** Built once: a zod schema costs more to build than to run. */
  readonly #createParams: ReturnType<typeof createPaymentParamsSchema>;

  constructor(client: PaysgClient) {
    this.#client = client;
    this.#createParams = createPaymentParamsSchema({ allowLoopbackHttp: client.isLoopback });
  }

  #path(suffix = ''): string {
    return `/v1/payment-services/${encodeURIComponent(this.#client.paymentServiceId)}/payments${suffix}`;
  }

  /**
   * Creates a payment. Unicode punctuation in the payer's name and address is written as ASCII
   * (`normalize-text.ts`); parameters are checked against PaySG's documented limits first, so a
   * bad value fails here with `PaysgInvalidRequestError` and never reaches PaySG.
   * `metadata` defaults to `{}` (PaySG has required at least an empty object).
   */
  async create(params: CreatePaymentParams, options: IdempotentRequestOptions): Promise<Payment> {
    const written = {
      ...params,
      ...(typeof params.payer_name === 'string' && {
        payer_name: normalizePunctuation(params.payer_name),
      }),
      ...(typeof params.payer_address === 'string' && {
        payer_address: normalizePunctuation(params.payer_address),
      }),
    };
    const checked = checkParams(this.#createParams, written);
    return this.#client.request({
      method: 'POST',
      path: this.#path(),
      body: { metadata: {}, ...checked },
      ...options,
      schema: paymentSchema,
    });
  }

  async retrieve(paymentId: string, options: RequestOptions = {}): Promise<Payment> {
    return this.#client.request({
      method: 'GET',
      path: this.#path(`/${encodeURIComponent(paymentId)}`),
      ...options,
      schema: paymentSchema,
    });
  }

  /** One page, newest first. Pass a page's `end_cursor` as `after` for the next page. */
  async list(params: ListParams = {}, options: RequestOptions = {}): Promise<PaymentPage> {
    const checked = checkParams(listParamsSchema, params);
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(checked))
      if (value !== undefined) query.set(key, String(value));
    const qs = query.toString();
    const page = await this.#client.request({
      method: 'GET',
      path: this.#path(qs ? `?${qs}` : ''),
      ...options,
      schema: paymentPageSchema,
    });
    for (const item of page.unreadable) this.#client.onUnreadablePayment(item);
    return page;
  }

  /** Every payment, newest first, fetching pages as the loop goes: `for await (const p of …)`. */
  async *listAll(
    params: Omit<ListParams, 'before' | 'after'> = {},
    options: RequestOptions = {},
  ): AsyncGenerator<Payment> {
    let after: string | undefined;
    for (;;) {
      const page = await this.list({ ...params, ...(after && { after }) }, options);
      yield* page.data;
      const next = page.page_info.end_cursor;
      if (!page.page_info.has_next_page || !next || page.data.length === 0) return;
      after = next;
    }
  }

  /**
   * Cancels an unpaid payment, so its link can no longer be paid. Resolves to the payment PaySG
   * answers with, or `undefined` when its 2xx body is not one (empty, partial: the cancel
   * page's answer is undocumented, paysg-api.md §15.6); retrieve the payment to learn its state.
   */
  async cancel(paymentId: string, options: RequestOptions = {}): Promise<Payment | undefined> {
    const answer = await this.#client.request({
      method: 'POST',
      path: this.#path(`/${encodeURIComponent(paymentId)}/cancel`),
      body: {},
      ...options,
      schema: z.unknown(),
    });
    const payment = paymentSchema.safeParse(answer);
    return payment.success ? payment.data : undefined;
  }

  /** Emails the payment link to the payment's `payer_email`. PaySG answers with no body. */
  async sendEmail(paymentId: string, options: RequestOptions = {}): Promise<void> {
    await this.#client.request({
      method: 'POST',
      path: this.#path(`/${encodeURIComponent(paymentId)}/send-email`),
      body: {},
      ...options,
      schema: z.unknown(),
    });
  }

  /** Refunds a paid payment in full or in part; one refund at a time. */
  async refund(
    paymentId: string,
    params: RefundParams,
    options: IdempotentRequestOptions,
  ): Promise<Payment> {
    const checked = checkParams(refundParamsSchema, params);
    return this.#client.request({
      method: 'POST',
      path: this.#path(`/${encodeURIComponent(paymentId)}/refund`),
      body: checked,
      ...options,
      schema: paymentSchema,
    });
  }
}

/** Validates on our side, so bad input never reaches PaySG. */
function checkParams<T>(schema: z.ZodType<T>, params: unknown): T {
  const checked = schema.safeParse(params);
  if (checked.success) return checked.data;
  const first = firstIssue(checked.error, '(body)');
  throw new PaysgInvalidRequestError(`Invalid parameter ${first.path}: ${first.message}`, {
    type: 'invalid_request_error',
    code: 'parameter_invalid',
  });
}
