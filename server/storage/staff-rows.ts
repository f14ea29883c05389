/**
 * How refunds, the audit, staff sessions and sign-ins are laid out in table rows, shared by the
 * SQLite and PostgreSQL stores. A `StaffActor` takes four columns (kind, subject, e-mail, name)
 * under a prefix, so the audit can be read with plain SQL, without unpacking JSON.
 * @module
 */
import { present } from '../present.js';
import type { RefundStatus } from './refund-status.js';
import type {
  AuditEvent,
  AuditOutcome,
  Refund,
  RefundPatch,
  SignInAttempt,
  StaffActor,
  StaffRole,
  StaffSession,
} from './staff-records.js';

export interface RefundRow {
  id: string;
  checkout_id: string;
  idempotency_key: string;
  paysg_idempotency_key: string;
  amount_in_cents: number;
  reason: string;
  status: string;
  requested_by_kind: string;
  requested_by_subject: string;
  requested_by_email: string | null;
  requested_by_name: string | null;
  requested_at: string;
  approved_by_kind: string | null;
  approved_by_subject: string | null;
  approved_by_email: string | null;
  approved_by_name: string | null;
  approved_at: string | null;
  sent_at: string | null;
  settled_at: string | null;
  failure: string | null;
}

export const REFUND_COLUMNS: readonly (keyof RefundRow)[] = [
  'id',
  'checkout_id',
  'idempotency_key',
  'paysg_idempotency_key',
  'amount_in_cents',
  'reason',
  'status',
  'requested_by_kind',
  'requested_by_subject',
  'requested_by_email',
  'requested_by_name',
  'requested_at',
  'approved_by_kind',
  'approved_by_subject',
  'approved_by_email',
  'approved_by_name',
  'approved_at',
  'sent_at',
  'settled_at',
  'failure',
];

interface ActorColumns {
  kind: string | null;
  subject: string | null;
  email: string | null;
  name: string | null;
}

function actorColumns(actor: StaffActor | null): ActorColumns {
  return {
    kind: actor?.kind ?? null,
    subject: actor?.subject ?? null,
    email: actor?.email ?? null,
    name: actor?.name ?? null,
  };
}

function actorOf(columns: ActorColumns): StaffActor | null {
  if (columns.kind === null || columns.subject === null) return null;
  return {
    kind: columns.kind as StaffActor['kind'],
    subject: columns.subject,
    email: columns.email,
    name: columns.name,
  };
}

export function toRefundRow(r: Refund): RefundRow {
  const approvedBy = actorColumns(r.approvedBy);
  return {
    id: r.id,
    checkout_id: r.checkoutId,
    idempotency_key: r.idempotencyKey,
    paysg_idempotency_key: r.paysgIdempotencyKey,
    amount_in_cents: r.amountInCents,
    reason: r.reason,
    status: r.status,
    requested_by_kind: r.requestedBy.kind,
    requested_by_subject: r.requestedBy.subject,
    requested_by_email: r.requestedBy.email,
    requested_by_name: r.requestedBy.name,
    requested_at: r.requestedAt,
    approved_by_kind: approvedBy.kind,
    approved_by_subject: approvedBy.subject,
    approved_by_email: approvedBy.email,
    approved_by_name: approvedBy.name,
    approved_at: r.approvedAt,
    sent_at: r.sentAt,
    settled_at: r.settledAt,
    failure: r.failure,
  };
}

export function fromRefundRow(r: RefundRow): Refund {
  return {
    id: r.id,
    checkoutId: r.checkout_id,
    idempotencyKey: r.idempotency_key,
    paysgIdempotencyKey: r.paysg_idempotency_key,
    amountInCents: Number(r.amount_in_cents),
    reason: r.reason,
    status: r.status as RefundStatus,
    requestedBy: present(
      actorOf({
        kind: r.requested_by_kind,
        subject: r.requested_by_subject,
        email: r.requested_by_email,
        name: r.requested_by_name,
      }),
      `the requester of refund ${r.id}`,
    ),
    requestedAt: r.requested_at,
    approvedBy: actorOf({
      kind: r.approved_by_kind,
      subject: r.approved_by_subject,
      email: r.approved_by_email,
      name: r.approved_by_name,
    }),
    approvedAt: r.approved_at,
    sentAt: r.sent_at,
    settledAt: r.settled_at,
    failure: r.failure,
  };
}

