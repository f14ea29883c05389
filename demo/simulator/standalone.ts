/**
 * The simulator on its own port, configured by `SIMULATOR_*` environment variables: what both
 * `npm run simulator` (main.ts) and the package's `paysg-checkout simulator` start. The command
 * (server/cli/simulator-command.ts) adds its help and its one line for a port it cannot use; this
 * file stays inside the simulator, which imports nothing from server/ or widget/.
 * @module
 */
import { serve, type ServerType } from '@hono/node-server';
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

type StandaloneSettings = z.infer<typeof envSchema>;

/** The settings, or one line per problem, each naming its variable. */
function readSettings(
  env: Record<string, string | undefined>,
): { settings: StandaloneSettings; problems?: undefined } | { problems: string[] } {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    return {
      problems: parsed.error.issues.map((issue) => `${String(issue.path[0])} ${issue.message}`),
    };
  }
  const settings = parsed.data;
  if (settings.SIMULATOR_WEBHOOK_URL && !settings.SIMULATOR_WEBHOOK_SECRET) {
    return {
      problems: ['SIMULATOR_WEBHOOK_SECRET is missing (it goes with SIMULATOR_WEBHOOK_URL)'],
    };
  }
  return { settings };
}

/**
 * Serves the simulator as `env` configures it and, once it listens, prints where (its API, pages
 * and control API), its API key and payment service. A configuration it cannot use is printed,
 * one line per problem, and gives undefined; a port it cannot use is the caller's to report, as
 * the server's `error` event.
 */
export function startStandalone(env: Record<string, string | undefined>): ServerType | undefined {
  const read = readSettings(env);
  if (read.problems) {
    for (const problem of read.problems)
      console.error(`paysg-simulator: configuration error: ${problem}`);
    return undefined;
  }
  const settings = read.settings;
  const publicUrl = settings.SIMULATOR_PUBLIC_URL ?? `http://localhost:${settings.SIMULATOR_PORT}`;
  const webhookUrl = settings.SIMULATOR_WEBHOOK_URL;
  const webhookSecret = settings.SIMULATOR_WEBHOOK_SECRET;
  const simulator = createSimulator({
    publicUrl,
    ...(settings.SIMULATOR_CONTROL_TOKEN && { controlToken: settings.SIMULATOR_CONTROL_TOKEN }),
    webhooks: {
      endpoints: webhookUrl && webhookSecret ? [{ url: webhookUrl, secret: webhookSecret }] : [],
    },
  });

  return serve(
    { fetch: simulator.handle, port: settings.SIMULATOR_PORT, hostname: settings.SIMULATOR_HOST },
    (info) => {
      console.log(
        `paysg-simulator: PaySG API at ${publicUrl}/v1, payment pages at ${publicUrl}/payments/{id}`,
      );
      console.log(`  listening on ${info.address}:${info.port}`);
      console.log(`  API key ${SIMULATOR_API_KEY}`);
      console.log(`  payment service ${SIMULATOR_PAYMENT_SERVICE_ID}`);
      console.log(
        `  control API at ${publicUrl}/_control${settings.SIMULATOR_CONTROL_TOKEN ? ' (X-Simulator-Control required)' : ''}`,
      );
      if (
        settings.SIMULATOR_HOST !== '127.0.0.1' &&
        settings.SIMULATOR_HOST !== 'localhost' &&
        !settings.SIMULATOR_CONTROL_TOKEN
      ) {
        console.warn(
          'paysg-simulator: listening beyond this machine with an open control API: set SIMULATOR_CONTROL_TOKEN',
        );
      }
    },
  );
}
