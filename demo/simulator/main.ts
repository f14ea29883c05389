/**
 * `npm run simulator`: the PaySG simulator on its own port, for an agency's own CI.
 * @module
 */
import { serve } from '@hono/node-server';
import { z } from 'zod';
import { createSimulator, SIMULATOR_API_KEY, SIMULATOR_PAYMENT_SERVICE_ID } from './simulator.js';

const envSchema = z.object({
  SIMULATOR_PORT: z.coerce.number().int().min(1).max(65535).default(4010),
  /** Loopback unless told otherwise: the control API can pay and fault anything. */
  SIMULATOR_HOST: z.string().min(1).default('127.0.0.1'),
  SIMULATOR_PUBLIC_URL: z.url().optional(),
  SIMULATOR_WEBHOOK_URL: z.url().optional(),
  SIMULATOR_WEBHOOK_SECRET: z.string().min(1).optional(),
  SIMULATOR_CONTROL_TOKEN: z.string().min(1).optional(),
});

const parsed = envSchema.safeParse(process.env);
if (!parsed.success) {
  for (const issue of parsed.error.issues) {
    console.error(`paysg-simulator: configuration error: ${String(issue.path[0])} ${issue.message}`);
  }
  process.exit(1);
}
const env = parsed.data;
if (env.SIMULATOR_WEBHOOK_URL && !env.SIMULATOR_WEBHOOK_SECRET) {
  console.error('paysg-simulator: configuration error: SIMULATOR_WEBHOOK_SECRET is missing (it goes with SIMULATOR_WEBHOOK_URL)');
  process.exit(1);
}

const publicUrl = env.SIMULATOR_PUBLIC_URL ?? `http://localhost:${env.SIMULATOR_PORT}`;
const simulator = createSimulator({
  publicUrl,
  ...(env.SIMULATOR_CONTROL_TOKEN && { controlToken: env.SIMULATOR_CONTROL_TOKEN }),
  webhooks: {
    endpoints: env.SIMULATOR_WEBHOOK_URL ? [{ url: env.SIMULATOR_WEBHOOK_URL, secret: env.SIMULATOR_WEBHOOK_SECRET! }] : [],
  },
});

serve({ fetch: simulator.handle, port: env.SIMULATOR_PORT, hostname: env.SIMULATOR_HOST }, (info) => {
  console.log(`paysg-simulator: PaySG API at ${publicUrl}/v1, payment pages at ${publicUrl}/payments/{id}`);
  console.log(`  listening on ${info.address}:${info.port}`);
  console.log(`  API key ${SIMULATOR_API_KEY}`);
  console.log(`  payment service ${SIMULATOR_PAYMENT_SERVICE_ID}`);
  console.log(`  control API at ${publicUrl}/_control${env.SIMULATOR_CONTROL_TOKEN ? ' (X-Simulator-Control required)' : ''}`);
  if (env.SIMULATOR_HOST !== '127.0.0.1' && env.SIMULATOR_HOST !== 'localhost' && !env.SIMULATOR_CONTROL_TOKEN) {
    console.warn('paysg-simulator: listening beyond this machine with an open control API: set SIMULATOR_CONTROL_TOKEN');
  }
});
