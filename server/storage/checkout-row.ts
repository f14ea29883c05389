/**
 * How a checkout is laid out in a table row, shared by the SQLite and PostgreSQL stores.
 * @module
 */
import type { Checkout, CheckoutPatch, CheckoutStatus } from './checkout-store.js';

export interface CheckoutRow {
  id: string;
  order_key: string;
  order_fingerprint: string;
  item: string | null;
  reference_id: string;
  description: string;
  amount_in_cents: number;
  currency: string;
  line_items: string;
  status: string;
  return_to: string;
  return_mode: string;
  paysg_idempotency_key: string;
  paysg_request: string;
  payment_id: string | null;
  payment_url: string | null;
  paid_at: string | null;
  created_at: string;
  updated_at: string;
  verified_at: string | null;
  locked_until: string | null;
  owner_hash: string | null;
  order_token_id: string | null;
  paysg_key_sent: number;
  cancel_requested_at: string | null;
  refunded_in_cents: number;
  refund_status: string | null;
  /** A copy of `paysg_request`'s payer name, for the search index; the checkout reads it from there. */
  payer_name: string | null;
}

export const CHECKOUT_COLUMNS: readonly (keyof CheckoutRow)[] = [
  'id',
  'order_key',
  'order_fingerprint',
  'item',
  'reference_id',
  'description',
  'amount_in_cents',
  'currency',
  'line_items',
  'status',
  'return_to',
  'return_mode',
  'paysg_idempotency_key',
  'paysg_request',
  'payment_id',
  'payment_url',
  'paid_at',
  'created_at',
  'updated_at',
  'verified_at',
  'locked_until',
  'owner_hash',
  'order_token_id',
  'paysg_key_sent',
  'cancel_requested_at',
  'refunded_in_cents',
  'refund_status',
  'payer_name',
];

/** Which column each patchable field is stored in. */
export const PATCH_COLUMNS: Record<keyof CheckoutPatch, keyof CheckoutRow> = {
  status: 'status',
  paymentId: 'payment_id',
  paymentUrl: 'payment_url',
  paidAt: 'paid_at',
  verifiedAt: 'verified_at',
  lockedUntil: 'locked_until',
  paysgIdempotencyKey: 'paysg_idempotency_key',
  paysgKeySent: 'paysg_key_sent',
  cancelRequestedAt: 'cancel_requested_at',
};

/** The patch as `[column, value]` pairs, leaving out fields it does not set. */
export function patchColumns(patch: CheckoutPatch): [keyof CheckoutRow, unknown][] {
  return (Object.keys(PATCH_COLUMNS) as (keyof CheckoutPatch)[])
    .filter((field) => patch[field] !== undefined)
    .map((field) => [
      PATCH_COLUMNS[field],
      typeof patch[field] === 'boolean' ? Number(patch[field]) : patch[field],
    ]);
}

export function toRow(c: Checkout): CheckoutRow {
  return {
    id: c.id,
    order_key: c.orderKey,
    order_fingerprint: c.orderFingerprint,
    item: c.item,
    reference_id: c.referenceId,
    description: c.description,
    amount_in_cents: c.amountInCents,
    currency: c.currency,
    line_items: JSON.stringify(c.lineItems),
    status: c.status,
    return_to: c.returnTo,
    return_mode: c.returnMode,
    paysg_idempotency_key: c.paysgIdempotencyKey,
    paysg_request: JSON.stringify(c.paysgRequest),
    payment_id: c.paymentId,
    payment_url: c.paymentUrl,
    paid_at: c.paidAt,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    verified_at: c.verifiedAt,
    locked_until: c.lockedUntil,
    owner_hash: c.ownerHash,
    order_token_id: c.orderTokenId,
    paysg_key_sent: c.paysgKeySent ? 1 : 0,
    cancel_requested_at: c.cancelRequestedAt,
    refunded_in_cents: c.refundedInCents,
    refund_status: c.refundStatus,
    payer_name: c.paysgRequest.payer_name ?? null,
  };
}

export function fromRow(r: CheckoutRow): Checkout {
  return {
    id: r.id,
    orderKey: r.order_key,
    orderFingerprint: r.order_fingerprint,
    item: r.item,
    referenceId: r.reference_id,
    description: r.description,
    amountInCents: Number(r.amount_in_cents),
    currency: r.currency as 'SGD',
    lineItems: JSON.parse(r.line_items),
    status: r.status as CheckoutStatus,
    returnTo: r.return_to,
    returnMode: r.return_mode as Checkout['returnMode'],
    paysgIdempotencyKey: r.paysg_idempotency_key,
    paysgRequest: JSON.parse(r.paysg_request),
    paymentId: r.payment_id,
    paymentUrl: r.payment_url,
    paidAt: r.paid_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    verifiedAt: r.verified_at,
    lockedUntil: r.locked_until,
    ownerHash: r.owner_hash,
    orderTokenId: r.order_token_id,
    paysgKeySent: Number(r.paysg_key_sent) === 1,
    cancelRequestedAt: r.cancel_requested_at,
    refundedInCents: Number(r.refunded_in_cents ?? 0),
    refundStatus: (r.refund_status ?? null) as Checkout['refundStatus'],
  };
}
