/**
 * What will be charged, for display before the payer presses Pay: `GET /quote?item=…` for a
 * catalog item, `POST /quote {orderToken}` for an order the agency signed.
 *
 * When the order is already paid and the caller owns that checkout (the browser that made it, or
 * the holder of the same order token), the answer names it (`paidCheckoutId`), so a second tab of
 * that browser shows the confirmation instead of Pay. Anyone else gets the same answer as for an
 * unpaid order: a reference is not a secret (non-negotiable 7).
 * @module
 */
import { Hono } from 'hono';
import type { QuoteResponse } from '../../contract/bff-contract.js';
import { z } from 'zod';
import { BROWSER_HEADER } from '../../contract/wire-names.js';
import { browserOwnerHash, ownsCheckout, type Requester } from '../checkouts/checkout-owner.js';
import type { AppContext } from '../deps.js';
import { parseOrThrow, readJson } from '../middleware/read-json.js';
import { ITEM_ID_PATTERN } from '../orders/catalog.js';
import { orderKeyOf } from '../orders/order.js';
import { lineItemsOf } from '../orders/order-token.js';
import { catalogItem, verifiedClaims } from '../orders/resolve-order.js';
import { REFERENCE_PATTERN } from './checkouts.js';

const quoteQuerySchema = z.object({
  item: z.string({ error: 'Required' }).regex(ITEM_ID_PATTERN, 'Not a valid item id'),
  /** The order's reference, as the page will send it to `POST /checkouts`: only to find the caller's own payment of it. */
  reference: z
    .string()
    .regex(REFERENCE_PATTERN, 'Letters, digits, space and . _ / - only, at most 255')
    .optional(),
});

const tokenQuoteSchema = z.object({ orderToken: z.string().min(1).max(8192) }).strict();

/** The id of the paid checkout holding the order `orderKey`, when `requester` owns it. */
async function ownPaidCheckout(
  ctx: AppContext,
  orderKey: string,
  requester: Requester,
): Promise<string | undefined> {
  if (requester.ownerHash === null && requester.orderTokenId === null) return undefined;
  const holder = await ctx.store.holderOf(orderKey);
  return holder?.status === 'paid' && ownsCheckout(holder, requester) ? holder.id : undefined;
}

export function quoteRoutes(ctx: AppContext) {
  return new Hono()
    .get('/', async (c) => {
      const { item: id, reference } = parseOrThrow(
        quoteQuerySchema,
        c.req.query(),
        'The query is not valid',
      );
      const item = catalogItem(ctx, id);
      // Without a reference each checkout is an order of its own: there is nothing to find.
      const paidCheckoutId =
        reference === undefined
          ? undefined
          : await ownPaidCheckout(ctx, orderKeyOf({ item: item.id }, reference), {
              ownerHash: await browserOwnerHash(c.req.header(BROWSER_HEADER)),
              orderTokenId: null,
            });
      // The answer depends on the browser asking: never one browser's answer from a cache to another.
      c.header('Vary', BROWSER_HEADER, { append: true });
      c.header('Cache-Control', paidCheckoutId ? 'no-store' : 'no-cache');
      const translations = Object.keys(item.translations).length
        ? { translations: item.translations }
        : {};
      // The page learns before Pay that it must name the order (the widget's `reference`).
      const requiresReference = item.requiresReference ? { requiresReference: true } : {};
      const paid = paidCheckoutId ? { paidCheckoutId } : {};
      if (item.kind === 'variable') {
        return c.json({
          item: item.id,
          description: item.description,
          ...translations,
          ...requiresReference,
          currency: item.currency,
          minAmountInCents: item.minAmountInCents,
          maxAmountInCents: item.maxAmountInCents,
          ...paid,
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
        ...paid,
      } satisfies QuoteResponse);
    })
    .post('/', async (c) => {
      const { orderToken } = await readJson(c, tokenQuoteSchema);
      const claims = await verifiedClaims(ctx, orderToken);
      const paidCheckoutId = await ownPaidCheckout(
        ctx,
        orderKeyOf({ item: null }, claims.reference_id),
        {
          ownerHash: await browserOwnerHash(c.req.header(BROWSER_HEADER)),
          orderTokenId: claims.jti,
        },
      );
      c.header('Cache-Control', 'no-store');
      return c.json({
        description: claims.description,
        amountInCents: claims.amount_in_cents,
        currency: 'SGD',
        referenceId: claims.reference_id,
        lineItems: lineItemsOf(claims),
        payerNameRequired: !claims.payer?.name,
        ...(paidCheckoutId && { paidCheckoutId }),
      } satisfies QuoteResponse);
    });
}
