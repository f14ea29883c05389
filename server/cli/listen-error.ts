/**
 * A server that cannot listen (the port is taken, or not ours to use) stops with one line naming
 * the setting to change, instead of an unhandled 'error' event and its stack.
 * @module
 */
import type { Server } from 'node:net';

export function exitOnListenError(
  server: Pick<Server, 'on'>,
  who: string,
  portVariable: string,
): void {
  server.on('error', (err: NodeJS.ErrnoException & { port?: number }) => {
    const port = err.port === undefined ? '' : ` ${err.port}`;
    if (err.code === 'EADDRINUSE')
      console.error(`${who}: port${port} is in use; stop what holds it or set ${portVariable}`);
    else if (err.code === 'EACCES')
      console.error(`${who}: not allowed to listen on port${port}; set ${portVariable} above 1023`);
    else console.error(`${who}: cannot listen: ${err.message}`);
    process.exit(1);
  });
}
