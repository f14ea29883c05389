/**
 * A payer's flows through the demo and its PaySG simulator. Those tagged EVERY_ENGINE are written
 * against `payer` (test/flows/payer.ts) and run in Chromium, Firefox ESR and WebKitGTK; the rest
 * need Playwright's own page (request listeners and interception, init scripts, viewports,
 * several tabs of one context, axe) and run in Chromium and Firefox.
 */
import type { BrowserContext, Page } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { SIMULATOR_API_KEY, SIMULATOR_PAYMENT_SERVICE_ID } from '../../demo/simulator/simulator.js';
import { E2E_ORDER_TOKEN_SECRET } from '../../playwright.config.js';
import { signOrderToken } from '../../server/orders/order-token.js';
import { axeViolations } from '../helpers/axe-page.js';
import { licencePage } from './demo-pages.js';
import { BACK_BUTTON, EVERY_ENGINE, expect, test, type Payer } from './engines.js';

declare global {
  interface Window {
    paysgEvents: { type: string; detail: Record<string, unknown> }[];
  }
}

const widget = (page: Page) => page.locator('paysg-checkout');

async function eventsOf(page: Page, type: string) {
  return (await page.evaluate(() => window.paysgEvents)).filter((e) => e.type === type);
}

/** PaySG's record of a payment, from the simulator's API as the BFF reads it. */
const simulatorPayment = (paymentId: string) =>
  `/simulator/v1/payment-services/${SIMULATOR_PAYMENT_SERVICE_ID}/payments/${paymentId}`;
const API_KEY = { headers: { 'x-api-key': SIMULATOR_API_KEY } };

