/**
 * Applies a received `payment.succeeded`. The payload is a hint like the return URL: the
 * checkout is found by payment id and verified with PaySG, so a forged or stale event can do no
 * more than make us ask PaySG (reliability.md §2). Unknown payments are kept as `unmatched`
 * for audit; the reconciler finds their checkouts anyway.
 * @module
 */
import type { AppContext } from '../deps.js';
import type { WebhookEventRecord, WebhookOutcome } from '../storage/checkout-store.js';
import { refreshCheckout } from './verify-checkout.js';

export async function applyWebhookEvent(
  ctx: AppContext,
  event: WebhookEventRecord,
): Promise<WebhookOutcome> {
  let outcome: WebhookOutcome;
  if (event.type !== 'payment.succeeded' || !event.paymentId) {
    outcome = 'ignored';
  } else {
    const checkout = await ctx.store.findByPaymentId(event.paymentId);
    if (!checkout) {
      outcome = 'unmatched';
      ctx.logger.log('warn', 'webhook_unmatched', {
        eventId: event.eventId,
        paymentId: event.paymentId,
      });
    } else {
      const verified = await refreshCheckout(ctx, checkout, { force: true });
      outcome = verified.status === 'paid' ? 'paid' : `not_paid:${verified.status}`;
    }
  }
  await ctx.store.setWebhookOutcome(event.eventId, outcome);
  return outcome;
}
