/**
 * `paysg-checkout simulator`: the PaySG simulator on its own port, for trying the BFF and for an
 * agency's own CI. The simulator (demo/simulator) is a second, independent reading of PaySG's
 * docs and imports nothing from server/; this command is the one place here that starts it.
 * @module
 */
import { startStandalone } from '../../demo/simulator/standalone.js';
import { SIMULATOR_HELP } from './command-help.js';
import { exitOnListenError } from './listen-error.js';

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
  const server = startStandalone(env);
  if (!server) return 1;
  exitOnListenError(server, 'paysg-simulator', 'SIMULATOR_PORT');
  return undefined;
}
