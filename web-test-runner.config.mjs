// Widget tests in Chromium, Firefox ESR and WebKitGTK as Debian ships them (no browser download is
// possible here): the first two through Playwright, WebKit through WebDriver. An engine this
// machine lacks is skipped with a line saying what to install; in CI that is an error.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { webdriverLauncher } from '@web/test-runner-webdriver';
import { fileURLToPath } from 'node:url';
import {
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  enginesToTest,
  FIREFOX_LAUNCH,
  startWebKitDriver,
  WEBKIT_CAPABILITIES,
} from './test/helpers/browser-engines.mjs';

const engines = enginesToTest('widget tests');
const browsers = [];
if (engines.includes('chromium')) {
  browsers.push(
    playwrightLauncher({
      product: 'chromium',
      launchOptions: { executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS },
    }),
  );
}
if (engines.includes('firefox'))
  browsers.push(playwrightLauncher({ product: 'firefox', launchOptions: FIREFOX_LAUNCH }));
if (engines.includes('webkit')) {
  const driver = await startWebKitDriver();
  browsers.push(
    webdriverLauncher({
      automationProtocol: 'webdriver',
      hostname: driver.hostname,
      port: driver.port,
      path: '/',
      logLevel: 'error',
      capabilities: WEBKIT_CAPABILITIES,
    }),
  );
}
process.stderr.write(`widget tests: in ${engines.join(', ')}\n`);

export default {
  files: ['test/widget/**/*.test.ts'],
  nodeResolve: { exportConditions: ['production'] },
  // esbuild strips types and lowers the legacy decorators; it reads tsconfig only when told to.
  plugins: [
    esbuildPlugin({
      ts: true,
      target: 'es2022',
      tsconfig: fileURLToPath(new URL('./tsconfig.json', import.meta.url)),
    }),
  ],
  browsers,
  concurrency: 1,
  // Firefox and WebKit start slower than Chromium, and WebKit runs under a virtual display.
  browserStartTimeout: 60_000,
  testsStartTimeout: 60_000,
  testFramework: { config: { timeout: 5000 } },
};
