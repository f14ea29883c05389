/**
 * `paysg-checkout links …`: payment links without a web page, for one payer or a CSV of thousands,
 * through the same PaySG client and configuration as the BFF.
 * @module
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import QRCode from 'qrcode';
import { PaysgClient } from '../paysg/client.js';
import { PaysgError } from '../paysg/errors.js';
import { checkLink, type LinkFields } from '../links/link-fields.js';
import { createLinks, type LinkResult } from '../links/create-links.js';
import { LinkJournal } from '../links/link-journal.js';
import { fromSpreadsheetCell, spreadsheetCell } from '../export/spreadsheet-cell.js';
import { terminalText } from '../export/terminal-text.js';
import { maskEmail, maskIdentifier } from '../links/mask.js';
import { readLinksCsv } from '../links/read-links-csv.js';
import { BULK_HELP, CANCEL_HELP, CREATE_HELP, LINKS_HELP, STATUS_HELP } from './command-help.js';

/** Where the command writes; injected by tests. */
export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  /** True when `err` is a terminal (progress is drawn in place). */
  errIsTty: boolean;
  /** True when `out` is a terminal (QR codes are drawn). */
  outIsTty: boolean;
  env: Record<string, string | undefined>;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

/** A PaySG to talk to, and the journal that remembers the links made there. */
interface Target {
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
  return join(dir, `${safe(paysg.paymentServiceId)}@${safe(new URL(paysg.baseUrl).host)}.journal.jsonl`);
}

async function targetFor(io: Io, simulator: boolean): Promise<Target> {
  if (simulator) {
    // Loaded only when asked for: the simulator is a tool for trials, not part of a real run.
    const { createSimulator, SIMULATOR_API_KEY, SIMULATOR_PAYMENT_SERVICE_ID } = await import('../../demo/simulator/simulator.js');
    const sim = createSimulator({ publicUrl: 'http://localhost:4010' });
    io.err('links: using an in-process PaySG simulator; its pages live only while this command runs (paysg-checkout simulator keeps one up)');
    const paysg = new PaysgClient({ apiKey: SIMULATOR_API_KEY, paymentServiceId: SIMULATOR_PAYMENT_SERVICE_ID, baseUrl: 'http://localhost:4010', fetch: sim.fetch });
    const dir = mkdtempSync(join(tmpdir(), 'paysg-links-'));
    const journal = new LinkJournal(join(dir, 'simulator.journal.jsonl'));
    return { paysg, journal, close: () => (journal.close(), rmSync(dir, { recursive: true, force: true })) };
  }
  const apiKey = io.env.PAYSG_API_KEY;
  const paymentServiceId = io.env.PAYSG_PAYMENT_SERVICE_ID;
  if (!apiKey || !paymentServiceId) throw new UsageError('PAYSG_API_KEY and PAYSG_PAYMENT_SERVICE_ID are needed (or --simulator)');
  if (!/^paysg_(stag|live)_/.test(apiKey)) throw new UsageError('PAYSG_API_KEY must start with paysg_stag_ or paysg_live_');
  const paysg = new PaysgClient({ apiKey, paymentServiceId, ...(io.env.PAYSG_API_URL && { baseUrl: io.env.PAYSG_API_URL }) });
  const journal = new LinkJournal(journalPathFor(io, paysg));
  return { paysg, journal, close: () => journal.close() };
}

