// An agency's server, as the README shows it: the BFF from `paysg-checkout/server`, configured by
// the configuration loader, against `paysg-checkout/simulator`, with plain node. Prints one JSON
// line: the BFF's health, and the status and payment URL of a checkout it created.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCheckoutApp, depsFromConfig, loadConfig } from 'paysg-checkout/server';
import { createSimulator, SIMULATOR_API_KEY, SIMULATOR_PAYMENT_SERVICE_ID } from 'paysg-checkout/simulator';

const PAGE = 'http://localhost:5173';

function listen(fetch) {
  return new Promise((resolve) => {
    const server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info) => resolve({ server, url: `http://127.0.0.1:${info.port}` }));
  });
}

// PaySG: the simulator, on a port of its own.
let simulator;
const paysgServer = await listen((request) => simulator.handle(request));
const simulatorUrl = paysgServer.url;
simulator = createSimulator({ publicUrl: simulatorUrl });

// The BFF, from environment variables as an agency would set them.
const config = loadConfig({
  PAYSG_API_KEY: SIMULATOR_API_KEY,
  PAYSG_PAYMENT_SERVICE_ID: SIMULATOR_PAYMENT_SERVICE_ID,
  PAYSG_API_URL: simulatorUrl,
  PAYSG_PAYMENT_PAGE_ORIGIN: simulatorUrl,
  ALLOWED_ORIGINS: PAGE,
  DATABASE_PATH: join(mkdtempSync(join(tmpdir(), 'paysg-consumer-')), 'checkouts.sqlite'),
});
const bff = createCheckoutApp(await depsFromConfig(config));
const app = new Hono().mount(config.basePath, bff.fetch);
const bffServer = await listen(app.fetch);

const health = await fetch(`${bffServer.url}/paysg/healthz`);
const created = await fetch(`${bffServer.url}/paysg/checkouts`, {
  method: 'POST',
  headers: {
    Origin: PAGE,
    'Content-Type': 'application/json',
    'X-PaySG-Checkout': '1',
    'X-PaySG-Browser': 'browser-0123456789abcdef',
    'Idempotency-Key': crypto.randomUUID(),
  },
  body: JSON.stringify({ item: 'licence-renewal', payer: { name: 'Tan Ah Kow' }, returnTo: `${PAGE}/pay` }),
});
const body = await created.json();
console.log(JSON.stringify({ health: health.status, status: created.status, paymentUrl: body.paymentUrl ?? JSON.stringify(body), simulatorUrl }));
bffServer.server.close();
paysgServer.server.close();
process.exit(0);
