/**
 * The back office end to end, as staff use it: through the demo, its PaySG simulator and its real
 * OpenID provider (oidc-provider, on E2E_IDP_PORT), in Chromium. Every test pays an order of its
 * own on the licence page first, then signs one of the demo's people in:
 *   alice (Alice Tan) and ben (Ben Lim) may refund; chitra (Chitra Devi) may only view.
 * In the demo a refund above SGD 100.00 waits for a second person with the refund role.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { E2E_ADMIN_TOKEN, E2E_IDP_PORT } from '../../playwright.config.js';
import { axeViolations } from '../helpers/axe-page.js';
import { licencePage } from './demo-pages.js';

const ADMIN = '/paysg/admin/';
const PROVIDER = new RegExp(`^http://localhost:${E2E_IDP_PORT}/`);
type DemoLogin = 'alice' | 'ben' | 'chitra';

const widget = (page: Page) => page.locator('paysg-checkout');

interface Paid {
  referenceId: string;
  checkoutId: string;
}

/**
 * Each test is one person's browser, somewhere in the agency: a client of its own for the back
 * office's rate limit (per client and minute), as the demo trusts one proxy hop in these tests.
 * Addresses from TEST-NET-2 (RFC 5737).
 */
let client = Math.floor(Math.random() * 200);
test.beforeEach(async ({ context }) => {
  await context.setExtraHTTPHeaders({ 'X-Forwarded-For': `198.51.100.${(client++ % 254) + 1}` });
});

declare global {
  interface Window {
    paysgEvents: { type: string; detail: Record<string, unknown> }[];
  }
}

