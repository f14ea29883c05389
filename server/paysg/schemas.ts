/**
 * PaySG's request and response shapes, with the strictest limits the guide documents
 * (reference/paysg-api.md §3). Shared by the client, which validates before sending, and the
 * simulator, which enforces the same limits as PaySG would.
 * @module
 */
import { z } from 'zod';

/** $200,000: the newest create-a-payment page and the payments FAQ agree on this ceiling. */
export const MAX_AMOUNT_IN_CENTS = 20_000_000;

/** `dd-MMM-yyyy` with an upper-case month, e.g. `31-DEC-2023` (create-a-payment page). */
const DUE_DATE = /^(0[1-9]|[12]\d|3[01])-(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)-\d{4}$/;

const metadata = z
  .record(z.string().max(40), z.string().max(255))
  .refine((m) => Object.keys(m).length <= 10, 'metadata holds at most 10 entries');

/** True for `localhost`, `127.0.0.0/8` and `[::1]`: hosts that never leave the machine. */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/**
 * PaySG blocks a create whose `return_url` is not HTTPS (integrating-with-your-e-services).
 * `allowLoopbackHttp` admits `http://localhost…` for the simulator only, so the demo and tests
 * run without TLS; the client never enables it against a real PaySG host.
 */
export function returnUrlSchema(allowLoopbackHttp: boolean) {
  return z.string().refine((value) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return false;
    }
    if (url.protocol === 'https:') return true;
    return allowLoopbackHttp && url.protocol === 'http:' && isLoopbackHost(url.hostname);
  }, 'return_url must be an https URL');
}

export function createPaymentParamsSchema(options: { allowLoopbackHttp: boolean }) {
  return z
    .object({
      reference_id: z.string().min(1).max(255),
      payer_name: z.string().min(1).max(255),
      payer_address: z.string().max(255).optional(),
      // The guide says 10; PaySG's own Plumber sends up to 20 on purpose (paysg-api.md §16.3).
      payer_identifier: z.string().max(20).optional(),
      payer_email: z.email().max(255).optional(),
      description: z.string().min(1).max(500),
      amount_in_cents: z.number().int().min(1).max(MAX_AMOUNT_IN_CENTS),
      due_date: z.string().regex(DUE_DATE, 'due_date must look like 31-DEC-2023').optional(),
      metadata: metadata.optional(),
      return_url: returnUrlSchema(options.allowLoopbackHttp).optional(),
    })
    .strict();
}

export type CreatePaymentParams = z.infer<ReturnType<typeof createPaymentParamsSchema>>;

const timestamp = z.string().nullable().optional();

/** An empty string is read as absent: one guide sample sends `""` for fields it leaves out (§16.8). */
function withoutEmptyStrings(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== ''));
}

/**
 * The payment object. Tolerant on purpose: fields PaySG adds later pass through, fields the
 * samples show as absent or null in some versions are optional (paysg-api.md §3.2), and empty
 * strings read as absent. `payment_url` is optional here too: a payment is verified without it,
 * and one without a usable link is never handed out (`create-payment.ts`).
 */
const paymentObjectSchema = z.looseObject({
  id: z.string().min(1),
  payment_service_id: z.string().min(1),
  reference_id: z.string(),
  payer_name: z.string().nullable().optional(),
  payer_address: z.string().nullable().optional(),
  payer_identifier: z.string().nullable().optional(),
  payer_email: z.string().nullable().optional(),
  description: z.string().nullable().optional(),
  // Read as any number: one documented sample shows 12.34. Verification compares it with the
  // integer we asked for, so a fraction can never pass as paid.
  amount_in_cents: z.number(),
  due_date: z.string().nullable().optional(),
  metadata: z.record(z.string(), z.unknown()).nullable().optional(),
  return_url: z.string().nullable().optional(),
  payment_url: z.string().min(1).optional(),
  payment_status: z.string(),
  latest_status: z.string().optional(),
  refund_status: z.string().optional(),
  email_delivery_status: z.string().optional(),
  stripe_payment_intent_id: z.string().nullable().optional(),
  payout_id: z.string().nullable().optional(),
  creator_id: z.string().nullable().optional(),
  created_at: z.string().optional(),
  updated_at: z.string().optional(),
  payment_sent_timestamp: timestamp,
  payment_succeeded_timestamp: timestamp,
  payment_cancelled_timestamp: timestamp,
  payment_fully_refunded_timestamp: timestamp,
  paid_out_timestamp: timestamp,
  payment_qr_code_url: z.string().optional(),
});

