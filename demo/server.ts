/**
 * `npm start`: the demo portal, the BFF and (without PaySG credentials) the PaySG simulator in
 * one Node process on http://localhost:3000.
 * @module
 */
import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { jsonLogger } from '../server/logger.js';
import { catalogOrExit, configOrExit, shutDownGracefully, storeOrExit, widgetFromDisk } from '../server/node-runtime.js';
import { createDemoApp } from './demo-app.js';

const config = configOrExit({ requirePaysg: false, defaultCatalogFile: 'demo/catalog.json' });
if (!process.env.ALLOWED_ORIGINS) {
  // Opening the demo as 127.0.0.1 instead of localhost should work too.
  const local = new URL(config.publicUrl);
  if (local.hostname === 'localhost') config.allowedOrigins.push(`${local.protocol}//127.0.0.1:${local.port || 80}`);
}
const catalog = catalogOrExit(config.catalogFile);
const store = await storeOrExit(config);

const { app, bff, simulator } = createDemoApp({
  config,
  catalog,
  store,
  loadWidget: widgetFromDisk(),
  logger: jsonLogger(),
  publicDir: fileURLToPath(new URL('./public', import.meta.url)),
  examplesDir: fileURLToPath(new URL('../dist/examples', import.meta.url)),
});

const server = serve({ fetch: app.fetch, port: config.port, hostname: '0.0.0.0' }, () => {
  const against = simulator ? 'the PaySG simulator (no real money)' : `PaySG at ${config.paysg!.apiUrl ?? 'its API'}`;
  console.log(`paysg-checkout demo: open ${config.publicUrl}/ (payments go to ${against})`);
});
const stopReconciler = bff.startReconciler(config.reconcileEverySeconds * 1000, { quietMs: config.reconcileQuietSeconds * 1000 });
shutDownGracefully(server as Server, stopReconciler, store);
