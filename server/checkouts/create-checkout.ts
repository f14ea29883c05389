/**
 * Turns an order into exactly one PaySG payment, however often and from wherever it is asked
 * for (non-negotiables 2, 7 and 8).
 *
 * The order is claimed in the database before PaySG is called (one checkout per order, by a
 * unique index), and the Idempotency-Key sent to PaySG is derived from the checkout and stored
 * with it (`paysg-key.ts`), so a retry after a timeout or a crash resends the same key and gets
 * PaySG's replay (reliability.md §1). A checkout that already holds the order is handed back only to the
 * browser (or order token) that made it, and only for the same terms; otherwise it is ended
 * first (its PaySG payment cancelled, confirmed) and a new one is created. Order tokens for one
 * order are ordered by their `iat`: an older one is refused, never applied.
 * @module
 */
import type { AppContext } from '../deps.js';
import { ApiError } from '../errors.js';
import { orderKeyOf, sameOrderFingerprint, type ResolvedOrder } from '../orders/order.js';
import { orderTerms } from '../orders/resolve-order.js';
import { PaysgError } from '../paysg/errors.js';
import type { CreatePaymentParams } from '../paysg/schemas.js';
import { present } from '../present.js';
import { storedCheckout, type Checkout } from '../storage/checkout-store.js';
import { endCheckout } from './cancel-checkout.js';
import { newCheckoutId, referenceForCheckout } from './checkout-ids.js';
import { ownsCheckout, type Requester } from './checkout-owner.js';
import { createPayment } from './create-payment.js';
import { newCheckoutKey } from './paysg-key.js';
import { startingCheckout } from './starting-checkout.js';
import { refreshCheckout } from './verify-checkout.js';

export interface CreateCheckoutResult {
  checkout: Checkout;
  /** False when an existing checkout for the same order (or the same request) was returned. */
  created: boolean;
}

export interface ReturnTarget {
  returnTo: string;
  mode: 'redirect' | 'popup';
}

/** A holder being ended and a new checkout claimed can race another request: how often to end one and claim again. */
const CLAIM_ATTEMPTS = 3;

export async function createCheckout(
  ctx: AppContext,
  order: ResolvedOrder,
  target: ReturnTarget,
  idempotencyKey: string | undefined,
  browserHash: string | null,
): Promise<CreateCheckoutResult> {
  if (!order.payer.name) {
    throw new ApiError(400, 'payer_details_required', 'PaySG needs the payer’s name', {
      issues: [{ path: 'payer.name', message: 'Required' }],
    });
  }
  const requester: Requester = { ownerHash: browserHash, orderTokenId: order.token?.id ?? null };
  const terms = await orderTerms(order);
  const { checkoutId, minted } = await checkoutIdFor(
    ctx,
    order,
    terms,
    target.returnTo,
    idempotencyKey,
    browserHash,
  );
  const orderKey = orderKeyOf(order, order.referenceId ?? (await referenceForCheckout(checkoutId)));
  // An older order token is refused before anything, a resume included: it never applies.
  await refuseOlderToken(ctx, order, orderKey);
  // A retry of a request that already made its checkout gets that checkout, as PaySG has it now.
  // An id minted by this request names no checkout yet: nothing to look up.
  const own = minted ? undefined : await ctx.store.get(checkoutId);
  if (own) {
    // Cancelled meanwhile (or its cancel asked for): `resume` finishes that and says so.
    const current = (await stillPayable(ctx, own)) ?? (await storedCheckout(ctx.store, own.id));
    return { checkout: await resume(ctx, current), created: false };
  }

  // Claimed first: a new order (the usual case) is one write, and a claim that loses names the
  // checkout holding the order, which is dealt with and the claim tried again.
  for (let attempt = 0; ; attempt++) {
    // Stamped now: ending a holder may have taken a while, and the lock starts with the claim.
    const claim = await ctx.store.claim(
      await newCheckout(ctx, checkoutId, order, terms, target, requester),
    );
    if (claim.claimed) return { checkout: await createPayment(ctx, claim.checkout), created: true };
    const holder = claim.checkout;
    if (holder.status === 'paid')
      throw new ApiError(409, 'order_already_paid', 'This order has already been paid');
    if (ownsCheckout(holder, requester) && holder.orderFingerprint === terms) {
      const current = await stillPayable(ctx, holder);
      if (current) return { checkout: await resume(ctx, current), created: false };
    }
    if (attempt === CLAIM_ATTEMPTS) break;
    // Asked again before ending the holder: a newer token may have been presented (and made the
    // holder) since this request's first check, and an older token never replaces a newer one.
    await refuseOlderToken(ctx, order, orderKey);
    await endCheckout(ctx, holder, 'superseded');
    ctx.logger.log('info', 'checkout_superseded', { checkoutId: holder.id, by: checkoutId });
  }
  throw new ApiError(409, 'checkout_in_progress', 'This order is changing; try again shortly', {
    retryAfter: 2,
  });
}

