/**
 * The package as agencies install it: `npm pack`, then the tarball installed into fresh scratch
 * projects, run with plain `node` (no TypeScript loader). Needs `npm run build` first, and the
 * npm registry (or npm's cache) for the scratch projects' other packages.
 *
 * better-sqlite3 is installed with its scripts off and given this repository's compiled binary
 * (the same version, for the same Node): what a native build would produce, without two minutes
 * of compiling.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  DEMO_CLIENT_ID,
  DEMO_STAFF,
  startDemoIdentityProvider,
} from '../../demo/identity-provider.js';
import { freePort } from '../helpers/free-ports.js';
import { throughProvider } from '../helpers/oidc-browser.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const SERVER_LIBRARIES = [
  'hono',
  '@hono/node-server',
  'zod',
  'jose',
  'rate-limiter-flexible',
  'better-sqlite3',
  'pg',
  'csv-parse',
  'csv-stringify',
  'qrcode',
];

const PAGE = 'http://localhost:5173';
const ADMIN_TOKEN = 'consumer-admin-token-0123456789abcdefgh';

/** Starts a server process with plain node, waits for `readyPath` to answer, and stops it after the test. */
async function start(
  t: TestContext,
  cwd: string,
  [command, ...args]: readonly string[],
  env: (port: number) => Record<string, string>,
  readyPath: string,
  fixedPort?: number,
): Promise<string> {
  const port = fixedPort ?? (await freePort());
  const { NODE_OPTIONS: _ignored, ...inherited } = process.env;
  const child = spawn(command!, args, {
    cwd,
    env: { ...inherited, ...env(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  t.after(() => void child.kill('SIGTERM'));
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 100; attempt++) {
    if (child.exitCode !== null) break;
    const ok = await fetch(url + readyPath).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return url;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${command} ${args.join(' ')} did not start: ${stderr}`);
}

let scratch: string;
let tarball: string;

/** The version of a package this repository uses, so a scratch install matches what was tested. */
function versionOf(name: string): string {
  return (
    JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
}

function npm(cwd: string, args: string[]): void {
  execFileSync(NPM, [...args, '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
    cwd,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

function project(name: string): string {
  const dir = join(scratch, name);
  mkdirSync(dir);
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: `scratch-${name}`, private: true, type: 'module' }),
  );
  return dir;
}

/** Runs with plain node: no loader, no NODE_OPTIONS from this test process. */
function node(cwd: string, args: string[], env: Record<string, string> = {}) {
  const { NODE_OPTIONS: _ignored, ...inherited } = process.env;
  return spawnSync(process.execPath, args, {
    cwd,
    env: { ...inherited, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' });
}

before(() => {
  assert.ok(existsSync(join(ROOT, 'dist/lib/server/index.js')), 'run `npm run build` first');
  scratch = mkdtempSync(join(tmpdir(), 'paysg-checkout-consumer-'));
  const packed = JSON.parse(
    execFileSync(NPM, ['pack', '--ignore-scripts', '--json', '--pack-destination', scratch], {
      cwd: ROOT,
      encoding: 'utf8',
    }),
  ) as [{ filename: string; files: { path: string }[] }];
  tarball = join(scratch, packed[0].filename);
});

after(() => rmSync(scratch, { recursive: true, force: true }));

describe('the tarball', () => {
  it('holds the compiled package and its widget files, not the demo, the tests or TypeScript sources', () => {
    const listing = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
    const has = (path: string) => listing.includes(`package/${path}`);
    for (const path of [
      'dist/lib/widget/index.js',
      'dist/lib/widget/index.d.ts',
      'dist/lib/server/index.js',
      'dist/lib/server/paysg/index.js',
      'dist/lib/demo/simulator/index.js',
      'dist/lib/server/cli/paysg-checkout.js',
      'dist/widget/paysg-checkout.js',
      'dist/widget/manifest.json',
      'dist/custom-elements.json',
    ]) {
      assert.ok(has(path), `${path} is in the tarball`);
    }
    const unwanted = listing.filter((path) =>
      /^package\/(dist\/examples|test|demo|widget|server)\/|\.ts$(?<!\.d\.ts)|\.test\./.test(path),
    );
    assert.deepEqual(unwanted, []);
  });

  it('reaches its docs from the README: every guide it links is in the tarball, and npm’s page resolves the rest through repository', () => {
    const listing = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
    const readme = execFileSync('tar', ['-xzOf', tarball, 'package/README.md'], {
      encoding: 'utf8',
    });
    const guides = [...readme.matchAll(/\]\((docs\/[^)#\s]+\.md)(?:#[^)]*)?\)/g)].map((m) => m[1]!);
    assert.ok(guides.length >= 8, `the README links its guides (${guides.length})`);
    for (const guide of guides)
      assert.ok(listing.includes(`package/${guide}`), `${guide} is in the tarball`);
    const manifest = JSON.parse(
      execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }),
    ) as { repository?: { url?: string }; homepage?: string; bugs?: { url?: string } };
    const repository = /^git\+(https:\/\/github\.com\/[\w.-]+\/[\w.-]+)\.git$/.exec(
      manifest.repository?.url ?? '',
    )?.[1];
    assert.ok(
      repository,
      'repository is a GitHub URL npm can resolve relative links and images against',
    );
    assert.equal(manifest.homepage, `${repository}#readme`);
    assert.equal(manifest.bugs?.url, `${repository}/issues`);
  });
});

describe('a widget-only install', () => {
  let dir: string;
  before(() => {
    dir = project('widget');
    npm(dir, ['install', tarball]);
  });

  it('brings lit and nothing of the server: no native module built', () => {
    const installed = readdirSync(join(dir, 'node_modules'));
    assert.ok(installed.includes('lit'));
    for (const library of SERVER_LIBRARIES)
      assert.ok(!existsSync(join(dir, 'node_modules', library)), `${library} is not installed`);
    assert.deepEqual(
      filesUnder(join(dir, 'node_modules')).filter((file) => file.endsWith('.node')),
      [],
    );
  });

  it('compiles a TypeScript consumer against the published types, without Node types', () => {
    writeFileSync(
      join(dir, 'page.ts'),
      `import { PaysgCheckout, PaysgPaidEvent, type PaysgPaidDetail, type CheckoutState } from 'paysg-checkout';
const el = document.createElement('paysg-checkout');
const typed: PaysgCheckout = el;
typed.item = 'licence-renewal';
const state: CheckoutState = typed.state;
el.addEventListener('paysg-paid', (event) => {
  const detail: PaysgPaidDetail = event.detail;
  console.log(event instanceof PaysgPaidEvent, detail.referenceId, state);
});
`,
    );
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          lib: ['ES2023', 'DOM'],
          types: [],
          strict: true,
          noEmit: true,
        },
      }),
    );
    const tsc = node(dir, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', '.']);
    assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
  });

  it('imports in Node without a DOM, for server-side rendering', () => {
    const run = node(dir, [
      '--input-type=module',
      '-e',
      "const w = await import('paysg-checkout'); console.log(typeof w.PaysgCheckout, w.TAG_NAME)",
    ]);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout.trim(), 'function paysg-checkout');
  });

  it('says which package the server needs, in one line, and answers --help without it', () => {
    const bin = join(dir, 'node_modules/paysg-checkout/dist/lib/server/cli/paysg-checkout.js');
    const run = node(dir, [bin, 'bff']);
    assert.equal(run.status, 1);
    assert.match(
      run.stderr,
      /^paysg-checkout: the bff command needs the package (@hono\/node-server|hono); install it with: npm install \S+\n$/,
    );
    for (const args of [
      ['bff', '--help'],
      ['links', 'create', '--help'],
    ]) {
      const help = node(dir, [bin, ...args]);
      assert.equal(help.status, 0, `${args.join(' ')}: ${help.stderr}`);
      assert.match(help.stdout, /^usage: paysg-checkout/);
    }
  });
});

