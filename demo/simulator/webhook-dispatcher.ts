/**
 * Sends signed `payment.succeeded` events to configured URLs, at least once: a delivery that
 * fails (no 2xx) is retried with exponential backoff, and can be duplicated or delayed out of
 * order on purpose, because PaySG promises neither order nor uniqueness (paysg-api.md §8.3).
 * Signed by the simulator's own reading of PaySG's signature (`webhook-signing.ts`), never the
 * BFF's: the two are checked against each other.
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { SimulatedPayment } from './payment-ledger.js';
import { singaporeTimestamp } from './payment-ledger.js';
import { PAYSG_SIGNATURE_HEADER, paysgSignatureHeader } from './webhook-signing.js';

export interface WebhookEndpoint {
  url: string;
  secret: string;
}

export interface WebhookOptions {
  endpoints?: WebhookEndpoint[];
  fetch?: typeof fetch;
  /** First retry after this many ms, doubling each time. Default 1000. */
  retryBaseMs?: number;
  /** Attempts per event and endpoint, the first included. Default 8. */
  maxAttempts?: number;
  /** Send every event twice. */
  duplicate?: boolean;
  /** Delay each first delivery by a random 0 to 2 × `retryBaseMs`, so events arrive out of order. */
  reorder?: boolean;
  /** The randomness behind `reorder`, a number in [0, 1) per delivery. Default `Math.random`. */
  random?: () => number;
}

export interface DeliveryRecord {
  eventId: string;
  url: string;
  attempt: number;
  /** HTTP status, or 0 when no answer came. */
  status: number;
}

export class WebhookDispatcher {
  readonly deliveries: DeliveryRecord[] = [];
  readonly #options: Required<Omit<WebhookOptions, 'endpoints'>> & { endpoints: WebhookEndpoint[] };
  readonly #now: () => Date;
  readonly #pending = new Set<Promise<void>>();
  /** The last event sent, to send again on request (a duplicate, as PaySG may send one). */
  #last: { id: string; body: string } | undefined;

  constructor(options: WebhookOptions, now: () => Date) {
    this.#now = now;
    this.#options = {
      endpoints: options.endpoints ?? [],
      fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
      retryBaseMs: options.retryBaseMs ?? 1000,
      maxAttempts: options.maxAttempts ?? 8,
      duplicate: options.duplicate ?? false,
      reorder: options.reorder ?? false,
      random: options.random ?? Math.random,
    };
  }

  addEndpoint(endpoint: WebhookEndpoint): void {
    this.#options.endpoints.push(endpoint);
  }

  /** Queues `payment.succeeded` for every endpoint; returns the event id. */
  paymentSucceeded(payment: SimulatedPayment): string {
    const now = this.#now();
    const event = {
      id: `evt_${randomUUID()}`,
      object: 'event',
      type: 'payment.succeeded',
      payment_service_id: payment.payment_service_id,
      // The event object page documents `created` (epoch ms); the sample sends `created_at`.
      created: now.getTime(),
      created_at: singaporeTimestamp(now),
      data: { object: payment },
    };
    const body = JSON.stringify(event);
    this.#last = { id: event.id, body };
    const copies = this.#options.duplicate ? 2 : 1;
    for (const endpoint of this.#options.endpoints) {
      for (let i = 0; i < copies; i++) this.#track(this.#deliver(endpoint, event.id, body));
    }
    return event.id;
  }

  /** Sends the last event again to every endpoint; its id, or undefined when there is none to send. */
  resendLast(): string | undefined {
    const last = this.#last;
    if (!last || this.#options.endpoints.length === 0) return undefined;
    for (const endpoint of this.#options.endpoints)
      this.#track(this.#deliver(endpoint, last.id, last.body));
    return last.id;
  }

  /** Resolves when every queued delivery, retries included, has succeeded or given up. */
  async flush(): Promise<void> {
    while (this.#pending.size) await Promise.allSettled([...this.#pending]);
  }

  #track(delivery: Promise<void>): void {
    this.#pending.add(delivery);
    void delivery.finally(() => this.#pending.delete(delivery));
  }

  async #deliver(endpoint: WebhookEndpoint, eventId: string, body: string): Promise<void> {
    const { retryBaseMs, maxAttempts, reorder, random } = this.#options;
    if (reorder) await sleep(random() * retryBaseMs * 2);
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      let status = 0;
      try {
        // A fresh timestamp and signature for every attempt, as Stripe-style senders do.
        const signature = paysgSignatureHeader(
          body,
          endpoint.secret,
          Math.floor(this.#now().getTime() / 1000),
        );
        const response = await this.#options.fetch(endpoint.url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', [PAYSG_SIGNATURE_HEADER]: signature },
          body,
          signal: AbortSignal.timeout(10_000),
        });
        status = response.status;
        await response.body?.cancel();
      } catch {
        status = 0;
      }
      this.deliveries.push({ eventId, url: endpoint.url, attempt, status });
      if (status >= 200 && status < 300) return;
      if (attempt < maxAttempts) await sleep(retryBaseMs * 2 ** (attempt - 1));
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
