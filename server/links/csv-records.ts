/**
 * A CSV file as a spreadsheet shows it: one record at a time (the file is streamed, never held
 * whole), each with its spreadsheet row number (the header is row 1; a blank line is a row; a
 * quoted address over three lines is one row), decoded from the encoding it was saved in.
 *
 * Excel's plain "CSV" on Windows is Windows-1252, not UTF-8: read as UTF-8, `José` becomes
 * `Jos\uFFFD`, and that replacement character would reach PaySG, the payer's page and e-mail. So a
 * replacement character in any value stops the file with its row and what to do (save as
 * "CSV UTF-8", or `--encoding windows-1252`), and a file given `--encoding windows-1252` that is
 * really UTF-8 is refused too (it would read as `JosÃ©`).
 * @module
 */
import { createReadStream } from 'node:fs';
import { pipeline, Readable } from 'node:stream';
import { parse } from 'csv-parse';

/** The encodings a links CSV may be read in: what Excel saves ("CSV UTF-8", and "CSV" on Windows). */
export const CSV_ENCODINGS = ['utf-8', 'windows-1252'] as const;
export type CsvEncoding = (typeof CSV_ENCODINGS)[number];

/** The names people give them (`--encoding latin1`): Latin-1 is read as Windows-1252, as browsers and the WHATWG Encoding standard do. */
const ENCODING_NAMES: Record<string, CsvEncoding> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  'windows-1252': 'windows-1252',
  cp1252: 'windows-1252',
  latin1: 'windows-1252',
  'latin-1': 'windows-1252',
  'iso-8859-1': 'windows-1252',
};

export function csvEncodingNamed(name: string): CsvEncoding | undefined {
  return ENCODING_NAMES[name.trim().toLowerCase()];
}

export interface CsvRecord {
  /** The spreadsheet's row number: the header is row 1. */
  row: number;
  cells: string[];
}

/** Why a file cannot be read as CSV text at all; `row` 0 is the file as a whole. */
export class CsvFileError extends Error {
  override name = 'CsvFileError';
  constructor(
    readonly row: number,
    message: string,
  ) {
    super(message);
  }
}

const REPLACEMENT = '\uFFFD';

function notUtf8(row: number, encoding: CsvEncoding): CsvFileError {
  return new CsvFileError(
    row,
    encoding === 'utf-8'
      ? 'has characters that are not UTF-8 text (shown as \uFFFD): the file was probably saved as "CSV" in Excel on Windows; save it as "CSV UTF-8", or run again with --encoding windows-1252'
      : `has a character that cannot be read as ${encoding}`,
  );
}

/** Text from the file's bytes; the first bytes tell a UTF-16 file (Excel's "Unicode Text") from CSV. */
async function* decoded(
  bytes: AsyncIterable<Buffer>,
  encoding: CsvEncoding,
  state: { utf8: boolean; nonAscii: boolean },
): AsyncGenerator<string> {
  const decoder = new TextDecoder(encoding);
  // Alongside: is it valid UTF-8 with something beyond ASCII? Then --encoding windows-1252 would garble it.
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  let first = true;
  for await (const chunk of bytes) {
    if (
      first &&
      ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff))
    ) {
      throw new CsvFileError(0, 'is UTF-16 text (Excel\'s "Unicode Text"): save it as "CSV UTF-8"');
    }
    first = false;
    if (encoding !== 'utf-8' && state.utf8) {
      try {
        utf8.decode(chunk, { stream: true });
        state.nonAscii ||= chunk.some((byte) => byte >= 0x80);
      } catch {
        state.utf8 = false;
      }
    }
    yield decoder.decode(chunk, { stream: true });
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

/** The records of a CSV, streamed from a file path or from bytes (tests, the bench). */
export async function* csvRecords(
  source: string | AsyncIterable<Buffer> | Iterable<Buffer>,
  encoding: CsvEncoding = 'utf-8',
): AsyncGenerator<CsvRecord> {
  const bytes =
    typeof source === 'string'
      ? createReadStream(source, { highWaterMark: 64 * 1024 })
      : Readable.from(source);
  const state = { utf8: true, nonAscii: false };
  // Every record, blank lines included, so the count is the spreadsheet's row; ragged rows are judged by the caller.
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: false });
  // A read error (no such file) ends the parser with it, and so the loop below.
  pipeline(Readable.from(decoded(bytes, encoding, state)), parser, () => {});
  let row = 0;
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      row++;
      if (cells.some((cell) => cell.includes(REPLACEMENT))) throw notUtf8(row, encoding);
      if (cells.some((cell) => cell.includes('\u0000')))
        throw new CsvFileError(row, 'is not a text CSV file (save it as "CSV UTF-8")');
      yield { row, cells };
    }
  } catch (err) {
    if (err instanceof CsvFileError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CsvFileError(0, 'cannot be read: there is no such file');
    if (code === 'EISDIR') throw new CsvFileError(0, 'cannot be read: it is a folder');
    if (code === 'EACCES') throw new CsvFileError(0, 'cannot be read: permission denied');
    // csv-parse names what it could not read (an unclosed quote, a quote inside a value).
    if (typeof code === 'string' && code.startsWith('CSV_'))
      throw new CsvFileError(
        row + 1,
        `is not readable as CSV: ${(err as Error).message.replace(/ at line \d+$/, '')}`,
      );
    throw err;
  } finally {
    bytes.destroy();
    parser.destroy();
  }
  if (encoding !== 'utf-8' && state.utf8 && state.nonAscii) {
    throw new CsvFileError(0, `is UTF-8 text, not ${encoding}: run again without --encoding`);
  }
}
