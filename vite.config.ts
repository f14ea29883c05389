import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import type { WidgetManifest } from './server/widget/widget-manifest.js';

/**
 * Builds the widget as agencies load it, into `dist/widget/`:
 * - `paysg-checkout.js`, one ES module with Lit and English inside, and the same bytes as
 *   `paysg-checkout.{hash}.js`, content-addressed, for a page to pin with SRI and cache forever;
 * - `locales/{lang}.{hash}.json`, Chinese, Malay and Tamil, fetched on demand with the integrity
 *   hash built into the script;
 * - a `.br` and `.gz` beside each, so the BFF serves them compressed without compressing per request;
 * - `manifest.json`: names, sizes and integrity hashes (server/widget/widget-manifest.ts).
 * Legacy decorators (tsconfig) would be lowered by Vite's own transform; standard `accessor`
 * decorators would ship verbatim and break (toolchain.md §5). The element uses neither.
 */

const LOADED_LANGS = ['zh', 'ms', 'ta'] as const;
const localeFilesModule = fileURLToPath(
  new URL('./widget/locales/locale-files.ts', import.meta.url),
);

const sha384 = (bytes: string | Uint8Array) => createHash('sha384').update(bytes).digest();
const integrityOf = (bytes: string | Uint8Array) => `sha384-${sha384(bytes).toString('base64')}`;
const shortHash = (bytes: string | Uint8Array) => sha384(bytes).toString('hex').slice(0, 12);
const gzip = (bytes: Uint8Array) => gzipSync(bytes, { level: 9 });
const brotli = (bytes: Uint8Array) =>
  brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  });

/** Collapses the whitespace of css`…` blocks, which Vite leaves as written. */
function minifyCssTemplates(): Plugin {
  return {
    name: 'paysg-minify-css-templates',
    transform(code, id) {
      if (!id.endsWith('.styles.ts')) return null;
      return code.replace(/css`([^`]*)`/g, (_, body: string) => {
        const compact = body
          .replace(/\/\*[\s\S]*?\*\//g, '')
          .replace(/\s+/g, ' ')
          .replace(/\s*([{}:;,>])\s*/g, '$1')
          .replace(/;}/g, '}')
          // `@media (a) and (b)` keeps its spaces; the colon rule above removed none there.
          .trim();
        return `css\`${compact}\``;
      });
    },
  };
}

/** Said in the console when the built script cannot fetch a language: where its files must be. */
const CDN_ADVICE =
  'Serve the locales folder beside the widget script, allow its origin in connect-src, and serve it with CORS.';

/**
 * Emits each language as a content-named JSON file and replaces `locale-files.ts` with a module
 * that names those files and their integrity, so the script vouches for every text it shows.
 */
function pinLocaleFiles(): Plugin {
  return {
    name: 'paysg-pin-locale-files',
    load(id) {
      if (id !== localeFilesModule) return null;
      const files: Record<string, [path: string, integrity: string]> = {};
      for (const lang of LOADED_LANGS) {
        const text = JSON.stringify(
          JSON.parse(
            readFileSync(new URL(`./widget/locales/${lang}.json`, import.meta.url), 'utf8'),
          ),
        );
        const fileName = `locales/${lang}.${shortHash(text)}.json`;
        this.emitFile({ type: 'asset', fileName, source: text });
        files[lang] = [`./${fileName}`, integrityOf(text)];
      }
      // The same answer as the source form's (LocaleFile), with what to check for this build's files.
      return `const FILES = ${JSON.stringify(files)};
export function localeFile(lang) {
  const [path, integrity] = FILES[lang];
  return { href: new URL(path, import.meta.url).href, integrity, advice: ${JSON.stringify(CDN_ADVICE)} };
}`;
    },
  };
}

/** The content-addressed copy, the compressed forms, and `manifest.json`. */
function widgetFiles(): Plugin {
  return {
    name: 'paysg-widget-files',
    generateBundle(_options, bundle) {
      const entry = Object.values(bundle).find((c) => c.type === 'chunk' && c.isEntry);
      if (entry?.type !== 'chunk') return;
      const script = Buffer.from(entry.code);
      const hashedFile = entry.fileName.replace(/\.js$/, `.${shortHash(script)}.js`);
      this.emitFile({ type: 'asset', fileName: hashedFile, source: script });
      const locales: WidgetManifest['locales'] = {};
      for (const asset of Object.values(bundle)) {
        const lang = asset.type === 'asset' && /^locales\/(\w+)\./.exec(asset.fileName)?.[1];
        if (!lang || asset.type !== 'asset') continue;
        const bytes = Buffer.from(asset.source);
        locales[lang] = {
          file: asset.fileName,
          integrity: integrityOf(bytes),
          bytes: bytes.length,
          brotliBytes: brotli(bytes).length,
        };
      }
      const manifest: WidgetManifest = {
        file: entry.fileName,
        hashedFile,
        integrity: integrityOf(script),
        bytes: script.length,
        gzipBytes: gzip(script).length,
        brotliBytes: brotli(script).length,
        locales,
      };
      for (const [fileName, bytes] of [
        [entry.fileName, script],
        [hashedFile, script],
        ...Object.values(locales).map((l) => [
          l.file,
          Buffer.from((bundle[l.file] as { source: string }).source),
        ]),
      ] as [string, Buffer][]) {
        this.emitFile({ type: 'asset', fileName: `${fileName}.gz`, source: gzip(bytes) });
        this.emitFile({ type: 'asset', fileName: `${fileName}.br`, source: brotli(bytes) });
      }
      this.emitFile({
        type: 'asset',
        fileName: 'manifest.json',
        source: `${JSON.stringify(manifest, null, 2)}\n`,
      });
    },
  };
}

export default defineConfig({
  plugins: [minifyCssTemplates(), pinLocaleFiles(), widgetFiles()],
  build: {
    target: 'es2022',
    outDir: 'dist/widget',
    emptyOutDir: true,
    lib: {
      entry: 'widget/index.ts',
      formats: ['es'],
      fileName: () => 'paysg-checkout.js',
    },
    rolldownOptions: {
      output: { minify: true },
    },
  },
});
