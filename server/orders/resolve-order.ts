/**
 * Turns what the browser asked for (a catalog item, or an order token the agency signed) into
 * the order the server will charge. The browser names an order; it never prices one.
 * @module
 */
import { ApiError } from '../errors.js';
import type { CheckoutStore } from '../storage/checkout-store.js';
import type { Catalog, CatalogItem } from './catalog.js';
import {
  orderKeyOf,
  sameOrderFingerprint,
  type PayerDetails,
  type ResolvedOrder,
} from './order.js';
import {
  lineItemsOf,
  OrderTokenError,
  OrderTokenExpiredError,
  verifyOrderToken,
  type OrderClaims,
  type VerifyOptions,
} from './order-token.js';

/**
 * What resolving an order reads, and nothing more: the catalog, the order-token secrets (absent
 * when order tokens are off), the clock, and where token ids are remembered. The app's context
 * is one; a test or a tool can give just these.
 */
export interface OrderSources {
  catalog: Catalog;
  orderTokens: Omit<VerifyOptions, 'now'> | undefined;
  now: () => Date;
  store: Pick<CheckoutStore, 'rememberTokenId'>;
}

export interface OrderRequest {
  item?: string | undefined;
  orderToken?: string | undefined;
  reference?: string | undefined;
  /** Only for catalog items that let the payer choose, within their bounds. */
  chosenAmountInCents?: number | undefined;
  payer?: PayerDetails | undefined;
}

export function catalogItem(sources: Pick<OrderSources, 'catalog'>, id: string): CatalogItem {
  const item = sources.catalog.get(id);
  if (!item) throw new ApiError(404, 'unknown_item', `There is no catalog item "${id}"`);
  return item;
}

export async function verifiedClaims(
  sources: Pick<OrderSources, 'orderTokens' | 'now'>,
  token: string,
): Promise<OrderClaims> {
  if (!sources.orderTokens)
    throw new ApiError(400, 'invalid_order_token', 'Order tokens are not enabled on this server');
  try {
    return await verifyOrderToken(token, {
      ...sources.orderTokens,
      now: Math.floor(sources.now().getTime() / 1000),
    });
  } catch (err) {
    if (err instanceof OrderTokenExpiredError) {
      throw new ApiError(
        401,
        'order_token_expired',
        'This page has expired: reload it to get the current amount',
      );
    }
    if (err instanceof OrderTokenError) throw new ApiError(401, 'invalid_order_token', err.message);
    throw err;
  }
}

/**
 * What must be the same for a stored checkout to be resumed (non-negotiable 8): the amount,
 * currency, description, line items and payer. Anything else is another order's terms.
 */
export function orderTerms(
  order: Pick<ResolvedOrder, 'amountInCents' | 'currency' | 'description' | 'lineItems' | 'payer'>,
): Promise<string> {
  const { name, email, identifier, address } = order.payer;
  const payer = [name ?? null, email ?? null, identifier ?? null, address ?? null];
  return sameOrderFingerprint([
    order.amountInCents,
    order.currency,
    order.description,
    order.lineItems,
    payer,
  ]);
}

export async function resolveOrder(
  sources: OrderSources,
  request: OrderRequest,
): Promise<ResolvedOrder> {
  if (request.orderToken !== undefined)
    return resolveTokenOrder(sources, request, request.orderToken);
  if (request.item === undefined)
    throw new ApiError(400, 'invalid_request', 'Name a catalog item or give an order token', {
      issues: [{ path: 'item', message: 'Required without an order token' }],
    });
  return resolveCatalogOrder(sources, request, request.item);
}

function resolveCatalogOrder(
  sources: Pick<OrderSources, 'catalog'>,
  request: OrderRequest,
  id: string,
): ResolvedOrder {
  const item = catalogItem(sources, id);
  if (item.requiresReference && request.reference === undefined) {
    throw new ApiError(
      400,
      'reference_required',
      `The item "${item.id}" is paid once per reference: the page must give one`,
      {
        issues: [{ path: 'reference', message: 'Required for this item' }],
      },
    );
  }
  let amountInCents: number;
  if (item.kind === 'fixed') {
    if (request.chosenAmountInCents !== undefined) {
      throw new ApiError(400, 'invalid_request', 'This item has a fixed fee', {
        issues: [{ path: 'chosenAmountInCents', message: 'Not accepted for a fixed fee' }],
      });
    }
    amountInCents = item.amountInCents;
  } else {
    const chosen = request.chosenAmountInCents;
    if (chosen === undefined || chosen < item.minAmountInCents || chosen > item.maxAmountInCents) {
      throw new ApiError(
        400,
        'invalid_request',
        `Choose an amount from ${item.minAmountInCents} to ${item.maxAmountInCents} cents`,
        {
          issues: [
            {
              path: 'chosenAmountInCents',
              message: `From ${item.minAmountInCents} to ${item.maxAmountInCents}`,
            },
          ],
        },
      );
    }
    amountInCents = chosen;
  }
  return {
    item: item.id,
    referenceId: request.reference,
    description: item.description,
    amountInCents,
    currency: 'SGD',
    lineItems: item.kind === 'fixed' ? item.lineItems : [],
    payer: request.payer ?? {},
    metadata: {},
  };
}

async function resolveTokenOrder(
  sources: OrderSources,
  request: OrderRequest,
  token: string,
): Promise<ResolvedOrder> {
  if (request.reference !== undefined || request.chosenAmountInCents !== undefined) {
    throw new ApiError(
      400,
      'invalid_request',
      'The order token decides the reference and the amount',
      {
        issues: [
          {
            path: request.reference !== undefined ? 'reference' : 'chosenAmountInCents',
            message: 'Not accepted with an order token',
          },
        ],
      },
    );
  }
  const claims = await verifiedClaims(sources, token);
  const order: ResolvedOrder = {
    item: null,
    referenceId: claims.reference_id,
    description: claims.description,
    amountInCents: claims.amount_in_cents,
    currency: 'SGD',
    lineItems: lineItemsOf(claims),
    // The agency's backend knows the payer best; the page may only fill in what it left out.
    payer: { ...request.payer, ...claims.payer },
    metadata: claims.metadata ?? {},
    token: { id: claims.jti, issuedAt: claims.iat },
  };
  // A token id names one order: replaying the token is fine, reusing its id for another is not.
  // What the token itself says decides, not the payer details the page may fill in or correct.
  const terms = await sameOrderFingerprint([
    orderKeyOf(order, claims.reference_id),
    claims.amount_in_cents,
    claims.description,
    order.lineItems,
    claims.payer ?? null,
  ]);
  const held = await sources.store.rememberTokenId(
    claims.jti,
    terms,
    new Date(claims.exp * 1000).toISOString(),
  );
  if (held !== terms)
    throw new ApiError(
      401,
      'invalid_order_token',
      'This order token id was already used for another order',
    );
  return order;
}
