/**
 * `npm start`: the demo portal, the BFF and (without PaySG credentials) the PaySG simulator in
 * one Node process on http://localhost:3000.
 * @module
 */
import { serve } from '@hono/node-server';
import { fileURLToPath } from 'node:url';
import { jsonLogger } from '../server/logger.js';
import { catalogOrExit, configOrExit, widgetFromDisk } from '../server/node-runtime.js';
import { SqliteCheckoutStore } from '../server/storage/sqlite-store.js';
import { createDemoApp } from './demo-app.js';

const config = configOrExit({ requirePaysg: false, defaultCatalogFile: 'demo/catalog.json' });
if (!process.env.ALLOWED_ORIGINS) {
  // Opening the demo as 127.0.0.1 instead of localhost should work too.
  const local = new URL(config.publicUrl);
  if (local.hostname === 'localhost') config.allowedOrigins.push(`${local.protocol}//127.0.0.1:${local.port || 80}`);
}

const { app, simulator } = createDemoApp({
  config,
  catalog: catalogOrExit(config.catalogFile),
  store: new SqliteCheckoutStore(config.databasePath),
  loadWidget: widgetFromDisk(),
  logger: jsonLogger(),
  publicDir: fileURLToPath(new URL('./public', import.meta.url)),
});

serve({ fetch: app.fetch, port: config.port, hostname: '0.0.0.0' }, () => {
  const against = simulator ? 'the PaySG simulator (no real money)' : `PaySG at ${config.paysg!.apiUrl ?? 'its API'}`;
  console.log(`paysg-checkout demo: open ${config.publicUrl}/ (payments go to ${against})`);
});
