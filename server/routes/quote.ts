/**
 * `GET /quote?item=…`: what an item costs, for display before the payer presses Pay.
 * @module
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppContext } from '../deps.js';
import { ApiError } from '../errors.js';
import { parseOrThrow } from '../middleware/read-json.js';
import { ITEM_ID_PATTERN } from '../orders/catalog.js';

const quoteQuerySchema = z.object({
  item: z.string({ error: 'Required' }).regex(ITEM_ID_PATTERN, 'Not a valid item id'),
});

export function quoteRoutes(ctx: AppContext) {
  return new Hono().get('/', (c) => {
    const { item: itemId } = parseOrThrow(quoteQuerySchema, c.req.query(), 'The query is not valid');
    const item = ctx.catalog.get(itemId);
    if (!item) throw new ApiError(404, 'unknown_item', `There is no catalog item "${itemId}"`);
    c.header('Cache-Control', 'no-cache');
    return c.json({
      item: item.id,
      description: item.description,
      amountInCents: item.amountInCents,
      currency: item.currency,
    });
  });
}
