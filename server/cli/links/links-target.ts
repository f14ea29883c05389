/**
 * The PaySG a links command talks to (the one configured for the BFF, or an in-process
 * simulator with `--simulator`) and the journal that remembers the links made there. The
 * simulator is handed down from the command's entry (server/cli/paysg-checkout.ts), never
 * imported here: within server/ only the command knows it, and only `--simulator` loads it.
 * @module
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadPaysgCredentials } from '../../config.js';
import { PaysgClient } from '../../paysg/client.js';
import { LinkJournal } from '../../links/link-journal.js';
import { UsageError, type Io } from './links-io.js';

/** What `--simulator` uses of the simulator (`paysg-checkout/simulator`). */
export interface InProcessSimulator {
  createSimulator: (options: { publicUrl: string }) => { fetch: typeof fetch };
  SIMULATOR_API_KEY: string;
  SIMULATOR_PAYMENT_SERVICE_ID: string;
}

/** A links command's Io, and what the command's entry hands down with it. */
export interface LinksIo extends Io {
  /** Loads the simulator for `--simulator`: a trial tool, not part of a real run. */
  loadSimulator?: () => Promise<InProcessSimulator>;
}

/** A PaySG to talk to, and the journal that remembers the links made there. */
export interface Target {
  paysg: PaysgClient;
  journal: LinkJournal;
  /** Ends the run: closes the journal (and removes a simulator's). */
  close: () => void;
}

/**
 * The journal is one per PaySG and payment service (`data/links/` or `PAYSG_LINKS_JOURNAL_DIR`),
 * keyed by reference: a copied or renamed CSV, or `create` for a reference a CSV already made,
 * finds the same link, and a trial against the simulator never stands in for a real run.
 */
function journalPathFor(io: Io, paysg: PaysgClient): string {
  const dir = io.env.PAYSG_LINKS_JOURNAL_DIR || join('data', 'links');
  mkdirSync(dir, { recursive: true });
  const safe = (text: string) => text.replace(/[^A-Za-z0-9._-]/g, '_');
  return join(
    dir,
    `${safe(paysg.paymentServiceId)}@${safe(new URL(paysg.baseUrl).host)}.journal.jsonl`,
  );
}

export async function targetFor(io: LinksIo, simulator: boolean): Promise<Target> {
  if (simulator) {
    if (!io.loadSimulator) throw new Error('links: --simulator was not handed a simulator to run');
    const { createSimulator, SIMULATOR_API_KEY, SIMULATOR_PAYMENT_SERVICE_ID } =
      await io.loadSimulator();
    const sim = createSimulator({ publicUrl: 'http://localhost:4010' });
    io.err(
      'links: using an in-process PaySG simulator; its pages live only while this command runs (paysg-checkout simulator keeps one up)',
    );
    const paysg = new PaysgClient({
      apiKey: SIMULATOR_API_KEY,
      paymentServiceId: SIMULATOR_PAYMENT_SERVICE_ID,
      baseUrl: 'http://localhost:4010',
      fetch: sim.fetch,
    });
    const dir = mkdtempSync(join(tmpdir(), 'paysg-links-'));
    const journal = new LinkJournal(join(dir, 'simulator.journal.jsonl'));
    return {
      paysg,
      journal,
      close: () => {
        journal.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  let credentials: ReturnType<typeof loadPaysgCredentials>;
  try {
    credentials = loadPaysgCredentials(io.env);
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(err.problems.join('; '));
    throw err;
  }
  const paysg = new PaysgClient({
    apiKey: credentials.apiKey,
    paymentServiceId: credentials.paymentServiceId,
    ...(credentials.apiUrl && { baseUrl: credentials.apiUrl }),
  });
  const journal = new LinkJournal(journalPathFor(io, paysg));
  return { paysg, journal, close: () => journal.close() };
}

/** Runs `work` against the target and always closes it, whatever happens. */
export async function withTarget<T>(
  io: LinksIo,
  simulator: boolean,
  work: (target: Target) => Promise<T>,
): Promise<T> {
  const target = await targetFor(io, simulator);
  try {
    return await work(target);
  } finally {
    target.close();
  }
}
