/**
 * `import 'paysg-checkout'` in an app built by its own bundler: Vite and webpack with their
 * defaults, esbuild with the one step docs/widget.md gives it. The packed tarball is installed into
 * a scratch app, each bundler builds it, a small server on 127.0.0.1 serves the result under the
 * Content-Security-Policy docs/widget.md recommends, and Debian's Chromium opens it: a payer who
 * reads Chinese gets the Chinese texts with no CSP violation, and one who reads English downloads
 * none of the language files. Needs `npm run build` first, and the npm registry (or npm's cache)
 * for Lit.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build as esbuild } from 'esbuild';
import { chromium, type Browser } from 'playwright';
import { build as viteBuild } from 'vite';
import webpack, { type Configuration } from 'webpack';
import { serveApp, type AppServer } from './csp-app-server.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
/** The languages' files as the package ships them, for the step esbuild needs (docs/widget.md). */
const LOCALES = 'node_modules/paysg-checkout/dist/lib/widget/locales';

let scratch: string;
let app: string;
let browser: Browser;

/** The page: one widget whose payer reads `lang`, and the app's script. */
function page(lang: string, script: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Licence renewal</title></head>
<body>
<paysg-checkout endpoint="/paysg" item="licence-renewal" payer-name="Tan Ah Kow" lang="${lang}"></paysg-checkout>
${script}
</body>
</html>
`;
}

before(
  async () => {
    assert.ok(existsSync(join(ROOT, 'dist/lib/widget/index.js')), 'run `npm run build` first');
    scratch = mkdtempSync(join(tmpdir(), 'paysg-checkout-bundlers-'));
    const packed = JSON.parse(
      execFileSync(NPM, ['pack', '--ignore-scripts', '--json', '--pack-destination', scratch], {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 60_000,
      }),
    ) as [{ filename: string }];
    app = join(scratch, 'app');
    mkdirSync(app);
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({ name: 'scratch-bundled-app', private: true, type: 'module' }),
    );
    execFileSync(
      NPM,
      [
        'install',
        join(scratch, packed[0].filename),
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        '--loglevel=error',
      ],
      { cwd: app, stdio: ['ignore', 'ignore', 'pipe'], timeout: 90_000 },
    );
    writeFileSync(join(app, 'main.js'), "import 'paysg-checkout';\n");
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  },
  { timeout: 120_000 },
);

after(async () => {
  await browser?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** What a payer's visit showed and cost. */
interface Visit {
  state: string;
  pay: string;
  description: string;
  /** `securitypolicyviolation` events: `directive blocked-URI`. */
  violations: string[];
  /** The console's errors and warnings. */
  console: string[];
  requests: string[];
  /** The text of every script the page loaded. */
  scripts: string[];
}

async function visit(server: AppServer, path: string): Promise<Visit> {
  const context = await browser.newContext();
  const tab = await context.newPage();
  const visit: Visit = {
    state: '',
    pay: '',
    description: '',
    violations: [],
    console: [],
    requests: [],
    scripts: [],
  };
  tab.on(
    'console',
    (m) =>
      (m.type() === 'error' || m.type() === 'warning') &&
      visit.console.push(`${m.type()}: ${m.text()}`),
  );
  tab.on('pageerror', (e) => visit.console.push(`pageerror: ${e.message}`));
  tab.on('request', (r) => visit.requests.push(r.url()));
  const scripts: Promise<string>[] = [];
  tab.on(
    'response',
    (r) => r.request().resourceType() === 'script' && scripts.push(r.text().catch(() => '')),
  );
  // Before the page's own scripts; added through the browser's devtools, so the page's CSP allows it.
  await tab.addInitScript(() => {
    const seen: string[] = [];
    (globalThis as { violations?: string[] }).violations = seen;
    document.addEventListener('securitypolicyviolation', (e) =>
      seen.push(`${e.effectiveDirective} ${e.blockedURI}`),
    );
  });
  try {
    await tab.goto(server.url + path, { timeout: 10_000 });
    // Ready: the quote and the payer's texts are in (a language that failed leaves English).
    await tab.locator('paysg-checkout [part="pay-button"]').waitFor({ timeout: 10_000 });
    await tab.waitForTimeout(100);
    visit.pay = ((await tab.locator('paysg-checkout [part="pay-button"]').textContent()) ?? '')
      .replace(/\s+/g, ' ')
      .trim();
    visit.description = (
      (await tab.locator('paysg-checkout [part="description"]').textContent()) ?? ''
    ).trim();
    visit.state = await tab.evaluate(
      () => (document.querySelector('paysg-checkout') as HTMLElement & { state: string }).state,
    );
    visit.violations = await tab.evaluate(
      () => (globalThis as { violations?: string[] }).violations ?? [],
    );
    visit.scripts = await Promise.all(scripts);
    return visit;
  } finally {
    await context.close();
  }
}

/** A payer who reads Chinese sees Chinese, and nothing was refused. */
function assertChinese(v: Visit): void {
  assert.deepEqual(v.violations, [], 'no CSP violation');
  assert.deepEqual(v.console, [], 'nothing said in the console');
  assert.equal(v.state, 'ready');
  assert.match(v.pay, /^支付 SGD\s?120\.00$/, 'the Pay button is in Chinese');
  assert.equal(v.description, '小贩摊位执照更新');
}

/** A payer who reads English downloads no language: no file fetched, none inside the scripts. */
function assertEnglishOnly(v: Visit): void {
  assert.deepEqual(v.violations, []);
  assert.deepEqual(v.console, []);
  assert.match(v.pay, /^Pay SGD\s?120\.00$/);
  assert.deepEqual(
    v.requests.filter((url) => /\.json(\?|#|$)|^data:/.test(url)),
    [],
    'no language file requested',
  );
  assert.ok(v.scripts.length > 0, 'the page loaded its scripts');
  for (const script of v.scripts) {
    assert.ok(
      !script.includes('支付') &&
        !script.includes('Bayar') &&
        !script.includes('data:application/json'),
      'no language inside the scripts',
    );
  }
}

/** Builds into `out` with `build`, writes `zh.html` and `en.html`, and serves them. */
async function builtApp(name: string, build: (out: string) => Promise<string>): Promise<AppServer> {
  const out = join(app, `out-${name}`);
  rmSync(out, { recursive: true, force: true });
  const html = await build(out);
  writeFileSync(join(out, 'zh.html'), html.replaceAll('__LANG__', 'zh'));
  writeFileSync(join(out, 'en.html'), html.replaceAll('__LANG__', 'en'));
  return serveApp(out);
}

async function withApp(
  name: string,
  build: (out: string) => Promise<string>,
  check: (server: AppServer) => Promise<void>,
): Promise<void> {
  const server = await builtApp(name, build);
  try {
    await check(server);
  } finally {
    await server.close();
  }
}

/** Vite's defaults: `vite build` of an index.html whose module imports the package. */
async function buildWithVite(out: string): Promise<string> {
  writeFileSync(
    join(app, 'index.html'),
    page('__LANG__', '<script type="module" src="/main.js"></script>'),
  );
  await viteBuild({
    root: app,
    configFile: false,
    logLevel: 'silent',
    build: { outDir: out, emptyOutDir: true },
  });
  return readFileSync(join(out, 'index.html'), 'utf8');
}

/** webpack's defaults (production), with `extra` merged in; a classic script, as webpack emits by default. */
async function buildWithWebpack(out: string, extra: Configuration = {}): Promise<string> {
  const stats = await new Promise<webpack.Stats>((resolve, reject) =>
    webpack(
      { mode: 'production', context: app, entry: './main.js', output: { path: out }, ...extra },
      (err, result) => (err || !result ? reject(err ?? new Error('no stats')) : resolve(result)),
    ),
  );
  assert.ok(!stats.hasErrors(), stats.toString('errors-only'));
  return page('__LANG__', '<script src="/main.js"></script>');
}

/** esbuild as docs/widget.md says: an ES module, and the package's language files copied beside it. */
async function buildWithEsbuild(
  out: string,
  { copyLocales = true, format = 'esm' as 'esm' | 'iife' } = {},
): Promise<string> {
  await esbuild({
    absWorkingDir: app,
    entryPoints: ['main.js'],
    bundle: true,
    format,
    minify: true,
    outdir: out,
    logLevel: 'silent',
  });
  if (copyLocales)
    for (const file of readdirSync(join(app, LOCALES)).filter((f) => f.endsWith('.json')))
      copyFileSync(join(app, LOCALES, file), join(out, file));
  return page(
    '__LANG__',
    `<script ${format === 'esm' ? 'type="module"' : 'defer'} src="/main.js"></script>`,
  );
}

/** The widget's console warning, which must be there. */
function warningOf(v: Visit): string {
  const warning = v.console.find((line) => line.includes('<paysg-checkout>'));
  assert.ok(warning, `a warning in the console:\n${v.console.join('\n')}`);
  return warning;
}

describe('the languages in an app built with a bundler, under the documented CSP', {
  timeout: 120_000,
}, () => {
  it('Vite (defaults): Chinese for a Chinese-speaking payer, nothing of it for an English-speaking one', {
    timeout: 60_000,
  }, async () => {
    await withApp('vite', buildWithVite, async (server) => {
      assertChinese(await visit(server, '/zh.html'));
      assertEnglishOnly(await visit(server, '/en.html'));
    });
  });

  it('webpack 5 (defaults): Chinese for a Chinese-speaking payer, nothing of it for an English-speaking one', {
    timeout: 60_000,
  }, async () => {
    await withApp('webpack', buildWithWebpack, async (server) => {
      assertChinese(await visit(server, '/zh.html'));
      assertEnglishOnly(await visit(server, '/en.html'));
    });
  });

  it('esbuild (ES module, the language files copied beside it): Chinese for a Chinese-speaking payer, nothing of it for an English-speaking one', {
    timeout: 60_000,
  }, async () => {
    await withApp('esbuild', buildWithEsbuild, async (server) => {
      assertChinese(await visit(server, '/zh.html'));
      assertEnglishOnly(await visit(server, '/en.html'));
    });
  });

  it('esbuild without the copied files: English, and the console names the missing file and what to do', {
    timeout: 60_000,
  }, async () => {
    await withApp(
      'esbuild-no-copy',
      (out) => buildWithEsbuild(out, { copyLocales: false }),
      async (server) => {
        const v = await visit(server, '/zh.html');
        assert.deepEqual(v.violations, []);
        assert.match(v.pay, /^Pay SGD/);
        const warning = warningOf(v);
        assert.match(warning, /showing English/);
        assert.ok(warning.includes(`${server.url}/zh.json`), warning);
        assert.match(warning, /HTTP 404/);
        assert.match(
          warning,
          /with esbuild, copy paysg-checkout's dist\/lib\/widget\/locales\/\*\.json beside the bundle/,
        );
      },
    );
  });

  it('esbuild as a classic script (iife, no import.meta.url): English, and the console says to bundle an ES module', {
    timeout: 60_000,
  }, async () => {
    await withApp(
      'esbuild-iife',
      (out) => buildWithEsbuild(out, { format: 'iife' }),
      async (server) => {
        const v = await visit(server, '/zh.html');
        assert.deepEqual(v.violations, []);
        assert.match(v.pay, /^Pay SGD/);
        const warning = warningOf(v);
        assert.match(warning, /showing English/);
        assert.match(warning, /no import\.meta\.url/);
        assert.match(warning, /--format=esm/);
      },
    );
  });

  it('a bundler set to inline files as data: URLs (webpack asset/inline): the texts are read from the script, never fetched', {
    timeout: 60_000,
  }, async () => {
    // Not minified: quicker, and minifying has nothing to do with how files are referenced.
    const inline: Configuration = {
      module: { rules: [{ dependency: 'url', type: 'asset/inline' }] },
      optimization: { minimize: false },
    };
    await withApp(
      'webpack-inline',
      (out) => buildWithWebpack(out, inline),
      async (server) => {
        const v = await visit(server, '/zh.html');
        assertChinese(v);
        assert.ok(
          v.scripts.some((s) => s.includes('data:application/json')),
          'the texts are inside the script',
        );
      },
    );
  });
});
