/**
 * `paysg-checkout bff` (and `npm run bff` in this repository): the BFF on its own with Node.
 * Configured by environment variables (a `.env` file is read); PaySG credentials are required.
 * @module
 */
import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { ADMIN_API_PATH, createAdminApp } from '../admin/admin-app.js';
import { createCheckoutApp } from '../app.js';
import { depsFromConfig } from '../deps-from-config.js';
import { exitOnListenError } from './listen-error.js';
import { catalogOrExit, configOrExit, shutDownGracefully, storeOrExit, tlsFilesOrExit } from '../node-runtime.js';
import { BFF_HELP } from './command-help.js';

/** Starts the BFF; it runs until SIGINT or SIGTERM. */
export async function bffCommand(args: string[]): Promise<number | undefined> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(BFF_HELP);
    return 0;
  }
  if (args.length) {
    console.error(`paysg-checkout bff: unexpected argument ${JSON.stringify(args[0])} (it is configured by environment variables; see --help)`);
    return 2;
  }
  const config = configOrExit({ requirePaysg: true });
  const store = await storeOrExit(config);
  const deps = await depsFromConfig(config, { catalog: catalogOrExit(config.catalogFile), store });
  // Served at its base path directly: no mounting, so no copy of each request.
  const bff = createCheckoutApp({ ...deps, basePath: config.basePath });
  // The back office's API, apart from the widget's routes, only with an ADMIN_TOKEN.
  const admin = config.adminToken && createAdminApp(deps, { token: config.adminToken, basePath: ADMIN_API_PATH });
  const fetch: typeof bff.fetch = admin ? (request, env) => (pathOf(request.url).startsWith(`${ADMIN_API_PATH}/`) ? admin.fetch(request, env) : bff.fetch(request, env)) : bff.fetch;

  // Usually behind the agency's TLS terminator; with HTTPS_CERT_FILE and HTTPS_KEY_FILE it serves HTTPS itself.
  const tls = config.tls && tlsFilesOrExit(config.tls);
  const server = serve({ fetch, port: config.port, hostname: '0.0.0.0', ...(tls && { createServer: createHttpsServer, serverOptions: tls }) }, (info) => {
    console.log(`paysg-checkout BFF listening on port ${info.port}, mounted at ${config.basePath}`);
  });
  exitOnListenError(server, 'paysg-checkout bff', 'PORT');
  const stopReconciler = bff.startReconciler(config.reconcileEverySeconds * 1000, { quietMs: config.reconcileQuietSeconds * 1000 });
  shutDownGracefully(server as Server, stopReconciler, store);
  return undefined;
}

/** The path of a request URL, without parsing it whole. */
function pathOf(url: string): string {
  const start = url.indexOf('/', url.indexOf('//') + 2);
  const end = url.indexOf('?', start);
  return start < 0 ? '/' : url.slice(start, end < 0 ? undefined : end);
}
