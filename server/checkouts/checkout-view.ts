/**
 * What a checkout id reveals to whoever holds it: status, amount, reference and times, never
 * payer details (DESIGN.md, "Checkout ids are capability tokens").
 * @module
 */
import type { Catalog, Translations } from '../orders/catalog.js';
import type { Checkout, CheckoutStatus } from '../storage/checkout-store.js';

export interface CheckoutView {
  checkoutId: string;
  status: CheckoutStatus;
  description: string;
  /** The catalog item's texts in the payer's languages, while its description is still this one. */
  translations?: Translations;
  amountInCents: number;
  currency: 'SGD';
  referenceId: string;
  paymentId?: string;
  /** Only while the payment can still be made, so the payer can resume it. */
  paymentUrl?: string;
  paidAt?: string;
}

export function checkoutView(checkout: Checkout, catalog: Catalog): CheckoutView {
  const view: CheckoutView = {
    checkoutId: checkout.id,
    status: checkout.status,
    description: checkout.description,
    amountInCents: checkout.amountInCents,
    currency: checkout.currency,
    referenceId: checkout.referenceId,
  };
  const item = checkout.item === null ? undefined : catalog.get(checkout.item);
  if (item?.description === checkout.description && Object.keys(item.translations).length) view.translations = item.translations;
  if (checkout.paymentId) view.paymentId = checkout.paymentId;
  // Not while a cancel is waiting for PaySG's word: that link may be dead any moment.
  if (checkout.status === 'unpaid' && checkout.paymentUrl && !checkout.cancelRequestedAt) view.paymentUrl = checkout.paymentUrl;
  if (checkout.paidAt) view.paidAt = checkout.paidAt;
  return view;
}
