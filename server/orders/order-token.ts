/**
 * Order tokens: a JWT the agency's own backend signs with a shared secret, carrying what is to
 * be paid. Any language's JWT library can mint one:
 *
 * - header `{"alg": "HS256", "typ": "JWT"}`: the algorithm is pinned, whatever the header says
 *   (no `none`, no RS/HS confusion);
 * - claims `reference_id` (≤255), `amount_in_cents` (integer, 1 to 20,000,000), `description`
 *   (≤500), `aud` (the BFF's audience, default `paysg-checkout`), `exp` (at most 15 minutes after
 *   `iat`, or after now), `jti` (unique per order, ≤128), and optionally `iat`, `iss`,
 *   `payer` `{name, email, identifier, address}`, `line_items` `[{description, amount_in_cents}]`
 *   adding up to the amount, and `metadata` (≤10 string entries).
 *
 * Web Crypto only, so the BFF stays runtime-neutral.
 * @module
 */
import { z } from 'zod';
import { MAX_AMOUNT_IN_CENTS } from '../paysg/schemas.js';
import type { LineItem } from './order.js';
import { payerDetailsSchema } from './payer-details.js';

export const DEFAULT_AUDIENCE = 'paysg-checkout';
/** Tokens are for the moment of payment, not for storing: 15 minutes at most. */
export const MAX_TOKEN_LIFETIME_SECONDS = 15 * 60;
const CLOCK_SKEW_SECONDS = 30;

const cents = z.number().int().min(1).max(MAX_AMOUNT_IN_CENTS);

export const orderClaimsSchema = z
  .looseObject({
    reference_id: z.string().min(1).max(255),
    amount_in_cents: cents,
    description: z.string().min(1).max(500),
    aud: z.union([z.string(), z.array(z.string())]),
    exp: z.number().int(),
    iat: z.number().int().optional(),
    nbf: z.number().int().optional(),
    iss: z.string().optional(),
    jti: z.string().min(1).max(128),
    payer: payerDetailsSchema.optional(),
    line_items: z.array(z.object({ description: z.string().min(1).max(255), amount_in_cents: cents }).strict()).min(1).optional(),
    metadata: z
      .record(z.string().max(40), z.string().max(255))
      .refine((m) => Object.keys(m).length <= 10, 'at most 10 entries')
      .optional(),
  })
  .refine((c) => !c.line_items || c.line_items.reduce((sum, l) => sum + l.amount_in_cents, 0) === c.amount_in_cents, {
    message: 'line_items must add up to amount_in_cents',
    path: ['line_items'],
  });

export type OrderClaims = z.infer<typeof orderClaimsSchema>;

/** What the agency backend puts in a token; `aud`, `exp`, `iat` and `jti` are filled in for it. */
export type OrderTokenInput = Omit<OrderClaims, 'aud' | 'exp' | 'iat' | 'jti' | 'nbf'> & { jti?: string };

/** The token's line items in the BFF's own shape. */
export function lineItemsOf(claims: OrderClaims): LineItem[] {
  return (claims.line_items ?? []).map((l) => ({ description: l.description, amountInCents: l.amount_in_cents }));
}

export class OrderTokenError extends Error {
  override name = 'OrderTokenError';
}

const encoder = new TextEncoder();

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(text: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new OrderTokenError('The token is not base64url');
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((text.length + 3) % 4));
  return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
}

function key(secret: string, usage: 'sign' | 'verify'): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [usage]);
}

export interface SignOptions {
  audience?: string;
  ttlSeconds?: number;
  /** Seconds since the epoch. */
  now?: number;
}

/** Mints an order token, for agency backends written in JavaScript (and for tests). */
export async function signOrderToken(input: OrderTokenInput, secret: string, options: SignOptions = {}): Promise<string> {
  const now = Math.floor(options.now ?? Date.now() / 1000);
  const ttl = options.ttlSeconds ?? 10 * 60;
  const claims = {
    ...input,
    aud: options.audience ?? DEFAULT_AUDIENCE,
    iat: now,
    exp: now + ttl,
    jti: input.jti ?? crypto.randomUUID(),
  };
  const header = base64url(encoder.encode(JSON.stringify({ alg: 'HS256', typ: 'JWT' })));
  const payload = base64url(encoder.encode(JSON.stringify(claims)));
  const signature = await crypto.subtle.sign('HMAC', await key(secret, 'sign'), encoder.encode(`${header}.${payload}`));
  return `${header}.${payload}.${base64url(new Uint8Array(signature))}`;
}

export interface VerifyOptions {
  /** Every secret currently accepted (the new and the old one while rotating). */
  secrets: readonly string[];
  audience: string;
  /** Seconds since the epoch. */
  now?: number;
}

/** Checks signature, algorithm, audience and lifetime. Throws `OrderTokenError` otherwise. */
export async function verifyOrderToken(token: string, options: VerifyOptions): Promise<OrderClaims> {
  const parts = typeof token === 'string' ? token.split('.') : [];
  if (parts.length !== 3 || token.length > 8192) throw new OrderTokenError('The order token is not a JWT');
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];

  let header: unknown;
  let payload: unknown;
  try {
    header = JSON.parse(new TextDecoder().decode(fromBase64url(headerPart)));
    payload = JSON.parse(new TextDecoder().decode(fromBase64url(payloadPart)));
  } catch {
    throw new OrderTokenError('The order token is not a JWT');
  }
  if ((header as { alg?: unknown })?.alg !== 'HS256') throw new OrderTokenError('Order tokens must be signed with HS256');

  const signature = fromBase64url(signaturePart);
  const content = encoder.encode(`${headerPart}.${payloadPart}`);
  let valid = false;
  for (const secret of options.secrets) {
    if (await crypto.subtle.verify('HMAC', await key(secret, 'verify'), signature, content)) {
      valid = true;
      break;
    }
  }
  if (!valid) throw new OrderTokenError('The order token signature does not match');

  const parsed = orderClaimsSchema.safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new OrderTokenError(`The order token claim ${issue.path.join('.') || '(claims)'} is not valid: ${issue.message}`);
  }
  const claims = parsed.data;
  const now = Math.floor(options.now ?? Date.now() / 1000);
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes(options.audience)) throw new OrderTokenError('The order token is for another audience');
  if (claims.exp <= now - CLOCK_SKEW_SECONDS) throw new OrderTokenError('The order token has expired');
  if (claims.exp - Math.min(claims.iat ?? now, now) > MAX_TOKEN_LIFETIME_SECONDS) {
    throw new OrderTokenError(`Order tokens may live at most ${MAX_TOKEN_LIFETIME_SECONDS / 60} minutes`);
  }
  if (claims.nbf !== undefined && claims.nbf > now + CLOCK_SKEW_SECONDS) throw new OrderTokenError('The order token is not valid yet');
  return claims;
}
