/**
 * Everything one simulator instance holds, shared by its API, hosted page and control routes.
 * @module
 */
import type { Context } from 'hono';
import type { EmailOutbox } from './email-outbox.js';
import type { FaultBook } from './fault-book.js';
import type { SubscriptionBook } from './form-submissions.js';
import type { IdempotencyBook } from './idempotency-book.js';
import type { PaymentLedger, PaymentUrls } from './payment-ledger.js';
import type { WebhookDispatcher } from './webhook-dispatcher.js';

/** Set on a response whose connection should be dropped after the work was committed. */
export const DROP_HEADER = 'x-simulator-drop-response';

export interface SimulatorState {
  ledger: PaymentLedger;
  /** Subscription submissions accepted (never charged: the hosted page takes one-time payments only). */
  subscriptions: SubscriptionBook;
  idempotency: IdempotencyBook;
  /** The e-mails PaySG would have sent (send-email), for tests and the demo to read. */
  outbox: EmailOutbox;
  faults: FaultBook;
  webhooks: WebhookDispatcher;
  /** API key → the payment services its holder may use. */
  accounts: Map<string, Set<string>>;
  knownServices: Set<string>;
  /** Where a payment's hosted page and QR code image are. */
  paymentUrls: PaymentUrls;
  /** API requests received, per route, whatever their outcome. */
  requestCounts: Map<string, number>;
  /** Path prefix of the simulator's own pages, e.g. `/simulator`. */
  basePath: string;
  now: () => Date;
  /** Waits `ms`, or less if the request is aborted. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  maxHangMs: number;
}

/** PaySG's error envelope (errors page): `{"error": {"type", "code", "message"}}`. */
export function paysgError(
  c: Context,
  status: 400 | 401 | 402 | 403 | 404 | 409 | 429 | 500 | 503,
  type: string,
  code: string,
  message: string,
) {
  return c.json({ error: { type, code, message } }, status);
}

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
