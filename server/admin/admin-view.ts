/**
 * What the back office's API answers: checkouts, refunds and history in the words staff read.
 * The payer's name and e-mail are shown (staff need them to answer a payer); never the browser's
 * owner hash or anything of PaySG's key.
 * @module
 */
import { moneyText } from '../money.js';
import type { Checkout } from '../storage/checkout-store.js';
import type { RefundStatus } from '../storage/refund-status.js';
import type { AuditEvent, Refund, StaffActor } from '../storage/staff-records.js';
import { statusInWords } from './checkouts-csv.js';

export interface AdminCheckout {
  checkoutId: string;
  status: Checkout['status'];
  /** The status in words: `Paid, partly refunded`. */
  statusText: string;
  refundStatus: Checkout['refundStatus'];
  refundedInCents: number;
  /** What may still be refunded: nothing unless paid. */
  refundableInCents: number;
  /** A refund of this checkout is awaiting approval or PaySG's answer: no other may start. */
  refundInProgress: boolean;
  amountInCents: number;
  currency: string;
  referenceId: string;
  description: string;
  item: string | null;
  payerName: string | null;
  payerEmail: string | null;
  paymentId: string | null;
  createdAt: string;
  updatedAt: string;
  paidAt: string | null;
}

export function adminView(c: Checkout, refunds?: readonly Refund[]): AdminCheckout {
  return {
    checkoutId: c.id,
    status: c.status,
    statusText: statusInWords(c),
    refundStatus: c.refundStatus,
    refundedInCents: c.refundedInCents,
    refundableInCents: c.status === 'paid' ? Math.max(0, c.amountInCents - c.refundedInCents) : 0,
    refundInProgress:
      refunds?.some((r) => r.status === 'awaiting_approval' || r.status === 'requested') ?? false,
    amountInCents: c.amountInCents,
    currency: c.currency,
    referenceId: c.referenceId,
    description: c.description,
    item: c.item,
    payerName: c.paysgRequest.payer_name ?? null,
    payerEmail: c.paysgRequest.payer_email ?? null,
    paymentId: c.paymentId,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    // PaySG writes +08:00; the API answers every time in UTC, as the rest.
    paidAt: c.paidAt && new Date(c.paidAt).toISOString(),
  };
}

const REFUND_WORDS: Record<RefundStatus, string> = {
  awaiting_approval: 'Waiting for approval',
  requested: 'In progress at PaySG',
  succeeded: 'Refunded',
  failed: 'Refused by PaySG',
  declined: 'Declined',
};

export interface PersonView {
  kind: StaffActor['kind'];
  /** The identity provider's subject: how the page knows a refund is the viewer's own. */
  subject: string;
  name: string | null;
  email: string | null;
}

const person = (a: StaffActor): PersonView => ({
  kind: a.kind,
  subject: a.subject,
  name: a.name,
  email: a.email,
});

/** `Alice Tan (alice@agency.gov.sg)`, `API token`, `paysg-checkout (reconciler)`. */
export function whoInWords(a: StaffActor): string {
  if (a.kind !== 'person') return a.name ?? a.subject;
  if (a.name && a.email) return `${a.name} (${a.email})`;
  return a.name ?? a.email ?? a.subject;
}

export function refundView(r: Refund) {
  return {
    refundId: r.id,
    /** The key it was asked for with, so a page that kept an unanswered attempt can match it. */
    idempotencyKey: r.idempotencyKey,
    amountInCents: r.amountInCents,
    reason: r.reason,
    status: r.status,
    statusText: REFUND_WORDS[r.status],
    requestedBy: person(r.requestedBy),
    requestedAt: r.requestedAt,
    approvedBy: r.approvedBy && person(r.approvedBy),
    approvedAt: r.approvedAt,
    settledAt: r.settledAt,
    failure: r.failure,
  };
}

/**
 * The FormSG submission an audit event is about (a letter downloaded, an e-mail sent again), from
 * its detail; both `null` for any other event.
 */
