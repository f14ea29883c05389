/**
 * `paysg-checkout simulator` (and `npm run simulator` in this repository): the PaySG simulator on
 * its own port, for trying the BFF and for an agency's own CI.
 * @module
 */
import { serve } from '@hono/node-server';
import { z } from 'zod';
import { exitOnListenError } from '../../server/cli/listen-error.js';
import { createSimulator, SIMULATOR_API_KEY, SIMULATOR_PAYMENT_SERVICE_ID } from './simulator.js';
import { SIMULATOR_HELP } from '../../server/cli/command-help.js';

const envSchema = z.object({
  SIMULATOR_PORT: z.coerce.number().int().min(1).max(65535).default(4010),
  /** Loopback unless told otherwise: the control API can pay and fault anything. */
  SIMULATOR_HOST: z.string().min(1).default('127.0.0.1'),
  SIMULATOR_PUBLIC_URL: z.url().optional(),
  SIMULATOR_WEBHOOK_URL: z.url().optional(),
  SIMULATOR_WEBHOOK_SECRET: z.string().min(1).optional(),
  SIMULATOR_CONTROL_TOKEN: z.string().min(1).optional(),
});

/** Starts the simulator; it runs until stopped. */
export function simulatorCommand(
  args: string[],
  env: Record<string, string | undefined> = process.env,
): number | undefined {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(SIMULATOR_HELP);
    return 0;
  }
  if (args.length) {
    console.error(
      `paysg-simulator: unexpected argument ${JSON.stringify(args[0])} (it is configured by environment variables; see --help)`,
    );
    return 2;
  }
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      console.error(
        `paysg-simulator: configuration error: ${String(issue.path[0])} ${issue.message}`,
      );
    }
    return 1;
  }
  const settings = parsed.data;
  if (settings.SIMULATOR_WEBHOOK_URL && !settings.SIMULATOR_WEBHOOK_SECRET) {
    console.error(
      'paysg-simulator: configuration error: SIMULATOR_WEBHOOK_SECRET is missing (it goes with SIMULATOR_WEBHOOK_URL)',
    );
    return 1;
  }

  const publicUrl = settings.SIMULATOR_PUBLIC_URL ?? `http://localhost:${settings.SIMULATOR_PORT}`;
  const simulator = createSimulator({
    publicUrl,
    ...(settings.SIMULATOR_CONTROL_TOKEN && { controlToken: settings.SIMULATOR_CONTROL_TOKEN }),
    webhooks: {
      endpoints: settings.SIMULATOR_WEBHOOK_URL
        ? [{ url: settings.SIMULATOR_WEBHOOK_URL, secret: settings.SIMULATOR_WEBHOOK_SECRET! }]
        : [],
    },
  });

  const server = serve(
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
  exitOnListenError(server, 'paysg-simulator', 'SIMULATOR_PORT');
  return undefined;
}
