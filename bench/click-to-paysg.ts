/**
 * Click to PaySG's page in each engine (Chromium and Firefox ESR through Playwright, WebKitGTK
 * through WebDriver, as the e2e tests drive them): a page with the widget (loaded from the
 * compiled BFF, as agencies embed it), the payer presses Pay, and the clock stops when the
 * simulator's hosted payment page has loaded. Both ends are the browser's own clock: the click
 * event's time (the page reports it) and the payment page's load event end, so no driver's
 * overhead counts. A new order and a new browser profile each time; the first run warms the
 * servers and is not counted; median of 15.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, firefox } from 'playwright';
import {
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  FIREFOX_LAUNCH,
  missingEngine,
  startWebKitDriver,
  type EngineName,
} from '../test/helpers/browser-engines.mjs';
import type { Payer } from '../test/flows/payer.js';
import { PlaywrightPayer } from '../test/flows/playwright-payer.js';
import { openWebKitPayer } from '../test/flows/webdriver-payer.js';
import { startBff, startSimulator } from './servers.js';

export interface ClickToPaysg {
  runs: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
}

export type ClickToPaysgByEngine = Record<EngineName, ClickToPaysg | { skipped: string }>;

export const ENGINES: EngineName[] = ['chromium', 'firefox', 'webkit'];

/** A browser that opens a fresh payer (a new context, or a new WebDriver session) for each run. */
interface PayerSource {
  open(): Promise<{ payer: Payer; close(): Promise<unknown> }>;
  stop(): Promise<unknown>;
}

async function payerSource(engine: EngineName): Promise<PayerSource> {
  if (engine === 'webkit') {
    const driver = await startWebKitDriver();
    return {
      async open() {
        const payer = await openWebKitPayer({
          hostname: driver.hostname,
          port: driver.port,
          baseURL: 'http://localhost/',
        });
        return { payer, close: () => payer.end() };
      },
      stop: async () => driver.stop(),
    };
  }
  const browser =
    engine === 'chromium'
      ? await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS })
      : await firefox.launch(FIREFOX_LAUNCH);
  return {
    async open() {
      const context = await browser.newContext();
      return {
        payer: new PlaywrightPayer(await context.newPage(), engine),
        close: () => context.close(),
      };
    },
    stop: () => browser.close(),
  };
}

export async function clickToPaysg(runs = 15): Promise<ClickToPaysgByEngine> {
  /** When each page's Pay was clicked, by reference, as the page reports it (epoch ms, the browser's clock). */
  const clicked = new Map<string, number>();
  const page = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const reference = url.searchParams.get('reference') ?? 'CLICK';
    if (url.pathname === '/clicked') {
      clicked.set(reference, Number(url.searchParams.get('at')));
      response.writeHead(204).end();
      return;
    }
    if (url.pathname === '/clicked.js') {
      // The click's own time, sent before the page is left (a beacon outlives the page).
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(`
addEventListener('click', (event) => {
  navigator.sendBeacon('/clicked?reference=' + encodeURIComponent(new URLSearchParams(location.search).get('reference')) + '&at=' + (performance.timeOrigin + event.timeStamp));
}, { capture: true, once: true });`);
      return;
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Pay</title>
<script src="/clicked.js"></script>
<script type="module" src="${bffUrl}/paysg/widget.js"></script></head>
<body><main><paysg-checkout endpoint="${bffUrl}/paysg" item="licence-renewal" reference="${reference}" payer-name="Tan Ah Kow"></paysg-checkout></main></body></html>`);
  });
  await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
  const pageOrigin = `http://localhost:${(page.address() as AddressInfo).port}`;
  const simulator = await startSimulator();
  // Every browser pays from 127.0.0.1: 48 creates within a minute or so, above the per-payer limit.
  const bff = await startBff(simulator.url, {
    ALLOWED_ORIGINS: pageOrigin,
    RATE_LIMIT_CREATES_PER_MINUTE: '1000',
  });
  const bffUrl = bff.url.replace('127.0.0.1', 'localhost');

  const results = {} as ClickToPaysgByEngine;
  try {
    for (const engine of ENGINES) {
      const missing = missingEngine(engine);
      if (missing) {
        results[engine] = { skipped: missing };
        continue;
      }
      results[engine] = await samplesIn(engine).catch((err: Error) => ({
        skipped: `the run failed: ${err.message.split('\n')[0]}`,
      }));
    }
  } finally {
    bff.stop();
    simulator.stop();
    page.close();
  }
  return results;

  async function samplesIn(engine: EngineName): Promise<ClickToPaysg> {
    const source = await payerSource(engine);
    const samples: number[] = [];
    try {
      for (let i = 0; i < runs + 1; i++) {
        const reference = `CLICK-${engine.toUpperCase()}-${process.pid}-${i}`;
        const { payer, close } = await source.open();
        try {
          await payer.goto(`${pageOrigin}/?reference=${reference}`);
          await payer.widgetSays(/Pay SGD/);
          await payer.click(/^Pay SGD/, 'widget');
          await payer.at(/\/payments\//);
          const load = await payer.until(
            'the payment page’s load event to end',
            () =>
              payer.evaluate(() => ({
                origin: performance.timeOrigin,
                end:
                  (
                    performance.getEntriesByType('navigation')[0] as
                      | PerformanceNavigationTiming
                      | undefined
                  )?.loadEventEnd ?? 0,
              })),
            ({ end }) => end > 0,
          );
          const loaded = load.origin + load.end;
          const at = await payer.until(
            'the page to report the click',
            async () => clicked.get(reference) ?? 0,
            (t) => t > 0,
            5_000,
          );
          // The first run warms the BFF and the simulator; it is not counted.
          if (i > 0) samples.push(loaded - at);
        } finally {
          await close();
        }
      }
    } finally {
      await source.stop();
    }
    const sorted = [...samples].sort((a, b) => a - b);
    return {
      runs,
      medianMs: Math.round(sorted[Math.floor(sorted.length / 2)]!),
      minMs: Math.round(sorted[0]!),
      maxMs: Math.round(sorted.at(-1)!),
    };
  }
}
