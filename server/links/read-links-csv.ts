/**
 * Reads a links CSV the way agencies have them (UTF-8 with or without a BOM, or Windows-1252 when
 * asked; CRLF or LF; quoted fields with commas and line breaks; Excel's exports) and checks the
 * whole file before anything is created: every bad row is reported with its spreadsheet row
 * number and reason. The file is streamed twice (checked, then made), so 50,000 rows take no
 * more memory than 1,000: what is kept between rows is each reference's row, to find repeats.
 * @module
 */
import {
  checkLink,
  LINK_COLUMNS,
  METADATA_PREFIX,
  type LinkFields,
  type LinkRequest,
} from './link-fields.js';
import { CsvFileError, csvRecords, type CsvEncoding, type CsvRecord } from './csv-records.js';

export interface LinkRow extends LinkRequest {
  /** The row as a spreadsheet numbers it (the header is row 1). */
  line: number;
}

export interface RowProblem {
  line: number;
  reference?: string | undefined;
  problem: string;
}

export interface LinksFileCheck {
  /** Rows that will each become a link. */
  rows: number;
  problems: RowProblem[];
  /** Problems beyond those kept in `problems` (a file wrong throughout is not listed whole). */
  moreProblems: number;
}

type Source = string | AsyncIterable<Buffer> | Iterable<Buffer>;

const KNOWN = new Set<string>(LINK_COLUMNS);
const MAX_PROBLEMS_LISTED = 200;

/** A header cell as written, trimmed and lower-cased (`Payer_Name ` → `payer_name`). */
function columnName(cell: string): string {
  const name = cell.trim();
  return name.toLowerCase().startsWith(METADATA_PREFIX)
    ? `${METADATA_PREFIX}${name.slice(METADATA_PREFIX.length)}`
    : name.toLowerCase();
}

/** What is wrong with the header row, if anything. */
function headerProblems(cells: string[]): string[] {
  const header = cells.map(columnName);
  // Excel in much of Europe (and a Windows region set so) saves "CSV" with `;`, and TSV uses tabs.
  if (header.length === 1) {
    for (const [separator, name] of [
      [';', '";"'],
      ['\t', 'tabs'],
    ] as const) {
      if (header[0]?.includes(separator))
        return [
          `this file separates values with ${name}: save it as CSV (comma delimited), or CSV UTF-8`,
        ];
    }
  }
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const [i, name] of header.entries()) {
    if (name === '') continue;
    if (!KNOWN.has(name) && !name.startsWith(METADATA_PREFIX)) {
      problems.push(
        `unknown column ${JSON.stringify(cells[i])} (known: ${LINK_COLUMNS.join(', ')}, metadata.<key>)`,
      );
    }
    if (seen.has(name)) problems.push(`column ${name} appears twice`);
    seen.add(name);
  }
  return problems;
}

/** One record's fields by column, or what keeps it from being read. */
function fieldsOf(header: string[], cells: string[]): { fields: LinkFields } | { problem: string } {
  // Excel exports trailing columns with no name and nothing in them: those are left out.
  const unnamed = header.findIndex((name, i) => name === '' && (cells[i] ?? '').trim() !== '');
  if (unnamed >= 0)
    return { problem: `has a value in column ${unnamed + 1}, which has no name in the header row` };
  const named = header.reduce((last, name, i) => (name === '' ? last : i + 1), 0);
  if (cells.length < named) {
    return {
      problem: `has ${cells.length} values where the header names ${named} columns (a comma missing, or a value with a comma that is not in quotes)`,
    };
  }
  if (
    cells.length > header.length &&
    cells.slice(header.length).some((cell) => cell.trim() !== '')
  ) {
    return {
      problem: `has ${cells.length} values where the header has ${header.length} columns (a value with a comma that is not in quotes?)`,
    };
  }
  const metadata: Record<string, string> = {};
  const fields: LinkFields = { metadata };
  header.forEach((name, i) => {
    if (name === '') return;
    const value = cells[i] ?? '';
    if (name.startsWith(METADATA_PREFIX)) {
      if (value !== '') metadata[name.slice(METADATA_PREFIX.length)] = value;
    } else fields[name as keyof Omit<LinkFields, 'metadata'>] = value;
  });
  return { fields };
}

type Checked = { kind: 'row'; row: LinkRow } | { kind: 'problem'; problem: RowProblem };

/**
 * Every row of the file, checked on its own: a link to make, or a problem. A problem with the
 * header or the file as a whole ends it. Repeated references are the caller's to find.
 */
