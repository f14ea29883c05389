/**
 * Who may get a checkout back or cancel it (non-negotiable 7: a reference is not a secret).
 * The widget keeps one random secret per browser and sends it as `X-PaySG-Browser`; the BFF
 * stores only its SHA-256. The holder of the same order token (its `jti`) is the other owner.
 * A checkout's id stays the capability to read its status: it is handed only to its owner.
 * @module
 */
import { BROWSER_HEADER } from '../../contract/wire-names.js';
import { sha256Hex } from '../encoding.js';
import { ApiError } from '../errors.js';
import type { Checkout } from '../storage/checkout-store.js';

/** 128 bits or more of base64url, as the widget makes it. */
const BROWSER_SECRET_PATTERN = /^[A-Za-z0-9_-]{22,128}$/;

/** Whoever is asking: a browser (by its secret's hash) and/or the order token they hold. */
export interface Requester {
  ownerHash: string | null;
  orderTokenId: string | null;
}

/** The hash of the browser secret a request carries, `null` without one. */
export async function browserOwnerHash(header: string | undefined): Promise<string | null> {
  if (header === undefined) return null;
  if (!BROWSER_SECRET_PATTERN.test(header)) {
    throw new ApiError(
      400,
      'invalid_request',
      `${BROWSER_HEADER} must be 22 to 128 base64url characters`,
    );
  }
  return sha256Hex(`paysg-checkout:browser:${header}`);
}

/** True when the requester made this checkout: same browser, or same order token. */
export function ownsCheckout(
  checkout: Pick<Checkout, 'ownerHash' | 'orderTokenId'>,
  requester: Requester,
): boolean {
  const sameBrowser = checkout.ownerHash !== null && checkout.ownerHash === requester.ownerHash;
  const sameToken =
    checkout.orderTokenId !== null && checkout.orderTokenId === requester.orderTokenId;
  return sameBrowser || sameToken;
}