export function submissionOfAudit(e: Pick<AuditEvent, 'detail'>): {
  formId: string | null;
  submissionId: string | null;
} {
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  return { formId: text(e.detail?.formId), submissionId: text(e.detail?.submissionId) };
}

/** One audit event as a sentence: `Refund of SGD 20.00 asked for`. */
/** ` of FormSG submission {id} (form {id})`, when the event names one. */
function ofSubmission(e: Pick<AuditEvent, 'detail'>): string {
  const { formId, submissionId } = submissionOfAudit(e);
  if (!submissionId) return '';
  return ` of FormSG submission ${submissionId}${formId ? ` (form ${formId})` : ''}`;
}

export function auditInWords(
  e: Pick<AuditEvent, 'action' | 'amountInCents' | 'outcome' | 'detail'>,
): string {
  const amount = e.amountInCents === null ? '' : ` of ${moneyText(e.amountInCents)}`;
  const refused = e.outcome === 'refused' ? ' (refused)' : '';
  switch (e.action) {
    case 'refund_requested':
      return `Refund${amount} asked for${e.detail?.awaitingApproval ? ', to be approved by a second person' : ''}${refused}`;
    case 'refund_approved':
      return `Refund${amount} approved`;
    case 'refund_declined':
      return `Refund${amount} declined`;
    case 'refund_sent':
      return `Refund${amount} sent to PaySG`;
    case 'refund_settled':
      return e.outcome === 'ok'
        ? `PaySG refunded${amount ? amount.replace(' of', '') : ''}`
        : `PaySG refused the refund${amount}`;
    case 'cancel':
      return `Checkout cancelled${refused}`;
    case 'sign_in':
      return 'Signed in';
    case 'sign_in_refused':
      return 'Sign-in refused: not on the staff list';
    case 'sign_out':
      return 'Signed out';
    case 'export_checkouts':
      return 'Exported checkouts';
    case 'export_audit':
      return 'Exported the audit';
    case 'letter_downloaded':
      return `Downloaded the fine letter${ofSubmission(e)}`;
    case 'email_resent':
      return `Asked PaySG to send the payment e-mail again${ofSubmission(e)}${refused}`;
  }
}

export interface HistoryLine {
  at: string;
  text: string;
  who: string;
  reason?: string;
}

/** What happened to a checkout, oldest first: its own times, and what staff did to it. */
export function history(c: Checkout, audit: readonly AuditEvent[]): HistoryLine[] {
  const lines: HistoryLine[] = [
    {
      at: c.createdAt,
      text: `Checkout started for ${moneyText(c.amountInCents, c.currency)}`,
      who: 'Payer',
    },
  ];
  if (c.paidAt)
    lines.push({
      at: c.paidAt,
      text: `Paid ${moneyText(c.amountInCents, c.currency)}`,
      who: 'PaySG',
    });
  const staffCancelled = audit.some((e) => e.action === 'cancel' && e.outcome === 'ok');
  if (c.status === 'failed')
    lines.push({
      at: c.updatedAt,
      text: 'Checkout failed: PaySG never made its payment',
      who: 'paysg-checkout',
    });
  if (c.status === 'cancelled' && !staffCancelled)
    lines.push({
      at: c.updatedAt,
      text: 'Checkout cancelled (by the payer, or replaced by a newer checkout of the same order)',
      who: 'paysg-checkout',
    });
  for (const e of audit) {
    // PaySG's answer is PaySG's doing; whose request carried it there is in the audit's actor.
    const who =
      e.action === 'refund_settled'
        ? e.actor.kind === 'system'
          ? 'PaySG (recorded by the reconciler)'
          : 'PaySG'
        : whoInWords(e.actor);
    lines.push({ at: e.at, text: auditInWords(e), who, ...(e.reason && { reason: e.reason }) });
  }
  // By instant: PaySG's times carry +08:00, ours Z, so text order is not time order.
  return lines.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}
