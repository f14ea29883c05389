/**
 * Who is asking, for every back-office request: a person with a session (a cookie holding a
 * random id whose SHA-256 is a row in the store), or a script with the ADMIN_TOKEN. Nobody else.
 *
 * The session cookie is `__Host-` (Secure, Path=/, no Domain: no other host or path can set or
 * shadow it), HttpOnly (no script reads it) and SameSite=Strict (no other site's page sends it).
 * A request that changes something must also come from the back office's own origin (its
 * `Origin` header) with a JSON body, as the BFF's own routes do: belt and braces against CSRF.
 * @module
 */
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { timingSafeEqual } from 'hono/utils/buffer';
import type { AppContext } from '../deps.js';
import { randomBase64url, sha256Hex } from '../encoding.js';
import { ApiError } from '../errors.js';
import {
  API_TOKEN_ACTOR,
  type StaffActor,
  type StaffRole,
  type StaffSession,
} from '../storage/staff-records.js';

/** Long enough that guessing it within any rate limit is hopeless. */
export const MIN_ADMIN_TOKEN_LENGTH = 32;

/** Sent as `__Host-paysg-admin`. */
export const SESSION_COOKIE = 'paysg-admin';

export interface SessionTimes {
  /** A session unused this long is over. Default 30 minutes. */
  idleMs: number;
  /** A session is over this long after sign-in, however busy. Default 12 hours. */
  absoluteMs: number;
}

export const DEFAULT_SESSION_TIMES: SessionTimes = {
  idleMs: 30 * 60_000,
  absoluteMs: 12 * 60 * 60_000,
};

/** Moving a session's last-seen time forward at most this often spares the store a write per request. */
const TOUCH_EVERY_MS = 60_000;

export interface Staff {
  actor: StaffActor;
  roles: readonly StaffRole[];
  /** The session's hash, for signing out; absent for the ADMIN_TOKEN. */
  sessionHash?: string;
}

export type StaffEnv = { Variables: { staff: Staff; requestId: string } };

export interface StaffAuthOptions {
  token: string | undefined;
  sessions: SessionTimes;
  /** The back office's own origin (`https://agency.example`), for the same-origin check. */
  origin: string;
}

/**
 * A new secret for a staff cookie (a session, a sign-in in progress): 256 random bits, of which
 * the store keeps only the SHA-256.
 */
export function newStaffSecret(): string {
  return randomBase64url(32);
}

/** A new session for a person who signed in; returns the cookie's value. */
export async function startSession(
  ctx: AppContext,
  c: Context,
  person: Omit<StaffSession, 'idHash' | 'createdAt' | 'lastSeenAt' | 'expiresAt' | 'revokedAt'>,
  times: SessionTimes,
): Promise<void> {
  const id = newStaffSecret();
  const now = ctx.now();
  await ctx.store.createSession({
    ...person,
    idHash: await sha256Hex(id),
    createdAt: now.toISOString(),
    lastSeenAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + times.absoluteMs).toISOString(),
    revokedAt: null,
  });
  setCookie(c, SESSION_COOKIE, id, {
    prefix: 'host',
    httpOnly: true,
    secure: true,
    sameSite: 'Strict',
    path: '/',
    maxAge: Math.floor(times.absoluteMs / 1000),
  });
}

export function endSessionCookie(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { prefix: 'host', secure: true, path: '/' });
}

/** Every route after it knows `c.get('staff')`; without a session or the token, 401. */
export function staffAuth(ctx: AppContext, options: StaffAuthOptions): MiddlewareHandler<StaffEnv> {
  if (options.token !== undefined && options.token.length < MIN_ADMIN_TOKEN_LENGTH) {
    throw new Error(`ADMIN_TOKEN must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters`);
  }
  return async function staffAuth(c, next) {
    const bearer = /^Bearer (\S+)$/.exec(c.req.header('Authorization') ?? '')?.[1];
    if (bearer !== undefined) {
      if (options.token === undefined || !(await timingSafeEqual(bearer, options.token))) {
        c.header('WWW-Authenticate', 'Bearer realm="paysg-checkout admin"');
        throw new ApiError(401, 'unauthorized', 'That token is not this back office’s ADMIN_TOKEN');
      }
      c.set('staff', { actor: API_TOKEN_ACTOR, roles: ['view', 'refund'] });
      return next();
    }
    const cookie = getCookie(c, SESSION_COOKIE, 'host');
    const now = ctx.now();
    const hash = cookie && (await sha256Hex(cookie));
    const session = hash
      ? await ctx.store.getSession(hash, now.toISOString(), options.sessions.idleMs)
      : undefined;
    if (!session) {
      if (cookie) endSessionCookie(c);
      throw new ApiError(
        401,
        'unauthorized',
        cookie ? 'Your session has ended; sign in again' : 'Sign in to use the back office',
      );
    }
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') sameOriginJson(c, options.origin);
    if (now.getTime() - Date.parse(session.lastSeenAt) > TOUCH_EVERY_MS)
      await ctx.store.touchSession(session.idHash, now.toISOString());
    c.set('staff', {
      actor: { kind: 'person', subject: session.subject, email: session.email, name: session.name },
      roles: session.roles,
      sessionHash: session.idHash,
    });
    return next();
  };
}

/** A change asked for by a browser: from our own origin, as JSON (which a cross-site form cannot send). */
function sameOriginJson(c: Context, origin: string): void {
  if (c.req.header('Origin') !== origin) {
    throw new ApiError(
      403,
      'origin_not_allowed',
      'Changes must come from the back office’s own page',
    );
  }
  if (c.req.header('Content-Type')?.split(';')[0]?.trim().toLowerCase() !== 'application/json') {
    throw new ApiError(415, 'unsupported_media_type', 'Send the body as application/json');
  }
}

/** Refuses a person without `role` (403), naming it. */
export function requireRole(role: StaffRole): MiddlewareHandler<StaffEnv> {
  return async function requireRole(c, next) {
    if (!c.get('staff').roles.includes(role)) {
      throw new ApiError(
        403,
        'forbidden',
        role === 'refund'
          ? 'Your role can view payments but not refund or cancel them'
          : 'Your role cannot do this',
      );
    }
    return next();
  };
}
