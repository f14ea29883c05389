/**
 * What the simulator accepts, read from the fact sheet (reference/paysg-api.md §3.1, §6, §7, §9)
 * on its own: it shares no validation with the BFF's PaySG client, so the contract tests compare
 * two readings of PaySG's documentation, and a limit wrong in one is caught by the other.
 * Where the guide's copies differ, the simulator takes what PaySG accepts today (§16).
 * @module
 */
import { z } from 'zod';

/** `amount_in_cents`: whole cents, $0.01 to $200,000 (create page, newest copy; payments FAQ). */
const AMOUNT = z.number().int().min(1).max(20_000_000);

/** `due_date`: `dd-MMM-yyyy` with an upper-case month (`31-DEC-2023`). */
const DUE_DATE = /^(0[1-9]|[12]\d|3[01])-(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)-\d{4}$/;

/** PaySG blocks a create whose `return_url` is not HTTPS; the simulator also lets loopback http through. */
const returnUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return (
      url.protocol === 'https:' ||
      (url.protocol === 'http:' && /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/.test(url.hostname))
    );
  } catch {
    return false;
  }
}, 'must be an https URL');

/**
 * `line_items`: the guide's example stops after the first `description` key (§15.2), so the
 * shape beyond it is unknown: objects with a description of at most 255 characters, anything
 * else kept as sent.
 */
const lineItem = z.looseObject({ description: z.string().min(1).max(255) });

export const createRequestSchema = z
  .object({
    reference_id: z.string().min(1).max(255),
    payer_name: z.string().min(1).max(255),
    payer_address: z.string().max(255).optional(),
    // The guide says 10; PaySG accepts 20 (Plumber raised its limit on purpose, §16.3).
    payer_identifier: z.string().max(20).optional(),
    payer_email: z
      .string()
      .max(255)
      .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'must be an email address')
      .optional(),
    description: z.string().min(1).max(500),
    amount_in_cents: AMOUNT,
    due_date: z.string().regex(DUE_DATE, 'must look like 31-DEC-2023').optional(),
    metadata: z
      .record(z.string().max(40), z.string().max(255))
      .refine((m) => Object.keys(m).length <= 10, 'at most 10 entries')
      .optional(),
    line_items: z.array(lineItem).optional(),
    return_url: returnUrl.optional(),
  })
  .strict();

export type CreateRequest = z.infer<typeof createRequestSchema>;

export const refundRequestSchema = z.object({ refund_amount_in_cents: AMOUNT }).strict();

/** Pagination (§7): `before` and `after` exclude each other; the simulator's default is 20. */
export const listQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(20),
    before: z.string().min(1).optional(),
    after: z.string().min(1).optional(),
  })
  .refine((q) => !(q.before && q.after), {
    message: 'before and after cannot be used together',
    path: ['before'],
  });