export const paymentSchema = z.preprocess(withoutEmptyStrings, paymentObjectSchema);

export type Payment = z.infer<typeof paymentObjectSchema>;

/** PaySG's error envelope (errors page): `{"error": {"type", "code", "message", "data"?}}`. */
export const errorEnvelopeSchema = z.object({
  error: z.looseObject({
    type: z.string().optional(),
    code: z.string().optional(),
    message: z.string().optional(),
    data: z.record(z.string(), z.unknown()).optional(),
  }),
});

export type PaysgErrorEnvelope = z.infer<typeof errorEnvelopeSchema>;

/**
 * What an error answer says, each field read on its own: an envelope that is off in one field
 * (`data` a string, an array or null; `error` a bare string) still gives its type, code and
 * message, so a 409 idempotency mismatch is still known as one rather than a retryable conflict.
 */
export function readErrorEnvelope(json: unknown): PaysgErrorEnvelope['error'] {
  const error = (json as { error?: unknown } | null)?.error;
  if (typeof error === 'string') return { message: error };
  if (typeof error !== 'object' || error === null) return {};
  const field = (name: string) => {
    const value = (error as Record<string, unknown>)[name];
    return typeof value === 'string' ? value : undefined;
  };
  const data = (error as Record<string, unknown>).data;
  const type = field('type');
  const code = field('code');
  const message = field('message');
  return {
    ...(type !== undefined && { type }),
    ...(code !== undefined && { code }),
    ...(message !== undefined && { message }),
    ...(typeof data === 'object' && data !== null && !Array.isArray(data) && { data: data as Record<string, unknown> }),
  };
}

/** Refund a paid payment, fully or in part (refund-a-payment page). */
export const refundParamsSchema = z
  .object({ refund_amount_in_cents: z.number().int().min(1).max(MAX_AMOUNT_IN_CENTS) })
  .strict();

export type RefundParams = z.infer<typeof refundParamsSchema>;

/** Cursor pagination (pagination page): `before` and `after` are mutually exclusive. */
export const listParamsSchema = z
  .object({
    limit: z.number().int().min(1).max(100).optional(),
    before: z.string().min(1).optional(),
    after: z.string().min(1).optional(),
  })
  .strict()
  .refine((p) => !(p.before && p.after), 'before and after cannot be used together');

export type ListParams = z.infer<typeof listParamsSchema>;

export const pageInfoSchema = z.looseObject({
  has_next_page: z.boolean(),
  has_previous_page: z.boolean(),
  start_cursor: z.string().nullable().optional(),
  end_cursor: z.string().nullable().optional(),
});

/**
 * A page of payments, each item read on its own: one that cannot be read as a payment is left out
 * (and counted in `unreadable`) instead of refusing the page, which would stop every search of
 * PaySG's list (the recovery of create, cancel and payment links) at that item.
 */
export const paymentPageSchema = z
  .looseObject({
    data: z.array(z.unknown()),
    page_info: pageInfoSchema,
  })
  .transform((page) => {
    const data: Payment[] = [];
    const unreadable: { id: unknown }[] = [];
    for (const item of page.data) {
      const parsed = paymentSchema.safeParse(item);
      if (parsed.success) data.push(parsed.data);
      else unreadable.push({ id: (item as { id?: unknown } | null)?.id });
    }
    return { ...page, data, unreadable };
  });

export type PaymentPage = z.output<typeof paymentPageSchema>;
