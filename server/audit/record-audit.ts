/**
 * The one way an audit row is written: appended to the store (append-only there: the database
 * refuses updates and deletes) and mirrored as an `audit` log line for the agency's log search.
 * @module
 */
import type { AppContext } from '../deps.js';
import type { AuditEvent } from '../storage/staff-records.js';

export type AuditEntry = Omit<
  AuditEvent,
  | 'id'
  | 'at'
  | 'checkoutId'
  | 'refundId'
  | 'amountInCents'
  | 'reason'
  | 'requestId'
  | 'detail'
  | 'outcome'
> &
  Partial<
    Pick<
      AuditEvent,
      'checkoutId' | 'refundId' | 'amountInCents' | 'reason' | 'requestId' | 'detail' | 'outcome'
    >
  >;

/** Orders events of the same millisecond as they were written (by this process), then at random. */
let sequence = 0;
function auditId(at: Date): string {
  sequence = (sequence + 1) % 36 ** 6;
  return `${at.getTime().toString(36).padStart(9, '0')}${sequence.toString(36).padStart(6, '0')}-${crypto.randomUUID()}`;
}

export async function recordAudit(
  ctx: Pick<AppContext, 'store' | 'now' | 'logger'>,
  entry: AuditEntry,
): Promise<AuditEvent> {
  const now = ctx.now();
  const event: AuditEvent = {
    id: auditId(now),
    at: now.toISOString(),
    checkoutId: null,
    refundId: null,
    amountInCents: null,
    reason: null,
    requestId: null,
    detail: null,
    outcome: 'ok',
    ...entry,
  };
  await ctx.store.appendAudit(event);
  // The log line names the person by subject only: e-mail addresses stay out of logs.
  ctx.logger.log('info', 'audit', {
    action: event.action,
    actor: `${event.actor.kind}:${event.actor.subject}`,
    outcome: event.outcome,
    ...(event.checkoutId && { checkoutId: event.checkoutId }),
    ...(event.refundId && { refundId: event.refundId }),
    ...(event.amountInCents !== null && { amountInCents: event.amountInCents }),
    ...(event.requestId && { requestId: event.requestId }),
    // A fine's letter and e-mail are found in FormSG by these ids (hex, never a payer's data).
    ...(typeof event.detail?.formId === 'string' && { formId: event.detail.formId }),
    ...(typeof event.detail?.submissionId === 'string' && {
      submissionId: event.detail.submissionId,
    }),
  });
  return event;
}
