/**
 * The demo's FormSG: a parking-fine form (demo/fine-rules.json) whose submissions the demo makes
 * and posts to the BFF exactly as FormSG would, so the fines flow (verify, decrypt, one PaySG
 * payment, one e-mail, a letter) runs on a laptop without a FormSG form or its keys.
 *
 * At start the demo makes what FormSG would hold (a signing key pair) and what the agency would
 * hold (the form's secret key), and configures the BFF as an agency does: `FINE_RULES_FILE`, the
 * signing public key in `FORMSG_SIGNING_KEY`, the form's secret key in the variable its rule
 * names. Nothing is kept: a restart makes new keys, as the simulator forgets its payments.
 * @module
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FineRules, type FineRule } from '../../server/formsg/fine-rules.js';
import { type Keypair, newFormKeypair, newSigningKeypair } from './formsg-delivery.js';

export const DEMO_RULES_FILE = fileURLToPath(new URL('../fine-rules.json', import.meta.url));
/** The demo form's rule: its name in the rules file, and its route at the BFF. */
export const DEMO_FORM = 'parking';

/** What the demo's FormSG holds: FormSG's signing key pair and the form's key pair. */
export interface DemoFormsgKeys {
  signing: Keypair;
  form: Keypair;
}

/**
 * Makes the keys and puts the configuration an agency would set into `env`, before the
 * demo's configuration is read. When `FINE_RULES_FILE` is already set, those are someone's own
 * rules and FormSG's real signing key: the demo's FormSG stays off (`undefined`) and changes
 * nothing, as its made-up submissions could not pass their checks.
 */
export function prepareDemoFormsg(
  env: Record<string, string | undefined>,
): DemoFormsgKeys | undefined {
  if (env.FINE_RULES_FILE) return undefined;
  const keys: DemoFormsgKeys = { signing: newSigningKeypair(), form: newFormKeypair() };
  env.FINE_RULES_FILE = DEMO_RULES_FILE;
  env.FORMSG_SIGNING_KEY = keys.signing.publicKey;
  // The variable the demo rule names (`secretKeyEnv`), as an agency puts the key in its secrets.
  env.FORMSG_DEMO_PARKING_SECRET_KEY = keys.form.secretKey;
  return keys;
}

/**
 * The demo's rules as the BFF checks them, with the form's webhook URL where this demo's BFF
 * is (`{bffUrl}/formsg/parking`): the URL in a form's settings is the one FormSG signs and
 * posts to, and the demo may run on any port and host, while the file names the default one.
 * Each rule's `returnPage` moves the same way: its path on this demo's origin (the fines page),
 * so a payer who paid comes back to the demo they came from. The form's secret key is the one
 * made at start, under the variable the rule names.
 */
export function demoFineRules(
  bffUrl: string,
  keys: DemoFormsgKeys,
): { rules: FineRules; rule: FineRule } {
  const file = JSON.parse(readFileSync(DEMO_RULES_FILE, 'utf8')) as {
    forms: Record<string, { secretKeyEnv: string; webhookUrl: string; returnPage?: string }>;
  };
  const env: Record<string, string> = {};
  const demoOrigin = new URL(bffUrl).origin;
  for (const [name, form] of Object.entries(file.forms)) {
    form.webhookUrl = `${bffUrl}/formsg/${name}`;
    if (form.returnPage) {
      const page = new URL(form.returnPage);
      form.returnPage = new URL(`${page.pathname}${page.search}`, demoOrigin).href;
    }
    env[form.secretKeyEnv] = keys.form.secretKey;
  }
  const rules = FineRules.from(file, env);
  const rule = rules.get(DEMO_FORM);
  if (!rule) throw new Error(`demo/fine-rules.json has no "${DEMO_FORM}" form`);
  return { rules, rule };
}
