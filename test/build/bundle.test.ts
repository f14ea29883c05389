/**
 * The built widget as agencies get it: the manifest's SRI hash and sizes match the file, the
 * size stays within its budget, importing the package where there is no DOM does not throw,
 * and the custom-elements manifest describes the element.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';

const root = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root));

/**
 * Gzip bytes the bundle (Lit and all four languages) may reach. The target is 12 KiB; this
 * ceiling is what the widget weighs today plus a little, so it can only shrink towards it.
 * `npm run bench` shows where the bytes go. Raised from 13,800 by the browser secret and the
 * expired-order-token path in four languages (+475 B): loading zh/ms/ta on demand takes far
 * more back.
 */
export const GZIP_BUDGET_BYTES = 14_300;
export const GZIP_TARGET_BYTES = 12 * 1024;

describe('the built widget', () => {
  const bundle = read('dist/widget/paysg-checkout.js');
  const manifest = JSON.parse(read('dist/widget/manifest.json').toString()) as { file: string; bytes: number; gzipBytes: number; integrity: string };

  it('publishes a manifest whose SRI hash and sizes are the file’s', () => {
    assert.equal(manifest.file, 'paysg-checkout.js');
    assert.equal(manifest.integrity, `sha384-${createHash('sha384').update(bundle).digest('base64')}`);
    assert.equal(manifest.bytes, bundle.length);
    assert.equal(manifest.gzipBytes, gzipSync(bundle, { level: 9 }).length);
  });

  it(`stays within its size budget (${GZIP_BUDGET_BYTES} B gzip; target ${GZIP_TARGET_BYTES} B)`, (t) => {
    t.diagnostic(`widget: ${manifest.gzipBytes} B gzip, ${manifest.gzipBytes - GZIP_TARGET_BYTES} B above the 12 KiB target`);
    assert.ok(manifest.gzipBytes <= GZIP_BUDGET_BYTES, `${manifest.gzipBytes} B gzip is over the budget`);
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
    const declarations = cem.modules.flatMap((m: { declarations?: unknown[] }) => m.declarations ?? []);
    const element = declarations.find((d: { tagName?: string }) => d.tagName === 'paysg-checkout');
    assert.ok(element, 'paysg-checkout is declared');
    const names = (list: { name: string }[] = []) => list.map((x) => x.name);
    for (const attribute of ['endpoint', 'item', 'order-token', 'payer-name', 'mode', 'disabled']) {
      assert.ok(names(element.attributes).includes(attribute), attribute);
    }
    for (const event of ['paysg-ready', 'paysg-submit', 'paysg-redirect', 'paysg-paid', 'paysg-pending', 'paysg-cancel', 'paysg-error']) {
      assert.ok(names(element.events).includes(event), event);
    }
    assert.ok(names(element.cssParts).includes('pay-button'));
    assert.ok(names(element.cssProperties).includes('--paysg-color-primary'));
  });
});
