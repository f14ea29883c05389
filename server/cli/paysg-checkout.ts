/**
 * The package's command: `paysg-checkout links …` (and `npm run links -- …` in this repository).
 * Reads `.env` like the BFF.
 * @module
 */
import { existsSync } from 'node:fs';
import { linksCommand } from './links-command.js';

const USAGE = `usage: paysg-checkout <command> …

commands:
  links     payment links without a web page (create, bulk, status, cancel)

Run 'paysg-checkout links --help' for more.`;

if (existsSync('.env')) process.loadEnvFile('.env');
const [command, ...args] = process.argv.slice(2);
const io = {
  out: (text: string) => process.stdout.write(`${text}\n`),
  err: (text: string) => process.stderr.write(text.startsWith('\r') ? text : `${text}\n`),
  errIsTty: Boolean(process.stderr.isTTY),
  outIsTty: Boolean(process.stdout.isTTY),
  env: process.env,
};
if (command === 'links') process.exitCode = await linksCommand(args, io);
else {
  (command === undefined || command === '--help' ? console.log : console.error)(command && command !== '--help' ? `paysg-checkout: unknown command ${JSON.stringify(command)}\n${USAGE}` : USAGE);
  process.exitCode = command === '--help' ? 0 : 2;
}
