/**
 * The one place money is formatted. Amounts travel as integer cents plus an ISO 4217 code;
 * only here do they become text, through `Intl.NumberFormat` in the payer's language.
 */
const formatters = new Map<string, Intl.NumberFormat>();

export interface MoneyFormatOptions {
  /**
   * Ordinary spaces where `Intl` writes no-break ones (between `SGD` and the number): for text
   * read as plain text rather than laid out on a page, such as an API's error message or a line
   * in a terminal, where a no-break space is an invisible difference that breaks a search.
   */
  plainSpaces?: boolean;
}

/**
 * `formatMoney(1250, 'SGD', 'en')` → `SGD 12.50`. The currency code rather than `$`, because a
 * bare dollar sign is ambiguous to payers who are not in Singapore.
 */
export function formatMoney(
  amountInCents: number,
  currency: string,
  locale: string,
  options: MoneyFormatOptions = {},
): string {
  const key = `${locale}|${currency}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(localeForIntl(locale), {
      style: 'currency',
      currency,
      currencyDisplay: 'code',
    });
    formatters.set(key, formatter);
  }
  const text = formatter.format(amountInCents / 100);
  return options.plainSpaces ? text.replace(/[\u00a0\u202f]/g, ' ') : text;
}

/** Singapore's variant of each language, for its digit grouping and spacing. */
const SINGAPORE_LOCALES: Record<string, string> = {
  en: 'en-SG',
  zh: 'zh-SG',
  ms: 'ms-SG',
  ta: 'ta-SG',
};

export function localeForIntl(locale: string): string {
  return SINGAPORE_LOCALES[locale] ?? locale;
}
