/**
 * What a checkout id reveals to whoever holds it: status, amount, reference and times, never
 * payer details (DESIGN.md, "Checkout ids are capability tokens").
 * @module
 */
import type { CheckoutView } from '../../contract/bff-contract.js';
import type { Catalog } from '../orders/catalog.js';
import type { Checkout } from '../storage/checkout-store.js';

export type { CheckoutView };

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
  if (item?.description === checkout.description && Object.keys(item.translations).length)
    view.translations = item.translations;
  if (checkout.paymentId) view.paymentId = checkout.paymentId;
  // Not while a cancel is waiting for PaySG's word: that link may be dead any moment.
  if (checkout.status === 'unpaid' && checkout.paymentUrl && !checkout.cancelRequestedAt)
    view.paymentUrl = checkout.paymentUrl;
  if (checkout.paidAt) view.paidAt = checkout.paidAt;
  return view;
}
