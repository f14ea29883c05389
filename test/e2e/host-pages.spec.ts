/**
 * The checkout on the pages agencies build: a React, Vue or Angular page that changes the service
 * after the payer paid, or came back without paying, has the new one quoted, and finds the old
 * one again on switching back; and a second tab of the browser that paid an order shows its
 * confirmation, while another browser learns nothing of it.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { licencePage } from './demo-pages.js';

const widget = (page: Page) => page.locator('paysg-checkout');

interface Recorded {
  type: string;
  detail: Record<string, unknown>;
}

declare global {
  interface Window {
    hostPageEvents: Recorded[];
  }
}

/** Records the widget's events on every page of the context, as a host page would hear them. */
async function recordEvents(page: Page) {
  await page.addInitScript(() => {
    window.hostPageEvents = [];
    for (const type of ['paysg-ready', 'paysg-paid', 'paysg-pending', 'paysg-error']) {
      document.addEventListener(type, (event) => window.hostPageEvents.push({ type, detail: (event as CustomEvent).detail }));
    }
  });
}

async function eventsOf(page: Page, type: string) {
  return (await page.evaluate(() => window.hostPageEvents)).filter((e) => e.type === type);
}

/** Presses the widget's Pay and lands on the simulator's hosted payment page. */
async function toPaySG(page: Page, amount: RegExp) {
  await widget(page).getByRole('button', { name: amount }).click();
  await page.waitForURL(/\/simulator\/payments\//);
}

/** Pays on the simulator's hosted page, and is sent back to `path`. */
async function payOnPaySG(page: Page, path: string) {
  await page.getByRole('button', { name: /^Pay SGD/ }).click();
  await page.waitForURL((url) => url.pathname === path);
}

const LICENCE = 'Hawker stall licence renewal';
const CARD = 'Replacement of lost identity card';

for (const framework of ['react', 'vue', 'angular']) {
  const path = `/examples/${framework}.html`;

  test.describe(`a ${framework} page`, () => {
    test('paid, then another service: that one is quoted and payable; back again, the payment received', async ({ page }) => {
      await recordEvents(page);
      await page.goto(path);
      await toPaySG(page, /Pay SGD\s120\.00/);
      await payOnPaySG(page, path);
      await expect(widget(page)).toContainText('Payment received');
      const [paid] = await eventsOf(page, 'paysg-paid');

      await page.getByLabel('Service').selectOption('replacement-card');
      await expect(widget(page).getByRole('button', { name: /Pay SGD\s50\.00/ })).toBeVisible();
      await expect(widget(page)).toContainText(CARD);
      await expect(widget(page)).not.toContainText('Payment received');
      await expect(widget(page)).not.toContainText(LICENCE);
      await expect.poll(async () => (await eventsOf(page, 'paysg-ready')).at(-1)?.detail.description).toBe(CARD);

      await page.getByLabel('Service').selectOption('licence-renewal');
      await expect(widget(page)).toContainText('Payment received');
      await expect(widget(page)).toContainText(LICENCE);
      await expect(widget(page)).toContainText(String(paid!.detail.referenceId));
      await expect.poll(async () => (await eventsOf(page, 'paysg-paid')).length).toBe(2);

      // The new service is paid in its own right.
      await page.getByLabel('Service').selectOption('replacement-card');
      await toPaySG(page, /Pay SGD\s50\.00/);
      await expect(page.getByText(CARD)).toBeVisible();
      await payOnPaySG(page, path);
      await expect(widget(page)).toContainText('Payment received');
      await expect(widget(page)).toContainText(CARD);
    });

    test('back without paying, then another service: that one is quoted; back again, the first payment to resume', async ({ page }) => {
      await recordEvents(page);
      await page.goto(path);
      await toPaySG(page, /Pay SGD\s120\.00/);
      const paymentUrl = page.url();
      await page.goBack();
      await expect(widget(page)).toContainText('Payment not completed');

      await page.getByLabel('Service').selectOption('replacement-card');
      await expect(widget(page).getByRole('button', { name: /Pay SGD\s50\.00/ })).toBeVisible();
      await expect(widget(page)).toContainText(CARD);
      await expect(widget(page)).not.toContainText('Payment not completed');
      await expect(widget(page).getByRole('button', { name: 'Resume payment' })).toHaveCount(0);

      await page.getByLabel('Service').selectOption('licence-renewal');
      await expect(widget(page)).toContainText('Payment not completed');
      await expect(widget(page)).toContainText(LICENCE);
      await expect.poll(async () => (await eventsOf(page, 'paysg-pending')).at(-1)?.detail.paymentUrl).toBe(paymentUrl);
      await widget(page).getByRole('button', { name: 'Resume payment' }).click();
      await page.waitForURL(paymentUrl);
      await expect(page.getByText(LICENCE)).toBeVisible();
      await payOnPaySG(page, path);
      await expect(widget(page)).toContainText('Payment received');
      await expect(widget(page)).toContainText(LICENCE);
    });
  });
}

test.describe('an order paid in this browser', () => {
  /** Pays the licence of a stall of its own at `/`, and returns that page's address. */
  async function payLicence(page: Page) {
    const licence = licencePage();
    await page.goto(licence);
    await toPaySG(page, /Pay SGD\s120\.00/);
    await payOnPaySG(page, '/');
    await expect(widget(page)).toContainText('Payment received');
    return licence;
  }

  async function freshBrowser(browser: Browser) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await recordEvents(page);
    return { context, page };
  }

  test('a new tab of the same browser shows the confirmation at once, with paysg-paid, and no Pay', async ({ page, context }) => {
    await recordEvents(page);
    const licence = await payLicence(page);
    const [paid] = await eventsOf(page, 'paysg-paid');

    const tab = await context.newPage();
    await recordEvents(tab);
    await tab.goto(licence);
    await expect(widget(tab)).toContainText('Payment received');
    await expect(widget(tab)).toContainText(String(paid!.detail.referenceId));
    await expect(widget(tab).getByRole('button', { name: /Pay/ })).toHaveCount(0);
    await expect.poll(async () => (await eventsOf(tab, 'paysg-paid')).length).toBe(1);
    const [again] = await eventsOf(tab, 'paysg-paid');
    expect(again!.detail).toEqual(paid!.detail);
    expect(await eventsOf(tab, 'paysg-error')).toEqual([]);
  });

  test('another browser is offered Pay, and told only that it was paid: no amount paid, reference or date', async ({ page, browser }) => {
    await recordEvents(page);
    const licence = await payLicence(page);
    const [paid] = await eventsOf(page, 'paysg-paid');

    const other = await freshBrowser(browser);
    try {
      await other.page.goto(licence);
      const pay = widget(other.page).getByRole('button', { name: /Pay SGD\s120\.00/ });
      await expect(pay).toBeVisible();
      await pay.click();
      await expect(widget(other.page)).toContainText('This has already been paid');
      await expect.poll(async () => (await eventsOf(other.page, 'paysg-error')).at(-1)?.detail.code).toBe('order_already_paid');
      expect(await eventsOf(other.page, 'paysg-paid')).toEqual([]);
      // What is being paid for stays in sight; nothing of the payment does.
      await expect(widget(other.page)).toContainText(LICENCE);
      await expect(widget(other.page)).not.toContainText(String(paid!.detail.referenceId));
      await expect(widget(other.page)).not.toContainText('Paid on');
      await expect(widget(other.page).locator('[part="confirmation"]')).toHaveCount(0);
    } finally {
      await other.context.close();
    }
  });
});
