/**
 * The back office's list and export filters, from the query string: what to search for, a
 * status in staff's terms (refunds included), and a range of Singapore days on the creation date.
 * @module
 */
import { z } from 'zod';
import { ApiError } from '../errors.js';
import { parseOrThrow } from '../middleware/read-json.js';
import { present } from '../present.js';
import { singaporeDayEnd, singaporeDayStart } from '../singapore-time.js';
import type { CheckoutListQuery } from '../storage/checkout-store.js';

export const LIST_STATUSES = [
  'created',
  'unpaid',
  'paid',
  'partially_refunded',
  'refunded',
  'cancelled',
  'failed',
] as const;

const DEFAULT_PAGE = 50;

const singaporeDay = z
  .string()
  .refine((v) => singaporeDayStart(v) !== undefined, 'Must be a date like 2026-12-07');

export const listQuerySchema = z.object({
  search: z.string().trim().max(255).optional(),
  status: z.enum(LIST_STATUSES).optional(),
  from: singaporeDay.optional(),
  to: singaporeDay.optional(),
  before: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(DEFAULT_PAGE),
});

export type Filters = Omit<CheckoutListQuery, 'before' | 'limit'>;

/** The store's filters from the query string; `invalid_request` naming the field when one is wrong. */
export function filtersOf(raw: Record<string, string>): {
  filters: Filters;
  before: CheckoutListQuery['before'];
  limit: number;
} {
  const q = parseOrThrow(listQuerySchema, raw, 'The query is not valid');
  if (q.from && q.to && q.from > q.to) {
    throw new ApiError(400, 'invalid_request', 'The first day is after the last', {
      issues: [{ path: 'from', message: 'Must be on or before to' }],
    });
  }
  const filters: Filters = {
    ...(q.search && { search: q.search }),
    ...(q.status === 'partially_refunded' || q.status === 'refunded'
      ? { statuses: ['paid'], refundStatus: q.status }
      : q.status && { statuses: [q.status] }),
    ...(q.from && {
      createdFrom: present(singaporeDayStart(q.from), 'the start of a checked day'),
    }),
    ...(q.to && { createdBefore: present(singaporeDayEnd(q.to), 'the end of a checked day') }),
  };
  return { filters, before: readCursor(q.before), limit: q.limit };
}

/** A page cursor: the last checkout's creation time and id (ids never hold a space). */
export function cursorOf(c: { createdAt: string; id: string }): string {
  return `${c.createdAt} ${c.id}`;
}

function readCursor(cursor: string | undefined): CheckoutListQuery['before'] {
  if (cursor === undefined || cursor === '') return undefined;
  const match = /^(\d{4}-\d\d-\d\dT[\d:.]+Z) (\S+)$/.exec(cursor);
  if (!match)
    throw new ApiError(400, 'invalid_request', 'The page cursor is not one this list gave', {
      issues: [{ path: 'before', message: 'Unknown cursor' }],
    });
  return {
    createdAt: present(match[1], 'the cursor’s time'),
    id: present(match[2], 'the cursor’s id'),
  };
}
