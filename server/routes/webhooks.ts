/**
 * `POST /webhooks`: PaySG's signed events. The signature is checked over the raw bytes before
 * anything is parsed; the event is recorded (a duplicate is acknowledged and dropped) and
 * answered with 2xx at once, and applied after the response (webhook set-up page: "return 2xx
 * before complex logic"). Webhooks are optional: polling alone is enough.
 * @module
 */
import { Hono } from 'hono';
import { applyWebhookEvent } from '../checkouts/apply-webhook.js';
import type { AppContext } from '../deps.js';
import { ApiError } from '../errors.js';
import { PaysgError } from '../paysg/errors.js';
import { parseEvent, type PaysgEvent } from '../paysg/events.js';
import { SIGNATURE_HEADER, verifyWebhookSignature } from '../paysg/webhook-signature.js';

export function webhookRoutes(ctx: AppContext) {
  return new Hono().post('/', async (c) => {
    if (ctx.webhookSecrets.length === 0)
      throw new ApiError(404, 'not_found', 'Webhooks are not configured on this server');
    const raw = await c.req.text();
    try {
      await verifyWebhookSignature({
        payload: raw,
        header: c.req.header(SIGNATURE_HEADER),
        secrets: ctx.webhookSecrets,
        now: ctx.now().getTime(),
      });
    } catch (err) {
      if (!(err instanceof PaysgError)) throw err;
      ctx.logger.log('warn', 'webhook_signature_rejected', { reason: err.message });
      throw new ApiError(400, 'invalid_signature', 'The PaySG-Signature does not verify');
    }
    let event: PaysgEvent;
    try {
      event = parseEvent(JSON.parse(raw));
    } catch {
      throw new ApiError(400, 'invalid_request', 'The body is not a PaySG event');
    }
    const record = {
      eventId: event.id,
      type: event.type,
      paymentId:
        event.payment?.id ?? (event.type.startsWith('payment.') ? (event.objectId ?? null) : null),
      receivedAt: ctx.now().toISOString(),
      outcome: null,
    };
    const fresh = await ctx.store.recordWebhookEvent(record);
    if (fresh) ctx.background.run('apply_webhook', () => applyWebhookEvent(ctx, record));
    return c.json({ received: true, duplicate: !fresh });
  });
}
