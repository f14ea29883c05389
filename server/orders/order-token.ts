/**
 * Order tokens: a JWT the agency's own backend signs with a shared secret, carrying what is to
 * be paid. Any language's JWT library can mint one:
 *
 * - header `{"alg": "HS256", "typ": "JWT"}`: the algorithm is pinned, whatever the header says
 *   (no `none`, no RS/HS confusion);
 * - claims `reference_id` (≤255), `amount_in_cents` (integer, 1 to 20,000,000), `description`
 *   (≤500), `aud` (the BFF's audience, default `paysg-checkout`), `iat` (when it was issued:
 *   a newer token for the same `reference_id` replaces an older one, never the other way
 *   round), `exp` (at most 15 minutes after `iat`), `jti` (unique per order, ≤128), and
 *   optionally `iss`, `payer` `{name, email, identifier, address}`, `line_items`
 *   `[{description, amount_in_cents}]` adding up to the amount, and `metadata` (≤10 string
 *   entries).
 *
 * Signed and verified with jose (Web Crypto), so the BFF stays runtime-neutral.
 * @module
 */
import type { JWTPayload } from 'jose';
import { z } from 'zod';
import { MAX_AMOUNT_IN_CENTS } from '../paysg/schemas.js';
import { firstIssue } from '../zod-issues.js';
import type { LineItem } from './order.js';
import { payerDetailsSchema } from './payer-details.js';

/**
 * jose (46 modules) is loaded with the first order token, not at start: a BFF that sells only
 * from its catalog never needs it, and starting is a third faster without it.
 */
let jose: Promise<typeof import('jose')> | undefined;
const loadJose = () => (jose ??= import('jose'));

export const DEFAULT_AUDIENCE = 'paysg-checkout';
/** Tokens are for the moment of payment, not for storing: 15 minutes at most. */
export const MAX_TOKEN_LIFETIME_SECONDS = 15 * 60;
/** How far the signer's clock may be from ours, either way (`exp`, `nbf`, `iat`). */
export const CLOCK_SKEW_SECONDS = 30;

const cents = z.number().int().min(1).max(MAX_AMOUNT_IN_CENTS);

export const orderClaimsSchema = z
  .looseObject({
    reference_id: z.string().min(1).max(255),
    amount_in_cents: cents,
    description: z.string().min(1).max(500),
    aud: z.union([z.string(), z.array(z.string())]),
    exp: z.number().int(),
    iat: z.number().int(),
    nbf: z.number().int().optional(),
    iss: z.string().optional(),
    jti: z.string().min(1).max(128),
    payer: payerDetailsSchema.optional(),
    line_items: z
      .array(z.object({ description: z.string().min(1).max(255), amount_in_cents: cents }).strict())
      .min(1)
      .optional(),
    metadata: z
      .record(z.string().max(40), z.string().max(255))
      .refine((m) => Object.keys(m).length <= 10, 'at most 10 entries')
      .optional(),
  })
  .refine(
    (c) =>
      !c.line_items ||
      c.line_items.reduce((sum, l) => sum + l.amount_in_cents, 0) === c.amount_in_cents,
    {
      message: 'line_items must add up to amount_in_cents',
      path: ['line_items'],
    },
  );

export type OrderClaims = z.infer<typeof orderClaimsSchema>;

/** What the agency backend puts in a token; `aud`, `exp`, `iat` and `jti` are filled in for it. */
export type OrderTokenInput = Omit<OrderClaims, 'aud' | 'exp' | 'iat' | 'jti' | 'nbf'> & {
  jti?: string;
};

/** The token's line items in the BFF's own shape. */
export function lineItemsOf(claims: OrderClaims): LineItem[] {
  return (claims.line_items ?? []).map((l) => ({
    description: l.description,
    amountInCents: l.amount_in_cents,
  }));
}

export class OrderTokenError extends Error {
  override name = 'OrderTokenError';
}

/** An authentic token past its `exp`: the page sat too long, not a set-up problem. */
export class OrderTokenExpiredError extends OrderTokenError {
  override name = 'OrderTokenExpiredError';
}