/** The patch as `[column, value]` pairs, leaving out fields it does not set; `approvedBy` is four columns. */
export function refundPatchColumns(patch: RefundPatch): [keyof RefundRow, unknown][] {
  const columns: [keyof RefundRow, unknown][] = [];
  if (patch.status !== undefined) columns.push(['status', patch.status]);
  if (patch.approvedBy !== undefined) {
    const approvedBy = actorColumns(patch.approvedBy);
    columns.push(
      ['approved_by_kind', approvedBy.kind],
      ['approved_by_subject', approvedBy.subject],
      ['approved_by_email', approvedBy.email],
      ['approved_by_name', approvedBy.name],
    );
  }
  if (patch.approvedAt !== undefined) columns.push(['approved_at', patch.approvedAt]);
  if (patch.sentAt !== undefined) columns.push(['sent_at', patch.sentAt]);
  if (patch.settledAt !== undefined) columns.push(['settled_at', patch.settledAt]);
  if (patch.failure !== undefined) columns.push(['failure', patch.failure]);
  return columns;
}

export interface AuditRow {
  id: string;
  at: string;
  actor_kind: string;
  actor_subject: string;
  actor_email: string | null;
  actor_name: string | null;
  action: string;
  checkout_id: string | null;
  refund_id: string | null;
  amount_in_cents: number | null;
  reason: string | null;
  request_id: string | null;
  outcome: AuditOutcome;
  /** JSON. */
  detail: string | null;
}

export const AUDIT_COLUMNS: readonly (keyof AuditRow)[] = [
  'id',
  'at',
  'actor_kind',
  'actor_subject',
  'actor_email',
  'actor_name',
  'action',
  'checkout_id',
  'refund_id',
  'amount_in_cents',
  'reason',
  'request_id',
  'outcome',
  'detail',
];

export function toAuditRow(e: AuditEvent): AuditRow {
  return {
    id: e.id,
    at: e.at,
    actor_kind: e.actor.kind,
    actor_subject: e.actor.subject,
    actor_email: e.actor.email,
    actor_name: e.actor.name,
    action: e.action,
    checkout_id: e.checkoutId,
    refund_id: e.refundId,
    amount_in_cents: e.amountInCents,
    reason: e.reason,
    request_id: e.requestId,
    outcome: e.outcome,
    detail: e.detail === null ? null : JSON.stringify(e.detail),
  };
}

export function fromAuditRow(r: AuditRow): AuditEvent {
  return {
    id: r.id,
    at: r.at,
    actor: present(
      actorOf({
        kind: r.actor_kind,
        subject: r.actor_subject,
        email: r.actor_email,
        name: r.actor_name,
      }),
      `the actor of audit event ${r.id}`,
    ),
    action: r.action as AuditEvent['action'],
    checkoutId: r.checkout_id,
    refundId: r.refund_id,
    amountInCents: r.amount_in_cents === null ? null : Number(r.amount_in_cents),
    reason: r.reason,
    requestId: r.request_id,
    outcome: r.outcome,
    detail: r.detail === null ? null : JSON.parse(r.detail),
  };
}

export interface SessionRow {
  id_hash: string;
  subject: string;
  email: string | null;
  name: string | null;
  /** Comma-separated: role names never hold a comma. */
  roles: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  revoked_at: string | null;
}

export const SESSION_COLUMNS: readonly (keyof SessionRow)[] = [
  'id_hash',
  'subject',
  'email',
  'name',
  'roles',
  'created_at',
  'last_seen_at',
  'expires_at',
  'revoked_at',
];

export function toSessionRow(s: StaffSession): SessionRow {
  return {
    id_hash: s.idHash,
    subject: s.subject,
    email: s.email,
    name: s.name,
    roles: s.roles.join(','),
    created_at: s.createdAt,
    last_seen_at: s.lastSeenAt,
    expires_at: s.expiresAt,
    revoked_at: s.revokedAt,
  };
}

export function fromSessionRow(r: SessionRow): StaffSession {
  return {
    idHash: r.id_hash,
    subject: r.subject,
    email: r.email,
    name: r.name,
    roles: r.roles === '' ? [] : (r.roles.split(',') as StaffRole[]),
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
  };
}

export interface SignInRow {
  id_hash: string;
  state: string;
  nonce: string;
  code_verifier: string;
  return_to: string;
  expires_at: string;
}

export const SIGN_IN_COLUMNS: readonly (keyof SignInRow)[] = [
  'id_hash',
  'state',
  'nonce',
  'code_verifier',
  'return_to',
  'expires_at',
];

export function toSignInRow(a: SignInAttempt): SignInRow {
  return {
    id_hash: a.idHash,
    state: a.state,
    nonce: a.nonce,
    code_verifier: a.codeVerifier,
    return_to: a.returnTo,
    expires_at: a.expiresAt,
  };
}

export function fromSignInRow(r: SignInRow): SignInAttempt {
  return {
    idHash: r.id_hash,
    state: r.state,
    nonce: r.nonce,
    codeVerifier: r.code_verifier,
    returnTo: r.return_to,
    expiresAt: r.expires_at,
  };
}

/** `now` less `idleMs`, as an ISO-8601 instant: a session last seen before it has gone idle. */
export function idleCutoff(now: string, idleMs: number): string {
  return new Date(Date.parse(now) - idleMs).toISOString();
}
