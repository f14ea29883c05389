/**
 * The demo agency's own backend, as small as it gets: it knows the order (a permit application
 * and its fee) and signs an order token for it, which its page hands to `<paysg-checkout>`. A
 * real agency does this in its own stack with any JWT library (see the claims in docs/bff.md, Order tokens).
 * @module
 */
import { Hono } from 'hono';
import { signOrderToken } from '../server/orders/order-token.js';

const APPLICATION_PATTERN = /^EVT-2026-[0-9A-F]{8}$/;

export function agencyBackend(options: { secret: string; audience: string }) {
  return new Hono().get('/permit-order', async (c) => {
    // Each visit is a new application; `?application=` signs a fresh token for one the page
    // already has (its token expired). A real backend would look the order up instead.
    const asked = c.req.query('application');
    const application =
      asked && APPLICATION_PATTERN.test(asked)
        ? asked
        : `EVT-2026-${crypto.randomUUID().slice(0, 8).toUpperCase()}`;
    const orderToken = await signOrderToken(
      {
        reference_id: application,
        amount_in_cents: 8550,
        description: `Temporary event permit, application ${application}`,
        line_items: [
          { description: 'Permit fee', amount_in_cents: 7000 },
          { description: 'Processing fee', amount_in_cents: 1550 },
        ],
        payer: { name: 'Siti binte Ahmad' },
      },
      options.secret,
      { audience: options.audience },
    );
    c.header('Cache-Control', 'no-store');
    return c.json({ application, orderToken });
  });
}
