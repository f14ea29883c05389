/**
 * What the terminal may show of a payer: NRIC/FIN-like identifiers and e-mail addresses never
 * appear whole (terminals are screenshotted, logged and shared).
 * @module
 */

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
