import { expect, test, type Page } from '@playwright/test';
import { axeViolations } from '../helpers/axe-page.js';
import { licencePage } from './demo-pages.js';

const widget = (page: Page) => page.locator('paysg-checkout');

/** The demo's own pages, each with the portal's navigation and a checkout. */
const PAGES = [
  '/',
  '/permit.html',
  '/donate.html',
  '/examples/react.html',
  '/examples/vue.html',
  '/examples/angular.html',
  '/strict-csp.html',
];
/** The demo's pages without a checkout, in the same navigation (fines.spec.ts tests them). */
const FORM_PAGES = ['/fines.html'];
/** The back office the package ships, which the navigation links to last: a page of the BFF's, not the portal's. */
const BACK_OFFICE = '/paysg/admin/';

test('every demo page has the one navigation, a way back to the portal, and no axe findings', async ({
  page,
}) => {
  for (const path of PAGES) {
    await page.goto(path);
    const nav = page.getByRole('navigation', { name: 'Demo pages' });
    await expect(nav.getByRole('link')).toHaveCount(PAGES.length + FORM_PAGES.length + 1);
    await expect(nav.locator('a[aria-current="page"]')).toHaveAttribute('href', path);
    await expect(nav.getByRole('link', { name: 'Back office (staff)' })).toHaveAttribute(
      'href',
      BACK_OFFICE,
    );
    await expect(page.getByRole('link', { name: 'Agency Services Portal' })).toHaveAttribute(
      'href',
      '/',
    );
    await expect(widget(page).getByRole('button', { name: /Pay/ })).toBeVisible();
    expect(await axeViolations(page, { bestPractice: true }), path).toEqual([]);
  }
});

test('the navigation’s back office link opens the packaged back office at its sign-in screen, with no axe findings', async ({
  page,
}) => {
  await page.goto('/');
  await page
    .getByRole('navigation', { name: 'Demo pages' })
    .getByRole('link', { name: 'Back office (staff)' })
    .click();
  await expect(page).toHaveURL(BACK_OFFICE);
  await expect(page).toHaveTitle('Sign in · Payments back office');
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await expect(
    page.getByRole('link', { name: 'Sign in with your agency account' }),
  ).toHaveAttribute('href', './sign-in');
  // Nobody is signed in: no navigation of its own, no checkouts.
  await expect(page.getByRole('navigation', { name: 'Back office' })).toBeHidden();
  await expect(page.getByRole('table')).toBeHidden();
  expect(await axeViolations(page, { bestPractice: true }), BACK_OFFICE).toEqual([]);
});

test('the language switch speaks to the checkout, and leaves the page’s own language alone', async ({
  page,
}) => {
  await page.goto('/donate.html');
  await page.getByLabel('Checkout language').selectOption('ms');
  await expect(widget(page)).toContainText('Derma kepada Tabung Komuniti Penjaja');
  expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
  await page.getByLabel('Checkout language').selectOption('en');
});

