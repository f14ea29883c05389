/**
 * `npm run bench`: the widget's size and the BFF's in-process latencies, as medians and ratios
 * from one run. Numbers for comparison between changes on the same machine, never asserted.
 */
import { readFileSync } from 'node:fs';
import { createHarness } from '../test/helpers/bff-harness.js';
import { widgetSizeBreakdown } from './widget-size.js';

const ROUNDS = 300;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function timeEach(rounds: number, run: (i: number) => unknown): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    await run(i);
    samples.push(performance.now() - start);
  }
  return median(samples);
}

const manifest = JSON.parse(readFileSync(new URL('../dist/widget/manifest.json', import.meta.url), 'utf8')) as { bytes: number; gzipBytes: number; integrity: string };
const TARGET = 12 * 1024;
console.log('widget bundle (Lit and four languages included)');
console.log(`  raw   ${(manifest.bytes / 1024).toFixed(1)} KiB`);
console.log(`  gzip  ${(manifest.gzipBytes / 1024).toFixed(1)} KiB  = ${(manifest.gzipBytes / TARGET).toFixed(2)} × the 12 KiB target`);
console.log(`        vs Adyen's smallest build 47.7 KB (×${((47.7 * 1000) / manifest.gzipBytes).toFixed(1)}), Braintree Drop-in 129 KB (×${((129 * 1000) / manifest.gzipBytes).toFixed(1)})`);
console.log(`  SRI   ${manifest.integrity}`);
console.log('  where the gzip bytes go (what leaving each part out saves):');
for (const [part, bytes] of await widgetSizeBreakdown()) console.log(`    ${part.padEnd(58)} ${String(bytes).padStart(6)} B`);

const h = createHarness();
const paidIds: string[] = [];
const quote = await timeEach(ROUNDS, () => h.get('/quote?item=licence-renewal'));
const create = await timeEach(ROUNDS, async () => {
  const { json } = await h.createCheckout();
  paidIds.push(json.checkoutId);
  await h.payOnSimulator(json.paymentUrl.split('/').pop());
});
for (const id of paidIds) await h.get(`/checkouts/${id}`);
const statusFinal = await timeEach(ROUNDS, (i) => h.get(`/checkouts/${paidIds[i % paidIds.length]}`));
const replay = await timeEach(ROUNDS, () => h.createCheckout({}, { 'Idempotency-Key': 'bench-replay' }));

console.log(`\nBFF through app.request() with the in-process simulator and in-memory SQLite, median of ${ROUNDS}`);
const rows: [string, number][] = [
  ['GET /quote', quote],
  ['POST /checkouts (new order, PaySG create) + simulator pay', create],
  ['POST /checkouts (Idempotency-Key replay)', replay],
  ['GET /checkouts/{id} (paid, served from the store)', statusFinal],
];
for (const [name, ms] of rows) {
  console.log(`  ${name.padEnd(58)} ${ms.toFixed(3)} ms   ×${(ms / quote).toFixed(1)} of GET /quote`);
}
await h.store.close();
