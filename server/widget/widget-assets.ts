/**
 * The widget's files as the BFF serves them: read once from `dist/widget/` (the build's output,
 * precompressed), or made in memory from a script for tests and embedders that build their own.
 * @module
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import type { WidgetManifest } from './widget-manifest.js';

export interface WidgetFile {
  body: Uint8Array;
  brotli: Uint8Array;
  gzip: Uint8Array;
}

export interface WidgetAssets {
  manifest: WidgetManifest;
  /** By the path the manifest gives (`paysg-checkout.js`, `locales/zh.{hash}.json`, …). */
  files: ReadonlyMap<string, WidgetFile>;
}

/** `dist/widget/` as the build wrote it, or `undefined` when it has not been built. */
export async function readWidgetAssets(dir: string): Promise<WidgetAssets | undefined> {
  let manifest: WidgetManifest;
  try {
    manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as WidgetManifest;
  } catch {
    return undefined;
  }
  const files = new Map<string, WidgetFile>();
  for (const path of [
    manifest.file,
    manifest.hashedFile,
    ...Object.values(manifest.locales).map((l) => l.file),
  ]) {
    const read = (suffix: string) => readFile(join(dir, path + suffix));
    const [body, brotli, gzip] = await Promise.all([read(''), read('.br'), read('.gz')]);
    files.set(path, { body, brotli, gzip });
  }
  return { manifest, files };
}

/** Assets for a script built elsewhere (tests; a BFF embedded in another build). */
export function widgetAssetsOf(script: string, locales: Record<string, string> = {}): WidgetAssets {
  const files = new Map<string, WidgetFile>();
  const add = (path: string, text: string): WidgetFile => {
    const body = Buffer.from(text);
    const file = { body, brotli: brotliCompressSync(body), gzip: gzipSync(body) };
    files.set(path, file);
    return file;
  };
  const hash = (bytes: Uint8Array) => createHash('sha384').update(bytes).digest();
  const body = Buffer.from(script);
  const hashedFile = `paysg-checkout.${hash(body).toString('hex').slice(0, 12)}.js`;
  add('paysg-checkout.js', script);
  const hashed = add(hashedFile, script);
  const manifest: WidgetManifest = {
    file: 'paysg-checkout.js',
    hashedFile,
    integrity: `sha384-${hash(body).toString('base64')}`,
    bytes: body.length,
    gzipBytes: hashed.gzip.length,
    brotliBytes: hashed.brotli.length,
    locales: {},
  };
  for (const [lang, text] of Object.entries(locales)) {
    const bytes = Buffer.from(text);
    const file = `locales/${lang}.${hash(bytes).toString('hex').slice(0, 12)}.json`;
    const added = add(file, text);
    manifest.locales[lang] = {
      file,
      integrity: `sha384-${hash(bytes).toString('base64')}`,
      bytes: bytes.length,
      brotliBytes: added.brotli.length,
    };
  }
  return { manifest, files };
}
