/**
 * `npm start`: the demo portal, the BFF and (without PaySG credentials) the PaySG simulator in
 * one Node process on http://localhost:3000. With PaySG staging credentials it serves itself
 * over HTTPS on the same port (https://localhost:3000), as PaySG returns payers only to https.
 * @module
 */
import { serve } from '@hono/node-server';
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { fileURLToPath } from 'node:url';
import { jsonLogger } from '../server/logger.js';
import {
  catalogOrExit,
  configOrExit,
  shutDownGracefully,
  storeOrExit,
  widgetFromDisk,
} from '../server/node-runtime.js';
import type { AdminAppOptions } from '../server/admin/admin-app.js';
import { adminOptionsFrom } from '../server/admin/admin-options.js';
import { parseStaffList } from '../server/admin/staff-directory.js';
import { createDemoApp } from './demo-app.js';
import {
  DEMO_CLIENT_ID,
  DEMO_PEOPLE,
  DEMO_STAFF,
  startDemoIdentityProvider,
  type DemoIdentityProvider,
} from './identity-provider.js';
import { prepareDemoFormsg } from './formsg/demo-formsg-setup.js';
import { localTls } from './local-tls.js';

// The demo's FormSG makes its keys and sets FINE_RULES_FILE, FORMSG_SIGNING_KEY and the form's
// secret key before the configuration is read, as an agency sets them for its own forms; after
// .env, so that rules of one's own named there turn it off.
if (existsSync('.env')) process.loadEnvFile('.env');
const formsg = prepareDemoFormsg(process.env);
const config = configOrExit({
  requirePaysg: false,
  defaultCatalogFile: 'demo/catalog.json',
  localHttpsForPaysg: true,
});
if (!process.env.ALLOWED_ORIGINS) {
  // Opening the demo as 127.0.0.1 instead of localhost should work too.
  const local = new URL(config.publicUrl);
  if (local.hostname === 'localhost')
    config.allowedOrigins.push(`${local.protocol}//127.0.0.1:${local.port || 80}`);
}
// Before anything else: a certificate that cannot be used stops the start with one line.
const tls = await localTls(config);
const catalog = catalogOrExit(config.catalogFile);
// With the simulator, whose payments live only in memory, checkouts do too: a restart would
// otherwise leave orders whose PaySG payments no longer exist. DATABASE_PATH keeps them.
const withSimulator = !config.paysg && config.store.kind === 'sqlite' && !process.env.DATABASE_PATH;
const store = await storeOrExit(
  withSimulator ? { ...config, store: { kind: 'sqlite', path: ':memory:' } } : config,
);

// The back office: the agency's own identity provider when ADMIN_OIDC_ISSUER is set; otherwise the
// demo's, on the next port, with demo people (DEMO_IDP_PORT moves it).
let identityProvider: DemoIdentityProvider | undefined;
let admin: AdminAppOptions | undefined;
if (config.admin) admin = adminOptionsFrom(config.admin);
if (!config.admin?.oidc) {
  const port = Number(process.env.DEMO_IDP_PORT ?? config.port + 1);
  identityProvider = await startDemoIdentityProvider({
    port,
    adminUrl: `${config.publicUrl}${config.basePath}/admin`,
  }).catch((err: Error) => {
    console.error(
      `paysg-checkout demo: the demo identity provider could not listen on port ${port} (${err.message}); set DEMO_IDP_PORT to a free port`,
    );
    process.exit(1);
  });
  admin = {
    ...admin,
    oidc: {
      issuer: identityProvider.issuer,
      clientId: DEMO_CLIENT_ID,
      clientSecret: identityProvider.clientSecret,
    },
    staff: { byEmail: parseStaffList(DEMO_STAFF) },
    // Refunds above SGD 100 wait for a second person, so the demo shows an approval.
    refundApprovalOverInCents: config.admin?.refundApprovalOverInCents ?? 100_00,
  };
}

const { app, bff, simulator, environment, adminUrl } = createDemoApp({
  config,
  catalog,
  store,
  loadWidget: widgetFromDisk(),
  logger: jsonLogger(),
  publicDir: fileURLToPath(new URL('./public', import.meta.url)),
  examplesDir: fileURLToPath(new URL('../dist/examples', import.meta.url)),
  ...(admin && { admin }),
  ...(formsg && { formsg }),
});

const server = serve(
  {
    fetch: app.fetch,
    port: config.port,
    hostname: '0.0.0.0',
    ...(tls && {
      createServer: createHttpsServer,
      serverOptions: { cert: tls.cert, key: tls.key },
    }),
  },
  () => {
    const against = simulator
      ? 'the PaySG simulator (no real money)'
      : `PaySG ${environment.paysg} at ${environment.apiUrl}`;
    const lines = [`paysg-checkout demo: open ${config.publicUrl}/ (payments go to ${against})`];
    if (tls && tls.source !== 'given') {
      lines.push(
        `  HTTPS with a certificate made for localhost ${tls.source === 'made' ? 'now' : 'on an earlier start'} (${tls.certFile}): ` +
          'your browser will say it is not trusted.',
        '  Accept it for localhost once, or name a trusted one with HTTPS_CERT_FILE and HTTPS_KEY_FILE (mkcert makes them).',
      );
    }
    if (withSimulator)
      lines.push(
        '  checkouts are kept in memory, as the simulator keeps its payments (DATABASE_PATH keeps them)',
      );
    if (adminUrl) lines.push(`  back office at ${adminUrl}`);
    if (formsg)
      lines.push(
        `  fines from the demo's FormSG form at ${config.publicUrl}/fines.html (posted to ${config.publicUrl}${config.basePath}/formsg/parking)`,
      );
    if (identityProvider) {
      lines.push(
        `  staff sign in at the demo identity provider (${identityProvider.issuer}) as one of these, with any password:`,
      );
      for (const p of DEMO_PEOPLE)
        lines.push(
          `    ${p.login.padEnd(7)} ${p.name}, ${p.role === 'refund' ? 'can refund (refunds over SGD 100.00 need a second person)' : 'can only view'}`,
        );
    }
    // One write, so whoever reads the first line has the rest.
    console.log(lines.join('\n'));
  },
);
const stopReconciler = bff.startReconciler(config.reconcileEverySeconds * 1000, {
  quietMs: config.reconcileQuietSeconds * 1000,
});
shutDownGracefully(server as Server, stopReconciler, store, {
  close: async () => identityProvider?.close(),
});
