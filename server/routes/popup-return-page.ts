/**
 * The page PaySG returns a payer to in popup mode: it tells the opener (the agency page) that
 * the payer is back and closes its own window. The opener never trusts the message: it only
 * triggers the widget's status check against `GET /checkouts/{id}`.
 * @module
 */
import { html } from 'hono/html';

/**
 * The page's icon, inline: without one Firefox asks for /favicon.ico, which `default-src 'none'`
 * refuses, and reports that as a CSP violation in the payer's console. Sent with
 * POPUP_RETURN_PAGE_CSP, which allows `data:` images for it and nothing more.
 */
const FAVICON = `data:image/svg+xml,${encodeURIComponent("<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'><rect width='16' height='16' rx='3' fill='#1a7f37'/></svg>")}`;

/** The return page's Content-Security-Policy: its own script and styles, and its inline icon. */
export const POPUP_RETURN_PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src data:; base-uri 'none'";

export function renderPopupReturnPage(checkoutId: string, openerOrigin: string, basePath: string) {
  return html`<!doctype html>
    <html lang="en" data-checkout-id="${checkoutId}" data-opener-origin="${openerOrigin}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>Payment complete</title>
        <link rel="icon" href="${FAVICON}" />
        <link rel="stylesheet" href="${basePath}/popup-return.css" />
        <script type="module" src="${basePath}/popup-return.js"></script>
      </head>
      <body>
        <main>
          <h1>Payment complete</h1>
          <p>You can close this window and go back to the page you paid from.</p>
          <p lang="zh">付款完成。您可以关闭此窗口。</p>
          <p lang="ms">Pembayaran selesai. Anda boleh menutup tetingkap ini.</p>
          <p lang="ta">கட்டணம் முடிந்தது. இந்தச் சாளரத்தை மூடலாம்.</p>
        </main>
      </body>
    </html>`;
}

export const POPUP_RETURN_SCRIPT = `
const root = document.documentElement;
const message = { type: 'paysg-popup-return', checkoutId: root.dataset.checkoutId };
try {
  window.opener?.postMessage(message, root.dataset.openerOrigin);
} catch {
  // The opener is gone or on another origin than expected: the widget polls anyway.
}
setTimeout(() => window.close(), 300);
`;

export const POPUP_RETURN_STYLES = `
body { font: 16px/1.5 system-ui, sans-serif; margin: 0; display: grid; place-items: center; min-height: 100vh; }
main { max-width: 28rem; padding: 1.5rem; }
h1 { font-size: 1.4rem; }
`;