/** Notes the order token's `iat` for the order, and refuses it when a newer one was presented. */
async function refuseOlderToken(
  ctx: AppContext,
  order: ResolvedOrder,
  orderKey: string,
): Promise<void> {
  if (!order.token) return;
  const newest = await ctx.store.noteOrderTokenIssue(orderKey, order.token.issuedAt);
  if (newest > order.token.issuedAt) {
    throw new ApiError(
      409,
      'order_token_superseded',
      'A newer version of this order exists: reload the page to see it',
    );
  }
}

/**
 * The checkout as PaySG says it is now, or `undefined` when it can no longer be resumed: PaySG
 * cancelled it (elsewhere, or a cancel was asked for), so a dead link is never handed out.
 * Throws `order_already_paid` when PaySG says it was paid. When PaySG cannot be asked, the
 * stored link stands: nothing said it was cancelled.
 */
async function stillPayable(ctx: AppContext, holder: Checkout): Promise<Checkout | undefined> {
  if (holder.cancelRequestedAt) return undefined;
  let current = holder;
  try {
    current = await refreshCheckout(ctx, holder, { force: true });
  } catch (err) {
    if (!(err instanceof PaysgError)) throw err;
  }
  if (current.status === 'paid')
    throw new ApiError(409, 'order_already_paid', 'This order has already been paid');
  return (current.status === 'unpaid' || current.status === 'created') && !current.cancelRequestedAt
    ? current
    : undefined;
}

async function newCheckout(
  ctx: AppContext,
  id: string,
  order: ResolvedOrder,
  terms: string,
  target: ReturnTarget,
  requester: Requester,
): Promise<Checkout> {
  const referenceId = order.referenceId ?? (await referenceForCheckout(id));
  const payer = order.payer;
  const paysgRequest: CreatePaymentParams = {
    reference_id: referenceId,
    payer_name: present(payer.name, 'the payer’s name (checked first)'),
    ...(payer.email && { payer_email: payer.email }),
    ...(payer.identifier && { payer_identifier: payer.identifier }),
    ...(payer.address && { payer_address: payer.address }),
    description: order.description,
    amount_in_cents: order.amountInCents,
    metadata: order.metadata,
    return_url: `${ctx.publicUrl}/return/${id}`,
  };
  return startingCheckout(ctx, {
    id,
    orderKey: orderKeyOf(order, referenceId),
    orderFingerprint: terms,
    ownerHash: requester.ownerHash,
    orderTokenId: requester.orderTokenId,
    item: order.item,
    referenceId,
    description: order.description,
    amountInCents: order.amountInCents,
    currency: order.currency,
    lineItems: order.lineItems,
    returnTo: target.returnTo,
    returnMode: target.mode,
    ...newCheckoutKey(id),
    paysgRequest,
  });
}

/**
 * With an Idempotency-Key, the first request decides the checkout id and every retry of it
 * finds the same one; the same key for a different order, or from another browser, is refused.
 */
async function checkoutIdFor(
  ctx: AppContext,
  order: ResolvedOrder,
  terms: string,
  returnTo: string,
  idempotencyKey: string | undefined,
  browserHash: string | null,
): Promise<{ checkoutId: string; minted: boolean }> {
  const candidateId = newCheckoutId();
  if (idempotencyKey === undefined) return { checkoutId: candidateId, minted: true };
  const fingerprint = await sameOrderFingerprint([
    order.item,
    order.referenceId ?? null,
    terms,
    returnTo,
    browserHash,
    order.token?.id ?? null,
  ]);
  const held = await ctx.store.rememberIdempotencyKey(
    { key: idempotencyKey, fingerprint, checkoutId: candidateId },
    ctx.now().toISOString(),
  );
  if (held.fingerprint !== fingerprint) {
    throw new ApiError(
      422,
      'idempotency_mismatch',
      'This Idempotency-Key was used for a different order',
    );
  }
  // 128 random bits: the key holds this id only if this request just stored it.
  return { checkoutId: held.checkoutId, minted: held.checkoutId === candidateId };
}

/** Hands an existing checkout back to its owner: its link, or its PaySG payment made now. */
async function resume(ctx: AppContext, existing: Checkout): Promise<Checkout> {
  if (existing.cancelRequestedAt) {
    // Its cancel was asked for and not yet confirmed: finish it; the link is never handed out.
    await endCheckout(ctx, existing, 'payer');
    throw new ApiError(
      409,
      'checkout_not_payable',
      'This checkout was cancelled; start a new payment',
    );
  }
  switch (existing.status) {
    case 'unpaid':
      return existing;
    case 'paid':
      throw new ApiError(409, 'order_already_paid', 'This order has already been paid');
    case 'created': {
      const now = ctx.now();
      const locked = await ctx.store.lockForCreate(
        existing.id,
        now.toISOString(),
        new Date(now.getTime() + ctx.createLockMs).toISOString(),
      );
      if (!locked) {
        throw new ApiError(
          409,
          'checkout_in_progress',
          'This order is being set up; try again shortly',
          { retryAfter: 2 },
        );
      }
      return createPayment(ctx, locked);
    }
    default:
      throw new ApiError(409, 'checkout_not_payable', `This checkout is ${existing.status}`);
  }
}
