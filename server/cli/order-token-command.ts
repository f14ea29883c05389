/**
 * `paysg-checkout order-token --reference INV-1 --amount 45.50 --description "Permit fee"` (and
 * `npm run order-token -- …` in this repository): mints an order token with the first of
 * ORDER_TOKEN_SECRETS, for trying the BFF out and for agency backends that would rather call a
 * command than a JWT library.
 * @module
 */
import { parseArgs } from 'node:util';
import { centsFromDollars, dollars } from '../money.js';
import { MAX_AMOUNT_IN_CENTS } from '../paysg/schemas.js';
import { present } from '../present.js';
import { firstIssue } from '../zod-issues.js';
import {
  DEFAULT_AUDIENCE,
  MAX_TOKEN_LIFETIME_SECONDS,
  orderClaimsSchema,
  signOrderToken,
} from '../orders/order-token.js';
import { ORDER_TOKEN_HELP } from './command-help.js';

class UsageError extends Error {}

/** Prints the token; 0 when minted, 2 for bad input (one line on stderr). */
export async function orderTokenCommand(
  args: string[],
  env: Record<string, string | undefined> = process.env,
): Promise<number> {
  try {
    const token = await mint(args, env);
    if (token !== undefined) console.log(token);
    return 0;
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`order-token: ${err.message}`);
    return 2;
  }
}

/** The token, or undefined when --help was asked for. */
async function mint(
  args: string[],
  env: Record<string, string | undefined>,
): Promise<string | undefined> {
  const values = orderTokenOptions(args);
  if (values.help) {
    console.log(ORDER_TOKEN_HELP);
    return undefined;
  }
  const secret = env.ORDER_TOKEN_SECRETS?.split(',')[0]?.trim();
  if (!secret || secret.length < 32)
    throw new UsageError('ORDER_TOKEN_SECRETS must hold a secret of at least 32 characters');
  if (!values.reference || !values.description)
    throw new UsageError('--reference, --amount and --description are required (see --help)');
  const amountInCents = amountOf(values.amount, values['amount-in-cents']);

  const payer = Object.fromEntries(
    Object.entries({
      name: values['payer-name'],
      email: values['payer-email'],
      identifier: values['payer-identifier'],
      address: values['payer-address'],
    }).filter(([, v]) => v !== undefined),
  );
  const input = {
    reference_id: values.reference,
    amount_in_cents: amountInCents,
    description: values.description,
    ...(Object.keys(payer).length && { payer }),
    ...(values.jti && { jti: values.jti }),
  };
  const ttl = values.ttl === undefined ? 600 : Number(values.ttl);
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TOKEN_LIFETIME_SECONDS)
    throw new UsageError(`--ttl must be 1 to ${MAX_TOKEN_LIFETIME_SECONDS} seconds`);
  const checked = orderClaimsSchema.safeParse({
    ...input,
    aud: 'x',
    iat: 0,
    exp: 0,
    jti: input.jti ?? 'x',
  });
  if (!checked.success) {
    const issue = firstIssue(checked.error, '');
    throw new UsageError(
      `${issue.path === 'amount_in_cents' ? '--amount' : issue.path}: ${issue.message}`,
    );
  }
  return signOrderToken(input, secret, {
    ttlSeconds: ttl,
    audience: values.audience ?? DEFAULT_AUDIENCE,
  });
}

/** The command's options, or a usage error naming what is wrong with them. */
function orderTokenOptions(args: string[]) {
  try {
    return parseArgs({
      args,
      options: {
        reference: { type: 'string' },
        amount: { type: 'string' },
        'amount-in-cents': { type: 'string' },
        description: { type: 'string' },
        'payer-name': { type: 'string' },
        'payer-email': { type: 'string' },
        'payer-identifier': { type: 'string' },
        'payer-address': { type: 'string' },
        ttl: { type: 'string' },
        audience: { type: 'string' },
        jti: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (err) {
    throw new UsageError(`${(err as Error).message} (see --help)`);
  }
}

/** Cents from `--amount` (dollars, as `links create` takes them) or `--amount-in-cents`: one of them, as text, never a float. */
function amountOf(dollars: string | undefined, cents: string | undefined): number {
  if ((dollars === undefined) === (cents === undefined))
    throw new UsageError('give --amount (dollars, like 45.50) or --amount-in-cents (like 4550)');
  if (cents !== undefined) {
    if (!/^\d{1,9}$/.test(cents.trim()))
      throw new UsageError(
        `--amount-in-cents ${JSON.stringify(cents)} is not a whole number of cents, like 4550`,
      );
    return withinPaysgLimits(Number(cents));
  }
  const amount = centsFromDollars(present(dollars, '--amount (checked above)'));
  if (amount === undefined)
    throw new UsageError(
      `--amount ${JSON.stringify(dollars)} is not dollars and cents, like 45.50`,
    );
  return withinPaysgLimits(amount);
}

function withinPaysgLimits(cents: number): number {
  if (cents < 1 || cents > MAX_AMOUNT_IN_CENTS)
    throw new UsageError(`the amount must be from 0.01 to ${dollars(MAX_AMOUNT_IN_CENTS)} dollars`);
  return cents;
}
