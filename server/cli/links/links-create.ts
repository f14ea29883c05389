/**
 * `paysg-checkout links create`: one payment link from flags, its URL and its QR code.
 * @module
 */
import { parseArgs } from 'node:util';
import QRCode from 'qrcode';
import { checkLink, LINK_COLUMNS, type LinkFields } from '../../links/link-fields.js';
import { createLink } from '../../links/create-links.js';
import { maskedLine, maskEmail } from '../../links/mask.js';
import { terminalText } from '../../export/terminal-text.js';
import { CREATE_HELP } from '../command-help.js';
import { UsageError, type Io } from './links-io.js';
import { withTarget } from './links-target.js';

const FIELDS = new Set<string>([...LINK_COLUMNS, 'metadata']);

/** A problem as the flags name it: `payer_name is required` → `--payer-name is required`. */
function withFlagNames(problem: string): string {
  return problem.replace(/^\w+/, (field) =>
    !FIELDS.has(field)
      ? field
      : field === 'reference_id'
        ? '--reference'
        : `--${field.replace(/_/g, '-')}`,
  );
}

export async function createCommand(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      reference: { type: 'string' },
      'payer-name': { type: 'string' },
      'payer-email': { type: 'string' },
      'payer-identifier': { type: 'string' },
      'payer-address': { type: 'string' },
      description: { type: 'string' },
      amount: { type: 'string' },
      'amount-in-cents': { type: 'string' },
      'due-date': { type: 'string' },
      metadata: { type: 'string', multiple: true },
      'send-email': { type: 'boolean' },
      simulator: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    io.out(CREATE_HELP);
    return 0;
  }
  const metadata: Record<string, string> = {};
  for (const pair of values.metadata ?? []) {
    const eq = pair.indexOf('=');
    if (eq < 1) throw new UsageError(`--metadata ${JSON.stringify(pair)} must look like KEY=VALUE`);
    metadata[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const fields: LinkFields = {
    reference_id: values.reference,
    payer_name: values['payer-name'],
    payer_email: values['payer-email'],
    payer_identifier: values['payer-identifier'],
    payer_address: values['payer-address'],
    description: values.description,
    amount: values.amount,
    amount_in_cents: values['amount-in-cents'],
    due_date: values['due-date'],
    metadata,
  };
  const checked = checkLink(fields);
  if (!checked.ok) throw new UsageError(checked.problems.map(withFlagNames).join('; '));
  const link = checked.link;

  return withTarget(io, values.simulator ?? false, async ({ paysg, journal }) => {
    const result = await createLink(
      paysg,
      journal,
      { ...link, line: 0 },
      { sendEmail: values['send-email'] ?? false },
    );
    if (!result.paymentUrl) {
      io.err(maskedLine(`links: ${result.reference}: ${result.error}`));
      return 1;
    }
    io.out(
      terminalText(
        `${result.status === 'created' ? 'Created' : 'Already created'}: ${result.reference}`,
      ),
    );
    io.out(`  payment ${result.paymentId}`);
    io.out(`  link    ${result.paymentUrl}`);
    if (result.qrCodeUrl) io.out(`  QR code ${result.qrCodeUrl}`);
    if (result.emailed && link.params.payer_email)
      io.out(`  e-mailed to ${maskEmail(link.params.payer_email)}`);
    if (result.error) io.err(maskedLine(`links: ${result.error}`));
    // Drawn only for a person at a terminal; a pipe gets the URLs above.
    if (io.outIsTty)
      io.out(await QRCode.toString(result.paymentUrl, { type: 'terminal', small: true }));
    return result.error ? 1 : 0;
  });
}
