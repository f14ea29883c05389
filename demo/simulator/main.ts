/**
 * `npm run simulator`: the PaySG simulator on its own port, the same as `paysg-checkout simulator`.
 * @module
 */
import { simulatorCommand } from './simulator-command.js';

const code = simulatorCommand(process.argv.slice(2));
if (code !== undefined) process.exitCode = code;
