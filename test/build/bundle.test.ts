/**
 * The built widget as agencies get it: the manifest's SRI hash and sizes match the file, the
 * size stays within its budget, importing the package where there is no DOM does not throw,
 * and the custom-elements manifest describes the element.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import type { WidgetManifest } from '../../server/widget/widget-manifest.js';

const root = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root));

/**
 * Gzip bytes the first file (Lit, the element and English) may reach: what it weighs today plus a
 * little, so it can only shrink. `npm run bench` shows the brotli bytes a payer downloads against
 * the 12 KiB target. Chinese, Malay and Tamil are separate files, fetched on demand.
 */
export const GZIP_BUDGET_BYTES = 16_100;
/** Each language fetched on demand, brotli as served. */
export const LOCALE_BROTLI_BUDGET_BYTES = 1536;

describe('the built widget', () => {
  const bundle = read('dist/widget/paysg-checkout.js');
  const manifest = JSON.parse(read('dist/widget/manifest.json').toString()) as WidgetManifest;
  const sri = (bytes: Buffer) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;

  it('publishes a manifest whose SRI hash and sizes are the file’s, and a content-named copy of it', () => {
    assert.equal(manifest.file, 'paysg-checkout.js');
    assert.equal(manifest.integrity, sri(bundle));
    assert.equal(manifest.bytes, bundle.length);
    assert.equal(manifest.gzipBytes, gzipSync(bundle, { level: 9 }).length);
    assert.match(manifest.hashedFile, /^paysg-checkout\.[0-9a-f]{12}\.js$/);
    assert.deepEqual(read(`dist/widget/${manifest.hashedFile}`), bundle);
  });

  it('ships each file precompressed, brotli and gzip, decompressing to the same bytes', () => {
    for (const file of [
      manifest.file,
      manifest.hashedFile,
      ...Object.values(manifest.locales).map((l) => l.file),
    ]) {
      const plain = read(`dist/widget/${file}`);
      assert.deepEqual(brotliDecompressSync(read(`dist/widget/${file}.br`)), plain, `${file}.br`);
      assert.deepEqual(gunzipSync(read(`dist/widget/${file}.gz`)), plain, `${file}.gz`);
    }
  });

  it('pins every language it fetches: the script carries each file’s name and integrity hash', () => {
    assert.deepEqual(Object.keys(manifest.locales).sort(), ['ms', 'ta', 'zh']);
    const script = bundle.toString();
    for (const [lang, locale] of Object.entries(manifest.locales)) {
      const bytes = read(`dist/widget/${locale.file}`);
      assert.equal(locale.integrity, sri(bytes), lang);
      assert.ok(script.includes(locale.integrity), `${lang}'s hash is in the script`);
      assert.ok(script.includes(`./${locale.file}`), `${lang}'s file is named in the script`);
      assert.deepEqual(
        JSON.parse(bytes.toString()),
        JSON.parse(read(`widget/locales/${lang}.json`).toString()),
        `${lang} is the source's texts`,
      );
    }
  });

  it('does not carry the other languages in the script', () => {
    const script = bundle.toString();
    for (const text of ['支付', 'Bayar', 'செலுத்து']) assert.ok(!script.includes(text), text);
  });

  it(`stays within its size budget (${GZIP_BUDGET_BYTES} B gzip; each language ${LOCALE_BROTLI_BUDGET_BYTES} B brotli)`, (t) => {
    t.diagnostic(`widget: ${manifest.gzipBytes} B gzip, ${manifest.brotliBytes} B brotli`);
    assert.ok(
      manifest.gzipBytes <= GZIP_BUDGET_BYTES,
      `${manifest.gzipBytes} B gzip is over the budget`,
    );
    for (const [lang, locale] of Object.entries(manifest.locales)) {
      assert.ok(
        locale.brotliBytes <= LOCALE_BROTLI_BUDGET_BYTES,
        `${lang}: ${locale.brotliBytes} B brotli`,
      );
    }
  });

  it('publishes a widget entry that stands alone: nothing of the server, nothing of Hono', () => {
    const files = ['widget', 'contract'].flatMap((dir) =>
      readdirSync(new URL(`dist/lib/${dir}/`, root), { recursive: true, encoding: 'utf8' }).map(
        (f) => join(dir, f),
      ),
    );
    assert.ok(
      files.includes(join('widget', 'index.d.ts')) && files.includes(join('widget', 'index.js')),
    );
    for (const file of files.filter((f) => /\.(d\.ts|js)$/.test(f))) {
      assert.doesNotMatch(
        read(`dist/lib/${file}`).toString(),
        /from ['"](hono|zod|.*\/server\/)/,
        file,
      );
    }
  });

  it('ships Lit in production mode, with no development warnings', () => {
    assert.doesNotMatch(bundle.toString(), /Lit is in dev mode/);
  });

  it('can be imported where there is no DOM (server-side rendering) without throwing', async () => {
    const widget = await import('../../widget/index.js');
    assert.equal(typeof widget.PaysgCheckout, 'function');
    assert.equal(typeof widget.define, 'function');
    assert.doesNotThrow(() => widget.define());
  });

  it('has a custom-elements manifest describing the tag, attributes, events, parts and properties', () => {
    const path = new URL('dist/custom-elements.json', root);
    assert.ok(existsSync(path), 'run npm run build');
    const cem = JSON.parse(readFileSync(path, 'utf8'));
    const declarations = cem.modules.flatMap(
      (m: { declarations?: unknown[] }) => m.declarations ?? [],
    );
    const element = declarations.find((d: { tagName?: string }) => d.tagName === 'paysg-checkout');
    assert.ok(element, 'paysg-checkout is declared');
    const names = (list: { name: string }[] = []) => list.map((x) => x.name);
    for (const attribute of ['endpoint', 'item', 'order-token', 'payer-name', 'mode', 'disabled']) {
      assert.ok(names(element.attributes).includes(attribute), attribute);
    }
    for (const event of [
      'paysg-ready',
      'paysg-submit',
      'paysg-redirect',
      'paysg-paid',
      'paysg-pending',
      'paysg-cancel',
      'paysg-error',
    ]) {
      assert.ok(names(element.events).includes(event), event);
    }
    assert.ok(names(element.cssParts).includes('pay-button'));
    assert.ok(names(element.cssProperties).includes('--paysg-color-primary'));
  });

  it('gives each property its exact type and default, as editors and framework wrappers read them', () => {
    const cem = JSON.parse(readFileSync(new URL('dist/custom-elements.json', root), 'utf8'));
    const element = cem.modules
      .flatMap((m: { declarations?: unknown[] }) => m.declarations ?? [])
      .find((d: { tagName?: string }) => d.tagName === 'paysg-checkout');
    const field = (name: string) =>
      element.members.find(
        (m: { kind: string; name: string }) => m.kind === 'field' && m.name === name,
      );
    const described = (name: string) => ({
      type: field(name)?.type?.text,
      default: field(name)?.default,
    });
    assert.deepEqual(described('mode'), { type: "'redirect' | 'popup'", default: "'redirect'" });
    assert.deepEqual(described('endpoint'), { type: 'string', default: "'/paysg'" });
    assert.deepEqual(described('disabled'), { type: 'boolean', default: 'false' });
    assert.deepEqual(described('orderToken'), { type: 'string | undefined', default: undefined });
    const modeAttribute = element.attributes.find((a: { name: string }) => a.name === 'mode');
    assert.equal(modeAttribute.type.text, "'redirect' | 'popup'");
  });
});

describe('the built command', () => {
  it('can be run as it is: `npx paysg-checkout` in a checkout needs its run bit', () => {
    const mode = statSync(new URL('dist/lib/server/cli/paysg-checkout.js', root)).mode;
    assert.equal(mode & 0o111, 0o111, `mode ${(mode & 0o777).toString(8)}`);
  });
});
