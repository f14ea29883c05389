/**
 * `paysg-checkout links status`: each link's status as PaySG has it now, from a result CSV or by
 * reference, printed as it is learnt (a table, or CSV with `--csv`).
 * @module
 */
import { parseArgs } from 'node:util';
import { stringify } from 'csv-stringify/sync';
import { PaysgError } from '../../paysg/errors.js';
import type { Payment } from '../../paysg/schemas.js';
import { paymentIdsOf } from '../../links/result-csv.js';
import { spreadsheetCell } from '../../export/spreadsheet-cell.js';
import { terminalText } from '../../export/terminal-text.js';
import { dollars, moneyText } from '../../money.js';
import { CsvFileError } from '../../links/csv-records.js';
import { STATUS_HELP } from '../command-help.js';
import { UsageError, type Io } from './links-io.js';
import { withTarget } from './links-target.js';

const COLUMNS = [
  'reference_id',
  'payment_id',
  'status',
  'amount',
  'paid_at',
  'payment_url',
] as const;

export async function statusCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      reference: { type: 'string' },
      csv: { type: 'boolean' },
      simulator: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    io.out(STATUS_HELP);
    return 0;
  }
  if ((values.reference === undefined) === (positionals[0] === undefined))
    throw new UsageError('give a result CSV or --reference');
  if (positionals.length > 1) throw new UsageError('name one result CSV');
  const ids = await readIds(positionals[0]);

  const print = (p: Payment) => {
    const row = [
      p.reference_id,
      p.id,
      p.latest_status ?? p.payment_status,
      // Dollars in the CSV, as spreadsheets read them; money as people read it at the terminal.
      values.csv ? dollars(p.amount_in_cents) : moneyText(p.amount_in_cents),
      p.payment_succeeded_timestamp ?? '',
      p.payment_url ?? '',
    ];
    if (values.csv)
      io.out(
        stringify([
          row.map((cell, i) =>
            i === 0 || i === 1 || i === 5 ? spreadsheetCell(String(cell)) : cell,
          ),
        ]).trimEnd(),
      );
    else io.out(terminalText(row.slice(0, 5).join('\t')));
  };
  io.out(values.csv ? COLUMNS.join(',') : COLUMNS.slice(0, 5).join('\t'));
  let found = 0;
  let failures = 0;
  await withTarget(io, values.simulator ?? false, async ({ paysg }) => {
    if (values.reference !== undefined) {
      for await (const payment of paysg.payments.listAll({ limit: 100 })) {
        if (payment.reference_id === values.reference) {
          found++;
          print(payment);
        }
      }
      return;
    }
    for (const id of ids) {
      try {
        print(await paysg.payments.retrieve(id));
        found++;
      } catch (err) {
        if (!(err instanceof PaysgError)) throw err;
        failures++;
        io.err(terminalText(`links: ${id}: ${err.message}`));
      }
    }
  });
  if (found === 0 && failures === 0) io.err('links: no such links');
  return failures ? 1 : 0;
}

/** The result CSV's payment ids; a file that cannot be read is a usage error, named. */
export async function readIds(file: string | undefined): Promise<string[]> {
  if (file === undefined) return [];
  try {
    return await paymentIdsOf(file);
  } catch (err) {
    if (err instanceof CsvFileError) throw new UsageError(err.message);
    throw err;
  }
}
