/**
 * PaySG's request and response shapes, with the strictest limits the guide documents
 * (reference/paysg-api.md §3). Shared by the client, which validates before sending, and the
 * simulator, which enforces the same limits as PaySG would.
 * @module
 */
import { z } from 'zod';
import { isEmailAddress } from './email-address.js';
import { instantOf } from './instant.js';

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

/**
 * `line_items` (newer copies of the create-a-payment page): an array of objects, any number of
 * them, each with a `description` of at most 255 characters. The guide's example stops after that
 * first key in every copy, so the per-item amount field, its name and whether the items must add up
 * are unknown (paysg-api.md §3.1, §15): anything else in an item is sent as given, unchecked.
 */
const lineItem = z.looseObject({ description: z.string().min(1).max(255) });

/**
 * The create request. Text goes out as given: nothing is trimmed (a payer's answer keeps its
 * spaces, as FormSG keeps them), and only the payer's name and address have their Unicode
 * punctuation written as ASCII, by the client (`normalize-text.ts`).
 */
export function createPaymentParamsSchema(options: { allowLoopbackHttp: boolean }) {
  return z
    .object({
      reference_id: z.string().min(1).max(255),
      payer_name: z.string().min(1).max(255),
      payer_address: z.string().max(255).optional(),
      // The guide says 10; PaySG's own Plumber sends up to 20 on purpose (paysg-api.md §16.3).
      payer_identifier: z.string().max(20).optional(),
      // The rules Plumber applies before sending to PaySG (email-validator), not zod's stricter ones.
      payer_email: z
        .string()
        .max(255)
        .refine(isEmailAddress, 'is not an e-mail address')
        .optional(),
      description: z.string().min(1).max(500),
      amount_in_cents: z.number().int().min(1).max(MAX_AMOUNT_IN_CENTS),
      due_date: z.string().regex(DUE_DATE, 'due_date must look like 31-DEC-2023').optional(),
      metadata: metadata.optional(),
      line_items: z.array(lineItem).optional(),
      return_url: returnUrlSchema(options.allowLoopbackHttp).optional(),
    })
    .strict();
}

export type CreatePaymentParams = z.infer<ReturnType<typeof createPaymentParamsSchema>>;

/** An empty string is read as absent: one guide sample sends `""` for fields it leaves out (§16.8). */
function withoutEmptyStrings(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== ''));
}

/** The latest instant a `Date` can hold, in milliseconds (ECMA-262 §21.4.1.1). */
const MAX_DATE_MS = 8.64e15;

/**
 * An instant the BFF reads (`created_at`, `payment_succeeded_timestamp`), always as a string.
 * The guide's samples send ISO-8601 strings, kept exactly as sent. FormSG's own types for PaySG's
 * answer declare the timestamps `string | number` (paysg-api.md §17.3), with no unit: a number, or a
 * string of digits, is read as epoch seconds below 10^12 (before 2001-09-09 in milliseconds, so
 * before any PaySG payment) and as milliseconds above, and written as ISO-8601 in UTC. Anything
 * else (a boolean, an object, zero, a negative number) is not an instant, and the payment is not read.
 */
const instant = z.union([z.string(), z.number()]).transform((value, ctx) => {
  if (typeof value === 'string' && !/^\d+(\.\d+)?$/.test(value.trim())) return value;
  // Seconds or milliseconds, by the one rule (`instant.ts`).
  const ms = instantOf(value);
  if (ms === undefined || ms > MAX_DATE_MS) {
    ctx.addIssue({ code: 'custom', message: 'not an instant' });
    return z.NEVER;
  }
  return new Date(ms).toISOString();
});

/**
 * The payment object, read as a tolerant reader: only the fields the BFF, the links command and
 * the webhook route act on are read and checked; every other field PaySG sends passes through
 * unread and unchecked (`unknown` in `Payment`), so no field we never read can fail a call.
 *
 * Read: `id`, `payment_service_id`, `reference_id`, `amount_in_cents` (verification);
 * `payment_status`, `latest_status`, `refund_status` (paid, cancelled, refunded); `payment_url` and
 * `payment_qr_code_url` (handed out); `return_url`, `description`, `metadata` (finding a payment
 * whose create answer was lost); `email_delivery_status` (links: was the link e-mailed);
 * `payment_succeeded_timestamp` (`paidAt`) and `created_at` (where a search of the list stops),
 * both through `instant`.
 *
 * Passed through unread (paysg-api.md §3.2, §17.3): the payer's name, address, identifier and
 * e-mail, `due_date` (FormSG: `string | number`), `updated_at`, the other `*_timestamp` fields
 * (FormSG: `string | number`), `stripe_payment_intent_id`, `payout_id`, `creator_id`, and anything
 * PaySG adds later. Fields the samples show as absent or null in some versions are optional, and
 * empty strings read as absent. `payment_url` is optional too: a payment is verified without it,
 * and one without a usable link is never handed out (`create-payment.ts`).
 */
const paymentObjectSchema = z.looseObject({
  id: z.string().min(1),
  payment_service_id: z.string().min(1),
  reference_id: z.string(),
  description: z.string().nullable().optional(),
  // Read as any number: one documented sample shows 12.34. Verification compares it with the
  // integer we asked for, so a fraction can never pass as paid.
  amount_in_cents: z.number(),
  metadata: z.record(z.string(), z.unknown()).nullable().optional(),
  return_url: z.string().nullable().optional(),
  payment_url: z.string().min(1).optional(),
  payment_status: z.string(),
  latest_status: z.string().optional(),
  refund_status: z.string().optional(),
  email_delivery_status: z.string().optional(),
  created_at: instant.optional(),
  payment_succeeded_timestamp: instant.nullable().optional(),
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
    ...(typeof data === 'object' &&
      data !== null &&
      !Array.isArray(data) && { data: data as Record<string, unknown> }),
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
