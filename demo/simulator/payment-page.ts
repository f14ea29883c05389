/**
 * The simulator's hosted payment page: what PaySG shows at `payment_url`. It shows what is being
 * paid for, lets the payer pay or leave, and after a successful payment sends the browser to
 * `return_url` with `paysg_payment_id` and `paysg_payment_service_id` (paysg-api.md §4). A payer
 * who comes back to it later sees what was refunded: "payers may return to the original payment
 * page to view refund information" (PaySG's guide, payments and refunds).
 * @module
 */
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { SimulatedPayment } from './payment-ledger.js';
import { LATEST_STATUS, PAYMENT_STATUS } from './payment-status.js';
import { formatPaidAt } from '../../contract/date-format.js';
import { formatMoney } from '../../contract/money-format.js';

export interface PaymentPageOptions {
  payment: SimulatedPayment;
  /** Base path of the simulator's own routes, e.g. `/simulator`. */
  basePath: string;
  notice?: string;
  /** What has been refunded, which PaySG's payment object does not say but its page shows. */
  refundedInCents?: number;
}

export function renderPaymentPage({
  payment,
  basePath,
  notice,
  refundedInCents = 0,
}: PaymentPageOptions) {
  const paid = payment.payment_status === PAYMENT_STATUS.paid;
  const cancelled = !paid && payment.latest_status === LATEST_STATUS.cancelled;
  const amount = formatMoney(payment.amount_in_cents, 'SGD', 'en');
  const title = paid ? 'Payment received' : cancelled ? 'Payment cancelled' : 'Make a payment';

  return page(
    title,
    basePath,
    html`
      <header class="masthead">
        <span class="brand" aria-hidden="true">PaySG</span>
        <span class="sim-badge">Simulator: no real money moves</span>
      </header>
      <main class="card">
        <h1>${title}</h1>
        <p class="notice" role="alert" id="notice" ${notice ? '' : 'hidden'}>${notice ?? ''}</p>
        <dl class="summary">
          <div><dt>Description</dt><dd>${payment.description ?? ''}</dd></div>
          <div><dt>Reference</dt><dd>${payment.reference_id}</dd></div>
          ${payment.payer_name ? html`<div><dt>Payer</dt><dd>${payment.payer_name}</dd></div>` : ''}
          <div class="total"><dt>Amount</dt><dd>${amount}</dd></div>
        </dl>
        ${
          paid
            ? html`<p class="status status-paid" role="status">
              This payment was received on
              ${payment.payment_succeeded_timestamp ? `${formatPaidAt(payment.payment_succeeded_timestamp, 'en')} (Singapore time)` : ''}. It
              cannot be paid again.
            </p>
            ${
              refundedInCents > 0
                ? html`<p class="status" role="status" id="refunded">
                  ${refundedInCents >= payment.amount_in_cents ? 'It has been refunded in full' : `${formatMoney(refundedInCents, 'SGD', 'en')} of it has been refunded`}
                  to the card or account it was paid with.
                </p>`
                : ''
            }`
            : cancelled
              ? html`<p class="status" role="status">This payment was cancelled and can no longer be paid.</p>`
              : html`<form method="post" action="${basePath}/payments/${payment.id}/pay">
                <fieldset class="methods">
                  <legend>Pay with</legend>
                  <label><input type="radio" name="method" value="card" checked /> Card (test card ending 4242)</label>
                  <label><input type="radio" name="method" value="paynow" /> PayNow</label>
                </fieldset>
                <button type="submit" class="pay">Pay ${amount}</button>
                <button type="submit" class="decline" id="decline" formaction="${basePath}/payments/${payment.id}/decline">
                  Simulate a declined payment
                </button>
              </form>`
        }
        <button type="button" class="close" id="close-page">Close this page</button>
      </main>
      <footer class="foot">
        A stand-in for PaySG's hosted payment page, for demos and tests.
      </footer>
    `,
  );
}

export function renderNotFoundPage(basePath: string) {
  return page(
    'Payment not found',
    basePath,
    html`<main class="card">
      <h1>Payment not found</h1>
      <p>This payment link is not valid.</p>
    </main>`,
  );
}

/**
 * The page's icon, inline: without one Firefox asks for /favicon.ico, which the page's
 * `default-src 'none'` refuses, and reports the refusal as a CSP violation on every page. The
 * policy allows `data:` images for it (page-routes.ts), and nothing more.
 */
