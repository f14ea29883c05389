/**
 * `POST /checkouts` starts (or finds) the one checkout of an order; `GET /checkouts/{id}`
 * reports its verified status; `POST /checkouts/{id}/cancel` cancels it and its PaySG payment.
 * @module
 */
import { Hono } from 'hono';
import type {
  CreateCheckoutRequest,
  CreatedCheckoutResponse,
} from '../../contract/bff-contract.js';
import { z } from 'zod';
import { CHECKOUT_ID_PATTERN } from '../checkouts/checkout-ids.js';
import { cancelCheckout, endCheckout } from '../checkouts/cancel-checkout.js';
import { BROWSER_HEADER } from '../../contract/wire-names.js';
import { browserOwnerHash } from '../checkouts/checkout-owner.js';
import { checkoutView } from '../checkouts/checkout-view.js';
import { createCheckout } from '../checkouts/create-checkout.js';
import { refreshCheckout } from '../checkouts/verify-checkout.js';
import type { AppContext } from '../deps.js';
import { ApiError } from '../errors.js';
import { readJson } from '../middleware/read-json.js';
import { ITEM_ID_PATTERN } from '../orders/catalog.js';
import { payerDetailsSchema } from '../orders/payer-details.js';
import { resolveOrder, verifiedClaims } from '../orders/resolve-order.js';
import { PaysgError } from '../paysg/errors.js';
import { MAX_AMOUNT_IN_CENTS } from '../paysg/schemas.js';
import { storedCheckout } from '../storage/checkout-store.js';

/** What a catalog order's `reference` may be; the quote reads it the same way. */
export const REFERENCE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 ._/-]{0,254}$/;

/** Strict: unknown fields, an amount above all, are refused rather than ignored. */
const createCheckoutSchema = z
  .object({
    item: z.string().regex(ITEM_ID_PATTERN, 'Not a valid item id').optional(),
    orderToken: z.string().min(1).max(8192).optional(),
    reference: z
      .string()
      .regex(REFERENCE_PATTERN, 'Letters, digits, space and . _ / - only, at most 255')
      .optional(),
    chosenAmountInCents: z.number().int().min(1).max(MAX_AMOUNT_IN_CENTS).optional(),
    payer: payerDetailsSchema.optional(),
    returnTo: z.string().max(2048),
    /** `popup`: the payer pays in a window of its own, which the return page closes. */
    mode: z.enum(['redirect', 'popup']).optional(),
  })
  .strict()
  .refine((b) => (b.item === undefined) !== (b.orderToken === undefined), {
    message: 'Send either item or orderToken',
    path: ['item'],
  });

/** What this schema accepts is what the widget sends (contract/bff-contract.ts): a drift fails to compile. */
const readsTheContract: SameShape<
  z.infer<typeof createCheckoutSchema>,
  CreateCheckoutRequest
> = true;
void readsTheContract;
type SameShape<A, B> = [A, keyof A] extends [B, keyof B]
  ? [B, keyof B] extends [A, keyof A]
    ? true
    : false
  : false;

/** The order token proves ownership of a token order's checkout, as the browser secret does. */
const cancelSchema = z.object({ orderToken: z.string().min(1).max(8192).optional() }).strict();

/** RFC 8941 sf-string form (`"abc"`) and bare form (`abc`) name the same key (IETF draft). */
function idempotencyKeyOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const key = /^".*"$/.test(header) ? header.slice(1, -1) : header;
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw new ApiError(
      400,
      'invalid_request',
      'Idempotency-Key must be 1 to 255 visible ASCII characters',
    );
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
  const ok =
    url &&
    (url.protocol === 'https:' || url.protocol === 'http:') &&
    !url.username &&
    !url.password;
  if (!ok || !url || !ctx.allowedOrigins.has(url.origin)) {
    throw new ApiError(400, 'invalid_request', 'returnTo must be a page on an allowed origin', {
      issues: [{ path: 'returnTo', message: 'Not on an allowed origin' }],
    });
  }
}

async function findCheckout(ctx: AppContext, id: string) {
  const checkout = CHECKOUT_ID_PATTERN.test(id) ? await ctx.store.get(id) : undefined;
  if (!checkout) throw new ApiError(404, 'not_found', 'There is no such checkout');
  return checkout;
}

function upstreamUnavailable(ctx: AppContext, err: unknown, checkoutId: string): never {
  if (!(err instanceof PaysgError)) throw err;
  ctx.logger.log('warn', 'paysg_unavailable', { checkoutId, kind: err.kind });
  throw new ApiError(
    503,
    'upstream_unavailable',
    'PaySG cannot be reached right now; try again shortly',
    { retryAfter: 2 },
  );
}

export function checkoutRoutes(ctx: AppContext) {
  return new Hono()
    .post('/', async (c) => {
      const idempotencyKey = idempotencyKeyOf(c.req.header('Idempotency-Key'));
      const body = await readJson(c, createCheckoutSchema);
      checkReturnTo(ctx, body.returnTo);
      const browserHash = await browserOwnerHash(c.req.header(BROWSER_HEADER));
      const order = await resolveOrder(ctx, body);
      const target = { returnTo: body.returnTo, mode: body.mode ?? 'redirect' } as const;
      const { checkout, created } = await createCheckout(
        ctx,
        order,
        target,
        idempotencyKey,
        browserHash,
      );
      // Only a payable link is an answer; a checkout that ended on the way is said to have.
      if (checkout.status === 'paid')
        throw new ApiError(409, 'order_already_paid', 'This order has already been paid');
      if (checkout.status !== 'unpaid' || !checkout.paymentUrl || checkout.cancelRequestedAt) {
        throw new ApiError(
          409,
          'checkout_not_payable',
          'This checkout ended before it could be paid; start a new payment',
        );
      }
      c.header('Cache-Control', 'no-store');
      const answer: CreatedCheckoutResponse = {
        checkoutId: checkout.id,
        status: checkout.status,
        paymentUrl: checkout.paymentUrl,
      };
      return c.json(answer, created ? 201 : 200);
    })
    .get('/:id', async (c) => {
      const stored = await findCheckout(ctx, c.req.param('id'));
      // Never guess: while PaySG cannot be asked, the status is unknown, not unpaid.
      let checkout = await refreshCheckout(ctx, stored).catch((err: unknown) =>
        upstreamUnavailable(ctx, err, stored.id),
      );
      // A cancel PaySG has not confirmed yet is finished before anything is said about it; if
      // PaySG says it was paid instead, that (verified and stored) is the answer.
      if (checkout.status === 'unpaid' && checkout.cancelRequestedAt) {
        checkout = await endCheckout(ctx, checkout, 'payer').catch(async (err: unknown) => {
          if (err instanceof ApiError && err.code === 'order_already_paid')
            return storedCheckout(ctx.store, stored.id);
          throw err;
        });
      }
      c.header('Cache-Control', 'no-store');
      return c.json(checkoutView(checkout, ctx.catalog));
    })
    .post('/:id/cancel', async (c) => {
      const stored = await findCheckout(ctx, c.req.param('id'));
      const { orderToken } = await readJson(c, cancelSchema);
      const requester = {
        ownerHash: await browserOwnerHash(c.req.header(BROWSER_HEADER)),
        orderTokenId: orderToken === undefined ? null : (await verifiedClaims(ctx, orderToken)).jti,
      };
      const cancelled = await cancelCheckout(ctx, stored, requester).catch((err: unknown) =>
        upstreamUnavailable(ctx, err, stored.id),
      );
      c.header('Cache-Control', 'no-store');
      return c.json(checkoutView(cancelled, ctx.catalog));
    });
}
