/**
 * The simulator's outbox as a person reads it (`/_simulator/outbox`): each e-mail PaySG would
 * have sent, newest first, with whom it went to, a subject line, the payment link and the time.
 * PaySG's own e-mail (fixed body, the service's logo, paysg-api.md §10) is not published, so the
 * subject and the lines are the simulator's; the facts are the payment's. For an agency running
 * the simulator alone in its CI, where there is no demo page to show them.
 * @module
 */
import { html } from 'hono/html';
import { formatMoney } from '../../contract/money-format.js';
import type { SimulatedEmail } from './email-outbox.js';

/** `2026-12-08T10:00:00.000+08:00` as `8 Dec 2026, 10:00:00 am` (Singapore time, as sent). */
function sentAtText(sentAt: string): string {
  return new Intl.DateTimeFormat('en-SG', {
    timeZone: 'Asia/Singapore',
    dateStyle: 'medium',
    timeStyle: 'medium',
  }).format(new Date(sentAt));
}

export function renderOutboxPage(emails: SimulatedEmail[], stylesheet: string) {
  const count = emails.length === 1 ? '1 e-mail' : `${emails.length} e-mails`;
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>Outbox · PaySG simulator</title>
        <link rel="stylesheet" href="${stylesheet}" />
      </head>
      <body>
        <main>
          <h1>Outbox</h1>
          <p>
            What PaySG would have e-mailed: one e-mail for each send-email it accepted, newest
            first (${count}). Nothing leaves the simulator. The same list as JSON is at
            <a href="emails">emails</a>.
          </p>
          ${
            emails.length === 0
              ? html`<p>No e-mails yet.</p>`
              : html`<ol class="outbox">
                  ${emails.map((email) => {
                    const amount = formatMoney(email.amountInCents, 'SGD', 'en');
                    return html`<li>
                      <article aria-label="E-mail to ${email.to}, ${email.referenceId}">
                        <dl>
                          <dt>To</dt>
                          <dd>${email.to}</dd>
                          <dt>Subject</dt>
                          <dd>Payment request: ${amount} for ${email.referenceId}</dd>
                          <dt>Sent</dt>
                          <dd><time datetime="${email.sentAt}">${sentAtText(email.sentAt)}</time></dd>
                        </dl>
                        <p>${email.description}</p>
                        <p><a href="${email.paymentUrl}">Pay ${amount}</a> <span class="url">${email.paymentUrl}</span></p>
                      </article>
                    </li>`;
                  })}
                </ol>`
          }
        </main>
      </body>
    </html>`;
}

export const OUTBOX_PAGE_STYLES = `
:root { color-scheme: light dark; --accent: #5925dc; --ink: #1a1a1a; --muted: #565656;
  --surface: #ffffff; --page: #f3f1f8; --line: #d9d5e5; }
@media (prefers-color-scheme: dark) {
  :root { --accent: #b8a3ff; --ink: #f2f2f2; --muted: #c4c4c4; --surface: #1f1b2b; --page: #14111c; --line: #3b3450; }
}
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  background: var(--page); color: var(--ink); }
main { max-width: 44rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
h1 { margin: 0 0 0.5rem; font-size: 1.5rem; }
a { color: var(--accent); }
a:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.outbox { list-style: none; margin: 1rem 0 0; padding: 0; display: grid; gap: 1rem; }
article { background: var(--surface); border: 1px solid var(--line); border-radius: 8px; padding: 1rem; }
dl { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 0.25rem 0.75rem;
  margin: 0 0 0.75rem; padding-bottom: 0.75rem; border-bottom: 1px solid var(--line); }
dt { font-weight: 600; }
dd { margin: 0; overflow-wrap: anywhere; }
.url { display: block; color: var(--muted); font-size: 0.85rem; overflow-wrap: anywhere; }
`;
