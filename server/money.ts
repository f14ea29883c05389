/**
 * Money between integer cents and text on the server: what staff and the terminal read, through
 * the one formatter the widget uses too (`contract/money-format.ts`); dollars as data, for
 * spreadsheets; and dollars as people type them, read back to cents.
 * @module
 */
import { formatMoney } from '../contract/money-format.js';
import { present } from './present.js';

/** `12000` → `"120.00"`: dollars with two decimals, no grouping, as spreadsheets read them. */
export function dollars(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/**
 * `12000` → `"SGD 120.00"`, for what staff and the terminal read: the shared formatter, in
 * English, with ordinary spaces (these texts are plain text: API messages, terminal lines).
 */
export function moneyText(cents: number, currency = 'SGD'): string {
  return formatMoney(cents, currency, 'en', { plainSpaces: true });
}

/**
 * Dollars as people write them to cents: `120`, `120.5`, `120.50`, `1,234.50`, `$12.30` or
 * `S$12.30`. Anything else (a sign, three decimals, letters, exponents, `12,34`) → `undefined`.
 * Parsed as text, never through floating point.
 */
export function centsFromDollars(text: string): number | undefined {
  const match = /^(?:S?\$)?(\d{1,3}(?:,\d{3}){1,2}|\d{1,9})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!match) return undefined;
  const [, whole, cents = ''] = match;
  return (
    Number(present(whole, 'the dollars').replace(/,/g, '')) * 100 + Number(cents.padEnd(2, '0'))
  );
}
