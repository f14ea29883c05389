import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from '../../server/config.js';
import { clientKeyFor } from '../../server/middleware/client-key.js';

const demo = { requirePaysg: false, defaultCatalogFile: 'demo/catalog.json' };
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function problemsOf(env: Record<string, string>, options = demo): string[] {
  try {
    loadConfig(env, options);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('configuration', () => {
  it('configures the back office from its ADMIN_ variables, and names what is missing or wrong', () => {
    const oidc = {
      ADMIN_OIDC_ISSUER: 'https://sso.agency.example/realms/staff',
      ADMIN_OIDC_CLIENT_ID: 'paysg-back-office',
      ADMIN_OIDC_CLIENT_SECRET: 'a-client-secret-value',
    };
    const admin = loadConfig(
      {
        ...oidc,
        PUBLIC_URL: 'https://agency.example',
        ADMIN_STAFF: 'Alice.Tan@agency.example:refund, chitra@agency.example:view',
        ADMIN_REFUND_APPROVAL_OVER: '500.50',
      },
      demo,
    ).admin!;
    assert.deepEqual(
      [...admin.staff.byEmail],
      [
        ['alice.tan@agency.example', 'refund'],
        ['chitra@agency.example', 'view'],
      ],
    );
    assert.equal(admin.refundApprovalOverInCents, 50050);
    assert.deepEqual(admin.oidc, {
      issuer: oidc.ADMIN_OIDC_ISSUER,
      clientId: 'paysg-back-office',
      clientSecret: 'a-client-secret-value',
    });
    assert.equal(loadConfig({}, demo).admin, undefined);

    assert.match(
      problemsOf({ ...oidc, PUBLIC_URL: 'https://agency.example' }).join('\n'),
      /^ADMIN_STAFF is missing/,
    );
    assert.match(
      problemsOf({ ...oidc, ADMIN_STAFF: 'alice@agency.example' })[0]!,
      /^ADMIN_STAFF entry "alice@agency\.example" must look like person@agency\.gov\.sg:refund/,
    );
    assert.match(
      problemsOf({
        ...oidc,
        ADMIN_STAFF: 'a@b.example:view',
        ADMIN_REFUND_APPROVAL_OVER: '1e3',
      })[0]!,
      /^ADMIN_REFUND_APPROVAL_OVER must be an amount in dollars/,
    );
    assert.match(
      problemsOf({
        ...oidc,
        ADMIN_STAFF: 'a@b.example:view',
        PUBLIC_URL: 'http://agency.example',
      }).join('\n'),
      /PUBLIC_URL must be an https URL for staff to sign in/,
    );
    assert.match(
      problemsOf({
        ...oidc,
        ADMIN_STAFF: 'a@b.example:view',
        ADMIN_OIDC_ISSUER: 'http://sso.agency.example',
      }).join('\n'),
      /ADMIN_OIDC_ISSUER must be an https URL/,
    );
    assert.match(
      problemsOf({ ADMIN_STAFF: 'a@b.example:view' }).join('\n'),
      /ADMIN_OIDC_ISSUER is missing/,
    );
    // The client secret is a secret: never echoed, even when malformed.
    const secret = problemsOf({
      ...oidc,
      ADMIN_STAFF: 'a@b.example:view',
      ADMIN_OIDC_CLIENT_SECRET: 'x'.repeat(2000),
    })[0]!;
    assert.match(secret, /^ADMIN_OIDC_CLIENT_SECRET .*a secret of 2000 characters, not shown/);
  });

  it('has working defaults for the demo', () => {
    const config = loadConfig({}, demo);
    assert.equal(config.port, 3000);
    assert.equal(config.publicUrl, 'http://localhost:3000');
    assert.deepEqual(config.allowedOrigins, ['http://localhost:3000']);
    assert.equal(config.basePath, '/paysg');
    assert.equal(config.paysg, undefined);
    assert.deepEqual(config.store, { kind: 'sqlite', path: 'data/paysg-checkout.sqlite' });
  });

  it('names each malformed variable in one line', () => {
    const [port] = problemsOf({ PORT: 'abc' });
    assert.match(port!, /^PORT must be a whole number from 1 to 65535 \(got "abc"\)$/);
    assert.match(problemsOf({ PORT: '70000' })[0]!, /^PORT /);
    assert.match(problemsOf({ PUBLIC_URL: 'ftp://x' })[0]!, /^PUBLIC_URL must be an http\(s\) URL/);
    assert.match(
      problemsOf({ ALLOWED_ORIGINS: 'https://a.example/path' })[0]!,
      /^ALLOWED_ORIGINS /,
    );
    assert.match(
      problemsOf({ PAYSG_API_KEY: 'sk_test_1', PAYSG_PAYMENT_SERVICE_ID: 'payment_service_1' })[0]!,
      /^PAYSG_API_KEY must start with paysg_stag_/,
    );
    assert.match(
      problemsOf({ PAYSG_API_KEY: 'paysg_stag_abc' })[0]!,
      /^PAYSG_PAYMENT_SERVICE_ID is missing/,
    );
  });

  it('never echoes a secret back: a malformed key is named, not printed in full', () => {
    const [problem] = problemsOf({
      PAYSG_API_KEY: 'paysg_stag_has space',
      PAYSG_PAYMENT_SERVICE_ID: 'payment_service_1',
    });
    assert.match(problem!, /^PAYSG_API_KEY /);
    assert.ok(!problem!.includes('has space'), problem);
  });

  it('reads the production settings: PostgreSQL, order-token and webhook secrets, proxies', () => {
    const config = loadConfig(
      {
        DATABASE_URL: 'postgres://bff:pw@db.internal:5432/checkout',
        ORDER_TOKEN_SECRETS: `${'a'.repeat(32)}, ${'b'.repeat(40)}`,
        PAYSG_WEBHOOK_SECRETS: 'whsec_0123456789abcdef',
        TRUST_PROXY: '1',
      },
      demo,
    );
    assert.deepEqual(config.store, {
      kind: 'postgres',
      url: 'postgres://bff:pw@db.internal:5432/checkout',
    });
    assert.deepEqual(config.orderTokens, {
      secrets: ['a'.repeat(32), 'b'.repeat(40)],
      audience: 'paysg-checkout',
    });
    assert.deepEqual(config.webhookSecrets, ['whsec_0123456789abcdef']);
    assert.equal(config.trustProxy, 1);
  });

  it('names weak or malformed secrets without printing them', () => {
    const [short] = problemsOf({ ORDER_TOKEN_SECRETS: 'too-short-secret' });
    assert.match(
      short!,
      /^ORDER_TOKEN_SECRETS each secret must be at least 32 characters \(got a secret of 16 characters, not shown\)$/,
    );
    const [db] = problemsOf({ DATABASE_URL: 'mysql://root:hunter2@db/x' });
    assert.match(db!, /^DATABASE_URL must be a postgres:\/\/ URL/);
    assert.ok(!db!.includes('hunter2'));
    assert.match(problemsOf({ TRUST_PROXY: 'yes' })[0]!, /^TRUST_PROXY /);
    assert.match(
      problemsOf({ RATE_LIMIT_CREATES_PER_MINUTE: '0' })[0]!,
      /^RATE_LIMIT_CREATES_PER_MINUTE /,
    );
    assert.deepEqual(loadConfig({ RATE_LIMIT_CREATES_PER_MINUTE: '50' }, demo).rateLimits, {
      createsPerMinute: 50,
    });
    const [admin] = problemsOf({ ADMIN_TOKEN: 'admin-secret-too-short' });
    assert.match(
      admin!,
      /^ADMIN_TOKEN must be at least 32 characters .*\(got a secret of 22 characters, not shown\)$/,
    );
  });

  it('asks where the payment pages are when PaySG’s API URL is overridden', () => {
    const env = {
      PAYSG_API_KEY: 'paysg_stag_abc',
      PAYSG_PAYMENT_SERVICE_ID: 'payment_service_1',
      PAYSG_API_URL: 'https://paysg-proxy.agency.example',
      PUBLIC_URL: 'https://agency.example',
    };
    assert.match(problemsOf(env)[0]!, /^PAYSG_PAYMENT_PAGE_ORIGIN is missing/);
    assert.equal(
      loadConfig({ ...env, PAYSG_PAYMENT_PAGE_ORIGIN: 'https://staging.pay.gov.sg/' }, demo).paysg
        ?.paymentPageOrigin,
      'https://staging.pay.gov.sg',
    );
  });

  it('takes the client from X-Forwarded-For only as far as trusted proxies vouch for it', () => {
    const request = new Request('http://x/', {
      headers: { 'x-forwarded-for': '6.6.6.6, 203.0.113.7' },
    });
    const env = { incoming: { socket: { remoteAddress: '10.0.0.2' } } };
    assert.equal(clientKeyFor(0)(request, env), '10.0.0.2');
    assert.equal(clientKeyFor(1)(request, env), '203.0.113.7');
    assert.equal(clientKeyFor(1)(new Request('http://x/'), env), '10.0.0.2');
  });

  it('needs https for PaySG, which returns payers only to https pages, a PAYSG_API_URL (a proxy) included', () => {
    const env = { PAYSG_API_KEY: 'paysg_stag_abc', PAYSG_PAYMENT_SERVICE_ID: 'payment_service_1' };
    assert.match(problemsOf(env)[0]!, /^PUBLIC_URL must be an https URL/);
    assert.deepEqual(problemsOf({ ...env, PUBLIC_URL: 'https://agency.example' }), []);
    const proxied = {
      ...env,
      PAYSG_API_URL: 'https://paysg-proxy.agency.example',
      PAYSG_PAYMENT_PAGE_ORIGIN: 'https://staging.pay.gov.sg',
    };
    assert.match(
      problemsOf({ ...proxied, PUBLIC_URL: 'http://agency.example' })[0]!,
      /^PUBLIC_URL must be an https URL/,
    );
    // Only a PaySG stand-in on this machine (the simulator) takes http pages.
    const simulator = {
      ...env,
      PAYSG_API_URL: 'http://127.0.0.1:4010',
      PAYSG_PAYMENT_PAGE_ORIGIN: 'http://127.0.0.1:4010',
    };
    assert.deepEqual(problemsOf({ ...simulator, PUBLIC_URL: 'http://127.0.0.1:3000' }), []);
  });

  it('runs the demo against PaySG staging on https://localhost, with a certificate given or made for it', () => {
    const env = {
      PAYSG_API_KEY: 'paysg_stag_abc',
      PAYSG_PAYMENT_SERVICE_ID: 'payment_service_1',
      PORT: '3443',
    };
    const config = loadConfig(env, { ...demo, localHttpsForPaysg: true });
    assert.equal(config.publicUrl, 'https://localhost:3443');
    assert.deepEqual(config.allowedOrigins, ['https://localhost:3443']);
    assert.equal(config.tls, undefined);
    const withCert = loadConfig(
      { ...env, HTTPS_CERT_FILE: 'cert.pem', HTTPS_KEY_FILE: 'key.pem' },
      { ...demo, localHttpsForPaysg: true },
    );
    assert.deepEqual(withCert.tls, { certFile: 'cert.pem', keyFile: 'key.pem' });
    assert.match(
      problemsOf({ HTTPS_CERT_FILE: 'cert.pem' })[0]!,
      /HTTPS_CERT_FILE and HTTPS_KEY_FILE go together/,
    );
    // A certificate given means HTTPS, credentials or not.
    assert.equal(
      loadConfig({ HTTPS_CERT_FILE: 'cert.pem', HTTPS_KEY_FILE: 'key.pem' }, demo).publicUrl,
      'https://localhost:3000',
    );
    // Without credentials the demo stays on plain http with the simulator.
    assert.equal(
      loadConfig({}, { ...demo, localHttpsForPaysg: true }).publicUrl,
      'http://localhost:3000',
    );
  });

  it('makes the BFF alone refuse to start without PaySG credentials', () => {
    assert.match(problemsOf({}, { ...demo, requirePaysg: true })[0]!, /^PAYSG_API_KEY is missing/);
  });

  it('stops npm start with one line naming the variable', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'demo/server.ts'], {
      cwd: ROOT,
      env: { ...process.env, PORT: 'not-a-port' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(result.status, 1);
    const lines = result.stderr.trim().split('\n');
    assert.equal(lines.length, 1, result.stderr);
    assert.match(lines[0]!, /^paysg-checkout: configuration error: PORT must be a whole number/);
  });

  it('stops with one line when the catalog is broken', () => {
    const dir = mkdtempSync(join(tmpdir(), 'paysg-catalog-'));
    const file = join(dir, 'catalog.json');
    writeFileSync(
      file,
      JSON.stringify({ items: { 'a-fee': { description: 'A fee', amountInCents: -5 } } }),
    );
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'demo/server.ts'], {
      cwd: ROOT,
      env: { ...process.env, CATALOG_FILE: file, PORT: '3999' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(result.status, 1);
    assert.match(
      result.stderr.trim(),
      /^paysg-checkout: configuration error: CATALOG_FILE items\.a-fee\.amountInCents: /,
    );
  });
});
