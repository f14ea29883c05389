/**
 * `POST /checkouts` starts (or finds) the one checkout of an order; `GET /checkouts/{id}`
 * reports its verified status.
 * @module
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { CHECKOUT_ID_PATTERN } from '../checkouts/checkout-ids.js';
import { checkoutView } from '../checkouts/checkout-view.js';
import { createCheckout } from '../checkouts/create-checkout.js';
import { refreshCheckout } from '../checkouts/verify-checkout.js';
import type { AppContext } from '../deps.js';
import { ApiError } from '../errors.js';
import { readJson } from '../middleware/read-json.js';
import { ITEM_ID_PATTERN } from '../orders/catalog.js';
import { PaysgError } from '../paysg/errors.js';

const payerSchema = z
  .object({
    name: z.string().trim().min(1).max(255).optional(),
    email: z.email().max(255).optional(),
    identifier: z.string().trim().min(1).max(10).optional(),
    address: z.string().trim().min(1).max(255).optional(),
  })
  .strict();

/** Strict: unknown fields, an amount above all, are refused rather than ignored. */
const createCheckoutSchema = z
  .object({
    item: z.string().regex(ITEM_ID_PATTERN, 'Not a valid item id'),
    reference: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9 ._/-]{0,254}$/, 'Letters, digits, space and . _ / - only, at most 255')
      .optional(),
    payer: payerSchema.optional(),
    returnTo: z.string().max(2048),
  })
  .strict();

/** RFC 8941 sf-string form (`"abc"`) and bare form (`abc`) name the same key (IETF draft). */
function idempotencyKeyOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const key = /^".*"$/.test(header) ? header.slice(1, -1) : header;
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw new ApiError(400, 'invalid_request', 'Idempotency-Key must be 1 to 255 visible ASCII characters');
  }
  return key;
}

/** The payer may only be sent back to a page on an allowed origin (no open redirect). */
function checkReturnTo(ctx: AppContext, returnTo: string): void {
  let url: URL | undefined;
  try {
    url = new URL(returnTo);
  } catch {
    url = undefined;
  }
  const ok = url && (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password;
  if (!ok || !ctx.allowedOrigins.has(url!.origin)) {
    throw new ApiError(400, 'invalid_request', 'returnTo must be a page on an allowed origin', {
      issues: [{ path: 'returnTo', message: 'Not on an allowed origin' }],
    });
  }
}

export function checkoutRoutes(ctx: AppContext) {
  return new Hono()
    .post('/', async (c) => {
      const idempotencyKey = idempotencyKeyOf(c.req.header('Idempotency-Key'));
      const body = await readJson(c, createCheckoutSchema);
      checkReturnTo(ctx, body.returnTo);
      const { checkout, created } = await createCheckout(ctx, body, idempotencyKey);
      c.header('Cache-Control', 'no-store');
      return c.json(
        { checkoutId: checkout.id, status: checkout.status, paymentUrl: checkout.paymentUrl },
        created ? 201 : 200,
      );
    })
    .get('/:id', async (c) => {
      const id = c.req.param('id');
      const stored = CHECKOUT_ID_PATTERN.test(id) ? await ctx.store.get(id) : undefined;
      if (!stored) throw new ApiError(404, 'not_found', 'There is no such checkout');
      let checkout = stored;
      try {
        checkout = await refreshCheckout(ctx, stored);
      } catch (err) {
        if (!(err instanceof PaysgError)) throw err;
        ctx.logger.log('warn', 'paysg_status_unavailable', { checkoutId: id, kind: err.kind });
        // Never guess: the status is unknown until PaySG answers.
        throw new ApiError(503, 'upstream_unavailable', 'The payment status cannot be checked right now', {
          retryAfter: 2,
        });
      }
      c.header('Cache-Control', 'no-store');
      return c.json(checkoutView(checkout));
    });
}
