/**
 * A checkout as the back office shows it: the order, its state and its refunds, and who paid
 * (staff need the name to answer a payer). Never the browser's owner hash or PaySG's key.
 * @module
 */
import type { Checkout, RefundRecord } from '../storage/checkout-store.js';

export interface AdminCheckout {
  checkoutId: string;
  status: Checkout['status'];
  refundStatus: Checkout['refundStatus'];
  refundedInCents: number;
  amountInCents: number;
  currency: string;
  referenceId: string;
  description: string;
  item: string | null;
  payerName: string | null;
  payerEmail: string | null;
  paymentId: string | null;
  createdAt: string;
  updatedAt: string;
  paidAt: string | null;
}

export function adminView(c: Checkout): AdminCheckout {
  return {
    checkoutId: c.id,
    status: c.status,
    refundStatus: c.refundStatus,
    refundedInCents: c.refundedInCents,
    amountInCents: c.amountInCents,
    currency: c.currency,
    referenceId: c.referenceId,
    description: c.description,
    item: c.item,
    payerName: c.paysgRequest.payer_name ?? null,
    payerEmail: c.paysgRequest.payer_email ?? null,
    paymentId: c.paymentId,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    // PaySG writes +08:00; the back office answers every time in UTC, as the rest.
    paidAt: c.paidAt && new Date(c.paidAt).toISOString(),
  };
}

/** What happened to a checkout, oldest first, from its own times and its refunds. */
export function history(c: Checkout, refunds: readonly RefundRecord[]): { at: string; event: string; amountInCents?: number }[] {
  const events: { at: string; event: string; amountInCents?: number }[] = [{ at: c.createdAt, event: 'created' }];
  if (c.paidAt) events.push({ at: c.paidAt, event: 'paid', amountInCents: c.amountInCents });
  for (const r of refunds) events.push({ at: r.createdAt, event: 'refunded', amountInCents: r.amountInCents });
  if (c.status === 'cancelled' || c.status === 'failed') events.push({ at: c.updatedAt, event: c.status });
  // By instant: PaySG's times carry +08:00, ours Z, so text order is not time order.
  return events.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

export const CSV_COLUMNS: readonly (keyof AdminCheckout)[] = [
  'checkoutId',
  'referenceId',
  'status',
  'refundStatus',
  'amountInCents',
  'refundedInCents',
  'currency',
  'description',
  'payerName',
  'paymentId',
  'createdAt',
  'paidAt',
];
