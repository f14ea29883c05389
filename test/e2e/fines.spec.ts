/**
 * Fines from a FormSG form, end to end through the demo: its fines page stands in for the FormSG
 * form, the demo's FormSG posts what FormSG posts (encrypted, signed) to the BFF's
 * `/paysg/formsg/parking`, the BFF makes one PaySG payment by demo/fine-rules.json and has PaySG
 * e-mail the link once, the payer pays at the simulator's page and comes back to the fines page,
 * which says the payment was received, and staff follow its link to the submission in the back
 * office, paid, with its letter.
 *
 * Chromium only: the page's own checks (axe, focus, a 360 px screen) and the flow need
 * Playwright's page, and the payer flows that run in every engine live in
 * pay-through-simulator.spec.ts.
 */
import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { E2E_IDP_PORT } from '../../playwright.config.js';
import { SIMULATOR_API_KEY, SIMULATOR_PAYMENT_SERVICE_ID } from '../../demo/simulator/simulator.js';
import type { SimulatedEmail } from '../../demo/simulator/email-outbox.js';
import { axeViolations } from '../helpers/axe-page.js';

const FINES = '/fines.html';
const ADMIN = '/paysg/admin/';
const PROVIDER = new RegExp(`^http://localhost:${E2E_IDP_PORT}/`);
/** The demo rule's amount for P01 (demo/fine-rules.json). */
const P01_CENTS = 7000;
/** The demo form's id (demo/fine-rules.json). */
const DEMO_FORM_ID = '6755a1f0c3d2e1b0a9f8e700';

test.skip(({ browserName }) => browserName !== 'chromium', 'Chromium only (see the header)');

/** Each test is a browser of its own for the BFF's and the back office's rate limits (TEST-NET-2). */
let client = Math.floor(Math.random() * 200);
test.beforeEach(async ({ context }) => {
  await context.setExtraHTTPHeaders({ 'X-Forwarded-For': `198.51.100.${(client++ % 254) + 1}` });
});

/** A payer's address of its own, so each test finds its own e-mail. */
const address = () =>
  `tan.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.com`;

async function fillForm(page: Page, email: string): Promise<void> {
  await page.getByLabel('Offence').selectOption('P01');
  await page.getByLabel('Vehicle number').fill('SBA 1234 A');
  await page.getByLabel('Full name').fill('Tan Ah Kow');
  await page.getByLabel('E-mail address').fill(email);
  await page.getByRole('radio', { name: /中文/ }).check();
}

async function outbox(page: Page): Promise<SimulatedEmail[]> {
  const response = await page.request.get('/simulator/_simulator/emails');
  expect(response.status()).toBe(200);
  return (await response.json()) as SimulatedEmail[];
}

test('the fines form: every field labelled, errors tied to their fields and summed up first, no axe findings', async ({
  page,
}) => {
  await page.goto(FINES);
  const nav = page.getByRole('navigation', { name: 'Demo pages' });
  await expect(nav.locator('a[aria-current="page"]')).toHaveAttribute('href', FINES);
  await expect(page.getByRole('heading', { level: 1, name: 'Pay a parking fine' })).toBeVisible();
  // The offences and their amounts are the rules'; the letter's languages are the ones it has.
  await expect(page.getByLabel('Offence').locator('option')).toHaveText([
    'Choose the offence',
    /^P01, SGD\s70\.00: Parking without a valid parking coupon$/,
    /^P02, SGD\s120\.00: Parking in a loading bay$/,
    /^P03, SGD\s50\.00: Parking across two lots$/,
  ]);
  const languages = page.getByRole('group', { name: 'Language of the letter' });
  await expect(languages.getByRole('radio')).toHaveCount(3);
  await expect(languages.getByRole('radio', { name: 'English' })).toBeChecked();
  await expect(languages.locator('span[lang="ta"]')).toHaveText('தமிழ்');
  expect(await axeViolations(page, { bestPractice: true }), 'the empty form').toEqual([]);

  await page.getByLabel('E-mail address').fill('tan@');
  await page.getByRole('button', { name: 'Submit' }).click();
  const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('link')).toHaveText([
    'Choose the offence from the list',
    'Enter the vehicle number',
    'Enter your full name',
    'Enter an e-mail address in the right form, like name@example.com',
  ]);
  // Each message is part of its field's description, and the field says it is invalid.
  await expect(page.getByLabel('E-mail address')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('E-mail address')).toHaveAccessibleDescription(
    'PaySG sends the payment link to this address Error: Enter an e-mail address in the right form, like name@example.com',
  );
  await expect(page.getByLabel('Vehicle number')).toHaveAccessibleDescription(
    /Error: Enter the vehicle number$/,
  );
  // A summary link takes focus to its field.
  await summary.getByRole('link', { name: 'Enter your full name' }).click();
  await expect(page.getByLabel('Full name')).toBeFocused();
  expect(await axeViolations(page, { bestPractice: true }), 'the form with errors').toEqual([]);
});

