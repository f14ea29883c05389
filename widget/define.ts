/**
 * Registers `<paysg-checkout>`, tolerating a second load of the script (agency pages often
 * include an embed twice) and a missing DOM (server-side rendering).
 */
import { PaysgCheckout } from './paysg-checkout.js';

export const TAG_NAME = 'paysg-checkout';

export function define(
  registry: CustomElementRegistry | undefined = globalThis.customElements,
): void {
  if (!registry || registry.get(TAG_NAME)) return;
  registry.define(TAG_NAME, PaysgCheckout);
}

define();
