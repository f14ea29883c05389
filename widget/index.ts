/** The `<paysg-checkout>` element, its events and types. Importing this module registers the tag. */
export { PaysgCheckout, CHECKOUT_STATES, type CheckoutState } from './paysg-checkout.js';
export * from './events.js';
export { define, TAG_NAME } from './define.js';
