/**
 * The back office for tests: the BFF harness with its back office, a stand-in identity provider
 * (whose `finish` checks what a real one would: the state, and returns the claims of the person
 * named by the code), and staff who sign in through it and call the API with their cookie.
 * The real OpenID Connect flow, against oidc-provider, is in admin-sign-in.test.ts and the e2e tests.
 */
import assert from 'node:assert/strict';
import { createAdminApp, type AdminAppOptions } from '../../server/admin/admin-app.js';
import type { OidcSignIn } from '../../server/admin/oidc-sign-in.js';
import { parseStaffList } from '../../server/admin/staff-directory.js';
import { createHarness, PAGE_ORIGIN, type HarnessOptions } from './bff-harness.js';

export const ADMIN_TOKEN = 'admin-token-0123456789-abcdefghijklmnop';

export const PEOPLE = {
  alice: { sub: 'idp|alice', email: 'alice.tan@agency.example', name: 'Alice Tan' },
  ben: { sub: 'idp|ben', email: 'ben.lim@agency.example', name: 'Ben Lim' },
  chitra: { sub: 'idp|chitra', email: 'chitra.devi@agency.example', name: 'Chitra Devi' },
  /** Signs in at the provider, but is on no staff list. */
  mallory: { sub: 'idp|mallory', email: 'mallory@elsewhere.example', name: 'Mallory' },
} as const;
export type Person = keyof typeof PEOPLE;

export const STAFF_LIST =
  'alice.tan@agency.example:refund, ben.lim@agency.example:refund, chitra.devi@agency.example:view';

/** An identity provider that signs in whoever the code names, after checking the state as a real one's client would. */
export function fakeIdentityProvider(): OidcSignIn & { started: number } {
  const provider = {
    started: 0,
    async start(redirectUri: string) {
      provider.started++;
      const checks = {
        state: crypto.randomUUID(),
        nonce: crypto.randomUUID(),
        codeVerifier: crypto.randomUUID(),
      };
      return {
        url: `https://idp.example/authorize?redirect_uri=${encodeURIComponent(redirectUri)}&state=${checks.state}`,
        checks,
      };
    },
    async finish(returnedUrl: URL, checks: { state: string }) {
      if (returnedUrl.searchParams.get('state') !== checks.state) throw new Error('state mismatch');
      const person = PEOPLE[returnedUrl.searchParams.get('code') as Person];
      if (!person) throw new Error('invalid_grant');
      return { ...person, email_verified: true };
    },
    async endSessionUrl() {
      return undefined;
    },
  };
  return provider;
}

/** `name=value` pairs of a response's Set-Cookie headers. */
export function cookiesOf(
  response: Response,
): Record<string, { value: string; attributes: string }> {
  const cookies: Record<string, { value: string; attributes: string }> = {};
  for (const line of response.headers.getSetCookie()) {
    const [pair, ...attributes] = line.split(';');
    const eq = pair!.indexOf('=');
    cookies[pair!.slice(0, eq).trim()] = {
      value: pair!.slice(eq + 1),
      attributes: attributes.join(';').trim(),
    };
  }
  return cookies;
}

export function createBackOffice(
  options: Partial<AdminAppOptions> = {},
  harness: HarnessOptions = {},
) {
  const h = createHarness(harness);
  const idp = fakeIdentityProvider();
  const admin = createAdminApp(h.deps, {
    token: ADMIN_TOKEN,
    oidc: idp,
    staff: { byEmail: parseStaffList(STAFF_LIST) },
    ...options,
  });

  /** Signs `who` in through the provider; the session cookie to send, or the page the callback sent them to. */
  async function signIn(who: Person): Promise<string> {
    const started = await admin.request('/sign-in');
    assert.equal(started.status, 302);
    const state = new URL(started.headers.get('Location')!).searchParams.get('state');
    const attempt = cookiesOf(started)['__Host-paysg-admin-sign-in']!;
    const back = await admin.request(`/callback?code=${who}&state=${state}`, {
      headers: { Cookie: `__Host-paysg-admin-sign-in=${attempt.value}` },
    });
    assert.equal(back.status, 302);
    const session = cookiesOf(back)['__Host-paysg-admin'];
    if (!session) return back.headers.get('Location')!;
    return `__Host-paysg-admin=${session.value}`;
  }

  /** Requests as a browser on the back office's page: its cookie, its origin, JSON. */
  function as(cookie: string) {
    return {
      get: (path: string) => admin.request(path, { headers: { Cookie: cookie } }),
      post: (path: string, body: unknown = {}, headers: Record<string, string> = {}) =>
        admin.request(path, {
          method: 'POST',
          headers: {
            Cookie: cookie,
            Origin: PAGE_ORIGIN,
            'Content-Type': 'application/json',
            ...headers,
          },
          body: JSON.stringify(body),
        }),
    };
  }

  /** Requests as a script with the ADMIN_TOKEN. */
  const script = {
    get: (path: string) =>
      admin.request(path, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } }),
    post: (path: string, body: unknown = {}, headers: Record<string, string> = {}) =>
      admin.request(path, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${ADMIN_TOKEN}`,
          'Content-Type': 'application/json',
          ...headers,
        },
        body: JSON.stringify(body),
      }),
  };

  /** A checkout for `reference`, paid on PaySG and verified by the BFF. */
  async function paidCheckout(reference: string): Promise<string> {
    const { json } = await h.createCheckout({ reference });
    await h.payOnSimulator(h.paymentIdOf(json.paymentUrl));
    assert.equal(
      ((await (await h.get(`/checkouts/${json.checkoutId}`)).json()) as { status: string }).status,
      'paid',
    );
    return json.checkoutId as string;
  }

  /** What PaySG has refunded of a checkout's payment, in cents, by its own ledger. */
  async function refundedAtPaysg(checkoutId: string): Promise<number> {
    return h.simulator.ledger.refundedCents((await h.store.get(checkoutId))!.paymentId!);
  }

  return { h, admin, idp, signIn, as, script, paidCheckout, refundedAtPaysg };
}
