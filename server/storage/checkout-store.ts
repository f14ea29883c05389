/**
 * What the BFF remembers, behind one interface with one contract test suite: checkouts, client
 * idempotency keys, order-token ids and received webhook events. Every method is async so a
 * networked database fits the same shape as the embedded one.
 * @module
 */
import type { LineItem } from '../orders/order.js';
import type { CreatePaymentParams } from '../paysg/schemas.js';
import type { CheckoutStatus } from './checkout-status.js';
import type { RefundStatus } from './refund-status.js';
import type {
  EmailExpectation,
  EmailOutcome,
  FormsgSubmissionRecord,
  RecordSubmissionResult,
  SubmissionIds,
} from './submission-rows.js';
import type {
  AuditEvent,
  AuditQuery,
  Refund,
  RefundPatch,
  RefundRequestResult,
  SignInAttempt,
  StaffSession,
} from './staff-records.js';

export type {
  EmailExpectation,
  EmailOutcome,
  FineLetterDraft,
  FormsgSubmissionRecord,
  RecordSubmissionResult,
  SubmissionIds,
} from './submission-rows.js';
export { EMAIL_STATUS, type EmailStatus } from './email-status.js';

export {
  CHECKOUT_STATUS,
  CHECKOUT_TRANSITIONS,
  FINAL_STATUSES,
  ORDER_HOLDING_STATUSES,
  type CheckoutStatus,
} from './checkout-status.js';

/**
 * A checkout read again by an id that names one (checkouts are never deleted), or an error that
 * says it is missing.
 */
export async function storedCheckout(
  store: Pick<CheckoutStore, 'get'>,
  id: string,
): Promise<Checkout> {
  const checkout = await store.get(id);
  if (!checkout) throw new Error(`Checkout ${id} is missing from the store`);
  return checkout;
}

export interface Checkout {
  /** 128-bit random capability token, base64url. */
  id: string;
  /** Identifies the order across checkouts: `catalog:{item}:{reference}` or `token:{reference}`. */
  orderKey: string;
  /**
   * Hash of the order's terms: amount, currency, description, line items and payer. A checkout
   * is resumed only for the same terms; other terms finish it and start a new one.
   */
  orderFingerprint: string;
  /**
   * SHA-256 of the secret of the browser that created it (the widget keeps one per browser), or
   * `null` when none was sent. Only that browser, or the holder of the same order token, gets
   * this checkout back from `POST /checkouts` or may cancel it.
   */
  ownerHash: string | null;
  /** The `jti` of the order token it was created from, or `null` for a catalog order. */
  orderTokenId: string | null;
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
  /**
   * False only when the current key has certainly not made a payment: it was never sent, or
   * PaySG answered it with a 500/503 (which it stores and replays). Then nothing exists at
   * PaySG for this checkout and it can be failed without asking.
   */
  paysgKeySent: boolean;
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
  /**
   * Set when the checkout's PaySG payment is to be cancelled and PaySG has not yet confirmed it
   * (the answer was lost, or PaySG was down). Such a checkout never hands out its link again;
   * whoever touches it next finishes the cancel, the reconciler included.
   */
  cancelRequestedAt: string | null;
  /** What PaySG has refunded of a paid checkout, as the back office recorded it. */
  refundedInCents: number;
  /** `null` until a refund; then partly or wholly, as PaySG confirmed. */
  refundStatus: 'partially_refunded' | 'refunded' | null;
}

export type CheckoutPatch = Partial<
  Pick<
    Checkout,
    | 'status'
    | 'paymentId'
    | 'paymentUrl'
    | 'paidAt'
    | 'verifiedAt'
    | 'lockedUntil'
    | 'paysgIdempotencyKey'
    | 'paysgKeySent'
    | 'cancelRequestedAt'
  >
>;

export type ClaimResult =
  | { claimed: true; checkout: Checkout }
  | { claimed: false; checkout: Checkout };

