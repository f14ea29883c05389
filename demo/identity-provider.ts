/**
 * The demo's identity provider: a real OpenID Connect provider (`oidc-provider`) with three demo
 * people, so a newcomer signs in to the back office the way staff will at their agency. Its sign-in
 * page is oidc-provider's development one: type a demo person's login; any password is accepted.
 * It runs on a port of its own (an agency's provider is another site too), on 127.0.0.1.
 * @module
 */
import { createServer, type Server } from 'node:http';
import type { Configuration } from 'oidc-provider';

export interface DemoPerson {
  login: string;
  name: string;
  email: string;
  role: 'view' | 'refund';
}

export const DEMO_PEOPLE: readonly DemoPerson[] = [
  { login: 'alice', name: 'Alice Tan', email: 'alice.tan@agency.example', role: 'refund' },
  { login: 'ben', name: 'Ben Lim', email: 'ben.lim@agency.example', role: 'refund' },
  { login: 'chitra', name: 'Chitra Devi', email: 'chitra.devi@agency.example', role: 'view' },
];

/** `ADMIN_STAFF` for the demo people. */
export const DEMO_STAFF = DEMO_PEOPLE.map((p) => `${p.email}:${p.role}`).join(',');

export const DEMO_CLIENT_ID = 'paysg-checkout-back-office';

export interface DemoIdentityProvider {
  issuer: string;
  clientSecret: string;
  close(): Promise<void>;
}

/**
 * Starts the provider at `http://localhost:{port}` for one client whose redirect URI is the back
 * office's callback. The client secret is made up now, per run.
 */
export async function startDemoIdentityProvider(options: {
  port: number;
  adminUrl: string;
}): Promise<DemoIdentityProvider> {
  const issuer = `http://localhost:${options.port}`;
  const clientSecret = crypto.randomUUID() + crypto.randomUUID();
  const configuration: Configuration = {
    clients: [
      {
        client_id: DEMO_CLIENT_ID,
        client_secret: clientSecret,
        redirect_uris: [`${options.adminUrl}/callback`],
        post_logout_redirect_uris: [`${options.adminUrl}/?signed_out=1`],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    pkce: { required: () => true },
    // Demo people only: any other login is refused at the provider.
    async findAccount(_ctx, sub) {
      const person = DEMO_PEOPLE.find((p) => p.login === sub);
      if (!person) return undefined;
      return {
        accountId: sub,
        claims: async () => ({ sub, name: person.name, email: person.email, email_verified: true }),
      };
    },
    // The back office is the agency's own application: no consent screen for it.
    async loadExistingGrant(ctx) {
      // oidc-provider asks for a grant only once someone has signed in to a known client.
      const { client, session } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const grantId = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({
        clientId: client.clientId,
        accountId: session.accountId,
      });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
    cookies: { keys: [crypto.randomUUID()] },
    ttl: {
      Session: 3600,
      Interaction: 600,
      Grant: 3600,
      IdToken: 600,
      AccessToken: 600,
      AuthorizationCode: 60,
    },
  };
  const { default: Provider } = await withoutProviderNotices(() => import('oidc-provider'));
  const provider = new Provider(issuer, configuration);
  const server: Server = createServer(provider.callback());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  return {
    issuer,
    clientSecret,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * oidc-provider prints notices about itself: that it is in development mode (which this stand-in
 * is, on purpose) and, on Node 20, that it prefers Node 22 (it works on 20: the tests run it there).
 * They would read to a newcomer as problems with the demo, so its own lines are left out.
 */
async function withoutProviderNotices<T>(load: () => Promise<T>): Promise<T> {
  for (const level of ['warn', 'info'] as const) {
    const write = console[level];
    if ((write as { quietened?: boolean }).quietened) continue;
    const quiet = (...args: unknown[]) => {
      if (typeof args[0] === 'string' && args[0].includes('oidc-provider ')) return;
      write.apply(console, args);
    };
    console[level] = Object.assign(quiet, { quietened: true });
  }
  return load();
}
