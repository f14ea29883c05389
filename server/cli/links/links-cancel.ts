/**
 * `paysg-checkout links cancel`: cancels unpaid links, so they can no longer be paid. It says what
 * it is about to cancel and asks first (`--yes` for scripts), and `--dry-run` shows what it would
 * do without doing it. PaySG's own word afterwards decides what happened: a cancel's answer is
 * undocumented.
 * @module
 */
import { parseArgs } from 'node:util';
import { PaysgError } from '../../paysg/errors.js';
import { terminalText } from '../../export/terminal-text.js';
import { CANCEL_HELP } from '../command-help.js';
import { UsageError, type Io } from './links-io.js';
import { withTarget } from './links-target.js';
import { readIds } from './links-status.js';

export async function cancelCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      id: { type: 'string', multiple: true },
      yes: { type: 'boolean', short: 'y' },
      'dry-run': { type: 'boolean' },
      simulator: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    io.out(CANCEL_HELP);
    return 0;
  }
  if (positionals.length > 1) throw new UsageError('name one result CSV');
  const ids = [...(values.id ?? []), ...(await readIds(positionals[0]))];
  if (ids.length === 0) throw new UsageError('give --id=PAYMENT_ID or a result CSV');
  const dryRun = values['dry-run'] ?? false;
  const what = ids.length === 1 ? 'this link' : `these ${ids.length.toLocaleString('en')} links`;
  if (!dryRun && !values.yes) {
    if (!io.ask)
      throw new UsageError(
        `cancelling cannot be undone: add --yes to cancel ${what}, or --dry-run to see what would be cancelled`,
      );
    const answer = await io.ask(
      `Cancel ${what} at PaySG (${ids.length === 1 ? ids[0] : `${ids[0]} … ${ids.at(-1)}`})? Payers can no longer pay a cancelled link. Type yes to go on: `,
    );
    if (answer.trim().toLowerCase() !== 'yes') {
      io.err('links: nothing was cancelled');
      return 1;
    }
  }

  let failures = 0;
  await withTarget(io, values.simulator ?? false, async ({ paysg }) => {
    for (const id of ids) {
      try {
        if (dryRun) {
          const payment = await paysg.payments.retrieve(id);
          const state = payment.latest_status ?? payment.payment_status;
          io.out(
            terminalText(
              `${id}\t${payment.reference_id}\t${state === 'unpaid' ? 'would be cancelled' : `would be left: it is ${state}`}`,
            ),
          );
          continue;
        }
        await paysg.payments.cancel(id).catch(() => undefined);
        const payment = await paysg.payments.retrieve(id);
        const state = payment.latest_status ?? payment.payment_status;
        io.out(
          terminalText(
            `${id}\t${payment.reference_id}\t${state === 'cancelled' ? 'cancelled' : `not cancelled: it is ${state}`}`,
          ),
        );
        if (state !== 'cancelled') failures++;
      } catch (err) {
        failures++;
        io.err(
          terminalText(`links: ${id}: ${err instanceof PaysgError ? err.message : String(err)}`),
        );
      }
    }
  });
  return failures ? 1 : 0;
}