/** A page of the back office's list: newest first, after `before` when given. */
export interface CheckoutListQuery {
  /**
   * Finds a checkout by part of its reference or payer name (any case), or by its whole checkout
   * id or PaySG payment id. Indexed in both stores (trigram indexes), so a search reads the
   * checkouts that share its trigrams, not the table; a term made only of trigrams most
   * references share (`-01-`) reads more of the index as the store grows (bench/search-scaling.ts).
   */
  search?: string;
  /** Only these statuses. */
  statuses?: readonly CheckoutStatus[];
  /** Only paid checkouts refunded in part, or in full. */
  refundStatus?: 'partially_refunded' | 'refunded';
  /** Created at or after this instant (ISO-8601, UTC). */
  createdFrom?: string;
  /** Created before this instant. */
  createdBefore?: string;
  /** The last checkout of the previous page. */
  before?: { createdAt: string; id: string };
  limit: number;
}

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
  /** `null` until applied; then what came of it. */
  outcome: WebhookOutcome | null;
}

/**
 * What came of a webhook event: not a `payment.succeeded` with a payment id (`ignored`), no
 * checkout has its payment (`unmatched`), or the checkout's status once verified with PaySG.
 */
export type WebhookOutcome = 'ignored' | 'unmatched' | 'paid' | `not_paid:${CheckoutStatus}`;

