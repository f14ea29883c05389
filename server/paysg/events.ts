/**
 * PaySG's webhook events, read tolerantly. The event object page documents `created` (epoch
 * milliseconds); the sample payload carries `created_at` (ISO) instead, and an older copy writes
 * the payment inside `data.object` in camelCase (paysg-api.md §8.1). All three parse here into
 * one shape, with the payment in the REST API's snake_case.
 * @module
 */
import { z } from 'zod';
import { instantOf } from './instant.js';
import { PaysgInvalidRequestError } from './errors.js';
import { paymentSchema, type Payment } from './schemas.js';

export interface PaysgEvent {
  id: string;
  /** `payment.succeeded` is the only documented type; others may appear at any time. */
  type: string;
  paymentServiceId: string | undefined;
  /** Milliseconds since the epoch, from `created` or `created_at`, when either was sent. */
  createdAt: number | undefined;
  /** The payment, for `payment.*` events whose object could be read as one. */
  payment: Payment | undefined;
  /** `data.object.id`, even when the object is not a complete payment. */
  objectId: string | undefined;
}

const eventEnvelopeSchema = z.looseObject({
  id: z.string().min(1),
  type: z.string().min(1),
  object: z.string().optional(),
  payment_service_id: z.string().optional(),
  // Either may come as a number or a string (FormSG's own types allow both for PaySG's times):
  // read by `instantOf`, never a reason to refuse the event (PaySG would retry it for days).
  created: z.unknown().optional(),
  created_at: z.unknown().optional(),
  data: z.looseObject({ object: z.record(z.string(), z.unknown()) }).optional(),
});

/** `paymentUrl` → `payment_url`; the docs' `stripe_payment_intentId` typo comes out right too. */
function snakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** The payment in snake_case; `paymentSchema` reads empty strings as absent (§16.8). */
function normalisePayment(object: Record<string, unknown>): Payment | undefined {
  const snake = Object.fromEntries(Object.entries(object).map(([k, v]) => [snakeCase(k), v]));
  const parsed = paymentSchema.safeParse(snake);
  return parsed.success ? parsed.data : undefined;
}

/** Parses an event body (already verified). Throws `PaysgInvalidRequestError` if it is not one. */
export function parseEvent(body: unknown): PaysgEvent {
  const parsed = eventEnvelopeSchema.safeParse(body);
  if (!parsed.success) throw new PaysgInvalidRequestError('The body is not a PaySG event');
  const event = parsed.data;
  const createdAt = instantOf(event.created) ?? instantOf(event.created_at);
  const object = event.data?.object;
  return {
    id: event.id,
    type: event.type,
    paymentServiceId: event.payment_service_id,
    createdAt,
    payment: object && event.type.startsWith('payment.') ? normalisePayment(object) : undefined,
    objectId: typeof object?.id === 'string' ? object.id : undefined,
  };
}
