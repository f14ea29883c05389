/**
 * The result CSV a bulk run writes beside its file (`FILE.result.csv`): one row per link, written
 * as each completes, so a run of 50,000 rows holds none of them and a run cut short leaves what it
 * did. Whatever came from the file or from PaySG is neutralised: finance opens this in a
 * spreadsheet. `status` and `cancel` read it back, streamed too.
 * @module
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import { fromSpreadsheetCell, spreadsheetCell } from '../export/spreadsheet-cell.js';
import { CsvFileError, csvRecords } from './csv-records.js';
import type { LinkResult } from './create-links.js';

const COLUMNS = [
  'row',
  'reference_id',
  'payment_id',
  'payment_url',
  'status',
  'emailed',
  'error',
] as const;

/** Where a run writes its results: a `--simulator` trial never overwrites a real run's. */
export function resultPathOf(file: string, simulator: boolean): string {
  return file.replace(/(\.csv)?$/i, simulator ? '.simulator.result.csv' : '.result.csv');
}

export class ResultCsvWriter {
  readonly #fd: number;

  constructor(readonly path: string) {
    this.#fd = openSync(path, 'w');
    writeSync(this.#fd, stringify([[...COLUMNS]]));
  }

  write(r: LinkResult): void {
    const cells = [
      r.line,
      spreadsheetCell(r.reference),
      spreadsheetCell(r.paymentId),
      spreadsheetCell(r.paymentUrl),
      r.status,
      r.emailed === undefined ? '' : String(r.emailed),
      spreadsheetCell(r.error),
    ];
    writeSync(this.#fd, stringify([cells]));
  }

  close(): void {
    closeSync(this.#fd);
  }
}

/** The payment ids of a result CSV (its `payment_id` column), as a spreadsheet's cells stand for them. */
export async function paymentIdsOf(file: string): Promise<string[]> {
  const ids: string[] = [];
  let column = -1;
  try {
    for await (const { row, cells } of csvRecords(file)) {
      if (row === 1) {
        column = cells.map((cell) => cell.trim()).indexOf('payment_id');
        if (column < 0)
          throw new CsvFileError(0, 'has no payment_id column (use a FILE.result.csv)');
        continue;
      }
      const id = fromSpreadsheetCell(cells[column] ?? '').trim();
      if (id) ids.push(id);
    }
  } catch (err) {
    if (err instanceof CsvFileError)
      throw new CsvFileError(err.row, `${file}${err.row ? ` row ${err.row}` : ''} ${err.message}`);
    throw err;
  }
  return ids;
}
