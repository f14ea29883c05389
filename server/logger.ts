/**
 * Structured JSON logs, one object a line. Callers log ids and outcomes, never payer details,
 * tokens or the API key; `redact` is the last line of defence for values that slip in anyway.
 * @module
 */
import { NRIC_FIN_PATTERN } from './national-id.js';
import { API_KEY_IN_TEXT_PATTERN } from './paysg/api-key.js';
import { EMAIL_ADDRESS_PATTERN } from './paysg/email-address.js';

export type LogLevel = 'info' | 'warn' | 'error';

export interface Logger {
  log(level: LogLevel, event: string, fields?: Record<string, unknown>): void;
}

/** NRIC/FIN, e-mail addresses, PaySG API keys and JWTs (order tokens). */
const SENSITIVE = [
  NRIC_FIN_PATTERN,
  EMAIL_ADDRESS_PATTERN,
  API_KEY_IN_TEXT_PATTERN,
  /eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g,
];

/** All of them in one pass over the line. */
const ANY_SENSITIVE = new RegExp(SENSITIVE.map((pattern) => pattern.source).join('|'), 'gi');
/**
 * The same without the e-mail pattern, for lines with no `@` (nearly all): trying that pattern
 * at every position costs a request log line 2.5 µs, the rest 0.15 µs.
 */
const SENSITIVE_BUT_EMAIL = new RegExp(
  SENSITIVE.filter((pattern) => !pattern.source.includes('@'))
    .map((pattern) => pattern.source)
    .join('|'),
  'gi',
);

export function redact(text: string): string {
  return text.replace(text.includes('@') ? ANY_SENSITIVE : SENSITIVE_BUT_EMAIL, '[redacted]');
}

export function jsonLogger(write: (line: string) => void = (line) => console.log(line)): Logger {
  return {
    log(level, event, fields = {}) {
      write(redact(JSON.stringify({ time: new Date().toISOString(), level, event, ...fields })));
    },
  };
}

export const silentLogger: Logger = { log() {} };
