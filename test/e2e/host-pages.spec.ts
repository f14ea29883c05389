/**
 * The checkout on the pages agencies build: a React, Vue or Angular page that changes the service
 * after the payer paid, or came back without paying, has the new one quoted, and finds the old
 * one again on switching back (in every engine: written against `payer`); and a second tab of
 * the browser that paid an order shows its confirmation, while another browser learns nothing of
 * it (Chromium and Firefox: these need several tabs and browsers at once).
 */
import type { Browser, Page } from '@playwright/test';
import { BACK_BUTTON, EVERY_ENGINE, expect, test, type Payer } from './engines.js';
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
      document.addEventListener(type, (event) =>
        window.hostPageEvents.push({ type, detail: (event as CustomEvent).detail }),
      );
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

/** Pays on the simulator's hosted page, and is sent back to `path`. */
async function paysAtPaysg(payer: Payer, path: string) {
  await payer.at(/\/simulator\/payments\//);
  await payer.click(/^Pay SGD/);
  await payer.at((url) => url.pathname === path);
}

/** The checkout's text once it shows `text`, so what it does not say is read at a settled moment. */
const settledOn = (payer: Payer, text: string | RegExp) => payer.widgetSays(text);

for (const framework of ['react', 'vue', 'angular']) {
  const path = `/examples/${framework}.html`;
  const status = `#${framework}-status`;

  test.describe(`a ${framework} page`, () => {
    test('paid, then another service: that one is quoted and payable; back again, the payment received', {
      tag: EVERY_ENGINE,
    }, async ({ payer }) => {
      await payer.goto(path);
      await payer.click(/Pay SGD\s120\.00/, 'widget');
      await paysAtPaysg(payer, path);
      await payer.widgetSays('Payment received');
      // The page heard paysg-paid, and shows the reference it carried.
      const thanks = await payer.pageSays(
        /^Thank you: payment PSC-[0-9A-F]{12} received\.$/,
        status,
      );
      const reference = /PSC-[0-9A-F]{12}/.exec(thanks)![0];

      await payer.select(/^Service/, 'replacement-card');
      const card = await settledOn(payer, /Pay SGD\s50\.00/);
      expect(card).toContain(CARD);
      expect(card).not.toContain('Payment received');
      expect(card).not.toContain(LICENCE);

      await payer.select(/^Service/, 'licence-renewal');
      const licence = await settledOn(payer, 'Payment received');
      expect(licence).toContain(LICENCE);
      expect(licence).toContain(reference);

      // The new service is paid in its own right.
      await payer.select(/^Service/, 'replacement-card');
      await payer.click(/Pay SGD\s50\.00/, 'widget');
      await payer.at(/\/simulator\/payments\//);
      await payer.pageSays(CARD, 'main');
      await payer.click(/^Pay SGD/);
      await payer.at((url) => url.pathname === path);
      expect(await settledOn(payer, 'Payment received')).toContain(CARD);
    });

    test('back without paying, then another service: that one is quoted; back again, the first payment to resume', {
      tag: [EVERY_ENGINE, BACK_BUTTON],
    }, async ({ payer }) => {
      await payer.goto(path);
      await payer.click(/Pay SGD\s120\.00/, 'widget');
      await payer.at(/\/simulator\/payments\//);
      const paymentUrl = (await payer.url()).href;
      await payer.back();
      await payer.widgetSays('Payment not completed');

      await payer.select(/^Service/, 'replacement-card');
      const card = await settledOn(payer, /Pay SGD\s50\.00/);
      expect(card).toContain(CARD);
      expect(card).not.toContain('Payment not completed');
      expect(card).not.toContain('Resume payment');

      await payer.select(/^Service/, 'licence-renewal');
      expect(await settledOn(payer, 'Payment not completed')).toContain(LICENCE);
      await payer.click(/^Resume payment$/, 'widget');
      // The same payment as before, not a new one.
      await payer.at((url) => url.href === paymentUrl);
      await payer.pageSays(LICENCE, 'main');
      await payer.click(/^Pay SGD/);
      await payer.at((url) => url.pathname === path);
      expect(await settledOn(payer, 'Payment received')).toContain(LICENCE);
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

  test('a new tab of the same browser shows the confirmation at once, with paysg-paid, and no Pay', async ({
    page,
    context,
  }) => {
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

  test('another browser is offered Pay, and told only that it was paid: no amount paid, reference or date', async ({
    page,
    browser,
  }) => {
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
      await expect
        .poll(async () => (await eventsOf(other.page, 'paysg-error')).at(-1)?.detail.code)
        .toBe('order_already_paid');
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
