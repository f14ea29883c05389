/**
 * One payment link's fields, as a row of a CSV or as command-line flags, checked the way the BFF
 * checks a payer (PaySG's limits, identifiers up to 20) and turned into PaySG's create request.
 * Money is read as text, never as a float: `12.30` dollars or `1230` in `amount_in_cents`.
 * @module
 */
import { z } from 'zod';
import { MAX_AMOUNT_IN_CENTS, type CreatePaymentParams } from '../paysg/schemas.js';
import { centsFromDollars } from '../money.js';
import { isEmailAddress } from '../paysg/email-address.js';
import { issuesOf } from '../zod-issues.js';

/** The columns a links CSV may have: PaySG's own field names, plus `amount` in dollars and `metadata.<key>`. */
export const LINK_COLUMNS = [
  'reference_id',
  'payer_name',
  'payer_email',
  'payer_identifier',
  'payer_address',
  'description',
  'amount',
  'amount_in_cents',
  'due_date',
] as const;

export const METADATA_PREFIX = 'metadata.';

const DUE_DATE = /^(0[1-9]|[12]\d|3[01])-(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)-\d{4}$/;
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/** `31-FEB-2026`, `31-APR-2026` and `29-FEB-2025` look like dates and are not: PaySG would get a day that does not exist. */
function isCalendarDate(dueDate: string): boolean {
  const [day, month, year] = dueDate.split('-');
  const date = new Date(Date.UTC(Number(year), MONTHS.indexOf(month ?? ''), Number(day)));
  return date.getUTCDate() === Number(day);
}
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => (v === '' ? undefined : v));

const linkFieldsSchema = z.object({
  reference_id: z.string().trim().min(1, 'is required').max(255),
  payer_name: z.string().trim().min(1, 'is required').max(255),
  payer_email: optionalText(255).refine(
    (v) => v === undefined || isEmailAddress(v),
    'is not an e-mail address',
  ),
  // NRIC/FIN or UEN; PaySG accepts 20 though its guide says 10 (paysg-api.md §16.3).
  payer_identifier: optionalText(20),
  payer_address: optionalText(255),
  description: z.string().trim().min(1, 'is required').max(500),
  due_date: optionalText(11)
    .refine((v) => v === undefined || DUE_DATE.test(v.toUpperCase()), 'must look like 31-DEC-2026')
    .refine(
      (v) => v === undefined || !DUE_DATE.test(v.toUpperCase()) || isCalendarDate(v.toUpperCase()),
      'is not a day of the calendar (that month has fewer days)',
    ),
});

export type LinkFields = Partial<Record<(typeof LINK_COLUMNS)[number], string>> & {
  metadata?: Record<string, string>;
};

export interface LinkRequest {
  reference: string;
  params: CreatePaymentParams;
}

export type LinkCheck = { ok: true; link: LinkRequest } | { ok: false; problems: string[] };

/** Checks one link's fields; every problem is named, with its field. */
export function checkLink(fields: LinkFields): LinkCheck {
  const parsed = linkFieldsSchema.safeParse(fields);
  const problems = parsed.success
    ? []
    : issuesOf(parsed.error, '').map((issue) => `${issue.path} ${issue.message}`);
  let amountInCents: number | undefined;
  const amount = fields.amount?.trim() || undefined;
  const cents = fields.amount_in_cents?.trim() || undefined;
  if ((amount === undefined) === (cents === undefined))
    problems.push('give either amount (dollars, like 12.30) or amount_in_cents');
  else if (amount !== undefined) {
    amountInCents = centsFromDollars(amount);
    if (amountInCents === undefined)
      problems.push(`amount ${JSON.stringify(amount)} is not dollars and cents, like 12.30`);
  } else if (cents !== undefined) {
    if (!/^\d{1,9}$/.test(cents))
      problems.push(`amount_in_cents ${JSON.stringify(cents)} is not a whole number of cents`);
    else amountInCents = Number(cents);
  }
  if (amountInCents !== undefined && (amountInCents < 1 || amountInCents > MAX_AMOUNT_IN_CENTS)) {
    problems.push(`the amount must be from 0.01 to ${MAX_AMOUNT_IN_CENTS / 100} dollars`);
  }
  const metadata = fields.metadata ?? {};
  if (Object.keys(metadata).length > 9)
    problems.push('at most 9 metadata columns (PaySG keeps 10; one names the link)');
  for (const [key, value] of Object.entries(metadata)) {
    if (key.length === 0 || key.length > 40)
      problems.push(`metadata key ${JSON.stringify(key)} must be 1 to 40 characters`);
    if (value.length > 255) problems.push(`metadata.${key} must be at most 255 characters`);
  }
  if (!parsed.success || problems.length || amountInCents === undefined)
    return { ok: false, problems };
  const f = parsed.data;
  const params: CreatePaymentParams = {
    reference_id: f.reference_id,
    payer_name: f.payer_name,
    ...(f.payer_email && { payer_email: f.payer_email }),
    ...(f.payer_identifier && { payer_identifier: f.payer_identifier }),
    ...(f.payer_address && { payer_address: f.payer_address }),
    description: f.description,
    amount_in_cents: amountInCents,
    ...(f.due_date && { due_date: f.due_date.toUpperCase() }),
    metadata,
  };
  return { ok: true, link: { reference: f.reference_id, params } };
}
