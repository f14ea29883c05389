import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { SIMULATOR_API_KEY, SIMULATOR_PAYMENT_SERVICE_ID } from '../../demo/simulator/simulator.js';
import { E2E_ORDER_TOKEN_SECRET } from '../../playwright.config.js';
import { signOrderToken } from '../../server/orders/order-token.js';
import { axeViolations } from '../helpers/axe-page.js';
import { licencePage } from './demo-pages.js';

declare global {
  interface Window {
    paysgEvents: { type: string; detail: Record<string, unknown> }[];
  }
}

const widget = (page: Page) => page.locator('paysg-checkout');

async function eventsOf(page: Page, type: string) {
  return (await page.evaluate(() => window.paysgEvents)).filter((e) => e.type === type);
}

test('pay through the simulator and receive a verified paysg-paid', async ({ page, request }) => {
  const licence = licencePage();
  await page.goto(licence);
  const pay = widget(page).getByRole('button', { name: /Pay SGD\s120\.00/ });
  await expect(pay).toBeVisible();
  await expect(widget(page)).toContainText('Hawker stall licence renewal');

  await pay.click();
  await page.waitForURL(/\/simulator\/payments\//);
  await expect(page.getByRole('heading', { name: 'Make a payment' })).toBeVisible();
  await expect(page.getByText('Hawker stall licence renewal')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Close this page' })).toBeVisible();
  await page.getByRole('button', { name: /^Pay SGD/ }).click();

  await page.waitForURL((url) => url.pathname === '/');
  await expect(widget(page)).toContainText('Payment received');
  // Only our checkout id travelled back, and the widget took it out of the address bar: the
  // page's own address is as it was.
  expect(new URL(page.url()).search).toBe(new URL(licence, page.url()).search);

  const [paid] = await eventsOf(page, 'paysg-paid');
  expect(paid).toBeDefined();
  const detail = paid!.detail as { paymentId: string; amountInCents: number; referenceId: string; paidAt: string; currency: string };
  // The detail matches what PaySG (the simulator) recorded.
  const recorded = await request.get(`/simulator/v1/payment-services/${SIMULATOR_PAYMENT_SERVICE_ID}/payments/${detail.paymentId}`, {
    headers: { 'x-api-key': SIMULATOR_API_KEY },
  });
  const payment = await recorded.json();
  expect(payment.payment_status).toBe('paid');
  expect(detail.amountInCents).toBe(payment.amount_in_cents);
  expect(detail.referenceId).toBe(payment.reference_id);
  // The stall and the period make the reference.
  expect(detail.referenceId).toBe(`HS-${new URL(licence, page.url()).searchParams.get('stall')}-2027`);
  expect(detail.paidAt).toBe(payment.payment_succeeded_timestamp);
  expect(detail.currency).toBe('SGD');

  // The panel shows the checkout as the BFF answers it.
  await expect(page.locator('#bff-view')).toContainText('"status": "paid"');
  await expect(page.locator('#bff-view')).toContainText(`"referenceId": "${detail.referenceId}"`);

  // A reload shows the same verified state.
  await page.reload();
  await expect(widget(page)).toContainText('Payment received');
});

test('come back with the Back button without paying and receive paysg-pending', async ({ page }) => {
  await page.goto(licencePage());
  await widget(page).getByRole('button', { name: /Pay/ }).click();
  await page.waitForURL(/\/simulator\/payments\//);
  const paymentUrl = page.url();

  await page.goBack();
  await page.waitForURL((url) => url.pathname === '/');
  await expect(widget(page)).toContainText('Payment not completed');
  await expect.poll(() => eventsOf(page, 'paysg-pending').then((e) => e.length)).toBeGreaterThan(0);
  const [pending] = await eventsOf(page, 'paysg-pending');
  expect(pending!.detail.paymentUrl).toBe(paymentUrl);

  // Resume takes the payer to the same PaySG link, which can still be paid.
  await widget(page).getByRole('button', { name: 'Resume payment' }).click();
  await page.waitForURL(paymentUrl);
  await page.getByRole('button', { name: /^Pay SGD/ }).click();
  await page.waitForURL((url) => url.pathname === '/');
  await expect(widget(page)).toContainText('Payment received');
});

test('the page loads the built widget bundle, not the dev sources', async ({ page }) => {
  const scripts: string[] = [];
  page.on('request', (r) => {
    if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname);
  });
  const bundleResponse = page.waitForResponse((r) => new URL(r.url()).pathname === '/paysg/widget.js');
  await page.goto(licencePage());
  const served = await (await bundleResponse).text();
  const built = readFileSync(new URL('../../dist/widget/paysg-checkout.js', import.meta.url), 'utf8');
  expect(served).toBe(built);
  expect(scripts.some((s) => s.endsWith('.ts'))).toBe(false);
  await expect(widget(page).getByRole('button', { name: /Pay/ })).toBeVisible();
});

test('the demo page has no accessibility violations when ready', async ({ page }) => {
  await page.goto(licencePage());
  await expect(widget(page).getByRole('button', { name: /Pay/ })).toBeVisible();
  expect(await axeViolations(page, { bestPractice: true })).toEqual([]);
});

test('pay an order the agency signed: the amount comes from the order token', async ({ page }) => {
  await page.goto('/permit.html');
  const pay = widget(page).getByRole('button', { name: /Pay SGD\s85\.50/ });
  await expect(pay).toBeVisible();
  const application = await page.locator('#application').textContent();
  await pay.click();
  await page.waitForURL(/\/simulator\/payments\//);
  await expect(page.getByText(`application ${application}`)).toBeVisible();
  await page.getByRole('button', { name: /^Pay SGD/ }).click();
  await page.waitForURL((url) => url.pathname === '/permit.html');
  await expect(widget(page)).toContainText('Payment received');
  await expect(page.locator('#application')).toHaveText(application!);
  const [paid] = await eventsOf(page, 'paysg-paid');
  expect(paid!.detail).toMatchObject({ amountInCents: 8550, referenceId: application });
});

test('an order token that expired while the payer read the page is refreshed, and the order paid', async ({ page }) => {
  const application = 'EVT-2026-0E0E0E0E';
  const expired = await signOrderToken(
    { reference_id: application, amount_in_cents: 8550, description: `Temporary event permit, application ${application}`, payer: { name: 'Siti binte Ahmad' } },
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
  test(`a ${framework} page embeds the element and reacts to paysg-paid`, async ({ page }) => {
    await page.goto(`/examples/${framework}.html`);
    const status = page.locator(`#${framework}-status`);
    await expect(status).toHaveText('Not paid yet.');
    await widget(page).getByRole('button', { name: /Pay SGD\s120\.00/ }).click();
    await page.waitForURL(/\/simulator\/payments\//);
    await page.getByRole('button', { name: /^Pay SGD/ }).click();
    await page.waitForURL((url) => url.pathname === `/examples/${framework}.html`);
    await expect(widget(page)).toContainText('Payment received');
    await expect(status).toHaveText(/^Thank you: payment PSC-[0-9A-F]{12} received\.$/);
  });

  test(`a ${framework} page sets properties: another service is quoted, charged, and found again on Back`, async ({ page }) => {
    await page.goto(`/examples/${framework}.html`);
    await expect(widget(page).getByRole('button', { name: /Pay SGD\s120\.00/ })).toBeVisible();
    await page.getByLabel('Service').selectOption('replacement-card');
    await expect(widget(page)).toContainText('Replacement of lost identity card');
    // The framework set a property; no attribute says which item it is.
    expect(await widget(page).evaluate((el) => el.hasAttribute('item'))).toBe(false);
    await widget(page).getByRole('button', { name: /Pay SGD\s50\.00/ }).click();
    await page.waitForURL(/\/simulator\/payments\//);
    await expect(page.getByText('Replacement of lost identity card')).toBeVisible();
    await page.goBack();
    await expect(widget(page)).toContainText('Payment not completed');
    await expect(widget(page)).toContainText('Replacement of lost identity card');
  });
}

test('fetches the other languages integrity-checked, and speaks English when a file was changed', async ({ page }) => {
  const warnings: string[] = [];
  page.on('console', (message) => message.type() === 'warning' && warnings.push(message.text()));
  await page.goto(licencePage());
  await expect(widget(page).getByRole('button', { name: /Pay SGD\s120\.00/ })).toBeVisible();
  await widget(page).evaluate((el) => el.setAttribute('lang', 'ms'));
  await expect(widget(page).getByRole('button', { name: /Bayar SGD\s120\.00/ })).toBeVisible();

  // A changed Chinese file, as a compromised cache or CDN would serve it.
  await page.route('**/paysg/locales/zh.*.json', async (route) => {
    const original = await (await route.fetch()).json();
    await route.fulfill({ json: { ...original, pay: 'Pay to attacker {amount}' }, headers: { 'Access-Control-Allow-Origin': '*' } });
  });
  await widget(page).evaluate((el) => el.setAttribute('lang', 'zh'));
  await expect.poll(() => warnings.join('\n')).toContain('zh texts could not be loaded');
  await expect(widget(page).getByRole('button', { name: /^Pay SGD\s120\.00$/ })).toBeVisible();
  await expect(widget(page)).not.toContainText('attacker');
});

test('works under a nonce-based CSP with Trusted Types enforced, with no violation', async ({ page }) => {
  await page.goto('/strict-csp.html');
  await widget(page).getByRole('button', { name: /Pay SGD\s120\.00/ }).click();
  await page.waitForURL(/\/simulator\/payments\//);
  await page.getByRole('button', { name: /^Pay SGD/ }).click();
  await page.waitForURL((url) => url.pathname === '/strict-csp.html');
  await expect(widget(page)).toContainText('Payment received');
  expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);
});

// 320 CSS px is a small phone, or a 1280 px window at 400% zoom; 640 CSS px is 1280 px at 200%.
test('fits 320 and 640 CSS px wide viewports (zoom up to 400%) without horizontal scrolling', async ({ browser }) => {
  for (const width of [320, 640]) {
    const context = await browser.newContext({ viewport: { width, height: 700 } });
    const page = await context.newPage();
    await page.goto(licencePage());
    await expect(widget(page).getByRole('button', { name: /Pay/ })).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const box = await widget(page).boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(width);
    await page.screenshot({ path: `out/e2e-results/widget-${width}px.png` });
    await context.close();
  }
});

test('popup mode: PaySG in its own window, the page follows and confirms', async ({ page }) => {
  await page.goto(licencePage());
  await page.getByLabel(/Open PaySG in a popup window/).check();
  const popupOpened = page.waitForEvent('popup');
  await widget(page).getByRole('button', { name: /Pay SGD\s120\.00/ }).click();
  const popup = await popupOpened;
  await popup.waitForURL(/\/simulator\/payments\//);
  await expect(widget(page)).toContainText('Complete your payment in the PaySG window');
  await popup.getByRole('button', { name: /^Pay SGD/ }).click();
  // The return page reports back and closes its window; the page asks the BFF and shows paid.
  await popup.waitForEvent('close');
  await expect(widget(page)).toContainText('Payment received');
  expect(new URL(page.url()).pathname).toBe('/');
  const [paid] = await eventsOf(page, 'paysg-paid');
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

test('two tabs of the licence page are one order: one payment, and the second tab is not charged again', async ({ context, request }) => {
  const licence = licencePage();
  const [first, second] = [await context.newPage(), await context.newPage()];
  for (const tab of [first, second]) await tab.goto(licence);
  await widget(first).getByRole('button', { name: /Pay SGD\s120\.00/ }).click();
  await first.waitForURL(/\/simulator\/payments\//);
  await widget(second).getByRole('button', { name: /Pay SGD\s120\.00/ }).click();
  await second.waitForURL(/\/simulator\/payments\//);
  // The same browser, the same order: the same PaySG payment in both tabs.
  expect(second.url()).toBe(first.url());
  await first.getByRole('button', { name: /^Pay SGD/ }).click();
  await first.waitForURL((url) => url.pathname === '/');
  await expect(widget(first)).toContainText('Payment received');

  const reference = `HS-${new URL(licence, first.url()).searchParams.get('stall')}-2027`;
  const listed = await request.get(`/simulator/v1/payment-services/${SIMULATOR_PAYMENT_SERVICE_ID}/payments?limit=50`, { headers: { 'x-api-key': SIMULATOR_API_KEY } });
  const payments = ((await listed.json()) as { data: { reference_id: string }[] }).data.filter((p) => p.reference_id === reference);
  expect(payments).toHaveLength(1);

  // A third tab opened later finds the licence paid, and offers no second payment.
  const third = await context.newPage();
  await third.goto(licence);
  await widget(third).getByRole('button', { name: /Pay SGD\s120\.00/ }).click();
  await expect(widget(third)).toContainText('This has already been paid. You have not been charged again.');
});

test('a declined payment: PaySG says so in place, one Back returns to the page, and the payment can be resumed', async ({ page }) => {
  await page.goto(licencePage());
  await widget(page).getByRole('button', { name: /Pay SGD\s120\.00/ }).click();
  await page.waitForURL(/\/simulator\/payments\//);
  const paymentPage = page.url();
  await page.getByRole('button', { name: 'Simulate a declined payment' }).click();
  await expect(page.getByRole('alert')).toHaveText(/declined by your bank\. No money was taken/);
  expect(page.url()).toBe(paymentPage);
  await page.goBack();
  await page.waitForURL((url) => url.pathname === '/');
  await expect(widget(page)).toContainText('Payment not completed');
  await widget(page).getByRole('button', { name: 'Resume payment' }).click();
  await page.waitForURL(paymentPage);
  await page.getByRole('button', { name: /^Pay SGD/ }).click();
  await page.waitForURL((url) => url.pathname === '/');
  await expect(widget(page)).toContainText('Payment received');
});

test('popup mode: a payer who closes PaySG’s window unpaid can cancel, and the page hears paysg-cancel', async ({ page }) => {
  await page.goto(licencePage());
  await page.getByLabel(/Open PaySG in a popup window/).check();
  const popupOpened = page.waitForEvent('popup');
  await widget(page).getByRole('button', { name: /Pay SGD\s120\.00/ }).click();
  const popup = await popupOpened;
  await popup.waitForURL(/\/simulator\/payments\//);
  await popup.getByRole('button', { name: 'Simulate a declined payment' }).click();
  await expect(popup.getByRole('alert')).toHaveText(/declined/);
  await popup.close();
  await expect(widget(page)).toContainText('Payment not completed');
  await widget(page).getByRole('button', { name: 'Cancel payment' }).click();
  await expect(widget(page)).toContainText('Payment cancelled');
  await expect.poll(async () => (await eventsOf(page, 'paysg-cancel')).length).toBe(1);
  await expect(page.locator('#event-log')).toContainText('paysg-cancel');
  await page.getByLabel(/Open PaySG in a popup window/).uncheck();
});
