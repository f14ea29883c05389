/**
 * Whether a text is an e-mail address PaySG's own integration would send: the rules of the npm
 * package `email-validator` 2.0.4 (its `index.js`, the file `require` loads), which opengovsg/plumber
 * runs on `payer_email` before creating a payment (`apps/paysg/actions/create-payment/schema.ts`).
 * Matching it means an address a payer can give PaySG through Plumber is never refused here, and one
 * Plumber would refuse is never sent.
 *
 * Its rules, in its order:
 * 1. not empty, and at most 254 characters in all;
 * 2. the pattern below: a local part of the characters `A-Z a-z 0-9 ! # $ % & ' * + - / = ? ^ _ {
 *    | } ~` and a backtick (not first), single dots between them (no leading, trailing or doubled
 *    dot); then `@`; then a domain of ASCII letters and digits, with dashes and single dots inside,
 *    ending in a dot and a top-level label of at least two characters that starts with a letter.
 *    No quoted local parts, no IP literals, no non-ASCII;
 * 3. a local part of at most 64 characters;
 * 4. no domain label longer than 63 characters.
 *
 * Written out here rather than depended on: the whole package is a dozen lines of CommonJS, and
 * its bundled types declare a `validate_async` that its `index.js` does not export; a runtime
 * dependency of the BFF for that would cost more than it saves.
 *
 * And where an address is in running text, for the log's redaction and the terminal's masking:
 * looser than the rules above on purpose, since what looks like an address is hidden either way.
 * @module
 */

/** An e-mail address in running text (a CSV line, a JSON log line): not across quotes, commas or semicolons. */
export const EMAIL_ADDRESS_PATTERN = /[^\s@,;"]+@[^\s@,;"]+\.[^\s@,;"]+/g;

// email-validator 2.0.4 `index.js`, character for character but for `\/` written `/` (the same
// inside a class). The length check runs first, so the pattern never sees more than 254 characters.
const PATTERN =
  /^[-!#$%&'*+/0-9=?A-Z^_a-z{|}~](\.?[-!#$%&'*+/0-9=?A-Z^_a-z`{|}~])*@[a-zA-Z0-9](-*\.?[a-zA-Z0-9])*\.[a-zA-Z](-?[a-zA-Z0-9])+$/;

export function isEmailAddress(text: string): boolean {
  if (!text || text.length > 254) return false;
  if (!PATTERN.test(text)) return false;
  const [local, domain] = text.split('@') as [string, string];
  if (local.length > 64) return false;
  return domain.split('.').every((label) => label.length <= 63);
}
