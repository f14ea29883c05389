/**
 * What will be charged, for display before the payer presses Pay: `GET /quote?item=…` for a
 * catalog item, `POST /quote {orderToken}` for an order the agency signed.
 * @module
 */
import { Hono } from 'hono';
import type { QuoteResponse } from '../../contract/bff-contract.js';
import { z } from 'zod';
import type { AppContext } from '../deps.js';
import { parseOrThrow, readJson } from '../middleware/read-json.js';
import { ITEM_ID_PATTERN } from '../orders/catalog.js';
import { lineItemsOf } from '../orders/order-token.js';
import { catalogItem, verifiedClaims } from '../orders/resolve-order.js';

const quoteQuerySchema = z.object({
  item: z.string({ error: 'Required' }).regex(ITEM_ID_PATTERN, 'Not a valid item id'),
});

const tokenQuoteSchema = z.object({ orderToken: z.string().min(1).max(8192) }).strict();

export function quoteRoutes(ctx: AppContext) {
  return new Hono()
    .get('/', (c) => {
      const { item: id } = parseOrThrow(quoteQuerySchema, c.req.query(), 'The query is not valid');
      const item = catalogItem(ctx, id);
      c.header('Cache-Control', 'no-cache');
      const translations = Object.keys(item.translations).length ? { translations: item.translations } : {};
      // The page learns before Pay that it must name the order (the widget's `reference`).
      const requiresReference = item.requiresReference ? { requiresReference: true } : {};
      if (item.kind === 'variable') {
        return c.json({
          item: item.id,
          description: item.description,
          ...translations,
          ...requiresReference,
          currency: item.currency,
          minAmountInCents: item.minAmountInCents,
          maxAmountInCents: item.maxAmountInCents,
        } satisfies QuoteResponse);
      }
      return c.json({
        item: item.id,
        description: item.description,
        ...translations,
        ...requiresReference,
        amountInCents: item.amountInCents,
        currency: item.currency,
        lineItems: item.lineItems,
      } satisfies QuoteResponse);
    })
    .post('/', async (c) => {
      const { orderToken } = await readJson(c, tokenQuoteSchema);
      const claims = await verifiedClaims(ctx, orderToken);
      c.header('Cache-Control', 'no-store');
      return c.json({
        description: claims.description,
        amountInCents: claims.amount_in_cents,
        currency: 'SGD',
        referenceId: claims.reference_id,
        lineItems: lineItemsOf(claims),
        payerNameRequired: !claims.payer?.name,
      } satisfies QuoteResponse);
    });
}
