import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * Builds the framework examples (React 19, Vue 3, Angular 21) that the demo serves at /examples/. They load
 * the widget the way agency pages do, from the BFF's /paysg/widget.js.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  logLevel: 'warn',
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    target: 'es2022',
    // Angular's page carries its just-in-time compiler (about 1 MB); a demo page, not a payer's download.
    chunkSizeWarningLimit: 1200,
    outDir: fileURLToPath(new URL('../../dist/examples', import.meta.url)),
    emptyOutDir: true,
    rolldownOptions: {
      input: {
        react: fileURLToPath(new URL('./react-app.tsx', import.meta.url)),
        vue: fileURLToPath(new URL('./vue-app.ts', import.meta.url)),
        angular: fileURLToPath(new URL('./angular-app.ts', import.meta.url)),
      },
      output: { entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
    },
  },
});
