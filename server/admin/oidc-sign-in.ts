/**
 * Signing staff in through the agency's identity provider with OpenID Connect: the
 * authorization code flow with PKCE (S256), `state` and `nonce` (RFC 9700 §2.1.1; OpenID Connect
 * Core §3.1), through `openid-client`, which also checks the ID token's signature, issuer,
 * audience and expiry. The provider's metadata is discovered on first use and kept.
 * @module
 */
import type * as OpenIdClient from 'openid-client';
import { optionalModule } from '../optional-package.js';
import { isLoopbackHost } from '../paysg/schemas.js';

export interface OidcSettings {
  /** The issuer's URL (`https://login.agency.gov.sg/realms/staff`); its discovery document is read from it. */
  issuer: string;
  clientId: string;
  /** Absent for a public client (PKCE alone). */
  clientSecret?: string;
  /** Extra scopes after `openid email profile`, space-separated. */
  scope?: string;
}

/** What is kept between the redirect to the provider and its return, server-side. */
export interface SignInChecks {
  state: string;
  nonce: string;
  codeVerifier: string;
}

export interface OidcSignIn {
  /** The provider's authorization URL for a new sign-in, and the checks to keep for its return. */
  start(redirectUri: string): Promise<{ url: string; checks: SignInChecks }>;
  /** Exchanges the code the provider returned (at `returnedUrl`) for verified ID-token claims. */
  finish(returnedUrl: URL, checks: SignInChecks): Promise<Record<string, unknown>>;
  /** The provider's end-session URL, when it has one, for signing out there too. */
  endSessionUrl(postLogoutRedirectUri: string): Promise<string | undefined>;
}

export function oidcSignIn(settings: OidcSettings): OidcSignIn {
  let configuration: Promise<OpenIdClient.Configuration> | undefined;
  let loaded: Promise<typeof OpenIdClient> | undefined;
  const client = () =>
    (loaded ??= optionalModule<typeof OpenIdClient>(
      'openid-client',
      'staff sign-in to the back office (ADMIN_OIDC_ISSUER)',
    ));

  const configured = (): Promise<OpenIdClient.Configuration> => {
    configuration ??= (async () => {
      const oidc = await client();
      const issuer = new URL(settings.issuer);
      // Plain http only for a provider on this machine (the demo's); anything else must be https.
      const local = issuer.protocol === 'http:' && isLoopbackHost(issuer.hostname);
      return oidc.discovery(
        issuer,
        settings.clientId,
        settings.clientSecret,
        settings.clientSecret ? undefined : oidc.None(),
        {
          ...(local && { execute: [oidc.allowInsecureRequests] }),
        },
      );
    })();
    // A provider that was down is asked again at the next sign-in, not remembered as down.
    configuration.catch(() => (configuration = undefined));
    return configuration;
  };

  return {
    async start(redirectUri) {
      const oidc = await client();
      const config = await configured();
      const checks = {
        state: oidc.randomState(),
        nonce: oidc.randomNonce(),
        codeVerifier: oidc.randomPKCECodeVerifier(),
      };
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: ['openid email profile', settings.scope].filter(Boolean).join(' '),
        code_challenge: await oidc.calculatePKCECodeChallenge(checks.codeVerifier),
        code_challenge_method: 'S256',
        state: checks.state,
        nonce: checks.nonce,
      });
      return { url: url.href, checks };
    },
    async finish(returnedUrl, checks) {
      const oidc = await client();
      const config = await configured();
      const tokens = await oidc.authorizationCodeGrant(config, returnedUrl, {
        pkceCodeVerifier: checks.codeVerifier,
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (!claims) throw new Error('The identity provider sent no ID token');
      // Many providers put e-mail and name only in UserInfo unless the ID token is asked for them
      // (OpenID Connect Core §5.4): ask there, for the same subject, when the ID token lacks them.
      if (claims.email === undefined && config.serverMetadata().userinfo_endpoint) {
        const userInfo = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
        return {
          ...userInfo,
          ...claims,
          email: userInfo.email,
          email_verified: userInfo.email_verified,
          name: claims.name ?? userInfo.name,
        };
      }
      return { ...claims };
    },
    async endSessionUrl(postLogoutRedirectUri) {
      const config = await configured().catch(() => undefined);
      if (!config?.serverMetadata().end_session_endpoint) return undefined;
      return (await client()).buildEndSessionUrl(config, {
        post_logout_redirect_uri: postLogoutRedirectUri,
        client_id: settings.clientId,
      }).href;
    },
  };
}
