/**
 * Runs the BFF on its own with Node: `node --import tsx server/main.ts`. Needs PaySG
 * credentials; `npm start` runs the demo (with the simulator) instead.
 * @module
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createCheckoutApp } from './app.js';
import { jsonLogger } from './logger.js';
import { catalogOrExit, configOrExit, widgetFromDisk } from './node-runtime.js';
import { PaysgClient, paymentPageOriginsFor } from './paysg/client.js';
import { SqliteCheckoutStore } from './storage/sqlite-store.js';

const config = configOrExit({ requirePaysg: true, defaultCatalogFile: 'catalog.json' });
const paysgConfig = config.paysg!;

const catalog = catalogOrExit(config.catalogFile);

const paysg = new PaysgClient({
  apiKey: paysgConfig.apiKey,
  paymentServiceId: paysgConfig.paymentServiceId,
  baseUrl: paysgConfig.apiUrl,
});
const store = new SqliteCheckoutStore(config.databasePath);
const bff = createCheckoutApp({
  paysg,
  store,
  catalog,
  publicUrl: config.publicUrl + config.basePath,
  allowedOrigins: config.allowedOrigins,
  paymentPageOrigins: paymentPageOriginsFor(paysg.baseUrl),
  loadWidget: widgetFromDisk(),
  logger: jsonLogger(),
});

const app = new Hono().mount(config.basePath, bff.fetch);
serve({ fetch: app.fetch, port: config.port, hostname: '0.0.0.0' }, (info) => {
  console.log(`paysg-checkout BFF listening on port ${info.port}, mounted at ${config.basePath}`);
});
