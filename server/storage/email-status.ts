/**
 * The statuses of the one e-mail PaySG sends for a FormSG submission's payment, and the one
 * table of which may follow which, in the shape of `checkout-status.ts`. PaySG's send-email has
 * no Idempotency-Key (paysg-api.md §10): a second call is a second e-mail. So the e-mail is
 * claimed (`sending`) in the store before PaySG is asked, by a conditional update only one
 * instance can win, and a claim whose outcome was never written (a crash mid-send) is never sent
 * again by the BFF on its own: staff see it as unknown and may send it again, on the record.
 *
 *   pending ──(claimed, PaySG asked)──▶ sending ──(PaySG answered 2xx)──▶ sent
 *      │                                  │ ▲ └──(PaySG refused, or no answer)──▶ failed
 *      │                                  └─┘ (staff send again an unknown one)      │
 *      └──(no address, or no payment to send)──▶ skipped          sending ◀──(staff send again)──┘
 * @module
 */
import { assertMayFollow, type Transitions } from './status-transitions.js';

export const EMAIL_STATUS = {
  pending: 'pending',
  sending: 'sending',
  sent: 'sent',
  failed: 'failed',
  skipped: 'skipped',
} as const;

export type EmailStatus = (typeof EMAIL_STATUS)[keyof typeof EMAIL_STATUS];

/** Which status may follow which. A status may always stay what it is (a new claim of `sending`). */
export const EMAIL_TRANSITIONS: Transitions<EmailStatus> = {
  pending: ['sending', 'skipped'],
  sending: ['sent', 'failed'],
  failed: ['sending'],
  sent: [],
  skipped: [],
};

export class IllegalEmailTransitionError extends Error {
  override name = 'IllegalEmailTransitionError';
  constructor(from: EmailStatus, to: EmailStatus) {
    super(`A submission's e-mail cannot go from ${from} to ${to}`);
  }
}

/** Throws when `to` may not follow `from`: a bug in the caller, never a race. */
export function assertEmailTransition(from: EmailStatus, to: EmailStatus): void {
  assertMayFollow(EMAIL_TRANSITIONS, from, to, IllegalEmailTransitionError);
}

/** The status list as SQL, for the table's CHECK: `('pending', 'sending', …)`. */
export const EMAIL_STATUS_SQL = `(${Object.values(EMAIL_STATUS)
  .map((status) => `'${status}'`)
  .join(', ')})`;
