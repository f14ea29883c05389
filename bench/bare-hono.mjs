// The yardstick for the BFF's cold start: a bare Hono app on @hono/node-server answering /healthz.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

serve({
  fetch: new Hono().get('/paysg/healthz', (c) => c.json({ status: 'ok' })).fetch,
  port: Number(process.env.PORT),
  hostname: '127.0.0.1',
});
