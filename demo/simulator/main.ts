/**
 * `npm run simulator`: the PaySG simulator on its own port, configured as `paysg-checkout
 * simulator` is (`SIMULATOR_*` variables, see docs/simulator.md). It starts the same server as
 * that command (standalone.ts) but stays inside demo/simulator, which imports nothing from
 * server/: the command's help and its listen errors are the command's own.
 * @module
 */
import { startStandalone } from './standalone.js';

function main(args: string[]): number | undefined {
  if (args.length) {
    console.error(
      `paysg-simulator: unexpected argument ${JSON.stringify(args[0])} (it is configured by environment variables; see docs/simulator.md)`,
    );
    return 2;
  }
  const server = startStandalone(process.env);
  if (!server) return 1;
  // One line, as the command's (server/cli/listen-error.ts) says it, not an unhandled 'error'.
  server.on('error', (err: NodeJS.ErrnoException & { port?: number }) => {
    console.error(
      err.code === 'EADDRINUSE'
        ? `paysg-simulator: port ${err.port} is in use; stop what holds it or set SIMULATOR_PORT`
        : `paysg-simulator: cannot listen: ${err.message}`,
    );
    process.exit(1);
  });
  return undefined;
}

const code = main(process.argv.slice(2));
if (code !== undefined) process.exitCode = code;
