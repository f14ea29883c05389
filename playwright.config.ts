import { defineConfig } from '@playwright/test';
import {
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  enginesToTest,
  FIREFOX_LAUNCH,
} from './test/helpers/browser-engines.mjs';
import type { EngineOptions } from './test/e2e/engines.js';

const PORT = Number(process.env.E2E_PORT ?? 3199);
/**
 * The port of the demo's OpenID provider, where staff sign in to the back office: the one after
 * the demo's unless E2E_IDP_PORT says otherwise. Handed to the demo as DEMO_IDP_PORT (so one set
 * in the shell cannot move it), and known to the tests, which check that sign-in goes there.
 */
export const E2E_IDP_PORT = Number(process.env.E2E_IDP_PORT ?? PORT + 1);
/** Known to the tests, so they can hand the permit page an order token that has expired. */
export const E2E_ORDER_TOKEN_SECRET = 'e2e-order-token-secret-0123456789abcdef';
/** The back office's token for the run. */
export const E2E_ADMIN_TOKEN = 'e2e-admin-token-0123456789abcdefghijklmnop';

// Workers load this file again: the runner has already said which engines are left out.
const engines = enginesToTest('e2e tests', { quiet: process.env.TEST_WORKER_INDEX !== undefined });

/**
 * End-to-end through the demo as `npm start` runs it (built widget, BFF, simulator, and the
 * identity provider staff sign in to the back office through), in three engines, one project
 * each (test/e2e/engines.ts says what runs where):
 * - chromium: Debian's Chromium, every test;
 * - firefox: Firefox ESR over WebDriver BiDi, every test. Its back/forward cache is off, as
 *   Playwright loses the page when Back restores one; Chromium and WebKit keep theirs, and the
 *   Back flows check that they used it;
 * - webkit: WebKitGTK over WebDriver, the payer flows (tagged @every-engine).
 * An engine this machine lacks is left out with a line saying what to install; in CI it is an
 * error. `PAYSG_ENGINES=firefox` runs one. Each run gets a fresh database so no earlier order is
 * already paid.
 */
export default defineConfig<EngineOptions>({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list'], ['./test/e2e/engine-summary.ts']],
  outputDir: 'out/e2e-results',
  timeout: 30_000,
  use: {
    baseURL: `http://localhost:${PORT}`,
    trace: 'off',
    screenshot: 'only-on-failure',
  },
  projects: [
    ...(engines.includes('chromium')
      ? [
          {
            name: 'chromium',
            use: {
              engine: 'chromium' as const,
              browserName: 'chromium' as const,
              launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
            },
          },
        ]
      : []),
    ...(engines.includes('firefox')
      ? [
          {
            name: 'firefox',
            use: {
              engine: 'firefox' as const,
              browserName: 'firefox' as const,
              launchOptions: {
                ...FIREFOX_LAUNCH,
                firefoxUserPrefs: { 'browser.sessionhistory.max_total_viewers': 0 },
              },
            },
          },
        ]
      : []),
    // Only the payer flows; `browserName` so that `page` fails loudly here rather than open Chromium.
    ...(engines.includes('webkit')
      ? [
          {
            name: 'webkit',
            grep: /@every-engine/,
            use: {
              engine: 'webkit' as const,
              browserName: 'webkit' as const,
              screenshot: 'off' as const,
            },
          },
        ]
      : []),
  ],
  webServer: {
    command: 'node --import tsx demo/server.ts',
    env: {
      PORT: String(PORT),
      DEMO_IDP_PORT: String(E2E_IDP_PORT),
      DATABASE_PATH: `out/e2e-data/checkouts-${Date.now()}.sqlite`,
      ORDER_TOKEN_SECRETS: E2E_ORDER_TOKEN_SECRET,
      ADMIN_TOKEN: E2E_ADMIN_TOKEN,
      // Every test pays from 127.0.0.1: one client, as far as the BFF can tell. Its reads too
      // (quotes, status checks): WebKit's WebDriver sessions cannot send a header of their own to
      // be another client, and its tests follow each other within a minute.
      RATE_LIMIT_CREATES_PER_MINUTE: '1000',
      RATE_LIMIT_READS_PER_MINUTE: '5000',
      // One proxy hop, so a test can be a client of its own with X-Forwarded-For (the back
      // office's tests are each one person's browser: its limit is per client and minute, and
      // all of them from 127.0.0.1 would meet it). Without the header it is 127.0.0.1 again.
      TRUST_PROXY: '1',
    },
    url: `http://localhost:${PORT}/paysg/healthz`,
    reuseExistingServer: false,
    timeout: 30_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
