// The BFF inside an agency's Hono app on Node, configured by environment variables as
// `paysg-checkout bff` is (see `paysg-checkout bff --help`). Tested from the packed package in
// test/package/consumer.test.ts.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createCheckoutApp, depsFromConfig, loadConfig } from 'paysg-checkout/server';

const config = loadConfig(process.env);
const bff = createCheckoutApp(await depsFromConfig(config));

const app = new Hono();
app.get('/', (c) => c.text('The agency’s own pages'));
app.mount(config.basePath, bff.fetch); // /paysg/quote, /paysg/checkouts, /paysg/widget.js …
bff.startReconciler();

serve({ fetch: app.fetch, port: config.port }, (info) =>
  console.log(`listening on http://localhost:${info.port}`),
);
