/**
 * What the terminal may show of a payer: NRIC/FIN-like identifiers and e-mail addresses never
 * appear whole (terminals are screenshotted, logged and shared).
 * @module
 */
import { terminalText } from '../export/terminal-text.js';
import { NRIC_FIN_PATTERN } from '../national-id.js';
import { EMAIL_ADDRESS_PATTERN } from '../paysg/email-address.js';

/** `S1234567A` → `S****567A`: the first character and the last four, as agencies print them. */
export function maskIdentifier(identifier: string): string {
  if (identifier.length <= 4) return '*'.repeat(identifier.length);
  return identifier[0] + '*'.repeat(Math.max(0, identifier.length - 5)) + identifier.slice(-4);
}

/** `tan.ah.kow@example.com` → `t***@example.com`. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  return `${email[0]}***${email.slice(at)}`;
}

/** A line about payers for the terminal: identifiers and e-mails masked, control characters shown as escapes, never run. */
export function maskedLine(text: string): string {
  return terminalText(text)
    .replace(EMAIL_ADDRESS_PATTERN, (email) => maskEmail(email))
    .replace(NRIC_FIN_PATTERN, (id) => maskIdentifier(id));
}
