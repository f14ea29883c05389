/**
 * An order as the server resolved it, from the catalog or from a signed order token: what is
 * charged, for what, and to whom. Nothing in it comes from the browser unchecked.
 * @module
 */
import { sha256Hex } from '../encoding.js';

export interface LineItem {
  description: string;
  amountInCents: number;
}

export interface PayerDetails {
  name?: string | undefined;
  email?: string | undefined;
  identifier?: string | undefined;
  address?: string | undefined;
}

export interface ResolvedOrder {
  /** The catalog item, or `null` for an order token's order. */
  item: string | null;
  /** Absent for a catalog order the host gave no reference for; then one is generated. */
  referenceId: string | undefined;
  description: string;
  amountInCents: number;
  currency: 'SGD';
  lineItems: LineItem[];
  payer: PayerDetails;
  metadata: Record<string, string>;
  /** For an order token's order: its `jti` and `iat` (seconds), which orders its tokens. */
  token?: { id: string; issuedAt: number };
}

/** One payment per key: `catalog:{item}:{reference}` or `token:{reference}`. */
export function orderKeyOf(order: Pick<ResolvedOrder, 'item'>, referenceId: string): string {
  return order.item === null ? `token:${referenceId}` : `catalog:${order.item}:${referenceId}`;
}

/**
 * Decides whether what is asked for now is the same order as before: the SHA-256 of the fields
 * that must match, in the caller's order, as JSON. One function for the three places that ask:
 * a stored checkout resumed only for the same terms (`orderTerms`), an order token id reused only
 * for the same order, an Idempotency-Key replayed only for the same request. Each names its
 * fields; the order of the fields is part of what is stored, so it never changes.
 */
export function sameOrderFingerprint(fields: readonly unknown[]): Promise<string> {
  return sha256Hex(JSON.stringify(fields));
}
