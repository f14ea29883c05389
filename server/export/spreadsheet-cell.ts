/**
 * Text from outside made safe to open in a spreadsheet (non-negotiable 10: nothing we export
 * runs). A payer name such as `=HYPERLINK("https://evil.example","x")` is a formula to Excel,
 * LibreOffice and Google Sheets the moment a finance officer opens the CSV; the same cell with a
 * leading `'` is shown as the text it is.
 *
 * The rule is OWASP's (https://owasp.org/www-community/attacks/CSV_Injection): a cell that
 * begins with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with a single quote.
 * The full-width `＝ ＋ － ＠` are treated the same, because some spreadsheets (Apple Numbers
 * among them) fold them to their ASCII forms before deciding what a cell is.
 *
 * Only values that came from outside go through here (payer, reference, description, ids,
 * reasons, metadata, e-mail, names). Our own amounts and times do not, so a `-` of ours (there
 * is none today) would stay a number. Quoting for the CSV format itself (commas, quotes, line
 * breaks) is the CSV library's job, not this one's: the two are separate defences.
 * @module
 */

/** The characters that make a spreadsheet read a cell as a formula (or, for tab and CR, hide one). */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/** `=1+1` → `'=1+1`; `Tan` → `Tan`; `null` and `undefined` → `''`. */
export function spreadsheetCell(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/**
 * A cell this package wrote, read back as the value it stood for (`'=1+1` → `=1+1`): for the
 * files it reads again, such as a links result CSV given to `links status`.
 */
export function fromSpreadsheetCell(cell: string): string {
  return cell.startsWith("'") && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell;
}
