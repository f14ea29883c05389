/**
 * Staff sign in through a real OpenID provider (oidc-provider, as the demo runs it): the
 * authorization code flow with PKCE, state and nonce, over HTTP, with the provider's own login
 * page, as a browser would follow it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createAdminApp } from '../../server/admin/admin-app.js';
import { parseStaffList } from '../../server/admin/staff-directory.js';
import {
  DEMO_CLIENT_ID,
  DEMO_STAFF,
  startDemoIdentityProvider,
  type DemoIdentityProvider,
} from '../../demo/identity-provider.js';
import { cookiesOf } from '../helpers/back-office.js';
import { BFF_URL, createHarness } from '../helpers/bff-harness.js';
import { freePort } from '../helpers/free-ports.js';
import { throughProvider } from '../helpers/oidc-browser.js';

describe('signing in through a real OpenID provider', () => {
  let idp: DemoIdentityProvider;
  before(async () => {
    idp = await startDemoIdentityProvider({ port: await freePort(), adminUrl: `${BFF_URL}/admin` });
  });
  after(() => idp.close());

  async function signIn(login: string) {
    const h = createHarness();
    const admin = createAdminApp(h.deps, {
      oidc: { issuer: idp.issuer, clientId: DEMO_CLIENT_ID, clientSecret: idp.clientSecret },
      staff: { byEmail: parseStaffList(DEMO_STAFF) },
    });
    const started = await admin.request('/sign-in');
    const authorize = new URL(started.headers.get('Location')!);
    const attempt = cookiesOf(started)['__Host-paysg-admin-sign-in']!.value;
    const back = await throughProvider(authorize.href, login, BFF_URL);
    const landed = await admin.request(
      `${back.pathname.replace('/paysg/admin', '')}${back.search}`,
      { headers: { Cookie: `__Host-paysg-admin-sign-in=${attempt}` } },
    );
    return { h, admin, authorize, back, landed };
  }

  it('asks with PKCE (S256), a state and a nonce, and signs a listed person in with the claims the provider vouched for', async () => {
    const { admin, authorize, back, landed } = await signIn('alice');
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
    assert.match(authorize.searchParams.get('code_challenge')!, /^[A-Za-z0-9_-]{43}$/);
    assert.ok(authorize.searchParams.get('state') && authorize.searchParams.get('nonce'));
    assert.equal(authorize.searchParams.get('redirect_uri'), `${BFF_URL}/admin/callback`);
    assert.equal(back.searchParams.get('state'), authorize.searchParams.get('state'));
    assert.equal(landed.status, 302);
    assert.equal(landed.headers.get('Location'), `${BFF_URL}/admin/`);
    const session = cookiesOf(landed)['__Host-paysg-admin']!.value;
    const me = (await (
      await admin.request('/api/me', { headers: { Cookie: `__Host-paysg-admin=${session}` } })
    ).json()) as { person: { email: string; name: string }; roles: string[] };
    assert.deepEqual(
      [me.person.name, me.person.email, me.roles],
      ['Alice Tan', 'alice.tan@agency.example', ['view', 'refund']],
    );
  });

  it('gives a view person the view role only', async () => {
    const { admin, landed } = await signIn('chitra');
    const session = cookiesOf(landed)['__Host-paysg-admin']!.value;
    const me = (await (
      await admin.request('/api/me', { headers: { Cookie: `__Host-paysg-admin=${session}` } })
    ).json()) as { roles: string[] };
    assert.deepEqual(me.roles, ['view']);
  });

  it('refuses a code presented without the sign-in it belongs to', async () => {
    const h = createHarness();
    const admin = createAdminApp(h.deps, {
      oidc: { issuer: idp.issuer, clientId: DEMO_CLIENT_ID, clientSecret: idp.clientSecret },
      staff: { byEmail: parseStaffList(DEMO_STAFF) },
    });
    const started = await admin.request('/sign-in');
    const back = await throughProvider(started.headers.get('Location')!, 'alice', BFF_URL);
    // Another browser (no attempt cookie), or the code swapped into a fresh attempt: neither signs in.
    const stranger = await admin.request(`/callback${back.search}`);
    assert.equal(stranger.headers.get('Location'), `${BFF_URL}/admin/?sign_in=failed`);
    const fresh = await admin.request('/sign-in');
    const swapped = await admin.request(`/callback${back.search}`, {
      headers: {
        Cookie: `__Host-paysg-admin-sign-in=${cookiesOf(fresh)['__Host-paysg-admin-sign-in']!.value}`,
      },
    });
    assert.equal(swapped.headers.get('Location'), `${BFF_URL}/admin/?sign_in=failed`);
    assert.equal(cookiesOf(swapped)['__Host-paysg-admin'], undefined);
  });
});
