/**
 * Reads a links CSV the way agencies have them (UTF-8 with or without a BOM, CRLF or LF, quoted
 * fields with commas and line breaks, Excel's exports) with csv-parse, and checks the whole
 * file before anything is created: every bad row is reported with its line number and reason.
 * @module
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { checkLink, LINK_COLUMNS, METADATA_PREFIX, type LinkFields, type LinkRequest } from './link-fields.js';

export interface LinkRow extends LinkRequest {
  /** The line the row starts on, as an editor or Excel numbers it (the header is line 1). */
  line: number;
}

export interface RowProblem {
  line: number;
  reference?: string | undefined;
  problem: string;
}

export interface LinksFile {
  rows: LinkRow[];
  problems: RowProblem[];
}

const KNOWN = new Set<string>(LINK_COLUMNS);

/** A header cell as written, trimmed and lower-cased (`Payer_Name ` → `payer_name`). */
function columnName(cell: string): string {
  const name = cell.trim();
  return name.toLowerCase().startsWith(METADATA_PREFIX) ? `${METADATA_PREFIX}${name.slice(METADATA_PREFIX.length)}` : name.toLowerCase();
}

export function readLinksCsv(path: string): LinksFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'there is no such file' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    return { rows: [], problems: [{ line: 0, problem: `cannot read ${path}: ${reason}` }] };
  }
  if (text.includes('\u0000')) return { rows: [], problems: [{ line: 0, problem: `${path} is not a text CSV file (save it as CSV UTF-8)` }] };
  return parseLinksCsv(text);
}

export function parseLinksCsv(text: string): LinksFile {
  let records: { record: string[]; raw: string }[];
  try {
    records = parse(text, { bom: true, info: true, raw: true, skip_empty_lines: true, relax_column_count: false }) as never;
  } catch (err) {
    const line = (err as { lines?: number }).lines ?? 0;
    return { rows: [], problems: [{ line, problem: `not a readable CSV: ${(err as Error).message.replace(/^Invalid Record Length: /, '')}` }] };
  }
  if (records.length === 0) return { rows: [], problems: [{ line: 1, problem: 'the file is empty: it needs a header row and one row per link' }] };

  const header = records[0]!.record.map(columnName);
  const problems: RowProblem[] = [];
  // Excel exports trailing columns with no name and nothing in them: those are left out.
  const unnamedWithValues = header.flatMap((name, i) => (name === '' && records.slice(1).some(({ record }) => (record[i] ?? '').trim() !== '') ? [i] : []));
  for (const i of unnamedWithValues) problems.push({ line: 1, problem: `column ${i + 1} has values but no name in the header row` });
  for (const [i, name] of header.entries()) {
    if (name === '') continue;
    if (!KNOWN.has(name) && !name.startsWith(METADATA_PREFIX)) {
      problems.push({ line: 1, problem: `unknown column ${JSON.stringify(records[0]!.record[i])} (known: ${LINK_COLUMNS.join(', ')}, metadata.<key>)` });
    }
  }
  const seen = new Set<string>();
  for (const name of header) {
    if (name === '') continue;
    if (seen.has(name)) problems.push({ line: 1, problem: `column ${name} appears twice` });
    seen.add(name);
  }
  if (problems.length) return { rows: [], problems };

  // Line numbers as an editor shows them, counted from the raw text: csv-parse puts the empty
  // lines it skipped at the start of the next record's raw, and a quoted field may span lines
  // (CR, LF and CRLF each end one).
  const BREAK = /\r\n|\r|\n/g;
  const startLines: number[] = [];
  let breaksBefore = 0;
  for (const { raw } of records) {
    const leading = /^(?:\r\n|\r|\n)*/.exec(raw)![0].match(BREAK)?.length ?? 0;
    startLines.push(1 + breaksBefore + leading);
    breaksBefore += raw.match(BREAK)?.length ?? 0;
  }

  const rows: LinkRow[] = [];
  const firstLineOf = new Map<string, number>();
  for (const [index, { record }] of records.entries()) {
    // The header, and rows with nothing in them (Excel's `,,,,` lines), are not links.
    if (index === 0 || record.every((cell) => cell.trim() === '')) continue;
    const line = startLines[index]!;
    const fields: LinkFields = { metadata: {} };
    header.forEach((name, i) => {
      if (name === '') return;
      const value = record[i] ?? '';
      if (name.startsWith(METADATA_PREFIX)) {
        if (value !== '') fields.metadata![name.slice(METADATA_PREFIX.length)] = value;
      } else fields[name as keyof Omit<LinkFields, 'metadata'>] = value;
    });
    const checked = checkLink(fields);
    const reference = fields.reference_id?.trim() || undefined;
    if (!checked.ok) {
      for (const problem of checked.problems) problems.push({ line, reference, problem });
      continue;
    }
    const earlier = firstLineOf.get(checked.link.reference);
    if (earlier !== undefined) {
      problems.push({ line, reference, problem: `reference_id ${checked.link.reference} is also on line ${earlier}: one link per reference` });
      continue;
    }
    firstLineOf.set(checked.link.reference, line);
    rows.push({ ...checked.link, line });
  }
  return { rows, problems };
}
