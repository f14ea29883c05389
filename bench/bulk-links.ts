/**
 * Payment links in bulk: rows against the in-process simulator at the default concurrency, the
 * journal on disk (fsynced) included. PaySG's own rate limit bounds the real figure.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSimulator, SIMULATOR_API_KEY, SIMULATOR_PAYMENT_SERVICE_ID } from '../demo/simulator/simulator.js';
import { createLinks } from '../server/links/create-links.js';
import { LinkJournal } from '../server/links/link-journal.js';
import { parseLinksCsv } from '../server/links/read-links-csv.js';
import { PaysgClient } from '../server/paysg/client.js';

export interface BulkLinks {
  rows: number;
  /** Rows that got a payment link; the rest failed or are unknown. */
  created: number;
  seconds: number;
  linksPerSecond: number;
}

export async function bulkLinks(rows: number): Promise<BulkLinks> {
  const lines = ['reference_id,payer_name,payer_email,description,amount'];
  for (let i = 1; i <= rows; i++) lines.push(`BENCH-${i},Payer ${i},payer${i}@example.com,Licence fee,12.30`);
  const dir = mkdtempSync(join(tmpdir(), 'paysg-bench-links-'));
  const sim = createSimulator({ publicUrl: 'http://localhost:4010' });
  const paysg = new PaysgClient({ apiKey: SIMULATOR_API_KEY, paymentServiceId: SIMULATOR_PAYMENT_SERVICE_ID, baseUrl: 'http://localhost:4010', fetch: sim.fetch });
  try {
    const started = performance.now();
    const journal = new LinkJournal(join(dir, 'bench.journal.jsonl'));
    const results = await createLinks(paysg, journal, parseLinksCsv(lines.join('\n')).rows);
    journal.close();
    const seconds = (performance.now() - started) / 1000;
    const created = results.filter((r) => r.status === 'created').length;
    return { rows, created, seconds, linksPerSecond: Math.round(created / seconds) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