test('a donation: the payer gives a name and chooses an amount within bounds, and pays it', async ({
  page,
}) => {
  await page.goto('/donate.html');
  const pay = widget(page).getByRole('button', { name: /^Pay/ });
  await expect(widget(page)).toContainText('You choose the amount');
  await pay.click();
  await expect(widget(page)).toContainText('Enter your full name.');
  // Focus goes to the first field to fix.
  await expect(widget(page).locator('[aria-invalid="true"]').first()).toBeFocused();

  await widget(page).getByLabel('Full name').fill('Siti Nurhaliza');
  await widget(page).getByLabel('Amount to pay (SGD)').fill('2');
  await pay.click();
  await expect(widget(page)).toContainText(/Enter an amount from SGD\s5\.00 to SGD\s1,000\.00\./);

  await widget(page).getByLabel('Amount to pay (SGD)').fill('25');
  await widget(page)
    .getByLabel(/Email address/)
    .fill('siti@example.com');
  await widget(page)
    .getByRole('button', { name: /Pay SGD\s25\.00/ })
    .click();
  await page.waitForURL(/\/simulator\/payments\//);
  await expect(page.getByText('Siti Nurhaliza')).toBeVisible();
  await page.getByRole('button', { name: /^Pay SGD\s25\.00/ }).click();
  await page.waitForURL((url) => url.pathname === '/donate.html');
  await expect(widget(page)).toContainText('Payment received');
  type PaysgEvent = { type: string; detail: { amountInCents?: number } };
  const paid = (
    await page.evaluate(() => (window as unknown as { paysgEvents: PaysgEvent[] }).paysgEvents)
  ).find((e) => e.type === 'paysg-paid')!;
  expect(paid.detail.amountInCents).toBe(2500);
  // Start over loads the page again: wait for that navigation to end (the payment forgotten, a new
  // donation offered) rather than leave it running as the test ends (Firefox reports it cut short).
  await page.getByRole('button', { name: 'Start over' }).click();
  await expect(page.locator('#event-log')).not.toContainText('paysg-paid');
  await expect(widget(page)).toContainText('You choose the amount');
  await page.waitForLoadState('load');
});

test.describe('the simulator controls in the page', () => {
  test.afterEach(async ({ request }) => {
    await request.delete('/simulator/_control/faults');
  });

  test('PaySG failing: the checkout says so and offers Try again, which works once PaySG is back', async ({
    page,
  }) => {
    await page.goto(licencePage());
    await page.getByRole('button', { name: 'PaySG answers 503' }).click();
    await expect(
      page.getByRole('region', { name: 'Make the PaySG simulator misbehave' }).getByRole('status'),
    ).toHaveText('Done: PaySG answers 503.');
    await widget(page)
      .getByRole('button', { name: /Pay SGD\s120\.00/ })
      .click();
    await expect(widget(page)).toContainText('PaySG is not responding right now.');
    await page.getByRole('button', { name: 'Clear the faults' }).click();
    await widget(page).getByRole('button', { name: 'Try again' }).click();
    await page.waitForURL(/\/simulator\/payments\//);
  });

  test('declining the next payment, and dropping PaySG’s answer: still one payment', async ({
    page,
    request,
  }) => {
    const licence = licencePage();
    await page.goto(licence);
    await page.getByRole('button', { name: 'Drop PaySG’s answer' }).click();
    await page.getByRole('button', { name: 'Decline the next payment' }).click();
    await widget(page)
      .getByRole('button', { name: /Pay SGD\s120\.00/ })
      .click();
    await page.waitForURL(/\/simulator\/payments\//);
    await page.getByRole('button', { name: /^Pay SGD/ }).click();
    await expect(page.getByRole('alert')).toHaveText(/declined by your bank/);
    await page.getByRole('button', { name: /^Pay SGD/ }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await expect(widget(page)).toContainText('Payment received');
    const reference = `HS-${new URL(licence, page.url()).searchParams.get('stall')}-2027`;
    const stats = await (await request.get(`/simulator/_control/stats`)).json();
    expect(stats.createsByReference[reference]).toBe(1);
  });

  test('are not offered against a real PaySG', async ({ page }) => {
    await page.route('/demo/environment.json', (route) =>
      route.fulfill({ json: { paysg: 'staging' } }),
    );
    await page.goto('/donate.html');
    await expect(page.getByRole('note')).toContainText('PaySG staging');
    await expect(widget(page).getByRole('button', { name: /Pay/ })).toBeVisible();
    await expect(
      page.getByRole('region', { name: 'Make the PaySG simulator misbehave' }),
    ).toHaveCount(0);
  });
});

test('the theme switch makes the page and the checkout dark on a light device, through the checkout’s custom properties', async ({
  page,
}) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/donate.html');
  const card = widget(page).locator('[part="card"]');
  await expect(card).toHaveCSS('background-color', 'rgb(255, 255, 255)');
  await page.getByLabel('Theme').selectOption('dark');
  await expect(card).toHaveCSS('background-color', 'rgb(28, 26, 36)');
  expect(await axeViolations(page, { bestPractice: true })).toEqual([]);
  await page.getByLabel('Theme').selectOption('device');
});

test('each checkout page shows the snippet that embeds it, as it runs', async ({ page }) => {
  await page.goto('/donate.html');
  await page.getByText('The snippet that embeds this checkout').click();
  await expect(page.locator('#embed-snippet')).toContainText('item="community-fund-donation"');
  await page.goto(licencePage());
  await page.getByText('The snippet that embeds this checkout').click();
  await expect(page.locator('#embed-snippet')).toContainText(/reference="HS-\d\d-\d{3}-2027"/);
  await page.goto('/permit.html');
  await page.getByText('The snippet that embeds this checkout').click();
  await expect(page.locator('#embed-snippet')).toContainText('order-token="eyJ');
});
