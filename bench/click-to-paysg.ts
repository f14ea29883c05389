/**
 * Click to PaySG's page in Chromium: a page with the widget (loaded from the compiled BFF, as
 * agencies embed it), the payer presses Pay, and the clock stops when the simulator's hosted
 * payment page has loaded. A new order each time; median of 15.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright';
import { startBff, startSimulator } from './servers.js';

export interface ClickToPaysg {
  runs: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
}

export async function clickToPaysg(runs = 15): Promise<ClickToPaysg> {
  const page = createServer((request, response) => {
    const reference = new URL(request.url ?? '/', 'http://localhost').searchParams.get('reference') ?? 'CLICK';
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Pay</title>
<script type="module" src="${bffUrl}/paysg/widget.js"></script></head>
<body><main><paysg-checkout endpoint="${bffUrl}/paysg" item="licence-renewal" reference="${reference}" payer-name="Tan Ah Kow"></paysg-checkout></main></body></html>`);
  });
  await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
  const pageOrigin = `http://localhost:${(page.address() as AddressInfo).port}`;
  const simulator = await startSimulator();
  const bff = await startBff(simulator.url, { ALLOWED_ORIGINS: pageOrigin });
  const bffUrl = bff.url.replace('127.0.0.1', 'localhost');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const samples: number[] = [];
  try {
    for (let i = 0; i < runs + 1; i++) {
      const context = await browser.newContext();
      const tab = await context.newPage();
      await tab.goto(`${pageOrigin}/?reference=CLICK-${process.pid}-${i}`);
      const pay = tab.getByRole('button', { name: /pay/i });
      await pay.waitFor({ state: 'visible', timeout: 15_000 });
      await tab.waitForFunction(() => !document.querySelector('paysg-checkout')?.shadowRoot?.querySelector('button[disabled], [aria-busy="true"]'), undefined, { timeout: 15_000 });
      const started = performance.now();
      await pay.click();
      await tab.waitForURL(/\/payments\//, { waitUntil: 'load', timeout: 15_000 });
      // The first run warms the BFF and the browser's caches; it is not counted.
      if (i > 0) samples.push(performance.now() - started);
      await context.close();
    }
  } finally {
    await browser.close();
    bff.stop();
    simulator.stop();
    page.close();
  }
  const sorted = [...samples].sort((a, b) => a - b);
  return { runs, medianMs: Math.round(sorted[Math.floor(sorted.length / 2)]!), minMs: Math.round(sorted[0]!), maxMs: Math.round(sorted.at(-1)!) };
}
