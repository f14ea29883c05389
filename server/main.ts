/**
 * Runs the BFF on its own with Node: `npm run bff`, the same as `paysg-checkout bff`. Needs PaySG
 * credentials; `npm start` runs the demo (with the simulator) instead.
 * @module
 */
import { bffCommand } from './cli/bff-command.js';

const code = await bffCommand(process.argv.slice(2));
if (code !== undefined) process.exitCode = code;