test('the fines page reads at 360 px: nothing wider than the screen', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto(FINES);
  await expect(page.getByLabel('Offence').locator('option')).toHaveCount(4);
  await page.getByRole('button', { name: 'Submit' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'There is a problem' })).toBeFocused();
  const widest = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(widest).toBeLessThanOrEqual(360);
});

test('a fine from the form: one payment of the rule’s amount, one e-mail, its letter from the back office, paid at PaySG, back on the fines page paid, found paid in the back office', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const email = address();
  await page.goto(FINES);
  await fillForm(page, email);
  await page.getByRole('button', { name: 'Submit' }).click();

  // The BFF took it: the page names the submission and says what the BFF answered.
  await expect(page.getByRole('heading', { level: 2, name: 'Submitted' })).toBeFocused();
  const submissionId = (await page.locator('#submission-id').textContent()) ?? '';
  expect(submissionId).toMatch(/^[0-9a-f]{24}$/);
  await expect(page.getByText(/^200: received and recorded/)).toBeVisible();
  const referenceId = `PF-${submissionId}`;

  // The e-mail, read from the simulator's outbox while the page waited.
  await expect(page.locator('#email-status')).toHaveRole('status');
  await expect(page.locator('#email-status')).toHaveText(
    `PaySG sent the payment link to ${email}.`,
    { timeout: 30_000 },
  );
  const mail = page.getByRole('article');
  await expect(mail).toContainText(email);
  await expect(mail).toContainText(
    'Parking fine P01: Parking without a valid parking coupon, vehicle SBA 1234 A',
  );

  expect(
    await axeViolations(page, { bestPractice: true }),
    'the submission and its e-mail',
  ).toEqual([]);

  // PaySG has one payment for the submission, of the rule's amount, and e-mailed it once.
  const stats = await page.request.get(
    `/simulator/_control/stats?reference=${referenceId}&paymentServiceId=${SIMULATOR_PAYMENT_SERVICE_ID}`,
  );
  expect(((await stats.json()) as { creates: number }).creates).toBe(1);
  const mails = (await outbox(page)).filter((m) => m.referenceId === referenceId);
  expect(mails).toHaveLength(1);
  const [sent] = mails;
  expect(sent).toMatchObject({ to: email, referenceId, amountInCents: P01_CENTS });
  const payment = await page.request.get(
    `/simulator/v1/payment-services/${SIMULATOR_PAYMENT_SERVICE_ID}/payments/${sent?.paymentId}`,
    { headers: { 'x-api-key': SIMULATOR_API_KEY } },
  );
  expect(await payment.json()).toMatchObject({
    reference_id: referenceId,
    amount_in_cents: P01_CENTS,
    payer_name: 'Tan Ah Kow',
    payer_email: email,
    email_delivery_status: 'sent',
    payment_status: 'unpaid',
    metadata: { formsg_submission_id: submissionId },
  });

  // FormSG delivers the same submission again (it heard no 2xx, say): the BFF answers 200 again
  // and neither pays nor e-mails a second time.
  await page.getByRole('button', { name: 'Deliver it again, as FormSG retries' }).click();
  await expect(page.locator('#retry-status')).toHaveText(
    new RegExp(
      `answered 200: received.*E-mails to ${email.replace('.', '\\.')} for this submission: 1\\.$`,
    ),
    { timeout: 10_000 },
  );
  expect((await outbox(page)).filter((m) => m.referenceId === referenceId)).toHaveLength(1);

  // The letter link leads staff to the back office's search for this submission. Chitra (view
  // only) follows it in a tab of her own, signs in, and lands on the search, run for her: the
  // fine is not paid yet, and its letter (a PDF with the payment link) can be downloaded.
  const letterLink = page.getByRole('link', { name: 'Find this submission in the back office' });
  await expect(letterLink).toHaveAttribute('href', `${ADMIN}#submission/${submissionId}`);
  const staff = await page.context().newPage();
  await staff.goto(new URL((await letterLink.getAttribute('href')) ?? '', page.url()).href);
  await staff.getByRole('link', { name: 'Sign in with your agency account' }).click();
  await expect(staff).toHaveURL(PROVIDER);
  await staff.getByPlaceholder('Enter any login').fill('chitra');
  await staff.getByPlaceholder('and password').fill('any password at all');
  await staff.getByRole('button', { name: 'Sign-in' }).click();
  await expect(staff.getByRole('button', { name: 'Sign out' })).toBeVisible();
  const search = staff.getByRole('search', { name: 'Find a FormSG submission' });
  await expect(search.getByLabel('FormSG submission id')).toHaveValue(submissionId);
  const found = staff.getByRole('region', { name: `FormSG submission ${submissionId}` });
  await expect(found.getByRole('heading', { level: 2 })).toBeFocused();
  await expect(found.getByText('Unpaid', { exact: true })).toBeVisible();
  await expect(found).toContainText(`PF-${submissionId}`);
  expect(
    await axeViolations(staff, { bestPractice: true }),
    'the back office’s submission, unpaid',
  ).toEqual([]);
  const [download] = await Promise.all([
    staff.waitForEvent('download'),
    found.getByRole('link', { name: 'Download letter' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`fine-${submissionId}.pdf`);
  const pdf = await readFile((await download.path()) ?? '');
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');

  // The payer follows the e-mail's link and pays on PaySG's page; the BFF's return checks the
  // payment and sends them to the rule's returnPage, the fines page, which says it is paid.
  await mail.getByRole('link', { name: /^Pay SGD\s70\.00 on PaySG$/ }).click();
  await expect(page).toHaveURL(`/simulator/payments/${sent?.paymentId}`);
  await page.getByRole('button', { name: /^Pay SGD/ }).click();
  // The checkout id leaves the address bar once read.
  await expect(page).toHaveURL(new RegExp(`${FINES.replace('.', '\\.')}$`));
  const status = page.getByRole('status').filter({ hasText: 'Payment received' });
  await expect(status.getByRole('heading', { level: 2, name: 'Payment received' })).toBeVisible();
  await expect(status).toContainText(
    /received your payment of SGD\s70\.00\. There is nothing more to pay/,
  );
  await expect(status).toContainText(
    'Parking fine P01: Parking without a valid parking coupon, vehicle SBA 1234 A',
  );
  await expect(status).toContainText(referenceId);
  expect(await axeViolations(page, { bestPractice: true }), 'the fines page after paying').toEqual(
    [],
  );

  // Staff search again and find it paid: no letter for a paid fine, and the reason says so.
  await findPaidSubmission(staff, submissionId);
  await expect(found.getByRole('link', { name: 'Download letter' })).toHaveCount(0);
  await expect(found).toContainText(/paid.*no letter is needed/i);
  expect(
    await axeViolations(staff, { bestPractice: true }),
    'the back office’s submission, paid',
  ).toEqual([]);
  const letter = await staff.request.get(
    `${ADMIN}api/submissions/${DEMO_FORM_ID}/${submissionId}/letter.pdf`,
  );
  expect(letter.status()).toBe(409);
  expect(((await letter.json()) as { error: { code: string } }).error.code).toBe(
    'letter_not_available',
  );

  // An id no submission has is answered at the field, not as a page-level error.
  const field = search.getByLabel('FormSG submission id');
  await field.fill('0'.repeat(24));
  await search.getByRole('button', { name: 'Find submission' }).click();
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(field).toHaveAccessibleDescription(
    /^Error: No submission has this id\. 24 characters/,
  );
  await expect(staff.locator('#message')).toBeHidden();

  // Still one e-mail: paying and looking sent nothing more.
  expect((await outbox(page)).filter((m) => m.referenceId === referenceId)).toHaveLength(1);
});

/**
 * The back office's search by submission id, again until it shows the payment paid: the BFF
 * learns of a payment made at PaySG's page by asking PaySG, not at the moment it is made.
 */
async function findPaidSubmission(page: Page, submissionId: string): Promise<void> {
  const search = page.getByRole('search', { name: 'Find a FormSG submission' });
  await search.getByLabel('FormSG submission id').fill(submissionId);
  const found = page.getByRole('region', { name: `FormSG submission ${submissionId}` });
  await expect(async () => {
    await search.getByRole('button', { name: 'Find submission' }).click();
    await expect(found.getByRole('heading', { level: 2 })).toBeFocused({ timeout: 2_000 });
    await expect(found.getByText('Paid', { exact: true }).first()).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await expect(found).toContainText(/SGD\s70\.00/);
  await expect(found).toContainText(`PF-${submissionId}`);
  await expect(found.getByText('Sent', { exact: true })).toBeVisible();
}