async function* checkedRows(source: Source, encoding: CsvEncoding): AsyncGenerator<Checked> {
  let header: string[] | undefined;
  try {
    for await (const { row, cells } of csvRecords(source, encoding) as AsyncIterable<CsvRecord>) {
      if (header === undefined) {
        if (cells.every((cell) => cell.trim() === '')) continue;
        const problems = headerProblems(cells);
        for (const problem of problems) yield { kind: 'problem', problem: { line: row, problem } };
        if (problems.length) return;
        header = cells.map(columnName);
        continue;
      }
      // Rows with nothing in them (Excel's `,,,,` lines, blank lines) are not links.
      if (cells.every((cell) => cell.trim() === '')) continue;
      const read = fieldsOf(header, cells);
      const reference =
        ('fields' in read
          ? read.fields.reference_id
          : cells[header.indexOf('reference_id')]
        )?.trim() || undefined;
      if ('problem' in read) {
        yield { kind: 'problem', problem: { line: row, reference, problem: read.problem } };
        continue;
      }
      const checked = checkLink(read.fields);
      if (checked.ok) yield { kind: 'row', row: { ...checked.link, line: row } };
      else
        for (const problem of checked.problems)
          yield { kind: 'problem', problem: { line: row, reference, problem } };
    }
  } catch (err) {
    if (!(err instanceof CsvFileError)) throw err;
    yield {
      kind: 'problem',
      problem: { line: err.row, problem: err.row === 0 ? `the file ${err.message}` : err.message },
    };
    return;
  }
  if (header === undefined)
    yield {
      kind: 'problem',
      problem: {
        line: 1,
        problem: 'the file is empty: it needs a header row and one row per link',
      },
    };
}

/** The same rows, with a reference already seen on an earlier row turned into a problem. */
async function* withRepeatsFound(source: Source, encoding: CsvEncoding): AsyncGenerator<Checked> {
  const firstRowOf = new Map<string, number>();
  for await (const checked of checkedRows(source, encoding)) {
    if (checked.kind === 'row') {
      const { reference, line } = checked.row;
      const earlier = firstRowOf.get(reference);
      if (earlier !== undefined) {
        yield {
          kind: 'problem',
          problem: {
            line,
            reference,
            problem: `reference_id ${reference} is also on row ${earlier}: one link per reference`,
          },
        };
        continue;
      }
      firstRowOf.set(reference, line);
    }
    yield checked;
  }
}

/** Checks the whole file; nothing is made unless `problems` is empty. */
export async function checkLinksFile(
  source: Source,
  encoding: CsvEncoding = 'utf-8',
): Promise<LinksFileCheck> {
  const result: LinksFileCheck = { rows: 0, problems: [], moreProblems: 0 };
  for await (const checked of withRepeatsFound(source, encoding)) {
    if (checked.kind === 'row') result.rows++;
    else if (result.problems.length < MAX_PROBLEMS_LISTED) result.problems.push(checked.problem);
    else result.moreProblems++;
  }
  if (result.problems.length === 0 && result.rows === 0)
    result.problems.push({
      line: 2,
      problem: 'there are no rows under the header: nothing to create',
    });
  return result;
}

/**
 * The rows of a file that `checkLinksFile` found sound, read again one at a time. A row that is
 * no longer sound means the file changed since it was checked: that stops the run there.
 */
export async function* linkRowsOf(
  source: Source,
  encoding: CsvEncoding = 'utf-8',
): AsyncGenerator<LinkRow> {
  for await (const checked of checkedRows(source, encoding)) {
    if (checked.kind === 'problem') {
      throw new CsvFileError(
        checked.problem.line,
        `the file changed after it was checked (row ${checked.problem.line}: ${checked.problem.problem}); nothing further was made`,
      );
    }
    yield checked.row;
  }
}

/** A whole CSV in memory (a string is UTF-8), its sound rows and its problems: for tests, the bench and small files. */
export async function parseLinksCsv(
  input: string | Buffer,
  encoding: CsvEncoding = 'utf-8',
): Promise<{ rows: LinkRow[]; problems: RowProblem[] }> {
  const rows: LinkRow[] = [];
  const problems: RowProblem[] = [];
  for await (const checked of withRepeatsFound(
    [typeof input === 'string' ? Buffer.from(input) : input],
    encoding,
  )) {
    if (checked.kind === 'row') rows.push(checked.row);
    else problems.push(checked.problem);
  }
  return { rows, problems };
}
