/**
 * Payment links in bulk. Speed: 1,000 rows against the in-process simulator at the default
 * concurrency, the journal on disk (fsynced) included; PaySG's own rate limit bounds the real
 * figure. Memory: the compiled `paysg-checkout links bulk` as a process of its own, against the
 * simulator as a server, at 1,000 and 50,000 rows: its peak resident set (`maxRSS`) at exit. The
 * file is streamed, so the second should be close to the first (target: within 1.5×).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createSimulator,
  SIMULATOR_API_KEY,
  SIMULATOR_PAYMENT_SERVICE_ID,
} from '../demo/simulator/simulator.js';
import { createLinks } from '../server/links/create-links.js';
import { LinkJournal } from '../server/links/link-journal.js';
import { parseLinksCsv } from '../server/links/read-links-csv.js';
import { PaysgClient } from '../server/paysg/client.js';
import { ROOT, SIMULATOR_COMMAND, startServer } from './servers.js';

export interface BulkLinks {
  rows: number;
  /** Rows that got a payment link; the rest failed or are unknown. */
  created: number;
  seconds: number;
  linksPerSecond: number;
  /** Peak resident set of the command, MiB, by rows in the file. */
  peakRssMiB?: { rows: number; peakRssMiB: number; seconds: number; exitCode: number | null }[];
}

function csvOf(rows: number): string {
  const lines = ['reference_id,payer_name,payer_email,description,amount'];
  for (let i = 1; i <= rows; i++)
    lines.push(`BENCH-${i},Payer ${i},payer${i}@example.com,Licence fee,12.30`);
  return `${lines.join('\n')}\n`;
}

/** Prints the process's peak resident set (KiB) on stderr as it exits. */
const REPORT_PEAK_RSS = `data:text/javascript,process.on('exit',()=>process.stderr.write('peak-rss-kib '+process.resourceUsage().maxRSS+'\\n'))`;

async function peakRss(rows: number, simulatorUrl: string, dir: string) {
  const file = join(dir, `payers-${rows}.csv`);
  writeFileSync(file, csvOf(rows));
  // The journal fsyncs every step; in memory (/dev/shm) where there is one, so the disk does not set the pace.
  const journals = existsSync('/dev/shm')
    ? mkdtempSync('/dev/shm/paysg-bench-journal-')
    : join(dir, 'journals');
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      '--import',
      REPORT_PEAK_RSS,
      SIMULATOR_COMMAND[0]!,
      'links',
      'bulk',
      file,
      '--concurrency',
      '8',
    ],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_OPTIONS: '',
        PAYSG_API_KEY: SIMULATOR_API_KEY,
        PAYSG_PAYMENT_SERVICE_ID: SIMULATOR_PAYMENT_SERVICE_ID,
        PAYSG_API_URL: simulatorUrl,
        PAYSG_LINKS_JOURNAL_DIR: journals,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exitCode = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  rmSync(journals, { recursive: true, force: true });
  const kib = Number(/peak-rss-kib (\d+)/.exec(stderr)?.[1]);
  return { rows, peakRssMiB: kib / 1024, seconds: (performance.now() - started) / 1000, exitCode };
}

export async function bulkLinks(rows: number, memoryAt: number[] = []): Promise<BulkLinks> {
  const dir = mkdtempSync(join(tmpdir(), 'paysg-bench-links-'));
  const sim = createSimulator({ publicUrl: 'http://localhost:4010' });
  const paysg = new PaysgClient({
    apiKey: SIMULATOR_API_KEY,
    paymentServiceId: SIMULATOR_PAYMENT_SERVICE_ID,
    baseUrl: 'http://localhost:4010',
    fetch: sim.fetch,
  });
  try {
    const started = performance.now();
    const journal = new LinkJournal(join(dir, 'bench.journal.jsonl'));
    const counts = await createLinks(paysg, journal, (await parseLinksCsv(csvOf(rows))).rows);
    journal.close();
    const seconds = (performance.now() - started) / 1000;
    const result: BulkLinks = {
      rows,
      created: counts.created,
      seconds,
      linksPerSecond: Math.round(counts.created / seconds),
    };
    if (memoryAt.length) {
      const simulator = await startServer(SIMULATOR_COMMAND, {}, '/_control/stats');
      try {
        result.peakRssMiB = [];
        for (const n of memoryAt) result.peakRssMiB.push(await peakRss(n, simulator.url, dir));
      } finally {
        simulator.stop();
      }
    }
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
