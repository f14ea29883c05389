import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { transform } from 'esbuild';
import { defineConfig, type Plugin } from 'vite';

/**
 * Builds the widget as one ES module with Lit inside: `dist/widget/paysg-checkout.js`, the
 * file the BFF serves at `/paysg/widget.js`, plus `manifest.json` with its size and its
 * Subresource Integrity hash. Legacy decorators (tsconfig) would be lowered by Vite's own
 * transform; standard `accessor` decorators would ship verbatim and break (toolchain.md §5).
 */

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

/**
 * Shortens the widget's own `_private` member names in the finished bundle. Lit's internals
 * (`_$…`) do not match `_` + letter and are left alone; the element declares its properties in code (`static properties`),
 * never as strings, so every use is renamed consistently.
 */
function manglePrivateMembers(): Plugin {
  return {
    name: 'paysg-mangle-private-members',
    async renderChunk(code) {
      const out = await transform(code, { minify: true, format: 'esm', target: 'es2022', charset: 'utf8', mangleProps: /^_[a-zA-Z]/ });
      return { code: out.code, map: null };
    },
  };
}

/** Writes `manifest.json`: the file, its bytes, gzip bytes and SRI hash, for pinning it. */
function widgetManifest(): Plugin {
  return {
    name: 'paysg-widget-manifest',
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk' || !chunk.isEntry) continue;
        const bytes = Buffer.from(chunk.code);
        const manifest = {
          file: chunk.fileName,
          bytes: bytes.length,
          gzipBytes: gzipSync(bytes, { level: 9 }).length,
          integrity: `sha384-${createHash('sha384').update(bytes).digest('base64')}`,
        };
        this.emitFile({ type: 'asset', fileName: 'manifest.json', source: JSON.stringify(manifest, null, 2) + '\n' });
      }
    },
  };
}

export default defineConfig({
  plugins: [minifyCssTemplates(), manglePrivateMembers(), widgetManifest()],
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
