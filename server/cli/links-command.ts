/**
 * `paysg-checkout links …`: payment links without a web page, for one payer or a CSV of thousands,
 * through the same PaySG client and configuration as the BFF. Each subcommand is its own file in
 * `links/`; this one dispatches and turns bad usage into one line and exit code 2.
 * @module
 */
import { LINKS_HELP } from './command-help.js';
import { bulkCommand } from './links/links-bulk.js';
import { cancelCommand } from './links/links-cancel.js';
import { createCommand } from './links/links-create.js';
import { UsageError, type Io } from './links/links-io.js';
import { statusCommand } from './links/links-status.js';

export { UsageError, type Io } from './links/links-io.js';

const SUBCOMMANDS: Record<string, (args: string[], io: Io) => Promise<number>> = {
  create: createCommand,
  bulk: bulkCommand,
  status: statusCommand,
  cancel: cancelCommand,
};

/** Runs `links <command> …`; resolves to the exit code. */
export async function linksCommand(args: string[], io: Io): Promise<number> {
  const [command, ...rest] = args;
  if (command === undefined || command === '--help' || command === 'help') {
    io.out(LINKS_HELP);
    return command === undefined ? 2 : 0;
  }
  try {
    const subcommand = SUBCOMMANDS[command];
    if (!subcommand) throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    return await subcommand(rest, io);
  } catch (err) {
    const badArguments =
      err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS');
    if (!(err instanceof UsageError) && !badArguments) throw err;
    io.err(
      `links: ${(err as Error).message}\nRun 'paysg-checkout links ${SUBCOMMANDS[command] ? `${command} ` : ''}--help' for usage.`,
    );
    return 2;
  }
}
