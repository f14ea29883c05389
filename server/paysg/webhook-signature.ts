/**
 * PaySG webhook signatures: `PaySG-Signature: t=<timestamp>, v1=<hex HMAC-SHA256>` over
 * `${t}.${raw body}`, keyed with the endpoint's secret (webhooks best-practices page).
 *
 * PaySG does not document the digest encoding, the timestamp unit, a tolerance or rotation
 * (paysg-api.md §8.4). Our choices, shared with the simulator: hex (any case), seconds, a
 * 300 s window in both directions, any `v1` matching any configured secret (so secrets rotate
 * without a gap). Web Crypto only, so the BFF stays runtime-neutral; `crypto.subtle.verify`
 * compares in constant time.
 * @module
 */
import { PaysgSignatureError } from './errors.js';

export const SIGNATURE_HEADER = 'PaySG-Signature';
export const DEFAULT_TOLERANCE_SECONDS = 300;

export interface SignatureHeader {
  /** Seconds since the epoch. */
  timestamp: number;
  /** Every `v1` value, lower-case hex. */
  signatures: string[];
}

/**
 * Reads `t=…, v1=…[, v1=…]`, tolerant of spaces and unknown schemes, strict about the rest:
 * exactly one numeric `t` and at least one hex `v1`. Throws `PaysgSignatureError`, never
 * anything else, whatever the input.
 */
export function parseSignatureHeader(header: string | null | undefined): SignatureHeader {
  if (typeof header !== 'string' || header.length === 0 || header.length > 4096) {
    throw new PaysgSignatureError(`Missing or oversized ${SIGNATURE_HEADER} header`);
  }
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (timestamp !== undefined || !/^\d{1,12}$/.test(value)) {
        throw new PaysgSignatureError('The signature timestamp is missing, repeated or not a number');
      }
      timestamp = Number(value);
    } else if (key === 'v1' && /^[0-9a-fA-F]{64}$/.test(value)) {
      signatures.push(value.toLowerCase());
    }
  }
  if (timestamp === undefined) throw new PaysgSignatureError('The signature has no timestamp');
  if (signatures.length === 0) throw new PaysgSignatureError('The signature has no v1 value');
  return { timestamp, signatures };
}

const encoder = new TextEncoder();

function hmacKey(secret: string, usage: 'sign' | 'verify'): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [usage]);
}

function signedContent(timestamp: number, payload: string | Uint8Array): Uint8Array<ArrayBuffer> {
  const body = typeof payload === 'string' ? encoder.encode(payload) : payload;
  const prefix = encoder.encode(`${timestamp}.`);
  const content = new Uint8Array(prefix.length + body.length);
  content.set(prefix);
  content.set(body, prefix.length);
  return content;
}

function hexToBytes(hex: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

export interface VerifyWebhookOptions {
  /** The raw request body, exactly as received: a re-serialised object would not match. */
  payload: string | Uint8Array;
  header: string | null | undefined;
  /** Every secret currently accepted (the new and the old one while rotating). */
  secrets: readonly string[];
  toleranceSeconds?: number;
  /** Milliseconds since the epoch. */
  now?: number;
}

/** Resolves when the signature is valid; throws `PaysgSignatureError` otherwise. */
export async function verifyWebhookSignature(options: VerifyWebhookOptions): Promise<void> {
  const { timestamp, signatures } = parseSignatureHeader(options.header);
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const nowSeconds = Math.floor((options.now ?? Date.now()) / 1000);
  if (Math.abs(nowSeconds - timestamp) > tolerance) {
    throw new PaysgSignatureError('The signature timestamp is outside the tolerance window');
  }
  const content = signedContent(timestamp, options.payload);
  for (const secret of options.secrets) {
    const key = await hmacKey(secret, 'verify');
    for (const signature of signatures) {
      if (await crypto.subtle.verify('HMAC', key, hexToBytes(signature), content)) return;
    }
  }
  throw new PaysgSignatureError('No signature matches');
}

/** The header value PaySG would send: for the simulator and for tests. */
export async function signWebhookPayload(payload: string | Uint8Array, secret: string, timestampSeconds: number): Promise<string> {
  const mac = await crypto.subtle.sign('HMAC', await hmacKey(secret, 'sign'), signedContent(timestampSeconds, payload));
  const hex = Array.from(new Uint8Array(mac), (b) => b.toString(16).padStart(2, '0')).join('');
  return `t=${timestampSeconds}, v1=${hex}`;
}