const encoder = new TextEncoder();
/** A JWT is a few hundred bytes; anything this long is not an order token. */
const MAX_TOKEN_LENGTH = 8192;

export interface SignOptions {
  audience?: string;
  ttlSeconds?: number;
  /** Seconds since the epoch. */
  now?: number;
}

/** Mints an order token, for agency backends written in JavaScript (and for tests). */
export async function signOrderToken(
  input: OrderTokenInput,
  secret: string,
  options: SignOptions = {},
): Promise<string> {
  const now = Math.floor(options.now ?? Date.now() / 1000);
  const { jti, ...claims } = input;
  const { SignJWT } = await loadJose();
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setAudience(options.audience ?? DEFAULT_AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + (options.ttlSeconds ?? 10 * 60))
    .setJti(jti ?? crypto.randomUUID())
    .sign(encoder.encode(secret));
}

export interface VerifyOptions {
  /** Every secret currently accepted (the new and the old one while rotating). */
  secrets: readonly string[];
  audience: string;
  /** Seconds since the epoch. */
  now?: number;
}

/**
 * Checks signature (HS256 only, whatever the header says), audience, lifetime and claims with
 * jose. Throws `OrderTokenExpiredError` for an authentic token past its `exp`, and
 * `OrderTokenError` for anything else wrong with it, whatever the input.
 */
export async function verifyOrderToken(
  token: string,
  options: VerifyOptions,
): Promise<OrderClaims> {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH)
    throw new OrderTokenError('The order token is not a JWT');
  const now = Math.floor(options.now ?? Date.now() / 1000);
  const { errors: joseErrors, jwtVerify } = await loadJose();
  let payload: JWTPayload | undefined;
  for (const secret of options.secrets) {
    try {
      ({ payload } = await jwtVerify(token, encoder.encode(secret), {
        algorithms: ['HS256'],
        audience: options.audience,
        clockTolerance: CLOCK_SKEW_SECONDS,
        currentDate: new Date(now * 1000),
        // `iat` orders the tokens of one order (an older one never replaces a newer one).
        requiredClaims: ['exp', 'iat', 'jti'],
      }));
      break;
    } catch (err) {
      // Another secret may still match while they are being rotated.
      if (err instanceof joseErrors.JWSSignatureVerificationFailed) continue;
      throw orderTokenErrorFor(err, joseErrors);
    }
  }
  if (!payload) throw new OrderTokenError('The order token signature does not match');

  const parsed = orderClaimsSchema.safeParse(payload);
  if (!parsed.success) {
    const issue = firstIssue(parsed.error, '(claims)');
    throw new OrderTokenError(`The order token claim ${issue.path} is not valid: ${issue.message}`);
  }
  const claims = parsed.data;
  // jose checks `iat` only for its type. One from the future beyond the clock tolerance is refused:
  // the newest `iat` wins among an order's tokens, so it would shut out every token issued until then.
  if (claims.iat > now + CLOCK_SKEW_SECONDS) {
    throw new OrderTokenError(
      'The order token was issued in the future: check the clock of the server that signs it',
    );
  }
  if (claims.exp - claims.iat > MAX_TOKEN_LIFETIME_SECONDS) {
    throw new OrderTokenError(
      `Order tokens may live at most ${MAX_TOKEN_LIFETIME_SECONDS / 60} minutes`,
    );
  }
  return claims;
}

/** jose's reasons, in words an agency developer can act on. */
function orderTokenErrorFor(
  err: unknown,
  joseErrors: typeof import('jose').errors,
): OrderTokenError {
  if (err instanceof joseErrors.JWTExpired)
    return new OrderTokenExpiredError('The order token has expired');
  if (err instanceof joseErrors.JWTClaimValidationFailed) {
    if (err.claim === 'aud') return new OrderTokenError('The order token is for another audience');
    if (err.claim === 'nbf') return new OrderTokenError('The order token is not valid yet');
    return new OrderTokenError(`The order token claim ${err.claim} is not valid: ${err.reason}`);
  }
  if (err instanceof joseErrors.JOSEAlgNotAllowed)
    return new OrderTokenError('Order tokens must be signed with HS256');
  return new OrderTokenError('The order token is not a JWT');
}
