import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from '../../server/config.js';

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
  it('has working defaults for the demo', () => {
    const config = loadConfig({}, demo);
    assert.equal(config.port, 3000);
    assert.equal(config.publicUrl, 'http://localhost:3000');
    assert.deepEqual(config.allowedOrigins, ['http://localhost:3000']);
    assert.equal(config.basePath, '/paysg');
    assert.equal(config.paysg, undefined);
    assert.equal(config.databasePath, 'data/paysg-checkout.sqlite');
  });

  it('names each malformed variable in one line', () => {
    const [port] = problemsOf({ PORT: 'abc' });
    assert.match(port!, /^PORT must be a whole number from 1 to 65535 \(got "abc"\)$/);
    assert.match(problemsOf({ PORT: '70000' })[0]!, /^PORT /);
    assert.match(problemsOf({ PUBLIC_URL: 'ftp://x' })[0]!, /^PUBLIC_URL must be an http\(s\) URL/);
    assert.match(problemsOf({ ALLOWED_ORIGINS: 'https://a.example/path' })[0]!, /^ALLOWED_ORIGINS /);
    assert.match(problemsOf({ PAYSG_API_KEY: 'sk_test_1', PAYSG_PAYMENT_SERVICE_ID: 'payment_service_1' })[0]!, /^PAYSG_API_KEY must start with paysg_stag_/);
    assert.match(problemsOf({ PAYSG_API_KEY: 'paysg_stag_abc' })[0]!, /^PAYSG_PAYMENT_SERVICE_ID is missing/);
  });

  it('never echoes a secret back: a malformed key is named, not printed in full', () => {
    const [problem] = problemsOf({ PAYSG_API_KEY: 'paysg_stag_has space', PAYSG_PAYMENT_SERVICE_ID: 'payment_service_1' });
    assert.match(problem!, /^PAYSG_API_KEY /);
    assert.ok(!problem!.includes('has space'), problem);
  });

  it('needs https for PaySG, which returns payers only to https pages', () => {
    const env = { PAYSG_API_KEY: 'paysg_stag_abc', PAYSG_PAYMENT_SERVICE_ID: 'payment_service_1' };
    assert.match(problemsOf(env)[0]!, /^PUBLIC_URL must be an https URL/);
    assert.deepEqual(problemsOf({ ...env, PUBLIC_URL: 'https://agency.example' }), []);
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
    writeFileSync(file, JSON.stringify({ items: { 'a-fee': { description: 'A fee', amountInCents: -5 } } }));
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'demo/server.ts'], {
      cwd: ROOT,
      env: { ...process.env, CATALOG_FILE: file, PORT: '3999' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(result.status, 1);
    assert.match(result.stderr.trim(), /^paysg-checkout: configuration error: CATALOG_FILE items\.a-fee\.amountInCents: /);
  });
});
