/**
 * `npm run order-token -- --reference INV-1 --amount 4550 --description "Permit fee"`: mints an
 * order token with the first of ORDER_TOKEN_SECRETS, for trying the BFF out and for agency
 * backends that would rather call a command than a JWT library.
 * @module
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_AUDIENCE, orderClaimsSchema, signOrderToken, MAX_TOKEN_LIFETIME_SECONDS } from './order-token.js';

const USAGE = `usage: npm run order-token -- --reference REF --amount CENTS --description TEXT
       [--payer-name NAME] [--payer-email EMAIL] [--payer-identifier ID] [--payer-address ADDRESS]
       [--ttl SECONDS] [--audience AUD] [--jti ID]
The secret is the first of ORDER_TOKEN_SECRETS (environment or .env).`;

function fail(message: string): never {
  console.error(`order-token: ${message}`);
  process.exit(2);
}

if (existsSync('.env')) process.loadEnvFile('.env');
let values;
try {
  ({ values } = parseArgs({
    options: {
      reference: { type: 'string' },
      amount: { type: 'string' },
      description: { type: 'string' },
      'payer-name': { type: 'string' },
      'payer-email': { type: 'string' },
      'payer-identifier': { type: 'string' },
      'payer-address': { type: 'string' },
      ttl: { type: 'string' },
      audience: { type: 'string' },
      jti: { type: 'string' },
      help: { type: 'boolean' },
    },
  }));
} catch (err) {
  fail(`${(err as Error).message}\n${USAGE}`);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const secret = process.env.ORDER_TOKEN_SECRETS?.split(',')[0]?.trim();
if (!secret || secret.length < 32) fail('ORDER_TOKEN_SECRETS must hold a secret of at least 32 characters');
if (!values.reference || !values.amount || !values.description) fail(`--reference, --amount and --description are required\n${USAGE}`);

const payer = Object.fromEntries(
  Object.entries({ name: values['payer-name'], email: values['payer-email'], identifier: values['payer-identifier'], address: values['payer-address'] }).filter(
    ([, v]) => v !== undefined,
  ),
);
const input = {
  reference_id: values.reference,
  amount_in_cents: Number(values.amount),
  description: values.description,
  ...(Object.keys(payer).length && { payer }),
  ...(values.jti && { jti: values.jti }),
};
const ttl = values.ttl === undefined ? 600 : Number(values.ttl);
if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TOKEN_LIFETIME_SECONDS) fail(`--ttl must be 1 to ${MAX_TOKEN_LIFETIME_SECONDS} seconds`);
const checked = orderClaimsSchema.safeParse({ ...input, aud: 'x', iat: 0, exp: 0, jti: input.jti ?? 'x' });
if (!checked.success) {
  const issue = checked.error.issues[0]!;
  fail(`${issue.path.join('.')}: ${issue.message}`);
}
console.log(await signOrderToken(input, secret, { ttlSeconds: ttl, audience: values.audience ?? DEFAULT_AUDIENCE }));
