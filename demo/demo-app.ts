/**
 * The demo as one Hono app: the agency portal at `/`, the BFF at `/paysg`, (without PaySG
 * credentials) the PaySG simulator at `/simulator`, and the demo's FormSG at `/demo/formsg`,
 * which posts a parking-fine form's submissions to the BFF as FormSG would.
 * @module
 */
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { ADMIN_PATH, createAdminApp, type AdminAppOptions } from '../server/admin/admin-app.js';
import { createCheckoutApp, type CheckoutApp, type CheckoutAppDeps } from '../server/app.js';
import type { Config } from '../server/config.js';
import type { Logger } from '../server/logger.js';
import { configuredDeps } from '../server/node-runtime.js';
import type { Catalog } from '../server/orders/catalog.js';
import {
  PAYSG_PRODUCTION_API,
  PAYSG_STAGING_API,
  PaysgClient,
  paymentPageOriginsFor,
} from '../server/paysg/client.js';
import type { CheckoutStore } from '../server/storage/checkout-store.js';
import { DEFAULT_AUDIENCE } from '../server/orders/order-token.js';
import { agencyBackend } from './agency-backend.js';
import { type DemoFormsgKeys, demoFineRules } from './formsg/demo-formsg-setup.js';
import { demoFormsgRoutes } from './formsg/demo-formsg-routes.js';
import { strictCspPage } from './strict-csp-page.js';
import {
  createSimulator,
  SIMULATOR_API_KEY,
  SIMULATOR_PAYMENT_SERVICE_ID,
  type Simulator,
} from './simulator/simulator.js';

export const SIMULATOR_PATH = '/simulator';

export interface DemoAppOptions {
  config: Config;
  catalog: Catalog;
  store: CheckoutStore;
  loadWidget: CheckoutAppDeps['loadWidget'];
  logger?: Logger;
  /** Folder of the portal's static files. */
  publicDir: string;
  /** Folder of the built framework examples (React, Vue), served at /examples/. */
  examplesDir?: string;
  /** The back office at `{base}/admin/`: the agency's settings, or the demo's own identity provider. */
  admin?: AdminAppOptions;
  /**
   * The demo's FormSG (`prepareDemoFormsg`): the BFF takes fines from its parking form, signed
   * with its key. Absent when FINE_RULES_FILE names rules of someone's own.
   */
  formsg?: DemoFormsgKeys;
}

export interface DemoApp {
  app: Hono;
  bff: CheckoutApp;
  /** Present when the demo runs against the simulator rather than PaySG. */
  simulator: Simulator | undefined;
  /** Where its payments go, for the page's banner and the start-up line. */
  environment: DemoEnvironment;
  /** Where the back office is, when there is one. */
  adminUrl: string | undefined;
}

/** Which PaySG the demo's payments go to. */
export interface DemoEnvironment {
  paysg: 'simulator' | 'staging' | 'production' | 'custom';
  apiUrl: string;
}

function environmentOf(paysg: PaysgClient, simulator: Simulator | undefined): DemoEnvironment {
  if (simulator) return { paysg: 'simulator', apiUrl: paysg.baseUrl };
  const kind =
    paysg.baseUrl === PAYSG_STAGING_API
      ? 'staging'
      : paysg.baseUrl === PAYSG_PRODUCTION_API
        ? 'production'
        : 'custom';
  return { paysg: kind, apiUrl: paysg.baseUrl };
}

