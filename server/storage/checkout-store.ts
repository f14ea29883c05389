/**
 * What the BFF remembers, behind one interface with one contract test suite: checkouts, client
 * idempotency keys, order-token ids and received webhook events. Every method is async so a
 * networked database fits the same shape as the embedded one.
 * @module
 */
import type { LineItem } from '../orders/order.js';
import type { CreatePaymentParams } from '../paysg/schemas.js';

export const CHECKOUT_STATUS = {
  created: 'created',
  unpaid: 'unpaid',
  paid: 'paid',
  cancelled: 'cancelled',
  failed: 'failed',
} as const;

export type CheckoutStatus = (typeof CHECKOUT_STATUS)[keyof typeof CHECKOUT_STATUS];

/** Statuses that hold an order: a second checkout for the same order is refused while one exists. */
export const ORDER_HOLDING_STATUSES: readonly CheckoutStatus[] = ['created', 'unpaid', 'paid'];

/** Statuses after which nothing changes (until refunds exist). */
export const FINAL_STATUSES: readonly CheckoutStatus[] = ['paid', 'cancelled', 'failed'];

export interface Checkout {
  /** 128-bit random capability token, base64url. */
  id: string;
  /** Identifies the order across checkouts: `catalog:{item}:{reference}` or `token:{reference}`. */
  orderKey: string;
  /** Hash of what is charged; another checkout for the order with other terms supersedes this one. */
  orderFingerprint: string;
  item: string | null;
  referenceId: string;
  description: string;
  amountInCents: number;
  currency: 'SGD';
  lineItems: LineItem[];
  status: CheckoutStatus;
  /** Host page to send the payer back to; on an allowed origin. */
  returnTo: string;
  /** `popup`: PaySG opened in a window of its own, which the return page closes. */
  returnMode: 'redirect' | 'popup';
  /** Derived from the checkout id and stored before PaySG is called, so a retry is replayed. */
  paysgIdempotencyKey: string;
  /** The exact create request, so a retry sends identical parameters. Holds payer details. */
  paysgRequest: CreatePaymentParams;
  paymentId: string | null;
  paymentUrl: string | null;
  paidAt: string | null;
  createdAt: string;
  updatedAt: string;
  /** When PaySG was last asked about this checkout. */
  verifiedAt: string | null;
  /** While set and in the future, one request is creating the PaySG payment; others wait. */
  lockedUntil: string | null;
}

export type CheckoutPatch = Partial<
  Pick<Checkout, 'status' | 'paymentId' | 'paymentUrl' | 'paidAt' | 'verifiedAt' | 'lockedUntil' | 'paysgIdempotencyKey'>
>;

export type ClaimResult =
  | { claimed: true; checkout: Checkout }
  | { claimed: false; checkout: Checkout };

export interface IdempotencyRecord {
  key: string;
  fingerprint: string;
  checkoutId: string;
}

export interface WebhookEventRecord {
  eventId: string;
  type: string;
  paymentId: string | null;
  receivedAt: string;
  /** `null` until applied; then what happened (`paid`, `unmatched`, `mismatch`, `ignored`, …). */
  outcome: string | null;
}

export interface CheckoutStore {
  /**
   * Inserts the checkout unless another checkout holds the same order (see
   * `ORDER_HOLDING_STATUSES`) or has the same id; then returns that one instead. Atomic: a
   * database constraint decides, never a read followed by a write.
   */
  claim(checkout: Checkout): Promise<ClaimResult>;
  get(id: string): Promise<Checkout | undefined>;
  findByPaymentId(paymentId: string): Promise<Checkout | undefined>;
  /**
   * Applies `patch` (and `updatedAt`) only while the status is one of `from`. Returns the row as
   * it is afterwards, or `undefined` when the status had moved on, so statuses only go forward.
   */
  update(id: string, from: readonly CheckoutStatus[], patch: CheckoutPatch, now: string): Promise<Checkout | undefined>;
  /**
   * Takes the creation lock of a `created` checkout whose lock is free or expired (a request
   * that crashed or timed out). Returns the checkout when this caller holds the lock.
   */
  lockForCreate(id: string, now: string, until: string): Promise<Checkout | undefined>;
  /**
   * Unfinished checkouts last touched before `before`, oldest first: `unpaid` ones, and
   * `created` ones whose creation lock has expired. For the reconciler.
   */
  listUnfinished(before: string, now: string, limit: number): Promise<Checkout[]>;
  /** Records a client Idempotency-Key, or returns the record already held for it. */
  rememberIdempotencyKey(record: IdempotencyRecord, now: string): Promise<IdempotencyRecord>;
  /** Records an order token's `jti` with what it ordered, or returns what it ordered before. */
  rememberTokenId(jti: string, fingerprint: string, expiresAt: string): Promise<string>;
  /** Records a webhook event; false when its id was seen before (a duplicate delivery). */
  recordWebhookEvent(event: Omit<WebhookEventRecord, 'outcome'>): Promise<boolean>;
  setWebhookOutcome(eventId: string, outcome: string): Promise<void>;
  /** Events not yet applied, oldest first. */
  pendingWebhookEvents(limit: number): Promise<WebhookEventRecord[]>;
  /** Throws when the store cannot answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
