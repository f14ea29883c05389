import { expect, test, type Page } from '@playwright/test';
import { E2E_ADMIN_TOKEN } from '../../playwright.config.js';
import { axeViolations } from '../helpers/axe-page.js';
import { licencePage } from './demo-pages.js';

const widget = (page: Page) => page.locator('paysg-checkout');

/** Pays the licence page through the simulator and returns the reference of the payment. */
async function payLicence(page: Page): Promise<string> {
  await page.goto(licencePage());
  await widget(page).getByRole('button', { name: /Pay SGD\s120\.00/ }).click();
  await page.waitForURL(/\/simulator\/payments\//);
  await page.getByRole('button', { name: /^Pay SGD/ }).click();
  await page.waitForURL((url) => url.pathname === '/');
  await expect(widget(page)).toContainText('Payment received');
  const paid = (await page.evaluate(() => window.paysgEvents)).find((e) => e.type === 'paysg-paid')!;
  // Start over, so the next test's payment is a new order.
  await page.getByRole('button', { name: 'Start over' }).click();
  return paid.detail.referenceId as string;
}

async function signIn(page: Page, token = E2E_ADMIN_TOKEN) {
  await page.goto('/admin.html');
  await page.getByLabel('Admin token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

declare global {
  interface Window {
    paysgEvents: { type: string; detail: Record<string, unknown> }[];
  }
}

test('the back office refuses a wrong token, and its API refuses a request without one', async ({ page, request }) => {
  await signIn(page, 'not-the-token-but-long-enough-to-try-0000');
  await expect(page.getByRole('status')).toHaveText('That token was refused. Enter the ADMIN_TOKEN of this BFF.');
  await expect(page.getByRole('table')).toBeHidden();
  const response = await request.get('/admin/api/checkouts');
  expect(response.status()).toBe(401);
  expect((await response.json()).error.code).toBe('unauthorized');
});

test('staff find a payment by its reference, refund part of it and then the rest', async ({ page }) => {
  page.on('dialog', (dialog) => void dialog.accept());
  const reference = await payLicence(page);
  await signIn(page);
  await page.getByLabel('Reference or checkout id').fill(reference);
  await page.getByRole('button', { name: 'Search' }).click();
  const row = page.getByRole('row', { name: new RegExp(reference) });
  await expect(row).toContainText('paid');
  await expect(row).toContainText('Tan Ah Kow');
  await row.getByRole('button', { name: reference }).click();

  const detail = page.locator('#detail');
  await expect(detail.getByRole('heading', { level: 2 })).toContainText(reference);
  await expect(detail).toContainText('paid, not_refunded');
  await page.getByLabel('Refund (SGD)').fill('20');
  await page.getByRole('button', { name: 'Refund', exact: true }).click();
  await expect(page.getByRole('status')).toHaveText(new RegExp(`^Refunded SGD\\s20\\.00 of ${reference}\\.$`));
  await expect(detail).toContainText('paid, partially refunded');
  await expect(detail).toContainText('paid, partially_refunded');

  await page.getByRole('button', { name: 'Refund', exact: true }).click();
  await expect(page.getByRole('status')).toHaveText(new RegExp(`^Refunded SGD\\s100\\.00 of ${reference}\\.$`));
  await expect(detail).toContainText('paid, refunded');
  await expect(detail).toContainText('paid, fully_refunded');
  await expect(page.locator('#history')).toContainText(/refunded SGD\s100\.00/);
  await expect(page.getByRole('button', { name: 'Refund', exact: true })).toBeHidden();
  expect(await axeViolations(page, { bestPractice: true })).toEqual([]);
});

test('staff cancel a payment the payer left unpaid', async ({ page }) => {
  page.on('dialog', (dialog) => void dialog.accept());
  await page.goto(licencePage());
  await widget(page).getByRole('button', { name: /Pay SGD\s120\.00/ }).click();
  await page.waitForURL(/\/simulator\/payments\//);
  await page.goBack();
  await expect(widget(page)).toContainText('Payment not completed');
  const redirect = (await page.evaluate(() => window.paysgEvents)).find((e) => e.type === 'paysg-pending')!;
  const checkoutId = redirect.detail.checkoutId as string;

  await signIn(page);
  await page.getByLabel('Reference or checkout id').fill(checkoutId);
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByRole('table').getByRole('button').first().click();
  await expect(page.locator('#detail')).toContainText('unpaid');
  await page.getByRole('button', { name: 'Cancel this unpaid checkout' }).click();
  await expect(page.getByRole('status')).toContainText('Cancelled');
  await expect(page.locator('#detail')).toContainText('Statuscancelled');
  await expect(page.locator('#detail')).toContainText('PaySG latest statuscancelled');
  await expect(page.getByRole('button', { name: 'Cancel this unpaid checkout' })).toBeHidden();

  // The payer's page learns it too.
  await page.goto(licencePage());
  await expect(widget(page)).toContainText(/Payment cancelled|Pay SGD/);
});
