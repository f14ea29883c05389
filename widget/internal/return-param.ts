/**
 * The BFF sends the payer back with `?paysg_checkout={id}`. One widget takes it (the one that
 * started that checkout in this tab, else the first on the page, as in a second tab) and removes
 * it from the address bar, so a bookmark or a shared link does not carry it.
 */
import { RETURN_PARAM } from '../../contract/wire-names.js';
import { pendingCheckout } from './pending-checkout.js';

/** What a widget is set to pay: read from its properties, which frameworks set directly. */
export interface OrderSource {
  endpoint: string;
  item: string;
  reference?: string;
  orderToken?: string;
}

/**
 * Where a widget remembers its pending checkout, and what its order is: per BFF and order (item
 * and reference, or the order token itself). Another token is another scope, even for the same
 * order: its Pay still meets that order's checkout at the BFF, and a paid one is named by its quote.
 */
export function scopeOf(widget: OrderSource): string {
  return `${widget.endpoint}|${widget.orderToken || `${widget.item}|${widget.reference ?? ''}`}`;
}

/** The returned checkout id, if it is `element`'s to handle; removed from the address bar then. */
export function takeReturnedCheckoutId(element: Element): string | undefined {
  const url = new URL(location.href);
  const id = url.searchParams.get(RETURN_PARAM);
  if (!id) return undefined;
  const widgets = [...document.querySelectorAll(element.localName)];
  const owner =
    widgets.find((w) => pendingCheckout(scopeOf(w as unknown as OrderSource)) === id) ?? widgets[0];
  if (owner !== element) return undefined;
  url.searchParams.delete(RETURN_PARAM);
  history.replaceState(history.state, '', url);
  return id;
}
