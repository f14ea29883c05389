import { defineConfig } from 'vite';

/**
 * Builds the widget as one ES module with Lit inside: `dist/widget/paysg-checkout.js`, the
 * file the BFF serves at `/paysg/widget.js`. Legacy decorators (tsconfig) are lowered by Vite's
 * own transform; standard `accessor` decorators would ship verbatim and break (toolchain.md §5).
 */
export default defineConfig({
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
