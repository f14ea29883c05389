/**
 * Identifiers the BFF mints for a checkout: its id and, for a catalog order the host gave none
 * for, its reference. The key PaySG sees for it is `paysg-key.ts`'s.
 * @module
 */
import { randomBase64url, sha256Hex } from '../encoding.js';

/** A 128-bit random capability token, base64url: whoever holds it may read that checkout's status. */
export function newCheckoutId(): string {
  return randomBase64url(16);
}

export const CHECKOUT_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

/**
 * The reference for a catalog order the host gave none for. Derived from the checkout id, so
 * two concurrent retries of one request (same Idempotency-Key, same checkout id) name the same
 * order and the database lets only one of them through.
 */
export async function referenceForCheckout(checkoutId: string): Promise<string> {
  return `PSC-${(await sha256Hex(checkoutId)).slice(0, 12).toUpperCase()}`;
}