const FAVICON = `data:image/svg+xml,${encodeURIComponent("<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'><rect width='16' height='16' rx='3' fill='#5925dc'/></svg>")}`;

function page(
  title: string,
  basePath: string,
  body: HtmlEscapedString | Promise<HtmlEscapedString>,
) {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · PaySG simulator</title>
        <link rel="icon" href="${FAVICON}" />
        <link rel="stylesheet" href="${basePath}/assets/payment-page.css" />
        <script type="module" src="${basePath}/assets/payment-page.js"></script>
      </head>
      <body>
        ${body}
      </body>
    </html>`;
}

/** Leaves the page the way a payer would: close the tab if a script opened it, else go back. */
export const DECLINED_NOTICE =
  'Your payment was declined by your bank. No money was taken. Try again or use another card.';

export const PAYMENT_PAGE_SCRIPT = `
// A decline changes nothing at PaySG: say so in place, so Back and reload stay as they were.
// (Without this script, the form posts and the page comes back with the notice.)
document.getElementById('decline')?.addEventListener('click', (event) => {
  event.preventDefault();
  const notice = document.getElementById('notice');
  notice.textContent = ${JSON.stringify(DECLINED_NOTICE)};
  notice.hidden = false;
});
document.getElementById('close-page')?.addEventListener('click', () => {
  window.close();
  // window.close() is ignored for a tab the payer navigated to; go back to where they came from.
  setTimeout(() => history.back(), 50);
});
`;

export const PAYMENT_PAGE_STYLES = `
:root { color-scheme: light dark; --accent: #5925dc; --ink: #1a1a1a; --muted: #565656;
  --surface: #ffffff; --page: #f3f1f8; --line: #d9d5e5; }
@media (prefers-color-scheme: dark) {
  :root { --accent: #b8a3ff; --ink: #f2f2f2; --muted: #c4c4c4; --surface: #1f1b2b; --page: #14111c; --line: #3b3450; }
}
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  background: var(--page); color: var(--ink); }
.masthead { display: flex; justify-content: space-between; align-items: center; gap: 1rem;
  flex-wrap: wrap; padding: 0.75rem 1.25rem; background: var(--surface); border-bottom: 1px solid var(--line); }
.brand { font-weight: 800; font-size: 1.25rem; color: var(--accent); letter-spacing: -0.02em; }
.sim-badge { font-size: 0.8rem; padding: 0.15rem 0.6rem; border-radius: 999px;
  border: 1px solid var(--line); color: var(--muted); }
.card { max-width: 28rem; margin: 2rem auto; padding: 1.5rem; background: var(--surface);
  border: 1px solid var(--line); border-radius: 12px; }
h1 { margin: 0 0 1rem; font-size: 1.4rem; }
.summary { margin: 0 0 1.5rem; }
.summary div { display: flex; justify-content: space-between; gap: 1rem; padding: 0.5rem 0;
  border-bottom: 1px solid var(--line); }
dt { color: var(--muted); }
dd { margin: 0; text-align: end; overflow-wrap: anywhere; }
.total dd { font-weight: 700; font-size: 1.2rem; }
button { font: inherit; width: 100%; min-height: 44px; border-radius: 8px; cursor: pointer; }
.pay { background: var(--accent); color: #fff; border: 0; font-weight: 600; padding: 0.75rem; }
@media (prefers-color-scheme: dark) { .pay { color: #14111c; } }
.methods { border: 1px solid var(--line); border-radius: 8px; margin: 0 0 1rem; padding: 0.5rem 1rem 0.75rem; }
.methods legend { padding: 0 0.25rem; color: var(--muted); }
.methods label { display: flex; align-items: center; gap: 0.5rem; min-height: 44px; }
.methods input { width: 1.1rem; height: 1.1rem; accent-color: var(--accent); }
.decline { margin-top: 0.75rem; background: transparent; color: var(--muted); border: 1px dashed var(--line); padding: 0.5rem; font-size: 0.9rem; }
.close { margin-top: 0.75rem; background: transparent; color: var(--ink); border: 1px solid var(--line); padding: 0.6rem; }
button:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.status { padding: 0.75rem; border-radius: 8px; background: var(--page); }
.status-paid { border-inline-start: 4px solid #1a7f37; }
.notice { padding: 0.75rem; border-radius: 8px; border-inline-start: 4px solid #b42318; background: var(--page); }
.foot { text-align: center; color: var(--muted); font-size: 0.85rem; padding: 0 1rem 2rem; }
`;
