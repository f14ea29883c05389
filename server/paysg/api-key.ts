/**
 * PaySG's API keys, by their documented prefixes (paysg-api.md §1): `paysg_stag_` for staging,
 * `paysg_live_` for production. The one place that knows them: the configuration's check, the
 * client's choice of API, and the log's redaction all read them here.
 * @module
 */

/** Each environment's key prefix. */
export const API_KEY_PREFIX = { staging: 'paysg_stag_', production: 'paysg_live_' } as const;

export type PaysgEnvironment = keyof typeof API_KEY_PREFIX;

/** How a message names the prefixes: `paysg_stag_ or paysg_live_`. */
export const API_KEY_PREFIXES_IN_WORDS = `${API_KEY_PREFIX.staging} or ${API_KEY_PREFIX.production}`;

/** A key: one of the prefixes, then base64url characters. */
const API_KEY_SOURCE = `(?:${API_KEY_PREFIX.staging}|${API_KEY_PREFIX.production})[A-Za-z0-9_-]+`;

/** A whole value that is a key. */
export const API_KEY_PATTERN = new RegExp(`^${API_KEY_SOURCE}$`);

/** A key in running text (a log line), to redact it. */
export const API_KEY_IN_TEXT_PATTERN = new RegExp(API_KEY_SOURCE, 'g');

/** The environment a key is for, from its prefix; `undefined` when it has neither. */
export function environmentOfKey(apiKey: string): PaysgEnvironment | undefined {
  if (apiKey.startsWith(API_KEY_PREFIX.staging)) return 'staging';
  if (apiKey.startsWith(API_KEY_PREFIX.production)) return 'production';
  return undefined;
}
