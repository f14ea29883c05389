/**
 * Money as people read it, from integer cents: the one place the server turns cents into text
 * (the widget has its own, with `Intl.NumberFormat` in the payer's language).
 * @module
 */

/** `12000` → `"120.00"`: dollars with two decimals, no grouping, as spreadsheets read them. */
export function dollars(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** `12000` → `"SGD 120.00"`, for messages staff read. */
export function sgd(cents: number): string {
  return `SGD ${dollars(cents)}`;
}

/**
 * Dollars as people write them to cents: `120`, `120.5`, `120.50`, `1,234.50`, `$12.30` or
 * `S$12.30`. Anything else (a sign, three decimals, letters, exponents, `12,34`) → `undefined`.
 * Parsed as text, never through floating point.
 */
export function centsFromDollars(text: string): number | undefined {
  const match = /^(?:S?\$)?(\d{1,3}(?:,\d{3}){1,2}|\d{1,9})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!match) return undefined;
  return Number(match[1]!.replace(/,/g, '')) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}
