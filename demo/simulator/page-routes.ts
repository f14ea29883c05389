/**
 * The hosted payment page at `/payments/{id}`: the payer pays (or is declined) or leaves.
 * After a successful payment the browser goes to `return_url` with `paysg_payment_id` and
 * `paysg_payment_service_id`, and `payment.succeeded` is sent to the webhook endpoints.
 * @module
 */
import { Hono } from 'hono';
import { magicFaults } from './fault-book.js';
import { isOpen, LedgerRefusal, type SimulatedPayment } from './payment-ledger.js';
import { PAYMENT_STATUS } from './payment-status.js';
import {
  DECLINED_NOTICE,
  PAYMENT_PAGE_SCRIPT,
  PAYMENT_PAGE_STYLES,
  renderNotFoundPage,
  renderPaymentPage,
} from './payment-page.js';
import type { SimulatorState } from './simulator-state.js';

/** PaySG appends its two ids to `return_url` as query parameters, keeping any already there. */
export function returnUrlWithIds(returnUrl: string, paymentId: string, serviceId: string): string {
  const url = new URL(returnUrl);
  url.searchParams.set('paysg_payment_id', paymentId);
  url.searchParams.set('paysg_payment_service_id', serviceId);
  return url.toString();
}

export function pageRoutes(state: SimulatorState) {
  const { basePath } = state;
  const app = new Hono();

  app.use('/payments/*', async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
    // `img-src data:` for the page's inline icon only (payment-page.ts, FAVICON).
    c.header(
      'Content-Security-Policy',
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src data:; base-uri 'none'; frame-ancestors 'none'",
    );
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
  });

  app.get('/payments/:paymentId', (c) => {
    const payment = state.ledger.find(c.req.param('paymentId'));
    if (!payment) return c.html(renderNotFoundPage(basePath), 404);
    const declined =
      c.req.query('declined') === '1' && payment.payment_status === PAYMENT_STATUS.unpaid;
    return c.html(
      renderPaymentPage({
        payment,
        basePath,
        refundedInCents: state.ledger.refundedCents(payment.id),
        ...(declined && { notice: DECLINED_NOTICE }),
      }),
    );
  });

  // Post, redirect, get: a reload shows the page again rather than posting again.
  const declinedPage = (id: string) => `${basePath}/payments/${id}?declined=1`;

  app.post('/payments/:paymentId/decline', (c) => {
    const found = state.ledger.find(c.req.param('paymentId'));
    if (!found) return c.html(renderNotFoundPage(basePath), 404);
    return c.redirect(declinedPage(found.id), 303);
  });

  app.post('/payments/:paymentId/pay', (c) => {
    const found = state.ledger.find(c.req.param('paymentId'));
    if (!found) return c.html(renderNotFoundPage(basePath), 404);

    const declined = [
      ...state.faults.take('page', found.payment_service_id),
      ...magicFaults(found.reference_id),
    ].some((f) => f.kind === 'decline');
    if (declined && isOpen(found)) return c.redirect(declinedPage(found.id), 303);

    let paid: SimulatedPayment;
    try {
      paid = state.ledger.pay(found.id);
    } catch (err) {
      if (!(err instanceof LedgerRefusal)) throw err;
      // Already paid or cancelled: show the page as it now stands, never take a second payment.
      return c.redirect(`${basePath}/payments/${found.id}`, 303);
    }
    state.webhooks.paymentSucceeded(paid);
    if (!paid.return_url) return c.redirect(`${basePath}/payments/${paid.id}`, 303);
    return c.redirect(returnUrlWithIds(paid.return_url, paid.id, paid.payment_service_id), 303);
  });

  app.get('/assets/payment-page.css', (c) => {
    c.header('Content-Type', 'text/css; charset=utf-8');
    return c.body(PAYMENT_PAGE_STYLES);
  });
  app.get('/assets/payment-page.js', (c) => {
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    return c.body(PAYMENT_PAGE_SCRIPT);
  });

  return app;
}
