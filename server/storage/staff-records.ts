/**
 * What the store keeps for the back office: staff sessions and sign-ins in progress, refunds
 * from the moment they are asked for, and the append-only audit of what staff did.
 * @module
 */
import type { RefundStatus } from './refund-status.js';

/**
 * `view`: list, open, export, download a fine's letter. `refund`: also refund, approve a refund,
 * cancel, and send a fine's e-mail again (each an act on a payer's money or inbox).
 */
export const STAFF_ROLES = ['view', 'refund'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/**
 * Who did something: a person signed in through the identity provider, the ADMIN_TOKEN (a
 * script), or the BFF itself (the reconciler recording PaySG's answer to a refund a person asked for).
 */
export interface StaffActor {
  kind: 'person' | 'token' | 'system';
  /** The identity provider's `sub` (with its issuer, `https://idp.example#sub`); `api-token` for the token. */
  subject: string;
  email: string | null;
  name: string | null;
}

export const API_TOKEN_ACTOR: StaffActor = {
  kind: 'token',
  subject: 'api-token',
  email: null,
  name: 'API token',
};
export const RECONCILER_ACTOR: StaffActor = {
  kind: 'system',
  subject: 'reconciler',
  email: null,
  name: 'paysg-checkout (reconciler)',
};

/** A signed-in person. The cookie holds a random id; only its SHA-256 is stored. */
export interface StaffSession {
  idHash: string;
  subject: string;
  email: string | null;
  name: string | null;
  roles: StaffRole[];
  createdAt: string;
  /** Moved forward by each request (at most once a minute); idle past the idle timeout, it is over. */
  lastSeenAt: string;
  /** The absolute end, whatever the activity. */
  expiresAt: string;
  revokedAt: string | null;
}

/** A sign-in between the redirect to the identity provider and its return: used once. */
export interface SignInAttempt {
  idHash: string;
  state: string;
  nonce: string;
  codeVerifier: string;
  /** The back-office path to land on afterwards. */
  returnTo: string;
  expiresAt: string;
}

export interface Refund {
  /** `rf_` and 22 random base64url characters. */
  id: string;
  checkoutId: string;
  /** The Idempotency-Key staff (or a script) sent; unique across all refunds. */
  idempotencyKey: string;
  /** Sent to PaySG, derived from `id`, so every retry of this refund is the same PaySG request. */
  paysgIdempotencyKey: string;
  amountInCents: number;
  reason: string;
  status: RefundStatus;
  requestedBy: StaffActor;
  requestedAt: string;
  approvedBy: StaffActor | null;
  approvedAt: string | null;
  /** When PaySG was first asked; null until then. */
  sentAt: string | null;
  settledAt: string | null;
  /** PaySG's refusal, or the approver's reason for declining. */
  failure: string | null;
}

export type RefundPatch = Partial<
  Pick<Refund, 'status' | 'approvedBy' | 'approvedAt' | 'sentAt' | 'settledAt' | 'failure'>
>;

export type RefundRequestResult =
  | { kind: 'created'; refund: Refund }
  /** The same Idempotency-Key was seen before: that refund, whatever it was for. */
  | { kind: 'key_seen'; refund: Refund }
  /** Another refund of this checkout is awaiting approval or in progress. */
  | { kind: 'refund_open'; refund: Refund }
  /** More than is left: `remainingInCents` is what may still be refunded. */
  | { kind: 'over_remaining'; remainingInCents: number }
  | { kind: 'not_paid' };

export const AUDIT_ACTIONS = [
  'sign_in',
  'sign_in_refused',
  'sign_out',
  'refund_requested',
  'refund_approved',
  'refund_declined',
  'refund_sent',
  'refund_settled',
  'cancel',
  'export_checkouts',
  'export_audit',
  'letter_downloaded',
  'email_resent',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** What came of a staff action: `pending` while PaySG has not answered yet (the audit table's CHECK). */
export type AuditOutcome = 'ok' | 'refused' | 'failed' | 'pending';

/** One row of the audit: appended, never changed or removed (the database refuses both). */
export interface AuditEvent {
  /** Time-ordered: `at` then a random tail, so ties keep a stable order. */
  id: string;
  at: string;
  actor: StaffActor;
  action: AuditAction;
  checkoutId: string | null;
  refundId: string | null;
  amountInCents: number | null;
  /** What the person typed: required for refunds and cancels. */
  reason: string | null;
  requestId: string | null;
  outcome: AuditOutcome;
  /** Anything else worth keeping (PaySG's refusal, rows exported, the filters used). */
  detail: Record<string, unknown> | null;
}

export interface AuditQuery {
  checkoutId?: string;
  /** The last event of the previous page (events come newest first). */
  before?: { at: string; id: string };
  limit: number;
}