/** On PaySG's page (the simulator's), the payer pays; back on `path`, the widget says so. */
async function payAtPaysg(payer: Payer, path: string): Promise<void> {
  await payer.at(/\/simulator\/payments\//);
  await payer.click(/^Pay SGD/);
  await payer.at((url) => url.pathname === path);
  await payer.widgetSays('Payment received');
}

/**
 * Marks the document, so that after Back the flow can tell whether the engine restored this very
 * document from its back/forward cache (the widget then re-checks on `pageshow`) or loaded it again.
 */
const markDocument = (payer: Payer) =>
  payer.evaluate(() => {
    (window as unknown as { leftForPaysg: boolean }).leftForPaysg = true;
  });
const restoredFromCache = (payer: Payer) =>
  payer.evaluate(() => (window as unknown as { leftForPaysg?: boolean }).leftForPaysg === true);
/**
 * Chromium and WebKit restore the page from the back/forward cache (the path most payers take);
 * Firefox loads it again, as its cache is off in these tests (playwright.config.ts).
 */
const expectBackForwardCache = async (payer: Payer) =>
  expect(
    await restoredFromCache(payer),
    `${payer.engine}: the page after Back came ${payer.engine === 'firefox' ? 'from the cache' : 'from the network'}`,
  ).toBe(payer.engine !== 'firefox');

test('pay through the simulator and receive a verified paysg-paid', { tag: EVERY_ENGINE }, async ({
  payer,
  request,
}) => {
  const licence = licencePage();
  await payer.goto(licence);
  await payer.widgetSays(/Pay SGD\s120\.00/);
  await payer.widgetSays('Hawker stall licence renewal');

  await payer.click(/Pay SGD\s120\.00/, 'widget');
  await payer.at(/\/simulator\/payments\//);
  await payer.pageSays('Make a payment', 'h1');
  await payer.pageSays('Hawker stall licence renewal', 'main');
  await payer.pageSays('Close this page', 'main');
  await payAtPaysg(payer, '/');
  // Only our checkout id travelled back, and the widget took it out of the address bar: the
  // page's own address is as it was.
  const search = new URL(licence, 'http://localhost').search;
  await payer.until(
    'the address to be the page’s own again',
    () => payer.url(),
    (url) => url.search === search,
  );

  const [paid] = await payer.eventsArrive('paysg-paid');
  const detail = paid!.detail as {
    paymentId: string;
    amountInCents: number;
    referenceId: string;
    paidAt: string;
    currency: string;
  };
  // The detail matches what PaySG (the simulator) recorded.
  const payment = await (await request.get(simulatorPayment(detail.paymentId), API_KEY)).json();
  expect(payment.payment_status).toBe('paid');
  expect(detail.amountInCents).toBe(payment.amount_in_cents);
  expect(detail.referenceId).toBe(payment.reference_id);
  // The stall and the period make the reference.
  expect(detail.referenceId).toBe(`HS-${new URLSearchParams(search).get('stall')}-2027`);
  expect(detail.paidAt).toBe(payment.payment_succeeded_timestamp);
  expect(detail.currency).toBe('SGD');

  // The panel shows the checkout as the BFF answers it.
  await payer.pageSays('"status": "paid"', '#bff-view');
  await payer.pageSays(`"referenceId": "${detail.referenceId}"`, '#bff-view');

  // A reload shows the same verified state.
  await payer.reload();
  await payer.widgetSays('Payment received');
});

test('come back with the Back button without paying, receive paysg-pending, resume and pay', {
  tag: [EVERY_ENGINE, BACK_BUTTON],
}, async ({ payer }) => {
  await payer.goto(licencePage());
  await payer.click(/Pay SGD/, 'widget');
  await payer.at(/\/simulator\/payments\//);
  const paymentUrl = (await payer.url()).href;

  await payer.back();
  await payer.at((url) => url.pathname === '/');
  await payer.widgetSays('Payment not completed');
  const [pending] = await payer.eventsArrive('paysg-pending');
  expect(pending!.detail.paymentUrl).toBe(paymentUrl);

  // Resume takes the payer to the same PaySG link, which can still be paid.
  await payer.click(/^Resume payment$/, 'widget');
  await payer.at((url) => url.href === paymentUrl);
  await payAtPaysg(payer, '/');
});

test('Back restores the page from the back/forward cache where the engine keeps one, and the widget checks again on pageshow', {
  tag: [EVERY_ENGINE, BACK_BUTTON],
}, async ({ payer }) => {
  await payer.goto(licencePage());
  await payer.widgetSays(/Pay SGD/);
  await markDocument(payer);
  await payer.click(/Pay SGD/, 'widget');
  await payer.at(/\/simulator\/payments\//);
  await payer.back();
  await payer.at((url) => url.pathname === '/');
  await expectBackForwardCache(payer);
  // The restored document still shows "Taking you to PaySG…" until the widget asks the BFF again.
  await payer.widgetSays('Payment not completed');
  await payer.eventsArrive('paysg-pending');
});

test('come back with the Back button and cancel: PaySG’s payment is cancelled, and the page hears paysg-cancel', {
  tag: [EVERY_ENGINE, BACK_BUTTON],
}, async ({ payer, request }) => {
  await payer.goto(licencePage());
  await payer.click(/Pay SGD/, 'widget');
  await payer.at(/\/simulator\/payments\//);
  const paymentId = (await payer.url()).pathname.split('/').at(-1)!;
  await payer.back();
  await payer.widgetSays('Payment not completed');
  await payer.click(/^Cancel payment$/, 'widget');
  await payer.widgetSays('Payment cancelled');
  await payer.eventsArrive('paysg-cancel');
  // The link the payer left can no longer be paid.
  const payment = await (await request.get(simulatorPayment(paymentId), API_KEY)).json();
  expect(payment.latest_status).toBe('cancelled');
  expect(payment.payment_status).toBe('unpaid');
});

test('the page loads the built widget bundle, not the dev sources', async ({ page }) => {
  const scripts: string[] = [];
  page.on('request', (r) => {
    if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname);
  });
  const bundleResponse = page.waitForResponse(
    (r) => new URL(r.url()).pathname === '/paysg/widget.js',
  );
  await page.goto(licencePage());
  const served = await (await bundleResponse).body();
  const built = readFileSync(new URL('../../dist/widget/paysg-checkout.js', import.meta.url));
  expect(served.equals(built), 'the served widget.js is dist/widget/paysg-checkout.js').toBe(true);
  expect(scripts.some((s) => s.endsWith('.ts'))).toBe(false);
  await expect(widget(page).getByRole('button', { name: /Pay/ })).toBeVisible();
});

test('the demo page has no accessibility violations when ready', async ({ page }) => {
  await page.goto(licencePage());
  await expect(widget(page).getByRole('button', { name: /Pay/ })).toBeVisible();
  expect(await axeViolations(page, { bestPractice: true })).toEqual([]);
});

test('pay an order the agency signed: the amount comes from the order token', {
  tag: EVERY_ENGINE,
}, async ({ payer }) => {
  await payer.goto('/permit.html');
  await payer.widgetSays(/Pay SGD\s85\.50/);
  const application = await payer.until(
    'the application number',
    () => payer.text('#application'),
    (t) => t.length > 0,
  );
  await payer.click(/Pay SGD\s85\.50/, 'widget');
  await payer.at(/\/simulator\/payments\//);
  await payer.pageSays(`application ${application}`, 'main');
  await payAtPaysg(payer, '/permit.html');
  expect(await payer.text('#application')).toBe(application);
  const [paid] = await payer.eventsArrive('paysg-paid');
  expect(paid!.detail).toMatchObject({ amountInCents: 8550, referenceId: application });
});

test('an order token that expired while the payer read the page is refreshed, and the order paid', async ({
  page,
}) => {
  // An application of this test's own: each engine's run pays it.
  const application = `EVT-2026-${randomUUID().slice(0, 8).toUpperCase()}`;
  const expired = await signOrderToken(
    {
      reference_id: application,
      amount_in_cents: 8550,
      description: `Temporary event permit, application ${application}`,
      payer: { name: 'Siti binte Ahmad' },
    },
    E2E_ORDER_TOKEN_SECRET,
    { now: Math.floor(Date.now() / 1000) - 20 * 60, ttlSeconds: 10 * 60 },
  );
  // The tab kept this order from a visit twenty minutes ago.
  await page.addInitScript(
    ([key, order]) => sessionStorage.getItem(key) ?? sessionStorage.setItem(key, order),
    ['demo-permit-order', JSON.stringify({ application, orderToken: expired })],
  );
  await page.goto('/permit.html');
  const pay = widget(page).getByRole('button', { name: /Pay SGD\s85\.50/ });
  await expect(pay).toBeVisible();
  const [error] = await eventsOf(page, 'paysg-error');
  expect(error!.detail).toMatchObject({ code: 'order_token_expired', retryable: true });
  await pay.click();
  await page.waitForURL(/\/simulator\/payments\//);
  await page.getByRole('button', { name: /^Pay SGD/ }).click();
  await page.waitForURL((url) => url.pathname === '/permit.html');
  await expect(widget(page)).toContainText('Payment received');
  const [paid] = await eventsOf(page, 'paysg-paid');
  expect(paid!.detail).toMatchObject({ amountInCents: 8550, referenceId: application });
});

for (const framework of ['react', 'vue', 'angular']) {
  test(`a ${framework} page embeds the element and reacts to paysg-paid`, {
    tag: EVERY_ENGINE,
  }, async ({ payer }) => {
    const path = `/examples/${framework}.html`;
    await payer.goto(path);
    await payer.pageSays(/^Not paid yet\.$/, `#${framework}-status`);
    await payer.click(/Pay SGD\s120\.00/, 'widget');
    await payAtPaysg(payer, path);
    await payer.pageSays(
      /^Thank you: payment PSC-[0-9A-F]{12} received\.$/,
      `#${framework}-status`,
    );
  });

  test(`a ${framework} page sets properties: another service is quoted, charged, and found again on Back`, {
    tag: [EVERY_ENGINE, BACK_BUTTON],
  }, async ({ payer }) => {
    await payer.goto(`/examples/${framework}.html`);
    await payer.widgetSays(/Pay SGD\s120\.00/);
    await payer.select(/^Service/, 'replacement-card');
    await payer.widgetSays('Replacement of lost identity card');
    // The framework set a property; no attribute says which item it is.
    expect(
      await payer.evaluate(() => document.querySelector('paysg-checkout')!.hasAttribute('item')),
    ).toBe(false);
    await payer.click(/Pay SGD\s50\.00/, 'widget');
    await payer.at(/\/simulator\/payments\//);
    await payer.pageSays('Replacement of lost identity card', 'main');
    await payer.back();
    await payer.widgetSays('Payment not completed');
    await payer.widgetSays('Replacement of lost identity card');
  });
}

test('a payer who reads Tamil is asked, taken to pay and told it is paid in Tamil', {
  tag: EVERY_ENGINE,
}, async ({ payer }) => {
  const ta = JSON.parse(
    readFileSync(new URL('../../widget/locales/ta.json', import.meta.url), 'utf8'),
  ) as Record<string, string>;
  await payer.goto(licencePage());
  await payer.widgetSays(/Pay SGD\s120\.00/);
  await payer.select(/Checkout language/, 'ta');
  // "{amount} செலுத்து": the amount, then "pay".
  const pay = new RegExp(ta.pay!.replace('{amount}', 'SGD\\s120\\.00'));
  await payer.widgetSays(pay);
  await payer.widgetSays('உணவங்காடிக் கடை உரிமப் புதுப்பித்தல்');
  // The checkout speaks Tamil; the page stays in the language it is written in.
  expect(await payer.evaluate(() => document.documentElement.lang)).toBe('en');
  await payer.click(pay, 'widget');
  await payer.at(/\/simulator\/payments\//);
  await payer.click(/^Pay SGD/);
  await payer.at((url) => url.pathname === '/');
  await payer.widgetSays(ta.paidTitle!);
  await payer.widgetSays(ta.paidBody!);
});

test('fetches the other languages integrity-checked, and speaks English when a file was changed', async ({
  page,
}) => {
  const warnings: string[] = [];
  page.on('console', (message) => message.type() === 'warning' && warnings.push(message.text()));
  await page.goto(licencePage());
  await expect(widget(page).getByRole('button', { name: /Pay SGD\s120\.00/ })).toBeVisible();
  await widget(page).evaluate((el) => el.setAttribute('lang', 'ms'));
  await expect(widget(page).getByRole('button', { name: /Bayar SGD\s120\.00/ })).toBeVisible();

  // A changed Chinese file, as a compromised cache or CDN would serve it.
  await page.route('**/paysg/locales/zh.*.json', async (route) => {
    const original = await (await route.fetch()).json();
    await route.fulfill({
      json: { ...original, pay: 'Pay to attacker {amount}' },
      headers: { 'Access-Control-Allow-Origin': '*' },
    });
  });
  await widget(page).evaluate((el) => el.setAttribute('lang', 'zh'));
  await expect.poll(() => warnings.join('\n')).toContain('zh texts could not be loaded');
  await expect(widget(page).getByRole('button', { name: /^Pay SGD\s120\.00$/ })).toBeVisible();
  await expect(widget(page)).not.toContainText('attacker');
});

test('works under a nonce-based CSP with Trusted Types enforced, with no violation', {
  tag: EVERY_ENGINE,
}, async ({ payer }) => {
  await payer.goto('/strict-csp.html');
  await payer.click(/Pay SGD\s120\.00/, 'widget');
  await payAtPaysg(payer, '/strict-csp.html');
  expect(
    await payer.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations),
  ).toEqual([]);
});

// 320 CSS px is a small phone, or a 1280 px window at 400% zoom; 640 CSS px is 1280 px at 200%.
test('fits 320 and 640 CSS px wide viewports (zoom up to 400%) without horizontal scrolling', async ({
  browser,
}) => {
  for (const width of [320, 640]) {
    const context = await browser.newContext({ viewport: { width, height: 700 } });
    const page = await context.newPage();
    await page.goto(licencePage());
    await expect(widget(page).getByRole('button', { name: /Pay/ })).toBeVisible();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    const box = await widget(page).boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(width);
    await page.screenshot({ path: `out/e2e-results/widget-${width}px.png` });
    await context.close();
  }
});

test('popup mode: PaySG in its own window, the page follows and confirms', {
  tag: EVERY_ENGINE,
}, async ({ payer }) => {
  await payer.goto(licencePage());
  await payer.check(/Open PaySG in a popup window/, true);
  const popup = await payer.popup(() => payer.click(/Pay SGD\s120\.00/, 'widget'));
  await popup.at(/\/simulator\/payments\//);
  await payer.widgetSays('Complete your payment in the PaySG window');
  await popup.click(/^Pay SGD/);
  // The return page reports back and closes its window; the page asks the BFF and shows paid.
  await popup.closed();
  await payer.widgetSays('Payment received');
  expect((await payer.url()).pathname).toBe('/');
  const [paid] = await payer.eventsArrive('paysg-paid');
  expect(paid!.detail.amountInCents).toBe(12000);
});

test('loading the widget script twice is harmless', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(licencePage());
  await expect(widget(page).getByRole('button', { name: /Pay/ })).toBeVisible();
  // A second copy under another URL is a separate module: it must find the tag taken and stand down.
  await page.evaluate("import('/paysg/widget.js?again')");
  await expect(widget(page).getByRole('button', { name: /Pay/ })).toBeVisible();
  expect(errors).toEqual([]);
});

test('two tabs of the licence page are one order: one payment, and the second tab is not charged again', async ({
  context,
  request,
}) => {
  const licence = licencePage();
  const [first, second] = [await context.newPage(), await context.newPage()];
  for (const tab of [first, second]) await tab.goto(licence);
  await widget(first)
    .getByRole('button', { name: /Pay SGD\s120\.00/ })
    .click();
  await first.waitForURL(/\/simulator\/payments\//);
  await widget(second)
    .getByRole('button', { name: /Pay SGD\s120\.00/ })
    .click();
  await second.waitForURL(/\/simulator\/payments\//);
  // The same browser, the same order: the same PaySG payment in both tabs.
  expect(second.url()).toBe(first.url());
  await first.getByRole('button', { name: /^Pay SGD/ }).click();
  await first.waitForURL((url) => url.pathname === '/');
  await expect(widget(first)).toContainText('Payment received');

  const reference = `HS-${new URL(licence, first.url()).searchParams.get('stall')}-2027`;
  const listed = await request.get(
    `/simulator/v1/payment-services/${SIMULATOR_PAYMENT_SERVICE_ID}/payments?limit=50`,
    { headers: { 'x-api-key': SIMULATOR_API_KEY } },
  );
  const payments = ((await listed.json()) as { data: { reference_id: string }[] }).data.filter(
    (p) => p.reference_id === reference,
  );
  expect(payments).toHaveLength(1);

  // A third tab opened later shows the licence paid at once, and offers no second payment.
  const third = await context.newPage();
  await third.goto(licence);
  await expect(widget(third)).toContainText('Payment received');
  await expect(widget(third).getByRole('button', { name: /Pay SGD/ })).toHaveCount(0);
});

test('a declined payment: PaySG says so in place, one Back returns to the page, and the payment can be resumed', {
  tag: [EVERY_ENGINE, BACK_BUTTON],
}, async ({ payer }) => {
  await payer.goto(licencePage());
  await payer.click(/Pay SGD\s120\.00/, 'widget');
  await payer.at(/\/simulator\/payments\//);
  const paymentPage = (await payer.url()).href;
  await payer.click(/^Simulate a declined payment$/);
  await payer.pageSays(/declined by your bank\. No money was taken/, '[role="alert"]');
  expect((await payer.url()).href).toBe(paymentPage);
  await payer.back();
  await payer.at((url) => url.pathname === '/');
  await payer.widgetSays('Payment not completed');
  await payer.click(/^Resume payment$/, 'widget');
  await payer.at((url) => url.href === paymentPage);
  await payAtPaysg(payer, '/');
});

test('popup mode: a payer who closes PaySG’s window unpaid can cancel, and the page hears paysg-cancel', {
  tag: EVERY_ENGINE,
}, async ({ payer }) => {
  await payer.goto(licencePage());
  await payer.check(/Open PaySG in a popup window/, true);
  const popup = await payer.popup(() => payer.click(/Pay SGD\s120\.00/, 'widget'));
  await popup.at(/\/simulator\/payments\//);
  await popup.click(/^Simulate a declined payment$/);
  await popup.pageSays(/declined/, '[role="alert"]');
  await popup.close();
  await payer.widgetSays('Payment not completed');
  await payer.click(/^Cancel payment$/, 'widget');
  await payer.widgetSays('Payment cancelled');
  await payer.until(
    'one paysg-cancel',
    () => payer.events('paysg-cancel'),
    (events) => events.length === 1,
  );
  await payer.pageSays('paysg-cancel', '#event-log');
  await payer.check(/Open PaySG in a popup window/, false);
});

/**
 * Collects what a payer's console would show as an error on every page of `context`: console
 * errors, uncaught errors, and CSP violations (Firefox asks every page for an icon, and reports
 * one its policy refuses as a violation: the pages carry their own, inline).
 */
async function consoleErrors(context: BrowserContext): Promise<string[]> {
  const problems: string[] = [];
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  const watch = (tab: Page) => {
    tab.on('console', (m) => m.type() === 'error' && problems.push(`${tab.url()}: ${m.text()}`));
    tab.on('pageerror', (e) => problems.push(`${tab.url()}: ${e.message}`));
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  return problems;
}

/** Lets a page settle, so that what the browser asks for after load (its icon) has been asked for. */
const settle = (tab: Page) => tab.waitForLoadState('load').then(() => tab.waitForTimeout(750));

/** Pays the licence page in popup mode, declined once first; the URL of the return page the popup went through. */
async function payInPopup(page: Page): Promise<string> {
  let returnPage: string | undefined;
  page.context().on('request', (r) => {
    if (new URL(r.url()).pathname.startsWith('/paysg/return/')) returnPage = r.url();
  });
  await page.goto(licencePage());
  await page.getByLabel(/Open PaySG in a popup window/).check();
  const popupOpened = page.waitForEvent('popup');
  await widget(page)
    .getByRole('button', { name: /Pay SGD\s120\.00/ })
    .click();
  const popup = await popupOpened;
  await popup.waitForURL(/\/simulator\/payments\//);
  await settle(popup);
  await popup.getByRole('button', { name: 'Simulate a declined payment' }).click();
  await expect(popup.getByRole('alert')).toHaveText(/declined/);
  await popup.getByRole('button', { name: /^Pay SGD/ }).click();
  await popup.waitForEvent('close');
  await expect(widget(page)).toContainText('Payment received');
  expect(returnPage, 'the popup went through the return page').toBeDefined();
  return returnPage!;
}

test('PaySG’s pages leave the payer’s console clean: no CSP violation, no error', async ({
  page,
  context,
}) => {
  const problems = await consoleErrors(context);
  // The payment page, declined in place, and paid (in a popup, as the other case follows).
  await payInPopup(page);
  // The page for a paid payment, which a payer may come back to.
  const [paid] = await eventsOf(page, 'paysg-paid');
  await page.goto(`/simulator/payments/${paid!.detail.paymentId}`);
  await expect(page.getByRole('heading', { name: 'Payment received' })).toBeVisible();
  await settle(page);
  expect(problems.filter((p) => !p.includes('/paysg/return/'))).toEqual([]);
});

test('the popup return page leaves the payer’s console clean: no CSP violation, no error', async ({
  page,
  context,
}) => {
  const problems = await consoleErrors(context);
  const returnPage = await payInPopup(page);
  // Again at rest, in a tab its script cannot close (it has history to go back to).
  await page.goto(returnPage);
  await expect(page.getByRole('heading', { name: 'Payment complete' })).toBeVisible();
  await settle(page);
  expect(problems).toEqual([]);
});
