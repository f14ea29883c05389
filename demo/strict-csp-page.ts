/**
 * A host page under the strictest policy an agency is likely to run: scripts only by nonce,
 * Trusted Types enforced, styles only from its own origin, no inline anything. The widget must
 * work here unchanged; the end-to-end tests record every CSP violation the page reports.
 * @module
 */
import { Hono } from 'hono';
import { html } from 'hono/html';

export function strictCspPage() {
  return new Hono().get('/', (c) => {
    const nonce = crypto.randomUUID().replace(/-/g, '');
    c.header(
      'Content-Security-Policy',
      [
        "default-src 'none'",
        `script-src 'nonce-${nonce}' 'strict-dynamic'`,
        "style-src 'self'",
        "connect-src 'self'",
        "img-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
        "require-trusted-types-for 'script'",
        // Lit's own policy is the only one the page allows.
        'trusted-types lit-html',
      ].join('; '),
    );
    c.header('Cache-Control', 'no-store');
    return c.html(html`<!doctype html>
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>Strict CSP host page · paysg-checkout demo</title>
          <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
          <link rel="stylesheet" href="/demo.css" />
          <script nonce="${nonce}">
            window.cspViolations = [];
            document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
          </script>
          <script type="module" nonce="${nonce}" src="/paysg/widget.js"></script>
          <script type="module" nonce="${nonce}" src="/nav.js"></script>
        </head>
        <body>
          <main class="layout">
            <section class="content">
              <h1>Strict Content-Security-Policy</h1>
              <p>
                This page allows scripts only by nonce (<code>'strict-dynamic'</code>), styles only from
                its own origin, and no DOM sink without a Trusted Types policy: the strictest policy an
                agency is likely to run. The checkout works under it unchanged. The policy is in this
                page's <code>Content-Security-Policy</code> header; docs/widget.md says what the widget needs.
              </p>
              <paysg-checkout endpoint="/paysg" item="licence-renewal" payer-name="Tan Ah Kow"></paysg-checkout>
            </section>
          </main>
        </body>
      </html>`);
  });
}
