/**
 * Identifiers the BFF mints. Uses Web Crypto only, so the app runs on any runtime Hono does.
 * @module
 */

/** A 128-bit random capability token, base64url: whoever holds it may read that checkout's status. */
export function newCheckoutId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export const CHECKOUT_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

/**
 * Node's own hashing where the runtime offers it (`process.getBuiltinModule`, so nothing here
 * imports Node): synchronous, and far cheaper per call than Web Crypto's queued jobs, which were
 * the largest single cost of a create. Web Crypto everywhere else.
 */
const nodeCrypto = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule?.('node:crypto') as
  | typeof import('node:crypto')
  | undefined;

export async function sha256Hex(text: string): Promise<string> {
  if (nodeCrypto) return nodeCrypto.createHash('sha256').update(text).digest('hex');
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The reference for a catalog order the host gave none for. Derived from the checkout id, so
 * two concurrent retries of one request (same Idempotency-Key, same checkout id) name the same
 * order and the database lets only one of them through.
 */
export async function referenceForCheckout(checkoutId: string): Promise<string> {
  return `PSC-${(await sha256Hex(checkoutId)).slice(0, 12).toUpperCase()}`;
}

/** The Idempotency-Key sent to PaySG: one per checkout, stored before the first call. */
export function paysgIdempotencyKeyFor(checkoutId: string): string {
  return `paysg-checkout:${checkoutId}:create`;
}

/** The key for the next attempt: `…:create` → `…:create:2` → `…:create:3`. */
export function nextPaysgIdempotencyKey(key: string): string {
  const match = /^(.*:create)(?::(\d+))?$/.exec(key);
  if (!match) return `${key}:2`;
  return `${match[1]}:${Number(match[2] ?? 1) + 1}`;
}
