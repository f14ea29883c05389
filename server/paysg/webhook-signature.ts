/**
 * PaySG webhook signatures: `PaySG-Signature: t=<timestamp>, v1=<hex HMAC-SHA256>` over
 * `${t}.${raw body}`, keyed with the endpoint's secret (webhooks best-practices page).
 *
 * PaySG does not document the digest encoding, the timestamp unit, a tolerance or rotation
 * (paysg-api.md §8.4, §16.9), and no public code verifies it. So the reader is tolerant where
 * PaySG is silent and strict where it matters: `t` in seconds or milliseconds; each `v1` as hex
 * (any case) or base64 (standard or URL-safe, padded or not); several `v1` entries; but always
 * the HMAC-SHA256 of the exact raw bytes after `${t}.` (t exactly as sent), within 300 s either
 * way, with any configured secret (so secrets rotate without a gap). The simulator signs with
 * hex and seconds. Web Crypto only, so the BFF stays runtime-neutral; `crypto.subtle.verify`
 * compares in constant time.
 * @module
 */
import { hexOf } from '../encoding.js';
import { PaysgSignatureError } from './errors.js';

export const SIGNATURE_HEADER = 'PaySG-Signature';
export const DEFAULT_TOLERANCE_SECONDS = 300;

export interface SignatureHeader {
  /** Seconds since the epoch, whether `t` was sent in seconds or milliseconds. */
  timestamp: number;
  /** `t` exactly as sent: it is part of what was signed. */
  signedTimestamp: string;
  /** Every `v1` value that reads as a 32-byte digest. */
  signatures: Uint8Array<ArrayBuffer>[];
}

/** Above this, `t` is milliseconds: 10^11 seconds is the year 5138, 10^11 ms is 1973. */
const MILLISECONDS_FROM = 1e11;

/** A 32-byte digest from hex, or from base64 / base64url with or without padding. */
function digestBytes(value: string): Uint8Array<ArrayBuffer> | undefined {
  if (/^[0-9a-fA-F]{64}$/.test(value)) {
    const bytes = new Uint8Array(32);
    for (let i = 0; i < 32; i++) bytes[i] = parseInt(value.slice(i * 2, i * 2 + 2), 16);
    return bytes;
  }
  if (!/^[A-Za-z0-9+/_-]{43}=?$/.test(value)) return undefined;
  const binary = atob(`${value.replace(/=$/, '').replace(/-/g, '+').replace(/_/g, '/')}=`);
  return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
}

/**
 * Reads `t=…, v1=…[, v1=…]`, tolerant of spaces and unknown schemes, strict about the rest:
 * exactly one numeric `t` and at least one `v1` that reads as a digest. Throws
 * `PaysgSignatureError`, never anything else, whatever the input.
 */
export function parseSignatureHeader(header: string | null | undefined): SignatureHeader {
  if (typeof header !== 'string' || header.length === 0 || header.length > 4096) {
    throw new PaysgSignatureError(`Missing or oversized ${SIGNATURE_HEADER} header`);
  }
  let signedTimestamp: string | undefined;
  const signatures: Uint8Array<ArrayBuffer>[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (signedTimestamp !== undefined || !/^\d{1,13}$/.test(value)) {
        throw new PaysgSignatureError(
          'The signature timestamp is missing, repeated or not a number',
        );
      }
      signedTimestamp = value;
    } else if (key === 'v1') {
      const digest = digestBytes(value);
      if (digest) signatures.push(digest);
    }
  }
  if (signedTimestamp === undefined)
    throw new PaysgSignatureError('The signature has no timestamp');
  if (signatures.length === 0) throw new PaysgSignatureError('The signature has no v1 value');
  const t = Number(signedTimestamp);
  return {
    timestamp: t >= MILLISECONDS_FROM ? Math.floor(t / 1000) : t,
    signedTimestamp,
    signatures,
  };
}

const encoder = new TextEncoder();

function hmacKey(secret: string, usage: 'sign' | 'verify'): Promise<CryptoKey> {
  return crypto.subtle.importKey(
    'raw',
    encoder.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    [usage],
  );
}

function signedContent(
  timestamp: number | string,
  payload: string | Uint8Array,
): Uint8Array<ArrayBuffer> {
  const body = typeof payload === 'string' ? encoder.encode(payload) : payload;
  const prefix = encoder.encode(`${timestamp}.`);
  const content = new Uint8Array(prefix.length + body.length);
  content.set(prefix);
  content.set(body, prefix.length);
  return content;
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
  const { timestamp, signedTimestamp, signatures } = parseSignatureHeader(options.header);
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const nowSeconds = Math.floor((options.now ?? Date.now()) / 1000);
  if (Math.abs(nowSeconds - timestamp) > tolerance) {
    throw new PaysgSignatureError('The signature timestamp is outside the tolerance window');
  }
  const content = signedContent(signedTimestamp, options.payload);
  for (const secret of options.secrets) {
    const key = await hmacKey(secret, 'verify');
    for (const signature of signatures) {
      if (await crypto.subtle.verify('HMAC', key, signature, content)) return;
    }
  }
  throw new PaysgSignatureError('No signature matches');
}

/** The header value PaySG would send, for tests (the simulator signs with its own code, `demo/simulator/webhook-signing.ts`, so one mistake cannot pass both sides). */
export async function signWebhookPayload(
  payload: string | Uint8Array,
  secret: string,
  timestampSeconds: number,
): Promise<string> {
  const mac = await crypto.subtle.sign(
    'HMAC',
    await hmacKey(secret, 'sign'),
    signedContent(timestampSeconds, payload),
  );
  return `t=${timestampSeconds}, v1=${hexOf(mac)}`;
}
