/**
 * `paysg-checkout links bulk FILE.csv`: one link per row. The file is checked whole first (nothing
 * is made while any row is wrong), then read again and made, streamed both times, with progress,
 * results written as they come, and a summary of what this run did.
 * @module
 */
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { csvEncodingNamed, CsvFileError } from '../../links/csv-records.js';
import { createLinks, type LinkResult } from '../../links/create-links.js';
import { maskedLine } from '../../links/mask.js';
import { checkLinksFile, linkRowsOf } from '../../links/read-links-csv.js';
import { ResultCsvWriter, resultPathOf } from '../../links/result-csv.js';
import { terminalText } from '../../export/terminal-text.js';
import { BULK_HELP } from '../command-help.js';
import { UsageError, type Io } from './links-io.js';
import { withTarget } from './links-target.js';

/** Rows whose problem is printed at the end; the rest are in the result CSV. */
const ERRORS_PRINTED = 50;

const plural = (n: number, one: string, many = `${one}s`) =>
  `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

export async function bulkCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      concurrency: { type: 'string' },
      encoding: { type: 'string' },
      'send-email': { type: 'boolean' },
      simulator: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    io.out(BULK_HELP);
    return 0;
  }
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new UsageError('name one CSV file');
  const concurrency = values.concurrency === undefined ? 4 : Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16)
    throw new UsageError('--concurrency must be 1 to 16');
  const encoding = csvEncodingNamed(values.encoding ?? 'utf-8');
  if (!encoding)
    throw new UsageError(
      '--encoding must be utf-8 (Excel\'s "CSV UTF-8") or windows-1252 (Excel\'s "CSV" on Windows; also latin1)',
    );
  if (encoding !== 'utf-8')
    io.err(terminalText(`links: reading ${file} as ${encoding} (--encoding)`));

  const check = await checkLinksFile(file, encoding);
  if (check.problems.length) {
    const count = check.problems.length + check.moreProblems;
    io.err(terminalText(`links: ${file} has ${plural(count, 'problem')}; nothing was created:`));
    for (const p of check.problems)
      io.err(
        maskedLine(
          `  ${p.line ? `row ${p.line}` : 'file'}${p.reference ? ` (${p.reference})` : ''}: ${p.problem}`,
        ),
      );
    if (check.moreProblems) io.err(`  … and ${plural(check.moreProblems, 'more problem')}`);
    return 2;
  }

  // A run of 50,000 rows allocates steadily for a minute while little of it lives on (about 40 MB
  // does); V8's default heap growth then let the resident set double (128 → 262 MB, 1,000 → 50,000
  // rows). Sized for memory instead, it stays within 1.15× (`npm run bench` reports both, and the time).
  setFlagsFromString('--optimize-for-size');
  const simulator = values.simulator ?? false;
  const results = new ResultCsvWriter(resultPathOf(file, simulator));
  const total = check.rows;
  const errors: LinkResult[] = [];
  let unprinted = 0;
  const counts = { created: 0, existing: 0, failed: 0, unknown: 0 };
  const progress = (done: number) => {
    const width = 30;
    const filled = Math.round((done / total) * width);
    const line = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}  created ${counts.created}, already there ${counts.existing}, failed ${counts.failed + counts.unknown}`;
    if (io.errIsTty) io.err(`\r${line}${done === total ? '\n' : ''}`);
    else if (done === total || done % Math.max(1, Math.ceil(total / 10)) === 0) io.err(line);
  };
  let stoppedBy: string | undefined;
  try {
    await withTarget(io, simulator, ({ paysg, journal }) =>
      createLinks(paysg, journal, linkRowsOf(file, encoding), {
        concurrency,
        sendEmail: values['send-email'] ?? false,
        onResult: (result, done) => {
          counts[result.status]++;
          results.write(result);
          if (result.error && errors.length < ERRORS_PRINTED) errors.push(result);
          else if (result.error) unprinted++;
          progress(done);
        },
      }),
    );
  } catch (err) {
    if (!(err instanceof CsvFileError)) throw err;
    stoppedBy = err.message;
  } finally {
    results.close();
  }
  if (io.errIsTty && counts.created + counts.existing + counts.failed + counts.unknown < total)
    io.err('\n');
  io.out(
    `links: this run created ${counts.created}; ${counts.existing} were already there; ${counts.failed} failed; ${counts.unknown} unknown` +
      `; results in ${results.path}${simulator ? ' (a simulator trial: nothing was made at PaySG)' : ''}`,
  );
  for (const r of errors) io.err(maskedLine(`  row ${r.line} (${r.reference}): ${r.error}`));
  if (unprinted)
    io.err(`  … and ${plural(unprinted, 'more row')} with a problem, in ${results.path}`);
  if (stoppedBy) io.err(maskedLine(`links: ${stoppedBy}`));
  return stoppedBy || counts.failed || counts.unknown || errors.length ? 1 : 0;
}
