/**
 * The names the widget and the BFF both put on the wire, declared once so neither side can drift.
 * @module
 */

/** The query parameter the BFF's return route adds to the payer's page: `?paysg_checkout={id}`. */
export const RETURN_PARAM = 'paysg_checkout';

/**
 * Sent as `X-PaySG-Checkout: 1` on every browser POST. A custom header makes every cross-origin
 * call preflighted, so CORS decides (reliability.md §4).
 */
export const CHECKOUT_HEADER = 'X-PaySG-Checkout';

/** The widget's per-browser secret, which makes a checkout its owner's (non-negotiable 7). */
export const BROWSER_HEADER = 'X-PaySG-Browser';
