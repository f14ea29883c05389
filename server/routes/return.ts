/**
 * `GET /return/{id}`: PaySG's `return_url`. PaySG sends the payer here only after a successful
 * payment, with `paysg_payment_id` and `paysg_payment_service_id` (as the query, we read; they
 * may be absent): unsigned hints. A payment id given must be the one stored on this checkout;
 * PaySG is then asked about that payment, and the payer is sent on to the host page with nothing
 * but our checkout id (`paysg_checkout`), even when PaySG cannot be asked right now.
 * @module
 */
import { Hono } from 'hono';
import { RETURN_PARAM } from '../../contract/wire-names.js';
import { CHECKOUT_ID_PATTERN } from '../checkouts/checkout-ids.js';
import { refreshCheckout } from '../checkouts/verify-checkout.js';
import type { AppContext } from '../deps.js';
import { ApiError } from '../errors.js';
import {
  POPUP_RETURN_PAGE_CSP,
  POPUP_RETURN_SCRIPT,
  POPUP_RETURN_STYLES,
  renderPopupReturnPage,
} from './popup-return-page.js';

export function popupAssetRoutes() {
  return new Hono()
    .get('/popup-return.js', (c) => {
      c.header('Content-Type', 'text/javascript; charset=utf-8');
      c.header('Cache-Control', 'public, max-age=300');
      return c.body(POPUP_RETURN_SCRIPT);
    })
    .get('/popup-return.css', (c) => {
      c.header('Content-Type', 'text/css; charset=utf-8');
      c.header('Cache-Control', 'public, max-age=300');
      return c.body(POPUP_RETURN_STYLES);
    });
}

export function returnRoutes(ctx: AppContext) {
  return new Hono().get('/:id', async (c) => {
    const id = c.req.param('id');
    const checkout = CHECKOUT_ID_PATTERN.test(id) ? await ctx.store.get(id) : undefined;
    if (!checkout) throw new ApiError(404, 'not_found', 'There is no such checkout');

    // How PaySG passes the ids back is undocumented (paysg-api.md §15.3, §16.9): they are hints
    // at most. The BFF knows which payment it created for this checkout and verifies that one;
    // an id that is present and names another payment is still refused.
    const paymentId = c.req.query('paysg_payment_id') || undefined;
    const serviceId = c.req.query('paysg_payment_service_id') || undefined;
    const otherPayment = paymentId !== undefined && paymentId !== checkout.paymentId;
    if (otherPayment || (serviceId !== undefined && serviceId !== ctx.paysg.paymentServiceId)) {
      ctx.logger.log('warn', 'return_payment_mismatch', { alert: true, checkoutId: id });
      throw new ApiError(400, 'payment_mismatch', 'This payment does not belong to this checkout');
    }

    try {
      await refreshCheckout(ctx, checkout, { force: true });
    } catch (err) {
      // PaySG may be briefly unreachable: the host page re-checks through GET /checkouts/{id},
      // so the payer still lands where they started and nothing is lost.
      ctx.logger.log('warn', 'return_verification_deferred', {
        checkoutId: id,
        reason: err instanceof Error ? err.name : 'unknown',
      });
    }

    if (checkout.returnMode === 'popup') {
      // Keep the opener: this window was opened by the agency page and reports back to it.
      c.header('Cross-Origin-Opener-Policy', 'unsafe-none');
      c.header('Content-Security-Policy', POPUP_RETURN_PAGE_CSP);
      c.header('Cache-Control', 'no-store');
      return c.html(
        renderPopupReturnPage(
          checkout.id,
          new URL(checkout.returnTo).origin,
          new URL(ctx.publicUrl).pathname.replace(/\/$/, ''),
        ),
      );
    }

    const destination = new URL(checkout.returnTo);
    destination.searchParams.set(RETURN_PARAM, checkout.id);
    c.header('Cache-Control', 'no-store');
    c.header('Referrer-Policy', 'no-referrer');
    return c.redirect(destination.toString(), 303);
  });
}
