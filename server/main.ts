/**
 * Runs the BFF on its own with Node: `npm run bff`. Needs PaySG credentials; `npm start` runs the
 * demo (with the simulator) instead.
 * @module
 */
import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { Hono } from 'hono';
import { createCheckoutApp } from './app.js';
import { jsonLogger } from './logger.js';
import { catalogOrExit, configOrExit, configuredDeps, shutDownGracefully, storeOrExit, tlsFilesOrExit, widgetFromDisk } from './node-runtime.js';
import { PaysgClient, paymentPageOriginsFor } from './paysg/client.js';

const config = configOrExit({ requirePaysg: true, defaultCatalogFile: 'catalog.json' });
const paysgConfig = config.paysg!;
const catalog = catalogOrExit(config.catalogFile);
const store = await storeOrExit(config);

const paysg = new PaysgClient({
  apiKey: paysgConfig.apiKey,
  paymentServiceId: paysgConfig.paymentServiceId,
  baseUrl: paysgConfig.apiUrl,
});
const bff = createCheckoutApp({
  ...configuredDeps(config),
  paysg,
  store,
  catalog,
  paymentPageOrigins: paysgConfig.paymentPageOrigin ? [paysgConfig.paymentPageOrigin] : paymentPageOriginsFor(paysg.baseUrl),
  loadWidget: widgetFromDisk(),
  logger: jsonLogger(),
});

const app = new Hono().mount(config.basePath, bff.fetch);
// Usually behind the agency's TLS terminator; with HTTPS_CERT_FILE and HTTPS_KEY_FILE it serves HTTPS itself.
const tls = config.tls && tlsFilesOrExit(config.tls);
const server = serve({ fetch: app.fetch, port: config.port, hostname: '0.0.0.0', ...(tls && { createServer: createHttpsServer, serverOptions: tls }) }, (info) => {
  console.log(`paysg-checkout BFF listening on port ${info.port}, mounted at ${config.basePath}`);
});
const stopReconciler = bff.startReconciler(config.reconcileEverySeconds * 1000, { quietMs: config.reconcileQuietSeconds * 1000 });
shutDownGracefully(server as Server, stopReconciler, store);