/** Pays the licence page (SGD 120.00, payer Tan Ah Kow) through the simulator. */
async function payLicence(page: Page): Promise<Paid> {
  await page.goto(licencePage());
  await widget(page)
    .getByRole('button', { name: /Pay SGD\s120\.00/ })
    .click();
  await page.waitForURL(/\/simulator\/payments\//);
  await page.getByRole('button', { name: /^Pay SGD/ }).click();
  await page.waitForURL((url) => url.pathname === '/');
  await expect(widget(page)).toContainText('Payment received');
  const paid = (await page.evaluate(() => window.paysgEvents)).find(
    (e) => e.type === 'paysg-paid',
  )!;
  return {
    referenceId: paid.detail.referenceId as string,
    checkoutId: paid.detail.checkoutId as string,
  };
}

/** The back office's sign-in screen, as it is before anyone signs in. */
async function signInScreen(page: Page): Promise<Locator> {
  await page.goto(ADMIN);
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  return page.getByRole('link', { name: 'Sign in with your agency account' });
}

/** At the demo's provider: its development login page takes any password. */
async function atTheProvider(page: Page, login: DemoLogin): Promise<void> {
  await expect(page).toHaveURL(PROVIDER);
  await page.getByPlaceholder('Enter any login').fill(login);
  await page.getByPlaceholder('and password').fill('any password at all');
  await page.getByRole('button', { name: 'Sign-in' }).click();
}

/** Signs a demo person in, from the back office through the provider and back to the list. */
async function signIn(page: Page, login: DemoLogin): Promise<void> {
  await (await signInScreen(page)).click();
  await atTheProvider(page, login);
  await expect(page).toHaveURL(/\/paysg\/admin\/(#[\w/-]*)?$/);
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}

/** Signs out of the back office and of the provider (it asks first), back to the page, which says so. */
async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(PROVIDER);
  await page.getByRole('button', { name: 'Yes, sign me out' }).click();
  await expect(page).toHaveURL(/\/paysg\/admin\/$/);
  await expect(page.getByRole('status')).toHaveText('You have signed out.');
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeHidden();
}

/** Searches the list for `text` and returns the one row found for `referenceId`. */
async function search(page: Page, text: string, referenceId: string): Promise<Locator> {
  await page.getByLabel('Reference, payer name or id').fill(text);
  await page.getByRole('button', { name: 'Search' }).click();
  // The table's caption says these are search results (not the latest checkouts shown before).
  const row = page
    .getByRole('table', { name: 'Checkouts found, newest first' })
    .getByRole('row', { name: new RegExp(referenceId) });
  await expect(row).toHaveCount(1);
  await expect(page.getByText('1 checkout shown.')).toBeVisible();
  return row;
}

/** Finds a checkout by its reference and opens it; focus lands on its heading. */
async function openCheckout(page: Page, referenceId: string): Promise<void> {
  const row = await search(page, referenceId, referenceId);
  await row.getByRole('link', { name: referenceId }).click();
  await expect(page.getByRole('heading', { level: 1, name: referenceId })).toBeFocused();
}

/** The checkout's history, one list item per line. */
function historyLine(page: Page, text: string | RegExp): Locator {
  return page
    .getByRole('region', { name: 'History' })
    .getByRole('listitem')
    .filter({ hasText: text });
}

test('a refund person finds a payment by part of its reference in any case, refunds part of it with a reason, and signs out', async ({
  page,
  context,
}) => {
  const { referenceId } = await payLicence(page);
  const reason = 'Stall closed two weeks for market renovation';

  await signIn(page, 'alice');
  // The page moves focus to the list's heading, and says who is signed in.
  await expect(page.getByRole('heading', { level: 1, name: 'Checkouts' })).toBeFocused();
  await expect(page.getByRole('banner')).toContainText('Alice Tan');
  await expect(page.getByRole('banner')).toContainText('can view and refund');

  // `HS-42-007-2027` is found as `hs-42-007`.
  const part = referenceId.replace(/-\d{4}$/, '').toLowerCase();
  expect(part).not.toBe(referenceId);
  const row = await search(page, part, referenceId);
  await expect(row).toContainText('Paid');
  await expect(row).toContainText(/SGD\s120\.00/);
  await expect(row).toContainText('Tan Ah Kow');
  // Focus goes to the first result.
  await expect(row.getByRole('link', { name: referenceId })).toBeFocused();
  expect(await axeViolations(page, { bestPractice: true }), 'the list').toEqual([]);

  await row.getByRole('link', { name: referenceId }).click();
  await expect(page.getByRole('heading', { level: 1, name: referenceId })).toBeFocused();
  await expect(page.getByText(/SGD\s120\.00 can still be refunded/)).toBeVisible();
  expect(await axeViolations(page, { bestPractice: true }), 'the checkout').toEqual([]);

  await page.getByLabel('Amount to refund, in SGD').fill('20');
  await page.getByLabel('Reason for the refund').fill(reason);
  await page.getByRole('button', { name: 'Refund…' }).click();
  const dialog = page.getByRole('dialog', {
    name: new RegExp(`^Refund SGD\\s20\\.00 to Tan Ah Kow for ${referenceId}\\?$`),
  });
  await expect(dialog).toContainText(`Reason: “${reason}”`);
  // Not above the approval amount: no second person needed.
  await expect(dialog).not.toContainText('second person');
  await dialog.getByRole('button', { name: /^Refund SGD\s20\.00$/ }).click();
  await expect(dialog).toBeHidden();

  const message = page.getByRole('status');
  await expect(message).toHaveText(`Refunded SGD 20.00 to Tan Ah Kow for ${referenceId}.`);
  await expect(message.locator('.message')).toBeFocused();
  await expect(
    page.getByRole('heading', { level: 3, name: /^SGD\s20\.00: Refunded$/ }),
  ).toBeVisible();
  await expect(page.getByText(/SGD\s100\.00 can still be refunded/)).toBeVisible();
  const asked = historyLine(page, /Refund of SGD\s20\.00 asked for/);
  await expect(asked).toContainText('By Alice Tan (alice.tan@agency.example)');
  await expect(asked).toContainText(`“${reason}”`);
  await expect(historyLine(page, /PaySG refunded SGD\s20\.00/)).toHaveCount(1);

  const session = (await context.cookies()).find((c) => c.name === '__Host-paysg-admin');
  expect(session, 'the session cookie').toBeDefined();
  await signOut(page);
  expect(await axeViolations(page, { bestPractice: true }), 'the sign-in screen').toEqual([]);

  // Signed out means signed out: the browser has no session, and the old one is revoked in the
  // store, not only forgotten by the browser.
  expect((await page.goto('/paysg/admin/api/me'))!.status()).toBe(401);
  await context.addCookies([session!]);
  const replayed = await page.goto('/paysg/admin/api/me');
  expect(replayed!.status()).toBe(401);
  expect((await replayed!.json()).error.message).toBe('Your session has ended; sign in again');
});

test('a view person sees the checkout but no refund form, and the API refuses her refund', async ({
  page,
  request,
}) => {
  const { referenceId, checkoutId } = await payLicence(page);
  await signIn(page, 'chitra');
  await expect(page.getByRole('banner')).toContainText('Chitra Devi');
  await expect(page.getByRole('banner')).toContainText('can view');
  await expect(page.getByRole('banner')).not.toContainText('refund');

  await openCheckout(page, referenceId);
  await expect(page.getByRole('region', { name: 'Details' })).toContainText('Tan Ah Kow');
  await expect(
    page.getByText(
      'Your account can view checkouts but not refund them. Ask an administrator for the refund role.',
    ),
  ).toBeVisible();
  await expect(page.getByLabel('Amount to refund, in SGD')).toHaveCount(0);
  await expect(page.getByLabel('Reason for the refund')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Refund…' })).toHaveCount(0);
  expect(await axeViolations(page, { bestPractice: true })).toEqual([]);

  // The page only hides the form: the server is what refuses, even to her own session and origin.
  const answer = await page.evaluate(async (id) => {
    const response = await fetch(`./api/checkouts/${encodeURIComponent(id)}/refunds`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
      body: JSON.stringify({ amountInCents: 2000, reason: 'Trying the API directly' }),
    });
    return { status: response.status, body: await response.json() };
  }, checkoutId);
  expect(answer.status).toBe(403);
  expect(answer.body.error.code).toBe('forbidden');

  // Nothing was refunded, or even asked for.
  const stored = await request.get(`/paysg/admin/api/checkouts/${checkoutId}`, {
    headers: { Authorization: `Bearer ${E2E_ADMIN_TOKEN}` },
  });
  expect(stored.status()).toBe(200);
  const { checkout, refunds } = await stored.json();
  expect(checkout.refundedInCents).toBe(0);
  expect(refunds).toEqual([]);
});

test('a refund above SGD 100.00 waits for a second person: Alice asks, Ben approves, and the history names both', async ({
  page,
}) => {
  const { referenceId, checkoutId } = await payLicence(page);
  const reason = 'Licence renewed twice by mistake';

  await signIn(page, 'alice');
  await openCheckout(page, referenceId);
  await page.getByLabel('Amount to refund, in SGD').fill('120.00');
  await page.getByLabel('Reason for the refund').fill(reason);
  await page.getByRole('button', { name: 'Refund…' }).click();
  const ask = page.getByRole('dialog', {
    name: new RegExp(`^Refund SGD\\s120\\.00 to Tan Ah Kow for ${referenceId}\\?$`),
  });
  await expect(ask).toContainText(
    /Refunds above SGD\s100\.00 need a second person with the refund role to approve them\./,
  );
  await ask.getByRole('button', { name: /^Refund SGD\s120\.00$/ }).click();

  await expect(page.getByRole('status')).toHaveText(
    'Refund of SGD 120.00 is waiting for a second person with the refund role to approve it.',
  );
  await expect(
    page.getByRole('heading', { level: 3, name: /^SGD\s120\.00: Waiting for approval$/ }),
  ).toBeVisible();
  await expect(
    page.getByText(
      'You asked for this refund; another person with the refund role must approve it.',
    ),
  ).toBeVisible();
  await expect(page.getByText('A refund is in progress')).toBeVisible();
  // Not her own to approve, and no second refund while this one waits.
  await expect(page.getByRole('button', { name: 'Approve…' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Refund…' })).toHaveCount(0);
  // Nor does the server let her, asked from her own page.
  const own = await page.evaluate(async (id) => {
    const detail = await (await fetch(`./api/checkouts/${encodeURIComponent(id)}`)).json();
    const response = await fetch(
      `./api/refunds/${encodeURIComponent(detail.refunds[0].refundId)}/approve`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{}',
      },
    );
    return { status: response.status, body: await response.json() };
  }, checkoutId);
  expect(own.status).toBe(403);
  expect(own.body.error.code).toBe('own_refund');
  await signOut(page);

  await signIn(page, 'ben');
  await openCheckout(page, referenceId);
  await expect(
    page.getByRole('heading', { level: 3, name: /^SGD\s120\.00: Waiting for approval$/ }),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Approve…' }).click();
  const approve = page.getByRole('dialog', {
    name: new RegExp(`^Approve the refund of SGD\\s120\\.00 to Tan Ah Kow for ${referenceId}\\?$`),
  });
  await expect(approve).toContainText('Asked for by Alice Tan (alice.tan@agency.example).');
  await expect(approve).toContainText(`Reason: “${reason}”`);
  await approve.getByRole('button', { name: /^Approve and refund SGD\s120\.00$/ }).click();

  await expect(page.getByRole('status')).toHaveText(
    `Approved: refunded SGD 120.00 to Tan Ah Kow for ${referenceId}.`,
  );
  await expect(
    page.getByRole('heading', { level: 3, name: /^SGD\s120\.00: Refunded$/ }),
  ).toBeVisible();
  await expect(page.getByText('Nothing is left to refund.')).toBeVisible();
  const refund = page
    .getByRole('listitem')
    .filter({ has: page.getByRole('heading', { level: 3, name: /^SGD\s120\.00: Refunded$/ }) });
  await expect(refund).toContainText('Asked for byAlice Tan (alice.tan@agency.example)');
  await expect(refund).toContainText('Approved byBen Lim (ben.lim@agency.example)');

  const asked = historyLine(
    page,
    /Refund of SGD\s120\.00 asked for, to be approved by a second person/,
  );
  await expect(asked).toContainText('By Alice Tan (alice.tan@agency.example)');
  await expect(asked).toContainText(`“${reason}”`);
  await expect(historyLine(page, /Refund of SGD\s120\.00 approved/)).toContainText(
    'By Ben Lim (ben.lim@agency.example)',
  );
  await expect(historyLine(page, /PaySG refunded SGD\s120\.00/)).toHaveCount(1);
});

/** Presses Tab until `target` has focus: how a keyboard user gets there, bounded. */
async function tabTo(page: Page, target: Locator, most = 40): Promise<void> {
  await expect(target).toBeVisible();
  for (let i = 0; i < most; i++) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((el) => el === document.activeElement)) return;
  }
  throw new Error(`${most} presses of Tab did not reach ${target}`);
}

test('keyboard only: sign in, search, open a checkout and refund it, confirming with the keyboard', async ({
  page,
}) => {
  const { referenceId } = await payLicence(page);
  const reason = 'Payer paid for the wrong stall';

  const signInLink = await signInScreen(page);
  await tabTo(page, signInLink);
  await page.keyboard.press('Enter');
  // At the provider: its login field has focus.
  await expect(page).toHaveURL(PROVIDER);
  await expect(page.getByPlaceholder('Enter any login')).toBeFocused();
  await page.keyboard.type('alice');
  await page.keyboard.press('Tab');
  await page.keyboard.type('any password');
  await page.keyboard.press('Enter');
  const heading = page.getByRole('heading', { level: 1, name: 'Checkouts' });
  await expect(heading).toBeFocused();

  await tabTo(page, page.getByLabel('Reference, payer name or id'));
  await page.keyboard.type(referenceId.toLowerCase());
  await page.keyboard.press('Enter');
  const link = page
    .getByRole('table', { name: 'Checkouts found, newest first' })
    .getByRole('link', { name: referenceId });
  await expect(link).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: referenceId })).toBeFocused();

  await tabTo(page, page.getByLabel('Amount to refund, in SGD'));
  await page.keyboard.type('15.50');
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Reason for the refund')).toBeFocused();
  await page.keyboard.type(reason);
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Refund…' })).toBeFocused();
  await page.keyboard.press('Space');

  const dialog = page.getByRole('dialog', {
    name: new RegExp(`^Refund SGD\\s15\\.50 to Tan Ah Kow for ${referenceId}\\?$`),
  });
  await expect(dialog).toBeVisible();
  // The question is read first; the confirming button is next.
  await expect(dialog.getByRole('heading', { level: 2 })).toBeFocused();
  await tabTo(page, dialog.getByRole('button', { name: /^Refund SGD\s15\.50$/ }), 5);
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();

  const message = page.getByRole('status');
  await expect(message).toHaveText(`Refunded SGD 15.50 to Tan Ah Kow for ${referenceId}.`);
  await expect(message.locator('.message')).toBeFocused();
  await expect(
    page.getByRole('heading', { level: 3, name: /^SGD\s15\.50: Refunded$/ }),
  ).toBeVisible();
  await expect(historyLine(page, /Refund of SGD\s15\.50 asked for/)).toContainText(`“${reason}”`);
});
