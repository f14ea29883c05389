/**
 * Unicode punctuation PaySG's own integration (opengovsg/plumber) replaces with ASCII before
 * sending `payer_name` and `payer_address` (paysg-api.md §16.2): a conservative writer does the
 * same, so a name typed on a phone (a curly apostrophe, a full-width comma) is never what makes
 * PaySG refuse a payment.
 * @module
 */

const REPLACEMENTS: [RegExp, string | ((ch: string) => string)][] = [
  // Hyphen, non-breaking hyphen, figure dash, en dash, em dash, horizontal bar.
  [/[\u2010-\u2015]/g, '-'],
  // Left and right single quotation marks.
  [/[\u2018\u2019]/g, "'"],
  // Ideographic and halfwidth ideographic commas; ideographic and halfwidth full stops.
  [/[\u3001\uFF64]/g, ','],
  [/[\u3002\uFF61]/g, '.'],
  // Full-width ASCII, U+FF01 to U+FF5E, to the ASCII it is the wide form of.
  [/[\uFF01-\uFF5E]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0)],
];

export function normalizePunctuation(text: string): string {
  let result = text;
  for (const [pattern, replacement] of REPLACEMENTS)
    result = result.replace(pattern, replacement as never);
  return result;
}