/** Fields a terminal may show: identifiers and e-mail addresses masked. */
/** A line about payers for the terminal: identifiers and e-mails masked, control characters shown, never run. */
function masked(text: string): string {
  return terminalText(text)
    .replace(/[^\s@,;"]+@[^\s@,;"]+\.[^\s@,;"]+/g, (email) => maskEmail(email))
    .replace(/\b[STFGM]\d{7}[A-Z]\b/gi, (id) => maskIdentifier(id));
}

async function create(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      reference: { type: 'string' },
      'payer-name': { type: 'string' },
      'payer-email': { type: 'string' },
      'payer-identifier': { type: 'string' },
      'payer-address': { type: 'string' },
      description: { type: 'string' },
      amount: { type: 'string' },
      'amount-in-cents': { type: 'string' },
      'due-date': { type: 'string' },
      metadata: { type: 'string', multiple: true },
      'send-email': { type: 'boolean' },
      simulator: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return io.out(CREATE_HELP), 0;
  const metadata: Record<string, string> = {};
  for (const pair of values.metadata ?? []) {
    const eq = pair.indexOf('=');
    if (eq < 1) throw new UsageError(`--metadata ${JSON.stringify(pair)} must look like KEY=VALUE`);
    metadata[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const fields: LinkFields = {
    reference_id: values.reference,
    payer_name: values['payer-name'],
    payer_email: values['payer-email'],
    payer_identifier: values['payer-identifier'],
    payer_address: values['payer-address'],
    description: values.description,
    amount: values.amount,
    amount_in_cents: values['amount-in-cents'],
    due_date: values['due-date'],
    metadata,
  };
  const checked = checkLink(fields);
  if (!checked.ok) throw new UsageError(checked.problems.map((p) => p.replace(/^(\w+)/, (f) => `--${f.replace(/_/g, '-').replace('reference-id', 'reference')}`)).join('; '));
  const { paysg, journal, close } = await targetFor(io, values.simulator ?? false);
  try {
    const [result] = await createLinks(paysg, journal, [{ ...checked.link, line: 0 }], { sendEmail: values['send-email'] ?? false });
    if (!result!.paymentUrl) {
      io.err(masked(`links: ${result!.reference}: ${result!.error}`));
      return 1;
    }
    io.out(terminalText(`${result!.status === 'created' ? 'Created' : 'Already created'}: ${result!.reference}`));
    io.out(`  payment ${result!.paymentId}`);
    io.out(`  link    ${result!.paymentUrl}`);
    if (result!.qrCodeUrl) io.out(`  QR code ${result!.qrCodeUrl}`);
    if (result!.emailed) io.out(`  e-mailed to ${maskEmail(checked.link.params.payer_email!)}`);
    if (result!.error) io.err(masked(`links: ${result!.error}`));
    // Drawn only for a person at a terminal; a pipe gets the URLs above.
    if (io.outIsTty) io.out(await QRCode.toString(result!.paymentUrl, { type: 'terminal', small: true }));
    return result!.error ? 1 : 0;
  } finally {
    close();
  }
}

function resultPathOf(file: string): string {
  return file.replace(/(\.csv)?$/i, '.result.csv');
}

async function bulk(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { concurrency: { type: 'string' }, 'send-email': { type: 'boolean' }, simulator: { type: 'boolean' }, help: { type: 'boolean' } },
  });
  if (values.help) return io.out(BULK_HELP), 0;
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new UsageError('name one CSV file');
  const concurrency = values.concurrency === undefined ? 4 : Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16) throw new UsageError('--concurrency must be 1 to 16');

  const { rows, problems } = readLinksCsv(file);
  if (!problems.length && rows.length === 0) problems.push({ line: 2, problem: 'there are no rows under the header: nothing to create' });
  if (problems.length) {
    io.err(`links: ${file} has ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was created:`);
    for (const p of problems) io.err(masked(`  line ${p.line}${p.reference ? ` (${p.reference})` : ''}: ${p.problem}`));
    return 2;
  }
  const { paysg, journal, close } = await targetFor(io, values.simulator ?? false);
  const counts = { created: 0, existing: 0, failed: 0, unknown: 0 };
  const progress = (done: number, total: number) => {
    const width = 30;
    const filled = Math.round((done / total) * width);
    const line = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}  created ${counts.created}, already there ${counts.existing}, failed ${counts.failed + counts.unknown}`;
    if (io.errIsTty) io.err(`\r${line}${done === total ? '\n' : ''}`);
    else if (done === total || done % Math.max(1, Math.ceil(total / 10)) === 0) io.err(line);
  };
  let results: LinkResult[];
  try {
    results = await createLinks(paysg, journal, rows, {
      concurrency,
      sendEmail: values['send-email'] ?? false,
      onResult: (result, done, total) => {
        counts[result.status]++;
        progress(done, total);
      },
    });
  } finally {
    close();
  }
  const resultPath = resultPathOf(file);
  writeFileSync(
    resultPath,
    stringify(
      // Whatever came from the file or from PaySG is neutralised: finance opens this in a spreadsheet.
      results.map((r) => ({ row: r.line, reference_id: spreadsheetCell(r.reference), payment_id: spreadsheetCell(r.paymentId), payment_url: spreadsheetCell(r.paymentUrl), status: r.status, emailed: r.emailed === undefined ? '' : String(r.emailed), error: spreadsheetCell(r.error) })),
      { header: true, columns: ['row', 'reference_id', 'payment_id', 'payment_url', 'status', 'emailed', 'error'] },
    ),
  );
  io.out(`links: ${counts.created} created, ${counts.existing} already there, ${counts.failed} failed, ${counts.unknown} unknown; results in ${resultPath}`);
  for (const r of results.filter((r) => r.error)) io.err(masked(`  line ${r.line} (${r.reference}): ${r.error}`));
  return counts.failed || counts.unknown || results.some((r) => r.error) ? 1 : 0;
}

/** Payment ids from a result CSV (`payment_id` column). */
function paymentIdsOf(file: string): string[] {
  if (!existsSync(file)) throw new UsageError(`cannot read ${file}: there is no such file`);
  let records: Record<string, string>[];
  try {
    records = parse(readFileSync(file, 'utf8'), { bom: true, columns: true, skip_empty_lines: true }) as Record<string, string>[];
  } catch (err) {
    throw new UsageError(`cannot read ${file} as a result CSV: ${(err as Error).message}`);
  }
  if (records.length && !('payment_id' in records[0]!)) throw new UsageError(`${file} has no payment_id column (use a FILE.result.csv)`);
  return records.map((r) => fromSpreadsheetCell(r.payment_id ?? '')).filter(Boolean);
}

async function status(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { reference: { type: 'string' }, csv: { type: 'boolean' }, simulator: { type: 'boolean' }, help: { type: 'boolean' } },
  });
  if (values.help) return io.out(STATUS_HELP), 0;
  if ((values.reference === undefined) === (positionals[0] === undefined)) throw new UsageError('give a result CSV or --reference');
  if (positionals.length > 1) throw new UsageError('name one result CSV');
  const ids = positionals[0] === undefined ? [] : paymentIdsOf(positionals[0]);
  const { paysg, close } = await targetFor(io, values.simulator ?? false);
  const payments = [];
  let failures = 0;
  try {
    if (values.reference !== undefined) {
      for await (const payment of paysg.payments.listAll({ limit: 100 })) if (payment.reference_id === values.reference) payments.push(payment);
    } else {
      for (const id of ids) {
        try {
          payments.push(await paysg.payments.retrieve(id));
        } catch (err) {
          if (!(err instanceof PaysgError)) throw err;
          failures++;
          io.err(terminalText(`links: ${id}: ${err.message}`));
        }
      }
    }
  } finally {
    close();
  }
  const rows = payments.map((p) => ({
    reference_id: p.reference_id,
    payment_id: p.id,
    status: p.latest_status ?? p.payment_status,
    amount: (p.amount_in_cents / 100).toFixed(2),
    paid_at: p.payment_succeeded_timestamp ?? '',
    payment_url: p.payment_url ?? '',
  }));
  if (values.csv) {
    const cells = rows.map((r) => ({ ...r, reference_id: spreadsheetCell(r.reference_id), payment_id: spreadsheetCell(r.payment_id), payment_url: spreadsheetCell(r.payment_url) }));
    io.out(stringify(cells, { header: true, columns: ['reference_id', 'payment_id', 'status', 'amount', 'paid_at', 'payment_url'] }).trimEnd());
  } else {
    io.out(['reference_id', 'payment_id', 'status', 'amount', 'paid_at'].join('\t'));
    for (const r of rows) io.out(terminalText([r.reference_id, r.payment_id, r.status, r.amount, r.paid_at].join('\t')));
    if (rows.length === 0) io.err('links: no such links');
  }
  return failures ? 1 : 0;
}

async function cancel(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { id: { type: 'string', multiple: true }, simulator: { type: 'boolean' }, help: { type: 'boolean' } },
  });
  if (values.help) return io.out(CANCEL_HELP), 0;
  if (positionals.length > 1) throw new UsageError('name one result CSV');
  const ids = [...(values.id ?? []), ...(positionals[0] ? paymentIdsOf(positionals[0]) : [])];
  if (ids.length === 0) throw new UsageError('give --id=PAYMENT_ID or a result CSV');
  const { paysg, close } = await targetFor(io, values.simulator ?? false);
  let failures = 0;
  for (const id of ids) {
    try {
      // A cancel's answer is undocumented: PaySG's own word afterwards decides (retrieve).
      await paysg.payments.cancel(id).catch(() => undefined);
      const payment = await paysg.payments.retrieve(id);
      const state = payment.latest_status ?? payment.payment_status;
      io.out(terminalText(`${id}\t${payment.reference_id}\t${state === 'cancelled' ? 'cancelled' : `not cancelled: it is ${state}`}`));
      if (state !== 'cancelled') failures++;
    } catch (err) {
      failures++;
      io.err(terminalText(`links: ${id}: ${err instanceof PaysgError ? err.message : String(err)}`));
    }
  }
  close();
  return failures ? 1 : 0;
}

/** Runs `links <command> …`; resolves to the exit code. */
export async function linksCommand(args: string[], io: Io): Promise<number> {
  const [command, ...rest] = args;
  try {
    switch (command) {
      case 'create':
        return await create(rest, io);
      case 'bulk':
        return await bulk(rest, io);
      case 'status':
        return await status(rest, io);
      case 'cancel':
        return await cancel(rest, io);
      case undefined:
      case '--help':
      case 'help':
        io.out(LINKS_HELP);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    }
  } catch (err) {
    if (err instanceof UsageError || (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'))) {
      io.err(`links: ${err.message}\nRun 'paysg-checkout links ${command && command !== 'help' ? `${command} ` : ''}--help' for usage.`);
      return 2;
    }
    throw err;
  }
}