export function createDemoApp(options: DemoAppOptions): DemoApp {
  const { config } = options;
  let simulator: Simulator | undefined;
  let paysg: PaysgClient;
  let paymentPageOrigins: string[];

  if (config.paysg) {
    paysg = new PaysgClient({
      apiKey: config.paysg.apiKey,
      paymentServiceId: config.paysg.paymentServiceId,
      baseUrl: config.paysg.apiUrl,
    });
    paymentPageOrigins = config.paysg.paymentPageOrigin
      ? [config.paysg.paymentPageOrigin]
      : paymentPageOriginsFor(paysg.baseUrl);
  } else {
    const simulatorUrl = config.publicUrl + SIMULATOR_PATH;
    const webhookSecret = config.webhookSecrets[0];
    simulator = createSimulator({
      publicUrl: simulatorUrl,
      // With a webhook secret set, the simulator also sends payment.succeeded to the BFF.
      webhooks: webhookSecret
        ? {
            endpoints: [
              { url: `${config.publicUrl}${config.basePath}/webhooks`, secret: webhookSecret },
            ],
          }
        : {},
    });
    // In-process: the BFF reaches the simulator without a network round trip.
    paysg = new PaysgClient({
      apiKey: SIMULATOR_API_KEY,
      paymentServiceId: SIMULATOR_PAYMENT_SERVICE_ID,
      baseUrl: simulatorUrl,
      fetch: simulator.fetch,
    });
    paymentPageOrigins = [new URL(config.publicUrl).origin];
  }

  // Without configured secrets the demo makes one up, so order tokens work out of the box.
  const orderTokens = config.orderTokens ?? {
    secrets: [crypto.randomUUID() + crypto.randomUUID()],
    audience: DEFAULT_AUDIENCE,
  };
  // The demo form's rule with its webhook URL where this BFF is, and the demo's signing key.
  const demoFines =
    options.formsg && demoFineRules(`${config.publicUrl}${config.basePath}`, options.formsg);
  const fines = options.formsg &&
    demoFines && {
      fines: { rules: demoFines.rules, signingPublicKey: options.formsg.signing.publicKey },
    };
  const deps: CheckoutAppDeps = {
    ...configuredDeps(config),
    ...fines,
    orderTokens,
    paysg,
    store: options.store,
    catalog: options.catalog,
    paymentPageOrigins,
    loadWidget: options.loadWidget,
    ...(options.logger && { logger: options.logger }),
  };
  const bff = createCheckoutApp(deps);

  const app = new Hono();
  // The back office before the BFF, whose mount would otherwise take its path too.
  const adminPath = `${config.basePath}${ADMIN_PATH}`;
  if (options.admin) {
    app.get(adminPath, (c) => c.redirect(`${adminPath}/`, 301));
    app.mount(adminPath, createAdminApp(deps, options.admin).fetch);
  }
  app.mount(config.basePath, bff.fetch);
  // The agency backend signs with the first secret: a rotation puts the new one first.
  const [signingSecret] = orderTokens.secrets;
  if (signingSecret)
    app.route('/agency', agencyBackend({ secret: signingSecret, audience: orderTokens.audience }));
  if (simulator) app.mount(SIMULATOR_PATH, simulator.handle);

  app.route('/strict-csp.html', strictCspPage());
  // The portal's pages show a banner when payments go to a real PaySG.
  const environment = environmentOf(paysg, simulator);
  app.get('/demo/environment.json', (c) => c.json({ paysg: environment.paysg }));
  if (options.formsg && demoFines)
    app.route(
      '/demo/formsg',
      demoFormsgRoutes({ keys: options.formsg, rule: demoFines.rule, adminPath }),
    );

  // The Angular example is compiled just in time in the browser, which evaluates the templates it
  // compiles: that page alone may eval. An app built ahead of time (`ng build`) needs no eval.
  app.use('/examples/angular.html', async (c, next) => {
    await next();
    const policy = c.res.headers.get('Content-Security-Policy');
    if (policy)
      c.res.headers.set(
        'Content-Security-Policy',
        policy.replace("script-src 'self'", "script-src 'self' 'unsafe-eval'"),
      );
  });
  // The portal runs under a strict policy: only its own scripts, and Trusted Types for the DOM.
  app.use(
    '/*',
    secureHeaders({
      // Popup mode keeps a handle on PaySG's window; same-origin would sever it.
      crossOriginOpenerPolicy: 'same-origin-allow-popups',
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        requireTrustedTypesFor: ["'script'"],
      },
    }),
  );
  if (options.examplesDir) {
    app.use(
      '/examples/*',
      serveStatic({
        root: options.examplesDir,
        rewriteRequestPath: (path) => path.replace(/^\/examples/, ''),
      }),
    );
  }
  app.use('/*', serveStatic({ root: options.publicDir }));
  return {
    app,
    bff,
    simulator,
    environment,
    adminUrl: options.admin && `${config.publicUrl}${adminPath}/`,
  };
}
