/**
 * Hashing and byte encodings, in one place that imports nothing, so any folder of the server
 * may use it without reaching into another's: SHA-256 of text as hex, bytes as hex, and bytes
 * as base64url (RFC 4648 §5, unpadded: safe in URLs, headers and file names as it is). Web
 * Crypto, `btoa` and Node's own hashing where the runtime offers it: never an import of Node,
 * so the app runs on any runtime Hono does.
 * @module
 */

/**
 * Node's own hashing where the runtime offers it (`process.getBuiltinModule`, so nothing here
 * imports Node): synchronous, and far cheaper per call than Web Crypto's queued jobs, which were
 * the largest single cost of a create. Web Crypto everywhere else.
 */
const nodeCrypto = (
  globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }
).process?.getBuiltinModule?.('node:crypto') as typeof import('node:crypto') | undefined;

/** The SHA-256 of the text's UTF-8 bytes, as 64 lowercase hex digits. */
export async function sha256Hex(text: string): Promise<string> {
  if (nodeCrypto) return nodeCrypto.createHash('sha256').update(text).digest('hex');
  return hexOf(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
}

/** Lowercase hex, two digits a byte. */
export function hexOf(bytes: ArrayBuffer | Uint8Array): string {
  return Array.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('');
}

/** `bytes` random bytes (Web Crypto's), as unpadded base64url: an id or secret nobody can guess. */
export function randomBase64url(bytes: number): string {
  return base64urlOf(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** Unpadded base64url: 16 bytes are 22 characters. */
export function base64urlOf(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}