describe('a server install', () => {
  let dir: string;
  before(() => {
    dir = project('server');
    // The README's lines: the BFF's libraries, then the simulator's and payment links', then Express for its example.
    const peers = [
      'hono',
      '@hono/node-server',
      'zod',
      'jose',
      'rate-limiter-flexible',
      'better-sqlite3',
      'qrcode',
      'csv-parse',
      'csv-stringify',
      'openid-client',
      'express',
    ].map((name) => `${name}@${versionOf(name)}`);
    npm(dir, ['install', tarball, ...peers, '--ignore-scripts']);
    cpSync(
      join(ROOT, 'node_modules/better-sqlite3/build'),
      join(dir, 'node_modules/better-sqlite3/build'),
      { recursive: true },
    );
    cpSync(join(ROOT, 'demo/catalog.json'), join(dir, 'catalog.json'));
    for (const example of ['hono-server.mjs', 'express-server.mjs'])
      cpSync(join(ROOT, 'demo/mounting', example), join(dir, example));
  });

  for (const [stack, command] of [
    ['standalone: paysg-checkout bff', ['node_modules/.bin/paysg-checkout', 'bff']],
    ['inside a Hono app', [process.execPath, 'hono-server.mjs']],
    ['inside an Express app', [process.execPath, 'express-server.mjs']],
  ] as const) {
    it(`runs the BFF ${stack} against paysg-checkout simulator with plain node, and creates a checkout`, async (t) => {
      const simulator = await start(
        t,
        dir,
        ['node_modules/.bin/paysg-checkout', 'simulator'],
        (port) => ({
          SIMULATOR_PORT: String(port),
          SIMULATOR_PUBLIC_URL: `http://127.0.0.1:${port}`,
        }),
        '/_control/stats',
      );
      const bff = await start(
        t,
        dir,
        command,
        (port) => ({
          PORT: String(port),
          PAYSG_API_KEY: 'paysg_stag_simulator_demo_key_0000000000',
          PAYSG_PAYMENT_SERVICE_ID: 'payment_service_5f1c1b8e-3c39-4c5e-9a51-2d1f0d6a9e10',
          PAYSG_API_URL: simulator,
          PAYSG_PAYMENT_PAGE_ORIGIN: simulator,
          ALLOWED_ORIGINS: PAGE,
          DATABASE_PATH: join(mkdtempSync(join(scratch, 'data-')), 'checkouts.sqlite'),
          ADMIN_TOKEN,
        }),
        '/paysg/healthz',
      );
      const created = await fetch(`${bff}/paysg/checkouts`, {
        method: 'POST',
        headers: {
          Origin: PAGE,
          'Content-Type': 'application/json',
          'X-PaySG-Checkout': '1',
          'X-PaySG-Browser': 'browser-0123456789abcdef',
          'Idempotency-Key': randomUUID(),
        },
        body: JSON.stringify({
          item: 'licence-renewal',
          payer: { name: 'Tan Ah Kow' },
          returnTo: `${PAGE}/pay`,
        }),
      });
      const body = (await created.json()) as { checkoutId: string; paymentUrl: string };
      assert.equal(created.status, 201, JSON.stringify(body));
      assert.ok(body.paymentUrl.startsWith(`${simulator}/payments/`), body.paymentUrl);
      const view = await fetch(`${bff}/paysg/checkouts/${body.checkoutId}`);
      assert.equal(((await view.json()) as { amountInCents: number }).amountInCents, 12000);
      if (stack === 'standalone: paysg-checkout bff') {
        // With ADMIN_TOKEN, the back office's API is at {base}/admin/api, and only the token opens it.
        assert.equal((await fetch(`${bff}/paysg/admin/api/checkouts`)).status, 401);
        const listed = await fetch(`${bff}/paysg/admin/api/checkouts`, {
          headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
        });
        assert.deepEqual(
          ((await listed.json()) as { checkouts: { checkoutId: string }[] }).checkouts.map(
            (c) => c.checkoutId,
          ),
          [body.checkoutId],
        );
      }
      if (stack === 'inside an Express app') {
        // The host's own routes, after its body parser, are untouched.
        const own = await fetch(`${bff}/api/applications`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: '{"stall":"01-23"}',
        });
        assert.deepEqual(await own.json(), { received: { stall: '01-23' } });
      }
    });
  }

  it('serves the back office at {base}/admin/ from paysg-checkout bff: staff sign in through an OpenID provider, refund with a reason, sign out, and the audit names them', async (t) => {
    const simulator = await start(
      t,
      dir,
      ['node_modules/.bin/paysg-checkout', 'simulator'],
      (port) => ({
        SIMULATOR_PORT: String(port),
        SIMULATOR_PUBLIC_URL: `http://127.0.0.1:${port}`,
      }),
      '/_control/stats',
    );
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const idp = await startDemoIdentityProvider({
      port: await freePort(),
      adminUrl: `${origin}/paysg/admin`,
    });
    t.after(() => idp.close());
    const bff = await start(
      t,
      dir,
      ['node_modules/.bin/paysg-checkout', 'bff'],
      () => ({
        PORT: String(port),
        PUBLIC_URL: origin,
        PAYSG_API_KEY: 'paysg_stag_simulator_demo_key_0000000000',
        PAYSG_PAYMENT_SERVICE_ID: 'payment_service_5f1c1b8e-3c39-4c5e-9a51-2d1f0d6a9e10',
        PAYSG_API_URL: simulator,
        PAYSG_PAYMENT_PAGE_ORIGIN: simulator,
        ALLOWED_ORIGINS: PAGE,
        DATABASE_PATH: join(mkdtempSync(join(scratch, 'data-')), 'checkouts.sqlite'),
        ADMIN_OIDC_ISSUER: idp.issuer,
        ADMIN_OIDC_CLIENT_ID: DEMO_CLIENT_ID,
        ADMIN_OIDC_CLIENT_SECRET: idp.clientSecret,
        ADMIN_STAFF: DEMO_STAFF,
        ADMIN_TOKEN,
      }),
      '/paysg/healthz',
      port,
    );
    // The page, from the installed package's files.
    const page = await fetch(`${bff}/paysg/admin/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('Content-Security-Policy')!, /frame-ancestors 'none'/);
    assert.match(await page.text(), /<script type="module" src="\.\/admin\.js"/);
    assert.equal((await fetch(`${bff}/paysg/admin/admin.js`)).status, 200);

    // A paid checkout to refund.
    const created = (await (
      await fetch(`${bff}/paysg/checkouts`, {
        method: 'POST',
        headers: {
          Origin: PAGE,
          'Content-Type': 'application/json',
          'X-PaySG-Checkout': '1',
          'X-PaySG-Browser': 'browser-0123456789abcdef',
          'Idempotency-Key': randomUUID(),
        },
        body: JSON.stringify({
          item: 'licence-renewal',
          reference: 'LIC-STAFF-1',
          payer: { name: 'Tan Ah Kow' },
          returnTo: `${PAGE}/pay`,
        }),
      })
    ).json()) as { checkoutId: string; paymentUrl: string };
    await fetch(`${simulator}/_control/payments/${created.paymentUrl.split('/').pop()}/pay`, {
      method: 'POST',
    });
    await fetch(`${bff}/paysg/checkouts/${created.checkoutId}`);

    /** Signs `login` in at the provider; the session cookie. */
    const signIn = async (login: string) => {
      const started = await fetch(`${bff}/paysg/admin/sign-in`, { redirect: 'manual' });
      const attempt = started.headers
        .getSetCookie()
        .find((c) => c.startsWith('__Host-paysg-admin-sign-in='))!
        .split(';')[0]!;
      const back = await throughProvider(started.headers.get('Location')!, login, origin);
      const landed = await fetch(back, { redirect: 'manual', headers: { Cookie: attempt } });
      assert.equal(landed.headers.get('Location'), `${origin}/paysg/admin/`);
      return landed.headers
        .getSetCookie()
        .find((c) => c.startsWith('__Host-paysg-admin='))!
        .split(';')[0]!;
    };
    const post = (
      cookie: string,
      path: string,
      body: unknown,
      headers: Record<string, string> = {},
    ) =>
      fetch(`${bff}/paysg/admin${path}`, {
        method: 'POST',
        headers: { Cookie: cookie, Origin: origin, 'Content-Type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });

    const viewer = await signIn('chitra');
    assert.equal(
      (
        await post(
          viewer,
          `/api/checkouts/${created.checkoutId}/refunds`,
          { reason: 'Overcharged' },
          { 'Idempotency-Key': randomUUID() },
        )
      ).status,
      403,
    );
    const alice = await signIn('alice');
    const refunded = await post(
      alice,
      `/api/checkouts/${created.checkoutId}/refunds`,
      { amountInCents: 2000, reason: 'Overcharged' },
      { 'Idempotency-Key': randomUUID() },
    );
    assert.equal(refunded.status, 201, await refunded.clone().text());
    assert.equal((await post(alice, '/sign-out', {})).status, 200);
    assert.equal(
      (await fetch(`${bff}/paysg/admin/api/me`, { headers: { Cookie: alice } })).status,
      401,
    );

    const audit = (await (
      await fetch(`${bff}/paysg/admin/api/audit`, {
        headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
      })
    ).json()) as { events: { text: string; who: string; reason: string | null }[] };
    const lines = audit.events.map(
      (e) => `${e.text} | ${e.who}${e.reason ? ` | ${e.reason}` : ''}`,
    );
    for (const line of [
      'Signed out | Alice Tan (alice.tan@agency.example)',
      'Refund of SGD 20.00 asked for | Alice Tan (alice.tan@agency.example) | Overcharged',
      'Signed in | Alice Tan (alice.tan@agency.example)',
    ]) {
      assert.ok(lines.includes(line), `${line}\n in\n${lines.join('\n')}`);
    }
  });

  it('says at start, in one line, when PaySG refuses the BFF’s key', async (t) => {
    const simulator = await start(
      t,
      dir,
      ['node_modules/.bin/paysg-checkout', 'simulator'],
      (port) => ({
        SIMULATOR_PORT: String(port),
        SIMULATOR_PUBLIC_URL: `http://127.0.0.1:${port}`,
      }),
      '/_control/stats',
    );
    const port = await freePort();
    const { NODE_OPTIONS: _ignored, ...inherited } = process.env;
    const bff = spawn('node_modules/.bin/paysg-checkout', ['bff'], {
      cwd: dir,
      env: {
        ...inherited,
        PORT: String(port),
        PAYSG_API_KEY: 'paysg_stag_not_a_key_the_simulator_knows',
        PAYSG_PAYMENT_SERVICE_ID: 'payment_service_5f1c1b8e-3c39-4c5e-9a51-2d1f0d6a9e10',
        PAYSG_API_URL: simulator,
        PAYSG_PAYMENT_PAGE_ORIGIN: simulator,
        DATABASE_PATH: join(mkdtempSync(join(scratch, 'data-')), 'checkouts.sqlite'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    t.after(() => void bff.kill('SIGTERM'));
    let stderr = '';
    bff.stderr.on('data', (chunk) => (stderr += chunk));
    for (let waited = 0; waited < 100 && !stderr.includes('\n'); waited++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    assert.match(
      stderr,
      /^paysg-checkout bff: PaySG refused the API key \(401\): check PAYSG_API_KEY/,
    );
  });

  it('answers --help for the command and each subcommand', () => {
    const bin = join(dir, 'node_modules/.bin/paysg-checkout');
    for (const args of [
      ['--help'],
      ['bff', '--help'],
      ['simulator', '--help'],
      ['order-token', '--help'],
      ['links', '--help'],
      ['links', 'create', '--help'],
    ]) {
      const run = spawnSync(bin, args, { cwd: dir, encoding: 'utf8' });
      assert.equal(run.status, 0, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stdout, /^usage: paysg-checkout/, args.join(' '));
    }
  });

  it('runs a subcommand and fails in one line with an exit code', () => {
    const bin = join(dir, 'node_modules/.bin/paysg-checkout');
    const token = spawnSync(
      bin,
      ['order-token', '--reference', 'INV-1', '--amount', '45.50', '--description', 'Permit fee'],
      {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, ORDER_TOKEN_SECRETS: 'a-secret-of-at-least-thirty-two-characters' },
      },
    );
    assert.equal(token.status, 0, token.stderr);
    assert.match(token.stdout.trim(), /^[\w-]+\.[\w-]+\.[\w-]+$/);
    const bff = spawnSync(bin, ['bff'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, PAYSG_API_KEY: '', PAYSG_PAYMENT_SERVICE_ID: '' },
    });
    assert.equal(bff.status, 1);
    assert.match(bff.stderr, /^paysg-checkout: configuration error: .*PAYSG_API_KEY/);
    const unknown = spawnSync(bin, ['serve'], { cwd: dir, encoding: 'utf8' });
    assert.equal(unknown.status, 2);
    assert.equal(unknown.stderr.trim().split('\n').length, 1);
  });

  it('stops in one line when its port is taken', async (t) => {
    const taken = createServer().listen(0, '127.0.0.1');
    t.after(() => void taken.close());
    await new Promise((resolve) => taken.once('listening', resolve));
    const { port } = taken.address() as AddressInfo;
    const bin = join(dir, 'node_modules/.bin/paysg-checkout');
    const run = spawnSync(bin, ['simulator'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...process.env, SIMULATOR_PORT: String(port) },
    });
    assert.equal(run.status, 1);
    assert.equal(
      run.stderr,
      `paysg-simulator: port ${port} is in use; stop what holds it or set SIMULATOR_PORT\n`,
    );
  });
});
