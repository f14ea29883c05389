#!/usr/bin/env node
/**
 * The package's command, `paysg-checkout <command>`: the BFF, the PaySG simulator, order tokens
 * and payment links. Each command is loaded only when run, so one needs only its own libraries
 * (links needs csv-parse, the BFF does not), and a missing one is named in one line.
 * Reads `.env` like the BFF. Exit codes: 0 done, 1 failed, 2 bad usage.
 * @module
 */
import { existsSync } from 'node:fs';
import {
  BFF_HELP,
  BULK_HELP,
  CANCEL_HELP,
  CREATE_HELP,
  LINKS_HELP,
  ORDER_TOKEN_HELP,
  SIMULATOR_HELP,
  STATUS_HELP,
} from './command-help.js';
import type { LinksIo } from './links/links-target.js';

interface Command {
  summary: string;
  /** Printed for `<command> --help` without loading the command. */
  help: string;
  /** The same for `<command> <subcommand> --help`. */
  subcommandHelp?: Record<string, string>;
  /** The exit code, or undefined for a server that keeps running. */
  run(args: string[]): Promise<number | undefined>;
}

const COMMANDS: Record<string, Command> = {
  bff: {
    summary: 'run the BFF (PaySG credentials from the environment or .env)',
    help: BFF_HELP,
    run: async (args) => (await import('./bff-command.js')).bffCommand(args),
  },
  simulator: {
    summary: 'run a stand-in PaySG: its API, payment pages and a control API',
    help: SIMULATOR_HELP,
    run: async (args) => (await import('./simulator-command.js')).simulatorCommand(args),
  },
  'order-token': {
    summary: 'print an order token (a JWT) signed with ORDER_TOKEN_SECRETS',
    help: ORDER_TOKEN_HELP,
    run: async (args) => (await import('./order-token-command.js')).orderTokenCommand(args),
  },
  links: {
    summary: 'payment links without a web page (create, bulk, status, cancel)',
    help: LINKS_HELP,
    subcommandHelp: {
      create: CREATE_HELP,
      bulk: BULK_HELP,
      status: STATUS_HELP,
      cancel: CANCEL_HELP,
    },
    run: async (args) => (await import('./links-command.js')).linksCommand(args, terminalIo()),
  },
};

const USAGE = `usage: paysg-checkout <command> [options]

commands:
${Object.entries(COMMANDS)
  .map(([name, { summary }]) => `  ${name.padEnd(14)}${summary}`)
  .join('\n')}

Run 'paysg-checkout <command> --help' for each command's options.`;

function terminalIo(): LinksIo {
  return {
    out: (text: string) => process.stdout.write(`${text}\n`),
    err: (text: string) => process.stderr.write(text.startsWith('\r') ? text : `${text}\n`),
    errIsTty: Boolean(process.stderr.isTTY),
    outIsTty: Boolean(process.stdout.isTTY),
    env: process.env,
    // Only a person at a terminal can be asked; a pipe or a script gives --yes instead.
    ...(process.stdin.isTTY && { ask }),
    // `--simulator`: handed down from here so links never imports the simulator; loaded when used.
    loadSimulator: () => import('../../demo/simulator/index.js'),
  };
}

async function ask(question: string): Promise<string> {
  const { createInterface } = await import('node:readline/promises');
  const terminal = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await terminal.question(question);
  } finally {
    terminal.close();
  }
}

/** One line for what stopped the command: a missing library named, never a stack. */
function explain(name: string, err: unknown): string {
  const error = err as NodeJS.ErrnoException;
  const missing =
    error.code === 'ERR_MODULE_NOT_FOUND' &&
    /Cannot find package '([^']+)'/.exec(error.message)?.[1];
  if (missing)
    return `paysg-checkout: the ${name} command needs the package ${missing}; install it with: npm install ${missing}`;
  const message = error.message ?? String(err);
  // Our own errors already say where they come from.
  if (message.startsWith('paysg-checkout')) return message;
  return `paysg-checkout ${name}: ${message}`;
}

async function main(argv: string[]): Promise<number | undefined> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(USAGE);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(
      `paysg-checkout: unknown command ${JSON.stringify(name)}; run 'paysg-checkout --help' for the list`,
    );
    return 2;
  }
  // Help never needs the command's libraries.
  const isHelp = (arg: string | undefined) => arg === '--help' || arg === '-h';
  const subcommandHelp = command.subcommandHelp?.[args[0] ?? ''];
  if (isHelp(args[0]) || (subcommandHelp && isHelp(args[1]))) {
    console.log(isHelp(args[0]) ? command.help : subcommandHelp);
    return 0;
  }
  if (existsSync('.env')) process.loadEnvFile('.env');
  try {
    return await command.run(args);
  } catch (err) {
    console.error(explain(name, err));
    return 1;
  }
}

const code = await main(process.argv.slice(2));
if (code !== undefined) process.exitCode = code;
