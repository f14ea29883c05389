/**
 * The fine rules, loaded once at start the way the catalog is (`orders/catalog.ts`): a JSON
 * file, checked whole with zod, each mistake reported in one line that names the field
 * (`forms.parking.amount.table.P01.amountInCents: …`). Each form's secret key is read from the
 * environment variable its rule names and checked to be a key, so a missing or mistyped key
 * stops the server instead of every submission of that form; the key never appears in a message.
 * @module
 */
import { readFileSync } from 'node:fs';
import {
  fineRulesFileSchema,
  type FormRuleConfig,
  type LetterLanguage,
  type Translated,
} from './fine-rules-schema.js';
import { firstIssue } from '../zod-issues.js';
import type { FormsgFormConfig } from './verify-submission.js';

export class FineRulesError extends Error {
  override name = 'FineRulesError';
}

/** One form's rule, as checked: everything but its secret key. */
export interface FineRule extends FormRuleConfig {
  /** The rule's name in the file, and the last segment of its webhook route. */
  name: string;
}

/** A text in a letter language, falling back to English. */
export function translatedText(text: Translated, lang: LetterLanguage): string {
  return typeof text === 'string' ? text : (text[lang] ?? text.en);
}

/** A FormSG form secret key: the base64 of 32 bytes (an X25519 secret key, tweetnacl's box). */
function isFormSecretKey(value: string): boolean {
  if (!/^[A-Za-z0-9+/]{43}=$/.test(value)) return false;
  return Buffer.from(value, 'base64').length === 32;
}

export class FineRules {
  readonly #rules: Map<string, FineRule>;
  readonly #secretKeys: Map<string, string>;

  private constructor(rules: Map<string, FineRule>, secretKeys: Map<string, string>) {
    this.#rules = rules;
    this.#secretKeys = secretKeys;
  }

  /**
   * Throws `FineRulesError` with a one-line reason when the data is not valid rules, or a form's
   * secret key is not in `env` (`process.env` in production).
   */
  static from(data: unknown, env: Record<string, string | undefined>): FineRules {
    const parsed = fineRulesFileSchema.safeParse(data);
    if (!parsed.success) {
      const { path, message } = firstIssue(parsed.error, 'rules');
      throw new FineRulesError(`${path}: ${message}`);
    }
    const rules = new Map<string, FineRule>();
    const secretKeys = new Map<string, string>();
    for (const [name, rule] of Object.entries(parsed.data.forms)) {
      const key = env[rule.secretKeyEnv]?.trim();
      if (!key)
        throw new FineRulesError(
          `forms.${name}.secretKeyEnv: ${rule.secretKeyEnv} is not set; set it to the form's secret key from FormSG`,
        );
      if (!isFormSecretKey(key))
        throw new FineRulesError(
          `forms.${name}.secretKeyEnv: ${rule.secretKeyEnv} is not a FormSG form secret key (base64 of 32 bytes)`,
        );
      rules.set(name, { ...rule, name });
      secretKeys.set(name, key);
    }
    return new FineRules(rules, secretKeys);
  }

  static fromFile(path: string, env: Record<string, string | undefined>): FineRules {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      throw new FineRulesError(`cannot read ${path}`);
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      throw new FineRulesError(`${path} is not valid JSON`);
    }
    return FineRules.from(data, env);
  }

  get(name: string): FineRule | undefined {
    return this.#rules.get(name);
  }

  /** What `verifySubmission` checks a delivery to this rule's URL against. */
  formConfig(name: string): FormsgFormConfig | undefined {
    const rule = this.#rules.get(name);
    const secretKey = this.#secretKeys.get(name);
    if (!rule || !secretKey) return undefined;
    return { formId: rule.formId, webhookUrl: rule.webhookUrl, secretKey };
  }

  names(): string[] {
    return [...this.#rules.keys()];
  }
}
