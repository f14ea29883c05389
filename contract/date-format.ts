/** Formats PaySG's timestamps for the payer, always in Singapore time, in the payer's language. */
import { localeForIntl } from './money-format.js';

export function formatPaidAt(iso: string, lang: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(localeForIntl(lang), {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Asia/Singapore',
  }).format(date);
}
