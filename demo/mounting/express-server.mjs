// The BFF inside an agency's existing Express app, through @hono/node-server's request listener,
// configured by environment variables as `paysg-checkout bff` is. Tested from the packed package
// in test/package/consumer.test.ts.
import { getRequestListener } from '@hono/node-server';
import express from 'express';
import { createCheckoutApp, depsFromConfig, loadConfig } from 'paysg-checkout/server';

const config = loadConfig(process.env);
const bff = createCheckoutApp(await depsFromConfig(config));

const app = express();
// Before any body parser: the BFF reads its own request bodies (webhook signatures cover the raw bytes).
app.use(config.basePath, getRequestListener(bff.fetch));
app.use(express.json());
app.post('/api/applications', (req, res) => res.status(201).json({ received: req.body }));
bff.startReconciler();

app.listen(config.port, () => console.log(`listening on http://localhost:${config.port}`));
