/**
 * Signing in and out:
 *
 *   GET  /sign-in    to the identity provider, with a fresh state, nonce and PKCE verifier
 *   GET  /callback   the provider's return: the code exchanged, the ID token checked, the person
 *                    looked up in the staff list, a session started; back to the page
 *   POST /sign-out   the session revoked in the store (not only the cookie dropped)
 *
 * The sign-in attempt is a row in the store, found by a cookie holding a random id. That cookie
 * is SameSite=Lax, not Strict: the provider's redirect back is a top-level navigation from
 * another site, on which a Strict cookie is not sent, so the attempt could not be found. Lax
 * sends it on that GET only; it lives ten minutes, is used once, and opens nothing by itself.
 * @module
 */
import type { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { recordAudit } from '../audit/record-audit.js';
import type { AppContext } from '../deps.js';
import { sha256Hex } from '../encoding.js';
import { ApiError } from '../errors.js';
import type { OidcSignIn } from './oidc-sign-in.js';
import { rolesFor, type StaffDirectory } from './staff-directory.js';
import {
  endSessionCookie,
  newStaffSecret,
  startSession,
  type SessionTimes,
  type StaffEnv,
} from './staff-auth.js';

const SIGN_IN_COOKIE = 'paysg-admin-sign-in';
const SIGN_IN_MS = 10 * 60_000;

export interface SignInOptions {
  signIn: OidcSignIn;
  staff: StaffDirectory;
  sessions: SessionTimes;
  /** Where the back office's page is, as browsers see it (`https://agency.example/paysg/admin`). */
  adminUrl: string;
}

export function signInRoutes(app: Hono<StaffEnv>, ctx: AppContext, options: SignInOptions): void {
  const callbackUrl = `${options.adminUrl}/callback`;
  const backToPage = (query = '') => `${options.adminUrl}/${query}`;

  app.get('/sign-in', async (c) => {
    let started: Awaited<ReturnType<OidcSignIn['start']>>;
    try {
      started = await options.signIn.start(callbackUrl);
    } catch (err) {
      // A browser is navigating here: it goes back to the page, which says sign-in did not complete.
      ctx.logger.log('error', 'sign_in_provider_unavailable', {
        alert: true,
        error: err instanceof Error ? err.message : String(err),
      });
      return c.redirect(backToPage('?sign_in=failed'), 302);
    }
    const id = newStaffSecret();
    await ctx.store.createSignIn({
      idHash: await sha256Hex(id),
      ...started.checks,
      returnTo: backToPage(),
      expiresAt: new Date(ctx.now().getTime() + SIGN_IN_MS).toISOString(),
    });
    setCookie(c, SIGN_IN_COOKIE, id, {
      prefix: 'host',
      httpOnly: true,
      secure: true,
      sameSite: 'Lax',
      path: '/',
      maxAge: SIGN_IN_MS / 1000,
    });
    return c.redirect(started.url, 302);
  });

  app.get('/callback', async (c) => {
    const cookie = getCookie(c, SIGN_IN_COOKIE, 'host');
    deleteCookie(c, SIGN_IN_COOKIE, { prefix: 'host', secure: true, path: '/' });
    const attempt =
      cookie && (await ctx.store.takeSignIn(await sha256Hex(cookie), ctx.now().toISOString()));
    if (!attempt) return c.redirect(backToPage('?sign_in=failed'), 302);
    let claims: Record<string, unknown>;
    try {
      // The URL the provider was told to return to, with what it returned: behind a proxy the
      // request's own URL is the internal one, which would not match the redirect_uri.
      claims = await options.signIn.finish(
        new URL(`${callbackUrl}${new URL(c.req.url).search}`),
        attempt,
      );
    } catch (err) {
      ctx.logger.log('warn', 'sign_in_failed', {
        error: err instanceof Error ? err.message : String(err),
      });
      return c.redirect(backToPage('?sign_in=failed'), 302);
    }
    const subject = String(claims.sub);
    const email = typeof claims.email === 'string' ? claims.email : null;
    const name = typeof claims.name === 'string' ? claims.name : null;
    const actor = { kind: 'person' as const, subject, email, name };
    const roles = rolesFor(options.staff, claims);
    if (roles.length === 0) {
      await recordAudit(ctx, {
        actor,
        action: 'sign_in_refused',
        requestId: c.get('requestId'),
        outcome: 'refused',
        detail: { emailVerified: claims.email_verified ?? null },
      });
      return c.redirect(backToPage('?sign_in=refused'), 302);
    }
    await startSession(ctx, c, { subject, email, name, roles }, options.sessions);
    await recordAudit(ctx, {
      actor,
      action: 'sign_in',
      requestId: c.get('requestId'),
      detail: { roles },
    });
    return c.redirect(attempt.returnTo, 302);
  });
}

/** `POST /sign-out`, behind the staff check: revokes the session and drops its cookie. */
export function signOutRoute(
  app: Hono<StaffEnv>,
  ctx: AppContext,
  signIn: OidcSignIn | undefined,
  adminUrl: string,
): void {
  app.post('/sign-out', async (c) => {
    const staff = c.get('staff');
    if (!staff.sessionHash)
      throw new ApiError(400, 'invalid_request', 'The API token has no session to sign out of');
    await ctx.store.revokeSession(staff.sessionHash, ctx.now().toISOString());
    endSessionCookie(c);
    await recordAudit(ctx, {
      actor: staff.actor,
      action: 'sign_out',
      requestId: c.get('requestId'),
    });
    const endSessionUrl = signIn && (await signIn.endSessionUrl(`${adminUrl}/?signed_out=1`));
    return c.json({ signedOut: true, ...(endSessionUrl && { endSessionUrl }) });
  });
}