export interface CheckoutStore {
  /**
   * Inserts the checkout unless another checkout holds the same order (see
   * `ORDER_HOLDING_STATUSES`) or has the same id; then returns that one instead. Atomic: a
   * database constraint decides, never a read followed by a write.
   */
  claim(checkout: Checkout): Promise<ClaimResult>;
  get(id: string): Promise<Checkout | undefined>;
  /** The checkout holding the order now (`ORDER_HOLDING_STATUSES`): one read of the unique order index. */
  holderOf(orderKey: string): Promise<Checkout | undefined>;
  findByPaymentId(paymentId: string): Promise<Checkout | undefined>;
  /**
   * Applies `patch` (and `updatedAt`) only while the status is still `expected`: a compare and
   * set. Returns the row as it is afterwards, or `undefined` when the status had moved on.
   * Throws `IllegalTransitionError` when `patch.status` may not follow `expected`
   * (`CHECKOUT_TRANSITIONS`), so statuses only go the ways the table allows.
   */
  update(
    id: string,
    expected: CheckoutStatus,
    patch: CheckoutPatch,
    now: string,
  ): Promise<Checkout | undefined>;
  /**
   * Takes the creation lock of a `created` checkout whose lock is free or expired (a request
   * that crashed or timed out). Returns the checkout when this caller holds the lock.
   */
  lockForCreate(id: string, now: string, until: string): Promise<Checkout | undefined>;
  /**
   * Unfinished checkouts last touched before `before`, oldest first: `unpaid` ones (with a
   * cancel to finish or a payment to re-check), and `created` ones whose creation lock has
   * expired. For the reconciler.
   */
  listUnfinished(before: string, now: string, limit: number): Promise<Checkout[]>;
  /** Checkouts newest first (by creation, then id), for the back office. */
  list(query: CheckoutListQuery): Promise<Checkout[]>;
  /**
   * Writes a refund as asked for (`awaiting_approval` or `requested`), before PaySG hears of it.
   * One transaction that decides, in this order: a known Idempotency-Key returns its refund; a
   * checkout that is not paid, or that has another open refund, or less left than asked, is
   * refused. At most one open refund per checkout is a database constraint.
   */
  requestRefund(refund: Refund): Promise<RefundRequestResult>;
  getRefund(id: string): Promise<Refund | undefined>;
  /** The refund asked for under this Idempotency-Key, whichever checkout it is of. */
  refundByKey(idempotencyKey: string): Promise<Refund | undefined>;
  /** A checkout's refunds, oldest first. */
  refundsOf(checkoutId: string): Promise<Refund[]>;
  /**
   * Applies `patch` only while the refund is still `expected` (a compare and set); returns it as
   * it is afterwards, or undefined when it had moved on. A refund that becomes `succeeded` also
   * sets its checkout's `refundedInCents` to the sum of its succeeded refunds and `refundStatus`
   * to `refunded` when that is the whole amount or `fullyRefunded` (PaySG said so), else
   * `partially_refunded`: one transaction.
   */
  updateRefund(
    id: string,
    expected: RefundStatus,
    patch: RefundPatch,
    now: string,
    fullyRefunded?: boolean,
  ): Promise<Refund | undefined>;
  /** Refunds still `requested` (PaySG's answer not recorded), asked before `before`, oldest first. For the reconciler. */
  unsettledRefunds(before: string, limit: number): Promise<Refund[]>;
  /** Appends one row to the audit. There is no way to change or remove one. */
  appendAudit(event: AuditEvent): Promise<void>;
  /** The audit, newest first. */
  listAudit(query: AuditQuery): Promise<AuditEvent[]>;
  createSignIn(attempt: SignInAttempt): Promise<void>;
  /** Returns the attempt and deletes it (a sign-in is completed once), or undefined when unknown or expired. */
  takeSignIn(idHash: string, now: string): Promise<SignInAttempt | undefined>;
  createSession(session: StaffSession): Promise<void>;
  /** A live session: not revoked, not past `expiresAt`, and seen within `idleMs` of `now`. */
  getSession(idHash: string, now: string, idleMs: number): Promise<StaffSession | undefined>;
  touchSession(idHash: string, now: string): Promise<void>;
  revokeSession(idHash: string, now: string): Promise<void>;
  /** Records a client Idempotency-Key, or returns the record already held for it. */
  rememberIdempotencyKey(record: IdempotencyRecord, now: string): Promise<IdempotencyRecord>;
  /** Records an order token's `jti` with what it ordered, or returns what it ordered before. */
  rememberTokenId(jti: string, fingerprint: string, expiresAt: string): Promise<string>;
  /**
   * Records that an order token issued at `issuedAt` (its `iat`, seconds) was presented for the
   * order, and returns the newest `iat` presented for it so far, this one included. Atomic, so
   * two instances agree on which token is the newest.
   */
  noteOrderTokenIssue(orderKey: string, issuedAt: number): Promise<number>;
  /** Records a webhook event; false when its id was seen before (a duplicate delivery). */
  recordWebhookEvent(event: Omit<WebhookEventRecord, 'outcome'>): Promise<boolean>;
  setWebhookOutcome(eventId: string, outcome: WebhookOutcome): Promise<void>;
  /** Events not yet applied, oldest first. */
  pendingWebhookEvents(limit: number): Promise<WebhookEventRecord[]>;
  /**
   * Records a verified FormSG submission, or returns the one already recorded under its ids
   * (`recorded: false`): the first verified delivery decides, a retry changes nothing. Atomic:
   * the primary key on (form id, submission id) decides.
   */
  recordSubmission(submission: FormsgSubmissionRecord): Promise<RecordSubmissionResult>;
  getSubmission(ids: SubmissionIds): Promise<FormsgSubmissionRecord | undefined>;
  /** By FormSG's submission id alone (an ObjectId: unique across forms), for the back office. */
  findSubmission(submissionId: string): Promise<FormsgSubmissionRecord | undefined>;
  /**
   * Submissions a crash may have left, last touched before `before`, oldest first: no payment
   * attached yet, or an e-mail never claimed. For the reconciler.
   */
  unfinishedSubmissions(before: string, limit: number): Promise<FormsgSubmissionRecord[]>;
  /**
   * Attaches the checkout of the submission's payment, unless one is attached already; returns
   * the submission as it is afterwards (whichever checkout it holds).
   */
  attachSubmissionCheckout(
    ids: SubmissionIds,
    checkoutId: string,
    now: string,
  ): Promise<FormsgSubmissionRecord | undefined>;
  /**
   * Claims the submission's e-mail (`sending`, requested now) only while it is still as
   * `expected`: a compare and set, so of two instances or two retries only one sends. Returns the
   * submission when this caller holds the claim, `undefined` when it had moved on. Throws
   * `IllegalEmailTransitionError` when `sending` may not follow the expected status.
   */
  claimSubmissionEmail(
    ids: SubmissionIds,
    expected: EmailExpectation,
    now: string,
  ): Promise<FormsgSubmissionRecord | undefined>;
  /**
   * Records what became of the e-mail, only while it is still as `expected` (the claim this
   * caller made, or `pending` for one never to be sent). Returns the submission afterwards, or
   * `undefined` when it had moved on.
   */
  settleSubmissionEmail(
    ids: SubmissionIds,
    expected: EmailExpectation,
    outcome: EmailOutcome,
    now: string,
  ): Promise<FormsgSubmissionRecord | undefined>;
  /** Throws when the store cannot answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
