/** Reading `<paysg-checkout>`'s shadow DOM the way the widget tests do, and the BFF answers they share. */
import { fixture, html, oneEvent } from '@open-wc/testing';
import type { PaysgCheckout } from '../../widget/paysg-checkout.js';
import { QUOTE } from './fake-bff.js';

export const CHECKOUT_ID = 'Z8FJKvumn_RRs2MritHHMQ';
export const PAYMENT_URL = 'https://pay.simulator.example/payments/u9C_ErqYMzNWpqjY4Gzv-';
export const PAID_VIEW = {
  checkoutId: CHECKOUT_ID,
  status: 'paid',
  description: QUOTE.description,
  amountInCents: 12000,
  currency: 'SGD',
  referenceId: 'PSC-5CD973B331B4',
  paymentId: 'u9C_ErqYMzNWpqjY4Gzv-',
  paidAt: '2026-11-22T09:06:37.214+08:00',
};
export const UNPAID_VIEW = {
  ...PAID_VIEW,
  status: 'unpaid',
  paidAt: undefined,
  paymentUrl: PAYMENT_URL,
};
export const PENDING_KEY = 'paysg-checkout:pending:/paysg|licence-renewal|';

export function shadow(el: PaysgCheckout): ShadowRoot {
  return el.shadowRoot!;
}
export function part(el: PaysgCheckout, name: string): HTMLElement {
  return shadow(el).querySelector(`[part="${name}"]`) as HTMLElement;
}
export function button(el: PaysgCheckout, name: string): HTMLButtonElement {
  return part(el, name) as HTMLButtonElement;
}
export function text(el: PaysgCheckout): string {
  return shadow(el).textContent!.replace(/\s+/g, ' ');
}
export function mount() {
  return fixture<PaysgCheckout>(
    html`<paysg-checkout item="licence-renewal" payer-name="Tan Ah Kow"></paysg-checkout>`,
  );
}
export async function mountReady() {
  const ready = oneEvent(document, 'paysg-ready');
  const el = await mount();
  await ready;
  await el.updateComplete;
  return el;
}
