/**
 * The end-to-end tests' `test`: Playwright's, plus a `payer` (test/flows/payer.ts) in the
 * project's engine, so a payer flow is written once and runs in Chromium, Firefox ESR and
 * WebKitGTK. Each engine is a Playwright project (playwright.config.ts):
 *
 * - chromium and firefox run every test. Their `payer` is a Playwright page in a browser of its
 *   own (a new context per test), so `page` and `payer` are both at hand there.
 * - webkit runs the tests tagged `@every-engine` (EVERY_ENGINE), and their `payer` is a WebDriver
 *   session: a new MiniBrowser per test, under WebKitWebDriver on a virtual display, one driver
 *   per worker. Playwright cannot drive Debian's WebKit, so a test that also uses `page`,
 *   `context` or `browser` cannot be tagged: in this project those fail to launch.
 *
 * A flow that presses Back is also tagged `@back-button` (BACK_BUTTON): in WebKit it gets a
 * session without Cross-Origin-Opener-Policy, as WebKitWebDriver hangs after Back across a
 * change of it (webdriver-payer.ts).
 */
import { expect, test as base, type Browser, type TestInfo } from '@playwright/test';
import { startWebKitDriver } from '../helpers/browser-engines.mjs';
import type { Engine, Payer } from '../flows/payer.js';
import { PlaywrightPayer } from '../flows/playwright-payer.js';
import { openWebKitPayer } from '../flows/webdriver-payer.js';

export { expect };
export type { Engine, Payer };

/** Runs in every engine, WebKit included: the test uses `payer` (and `request`) only. */
export const EVERY_ENGINE = '@every-engine';
/** Presses the browser's Back button (see above). */
export const BACK_BUTTON = '@back-button';

export interface EngineOptions {
  /** The engine of the project; set in playwright.config.ts. */
  engine: Engine;
}

/** One WebKitWebDriver for a worker's tests, started at first need and again after it hung. */
class WebKitDriver {
  #running: ReturnType<typeof startWebKitDriver> | undefined;

  endpoint() {
    this.#running ??= startWebKitDriver();
    return this.#running;
  }

  async stop(): Promise<void> {
    const running = this.#running;
    this.#running = undefined;
    (await running?.catch(() => undefined))?.stop();
  }
}

type PayerBrowser =
  | { engine: 'chromium' | 'firefox'; browser: Browser }
  | { engine: 'webkit'; driver: WebKitDriver };

const failed = (testInfo: TestInfo) => testInfo.status !== testInfo.expectedStatus;

export const test = base.extend<{ payer: Payer }, EngineOptions & { payerBrowser: PayerBrowser }>({
  engine: ['chromium', { option: true, scope: 'worker' }],

  // The webkit project's `browserName` is WebKit, which Playwright cannot launch here: a test
  // there that asks for `page`, `context` or `browser` is told why, rather than to download
  // Playwright's own WebKit build.
  playwright: [
    async ({ playwright, engine }, use) => {
      if (engine !== 'webkit') return use(playwright);
      const refuse = async () => {
        throw new Error(
          `Playwright cannot drive Debian's WebKitGTK: in the webkit project a test has \`payer\` (test/flows/payer.ts) and \`request\`, not \`page\`, \`context\` or \`browser\`. Write it against \`payer\`, or leave it untagged (${EVERY_ENGINE}) to run in Chromium and Firefox only.`,
        );
      };
      const webkit = new Proxy(playwright.webkit, {
        get: (target, key) =>
          key === 'launch' || key === 'launchPersistentContext' ? refuse : Reflect.get(target, key),
      });
      await use(
        new Proxy(playwright, {
          get: (target, key) => (key === 'webkit' ? webkit : Reflect.get(target, key)),
        }),
      );
    },
    { scope: 'worker' },
  ],

  // The payer's browser for the worker. Not Playwright's own `browser` fixture: that one would
  // launch for WebKit too, which Playwright cannot drive here.
  payerBrowser: [
    async ({ engine, playwright, launchOptions, headless }, use) => {
      if (engine === 'webkit') {
        const driver = new WebKitDriver();
        await use({ engine, driver });
        await driver.stop();
        return;
      }
      // Chromium keeps its back/forward cache, as for payers (Playwright turns it off by default).
      const browser = await playwright[engine].launch({
        headless,
        ...launchOptions,
        ...(engine === 'chromium' && { ignoreDefaultArgs: ['--disable-back-forward-cache'] }),
      });
      await use({ engine, browser });
      await browser.close();
    },
    { scope: 'worker', timeout: 60_000 },
  ],

  // Its own time (a WebKit session takes a second or two to start and to end), apart from the test's.
  payer: [
    async ({ payerBrowser, baseURL }, use, testInfo) => {
      if (payerBrowser.engine !== 'webkit') {
        const context = await payerBrowser.browser.newContext({ baseURL });
        const payer = new PlaywrightPayer(await context.newPage(), payerBrowser.engine);
        await use(payer);
        if (failed(testInfo)) {
          for (const [i, page] of context.pages().entries()) {
            await testInfo
              .attach(`window ${i + 1}`, {
                body: await page.screenshot(),
                contentType: 'image/png',
              })
              .catch(() => undefined);
          }
        }
        await context.close();
        return;
      }
      const open = async () =>
        openWebKitPayer({
          ...(await payerBrowser.driver.endpoint()),
          baseURL: baseURL!,
          goesBack: testInfo.tags.includes(BACK_BUTTON),
        });
      // MiniBrowser now and then does not come up under a busy machine: once more with a new driver.
      const payer = await open().catch(async () => {
        await payerBrowser.driver.stop();
        return open();
      });
      await use(payer);
      if (failed(testInfo)) {
        // Not from a driver that stopped answering: that would only wait for its timeout.
        const shot = await Promise.race([
          payer.screenshot().catch(() => undefined),
          new Promise<undefined>((resolve) => setTimeout(resolve, 5_000)),
        ]);
        if (shot) await testInfo.attach('window', { body: shot, contentType: 'image/png' });
      }
      // A driver that no longer answers is replaced, so one hung test does not take the rest down.
      if (!(await payer.end())) await payerBrowser.driver.stop();
    },
    { timeout: 60_000 },
  ],
});
