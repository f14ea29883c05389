/**
 * `paysg-checkout bff` (and `npm run bff` in this repository): the BFF on its own with Node.
 * Configured by environment variables (a `.env` file is read); PaySG credentials are required.
 * @module
 */
import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { ADMIN_PATH } from '../admin/admin-path.js';
import { adminOptionsFrom } from '../admin/admin-options.js';
import { createCheckoutApp } from '../app.js';
import { depsFromConfig } from '../deps-from-config.js';
import { exitOnListenError } from './listen-error.js';
import {
  catalogOrExit,
  configOrExit,
  finesOrExit,
  shutDownGracefully,
  storeOrExit,
  tlsFilesOrExit,
} from '../node-runtime.js';
import { BFF_HELP } from './command-help.js';

/** Starts the BFF; it runs until SIGINT or SIGTERM. */
export async function bffCommand(args: string[]): Promise<number | undefined> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(BFF_HELP);
    return 0;
  }
  if (args.length) {
    console.error(
      `paysg-checkout bff: unexpected argument ${JSON.stringify(args[0])} (it is configured by environment variables; see --help)`,
    );
    return 2;
  }
  const config = configOrExit({ requirePaysg: true });
  // Order tokens' library is loaded when they are first used; with ORDER_TOKEN_SECRETS set, load
  // it now, so a missing jose stops the start in one line instead of failing payers later.
  if (config.orderTokens) await import('jose');
  const store = await storeOrExit(config);
  const fines = finesOrExit(config.fines);
  const deps = await depsFromConfig(config, {
    catalog: catalogOrExit(config.catalogFile),
    store,
    ...(fines && { fines }),
  });
  // Limits shared through Redis count there from the first request, when it answers soon.
  if (deps.rateLimits?.store?.ready && !(await deps.rateLimits.store.ready(3_000))) {
    console.error(
      'paysg-checkout bff: Redis (REDIS_URL) did not answer within 3 s; rate limits are counted in this process until it does',
    );
  }
  // Served at its base path directly: no mounting, so no copy of each request.
  const bff = createCheckoutApp({ ...deps, basePath: config.basePath });
  // The back office (its page and API), at {base}/admin/, only when configured: staff signing in
  // through the agency's identity provider, or ADMIN_TOKEN for scripts. Loaded only then.
  const adminPath = `${config.basePath}${ADMIN_PATH}`;
  if (config.admin?.oidc) await import('openid-client');
  const admin =
    config.admin &&
    (await import('../admin/admin-app.js')).createAdminApp(deps, {
      ...adminOptionsFrom(config.admin),
      basePath: adminPath,
    });
  const isAdmin = (path: string) => path === adminPath || path.startsWith(`${adminPath}/`);
  const fetch: typeof bff.fetch = admin
    ? (request, env) =>
        isAdmin(pathOf(request.url)) ? admin.fetch(request, env) : bff.fetch(request, env)
    : bff.fetch;

  // Usually behind the agency's TLS terminator; with HTTPS_CERT_FILE and HTTPS_KEY_FILE it serves HTTPS itself.
  const tls = config.tls && tlsFilesOrExit(config.tls);
  const server = serve(
    {
      fetch,
      port: config.port,
      hostname: '0.0.0.0',
      ...(tls && { createServer: createHttpsServer, serverOptions: tls }),
    },
    (info) => {
      console.log(
        `paysg-checkout BFF listening on port ${info.port}, mounted at ${config.basePath}`,
      );
      // Asks PaySG at once, as /healthz would: a refused key or an unknown payment service shows
      // at start, not at the first payer; and the first health probe finds the answer ready.
      void Promise.resolve(bff.request(`${config.basePath}/healthz`))
        .then(async (response) => {
          const health = (await response.json()) as { paysg: string; paysgProblem?: string };
          if (health.paysgProblem) console.error(`paysg-checkout bff: ${health.paysgProblem}`);
          else console.log(`PaySG answered at ${deps.paysg.baseUrl}`);
        })
        .catch(() => {});
    },
  );
  exitOnListenError(server, 'paysg-checkout bff', 'PORT');
  const stopReconciler = bff.startReconciler(config.reconcileEverySeconds * 1000, {
    quietMs: config.reconcileQuietSeconds * 1000,
  });
  shutDownGracefully(server as Server, stopReconciler, store, deps.rateLimits?.store ?? {});
  return undefined;
}

/** The path of a request URL, without parsing it whole. */
function pathOf(url: string): string {
  const start = url.indexOf('/', url.indexOf('//') + 2);
  const end = url.indexOf('?', start);
  return start < 0 ? '/' : url.slice(start, end < 0 ? undefined : end);
}
