/**
 * `npm run screenshots`: pictures of the widget's main states (English and Malay, light and
 * dark), the demo portal, its fines page on a 360 px phone (a submission, and PaySG's e-mail from
 * the simulator's outbox), and the back office (its sign-in screen, and a checkout with a refund
 * and its history, after Alice signs in through the demo's identity provider), taken from the
 * running demo in Chromium and written to docs/screenshots/. Uses Debian's Chromium
 * (CHROMIUM_PATH to use another).
 * @module
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright';
import { freePorts } from '../test/helpers/free-ports.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'docs', 'screenshots');

async function startDemo(): Promise<{ url: string; stop: () => void }> {
  // The demo, and its identity provider on a port of its own (the next one may be taken).
  const [port, idpPort] = await freePorts(2);
  const child = spawn(process.execPath, ['--import', 'tsx', 'demo/server.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      DEMO_IDP_PORT: String(idpPort),
      DATABASE_PATH: join(mkdtempSync(join(tmpdir(), 'paysg-screens-')), 'demo.sqlite'),
    },
    stdio: 'ignore',
  });
  const url = `http://localhost:${port}`;
  for (let attempt = 0; attempt < 150; attempt++) {
    if (
      await fetch(`${url}/paysg/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { url, stop: () => child.kill('SIGTERM') };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGKILL');
  throw new Error('the demo did not start');
}

const widget = (page: Page) => page.locator('paysg-checkout');
let stall = 0;

/** The licence page for a stall of its own, in a language and a colour scheme. */
async function licencePage(
  browser: Browser,
  url: string,
  lang: string,
  scheme: 'light' | 'dark',
): Promise<Page> {
  const page = await browser.newPage({
    viewport: { width: 480, height: 900 },
    colorScheme: scheme,
    deviceScaleFactor: 2,
  });
  await page.goto(`${url}/?stall=90-${String(++stall).padStart(3, '0')}`);
  await page.getByLabel('Checkout language').selectOption(lang);
  await widget(page).getByRole('button').first().waitFor();
  return page;
}

async function shoot(page: Page, name: string, target = widget(page)): Promise<void> {
  await page.waitForTimeout(300);
  await target.screenshot({ path: join(OUT, `${name}.png`), animations: 'disabled' });
  console.log(`  docs/screenshots/${name}.png`);
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const demo = await startDemo();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  });
  try {
    console.log('screenshots from the demo:');
    for (const [lang, scheme] of [
      ['en', 'light'],
      ['ms', 'dark'],
    ] as const) {
      const page = await licencePage(browser, demo.url, lang, scheme);
      await shoot(page, `widget-ready-${lang}-${scheme}`);
      // Leave for PaySG, come back without paying.
      await widget(page).getByRole('button').first().click();
      await page.waitForURL(/\/simulator\/payments\//);
      await page.goBack();
      await widget(page).getByRole('button', { name: /./ }).nth(1).waitFor();
      await shoot(page, `widget-unpaid-${lang}-${scheme}`);
      // Resume and pay.
      await widget(page).getByRole('button').first().click();
      await page.waitForURL(/\/simulator\/payments\//);
      await page.getByRole('button', { name: /^Pay SGD/ }).click();
      await page.waitForURL((u) => u.pathname === '/');
      await widget(page).locator('[part="confirmation"]').waitFor();
      await shoot(page, `widget-paid-${lang}-${scheme}`);
      await page.close();
    }

    // PaySG failing: the checkout says so and offers to try again.
    const failing = await licencePage(browser, demo.url, 'en', 'light');
    await failing.getByRole('button', { name: 'PaySG answers 503' }).click();
    await widget(failing).getByRole('button').first().click();
    await widget(failing).locator('[part="retry-button"]').waitFor();
    await shoot(failing, 'widget-error-en-light');
    await failing.request.delete(`${demo.url}/simulator/_control/faults`);
    await failing.close();

    const portal = await browser.newPage({ viewport: { width: 1200, height: 820 } });
    await portal.goto(`${demo.url}/?stall=90-999`);
    await widget(portal).getByRole('button').first().waitFor();
    await shoot(portal, 'demo-portal', portal.locator('body'));
    await portal.close();

    // The fines page on a small phone: the form posted as FormSG would, and the e-mail PaySG sent.
    const fines = await browser.newPage({
      viewport: { width: 360, height: 800 },
      colorScheme: 'light',
      deviceScaleFactor: 2,
    });
    await fines.goto(`${demo.url}/fines.html`);
    await fines.getByLabel('Offence').selectOption('P01');
    await fines.getByLabel('Vehicle number').fill('SBA 1234 A');
    await fines.getByLabel('Full name').fill('Tan Ah Kow');
    await fines.getByLabel('E-mail address').fill('tan.ah.kow@example.com');
    await fines.getByRole('button', { name: 'Submit' }).click();
    await fines.getByRole('article').waitFor();
    await fines.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await shoot(fines, 'demo-fines', fines.locator('main'));
    await fines.close();

    // The back office: its sign-in screen, then Alice (a demo person who may refund) signs in at
    // the demo's identity provider, finds an order paid for it and refunds part of it.
    const paid = await licencePage(browser, demo.url, 'en', 'light');
    await widget(paid).getByRole('button').first().click();
    await paid.waitForURL(/\/simulator\/payments\//);
    await paid.getByRole('button', { name: /^Pay SGD/ }).click();
    await paid.waitForURL((u) => u.pathname === '/');
    await widget(paid).locator('[part="confirmation"]').waitFor();
    // The demo page keeps the checkout's events; paysg-paid names the reference.
    type PaysgEvent = { type: string; detail: { referenceId?: string } };
    const events = await paid.evaluate(
      () => (window as unknown as { paysgEvents: PaysgEvent[] }).paysgEvents,
    );
    const reference = events.find((e) => e.type === 'paysg-paid')?.detail.referenceId;
    if (!reference) throw new Error('screenshots: the demo page recorded no paysg-paid reference');
    await paid.close();

    const office = await browser.newPage({
      viewport: { width: 1100, height: 900 },
      colorScheme: 'light',
    });
    await office.goto(`${demo.url}/paysg/admin/`);
    await office.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await shoot(office, 'back-office-sign-in', office.locator('body'));
    await office.getByRole('link', { name: 'Sign in with your agency account' }).click();
    await office.getByPlaceholder('Enter any login').fill('alice');
    await office.getByPlaceholder('and password').fill('any password');
    await office.getByRole('button', { name: 'Sign-in' }).click();
    await office.getByRole('button', { name: 'Sign out' }).waitFor();
    await office.getByLabel('Reference, payer name or id').fill(reference);
    await office.getByRole('button', { name: 'Search' }).click();
    await office
      .getByRole('table', { name: 'Checkouts found, newest first' })
      .getByRole('link', { name: reference })
      .click();
    await office.getByLabel('Amount to refund, in SGD').fill('20');
    await office
      .getByLabel('Reason for the refund')
      .fill('Stall closed for two weeks of market renovation');
    await office.getByRole('button', { name: 'Refund…' }).click();
    await office
      .getByRole('dialog')
      .getByRole('button', { name: /^Refund SGD/ })
      .click();
    await office.getByRole('heading', { level: 3, name: /: Refunded$/ }).waitFor();
    await office.getByRole('status').filter({ hasText: 'Refunded SGD 20.00' }).waitFor();
    // The picture is of the page, not of where focus was left.
    await office.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await shoot(office, 'back-office', office.locator('body'));
  } finally {
    await browser.close();
    demo.stop();
  }
}

await main();
