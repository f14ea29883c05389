/**
 * The shape of the fine rules file: for each FormSG form, how its answers become a PaySG payment.
 * Rules are configuration, not code, so an agency changes a fine's amount or adds an offence
 * without a release; and the file is checked whole at start, so a mistake in it stops the server
 * with the field named rather than failing a payer's submission later.
 *
 * Answers are named once, by FormSG field id (the question's text may be reworded at any time),
 * and everything else refers to those names. The amount comes from the server's configuration:
 * a table of amounts by an answer (the offence code), a fixed fee, or, only where a rule says so
 * with `"from": "answer"`, an amount the payer typed, within explicit bounds.
 * @module
 */
import { z } from 'zod';
import { ITEM_ID_PATTERN } from '../orders/catalog.js';
import { isLoopbackHost, MAX_AMOUNT_IN_CENTS } from '../paysg/schemas.js';

/** FormSG form and field ids are MongoDB ObjectIds. */
export const FORMSG_ID_PATTERN = /^[0-9a-f]{24}$/i;

export const LETTER_LANGUAGES = ['en', 'zh', 'ta'] as const;
export type LetterLanguage = (typeof LETTER_LANGUAGES)[number];

/** Placeholders every template may use besides the answers' names. */
export const BUILT_IN_PLACEHOLDERS = ['submissionId', 'formId', 'code', 'label'] as const;

/** `singpass` as a payer identifier means the verified NRIC/FIN, so no answer may be called that. */
const RESERVED_NAMES = new Set<string>([...BUILT_IN_PLACEHOLDERS, 'singpass']);

const PLACEHOLDER = /\{([^{}]*)\}/g;

/** The names a template refers to: `Fine {code} for {vehicle}` → `code`, `vehicle`. */
export function placeholdersOf(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '');
}

const cents = z.number().int().min(1).max(MAX_AMOUNT_IN_CENTS);
const answerName = z
  .string()
  .regex(/^[a-zA-Z][a-zA-Z0-9_]{0,39}$/, 'answer names are letters, digits and _');
/** A text in each letter language; English is required, the others fall back to it. */
const translated = z.union([
  z.string().min(1).max(255),
  z
    .object({
      en: z.string().min(1).max(255),
      zh: z.string().min(1).max(255).optional(),
      ta: z.string().min(1).max(255).optional(),
    })
    .strict(),
]);

const tableEntry = z
  .object({
    amountInCents: cents,
    /** What the code means, for the payment's description and the letter. */
    label: translated,
  })
  .strict();

/** A payer identifier typed on the form: allowed only with the rule's explicit `unverified`. */
const typedIdentifier = z
  .object({
    answer: answerName,
    /** Says that PaySG receives an NRIC/FIN/UEN no one checked against Singpass or the registry. */
    unverified: z.literal(true),
  })
  .strict();

const amountSchema = z.discriminatedUnion('from', [
  z
    .object({
      from: z.literal('table'),
      /** The answer holding the code (e.g. an offence code) that the table is looked up by. */
      answer: answerName,
      table: z
        .record(z.string().min(1).max(64), tableEntry)
        .refine((t) => Object.keys(t).length > 0, 'needs at least one entry'),
    })
    .strict(),
  z
    .object({
      from: z.literal('fixed'),
      amountInCents: cents,
      label: translated,
    })
    .strict(),
  z
    .object({
      /** The payer's own figure: allowed only here, and only within the bounds. */
      from: z.literal('answer'),
      answer: answerName,
      minAmountInCents: cents,
      maxAmountInCents: cents,
      label: translated,
    })
    .strict()
    .refine((a) => a.minAmountInCents <= a.maxAmountInCents, {
      message: 'minAmountInCents is above maxAmountInCents',
      path: ['minAmountInCents'],
    }),
]);

/** An https URL (plain http only on this machine, for a demo), with nothing a browser hides. */
const httpsUrl = (message: string, required = message) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? required : message) })
    .refine((value) => {
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        return false;
      }
      // FormSG posts only to public HTTPS URLs; plain http is for a demo on this machine.
      if (url.hash || url.username || url.password) return false;
      return (
        url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname))
      );
    }, message);

const webhookUrl = httpsUrl('must be the https URL entered in the form’s webhook settings');

const formRuleSchema = z
  .object({
    formId: z.string().regex(FORMSG_ID_PATTERN, 'is not a FormSG form id (24 hex digits)'),
    /** Checked against FormSG's signature exactly as written: never taken from a request. */
    webhookUrl,
    /** The environment variable holding the form's secret key: the key is never in this file. */
    secretKeyEnv: z
      .string()
      .regex(/^[A-Z][A-Z0-9_]{0,127}$/, 'must name an environment variable (A-Z, 0-9, _)'),
    /** Answer names → FormSG field ids. */
    answers: z.record(
      answerName,
      z.string().regex(FORMSG_ID_PATTERN, 'is not a FormSG field id (24 hex digits)'),
    ),
    amount: amountSchema,
    /**
     * Where PaySG sends the payer after paying (through the BFF's return, which verifies first):
     * the agency's page for this fine. Required: the BFF's own root is rarely a page about it.
     */
    returnPage: httpsUrl(
      'must be an absolute https URL of the agency’s page (http only for localhost or 127.0.0.1)',
      'is required: the https URL of the agency’s page the payer returns to after paying',
    ),
    /** PaySG's description (at most 500 characters once filled in: longer is cut). */
    description: z.string().min(1).max(500),
    /** The agency's reference for the payment; default `{submissionId}`. */
    reference: z.string().min(1).max(255).optional(),
    payer: z
      .object({
        name: answerName,
        email: answerName,
        /**
         * `singpass`: the NRIC/FIN FormSG verified and signed. A typed answer (an officer filling
         * the form for a payer without Singpass) only when the rule says, in so many words, that
         * PaySG then gets an identifier nobody verified: `{"answer": …, "unverified": true}`.
         */
        identifier: z
          .custom<'singpass' | z.output<typeof typedIdentifier>>(
            (value) => value === 'singpass' || typedIdentifier.safeParse(value).success,
            // One message for every wrong shape: a bare answer name most of all.
            'is "singpass" (the NRIC/FIN Singpass verified), or {"answer": "<answer name>", "unverified": true} for a typed answer nobody verifies',
          )
          .optional(),
        address: answerName.optional(),
      })
      .strict(),
    /** The payment is due this many days after the day (in Singapore) the form was submitted. */
    dueInDays: z.number().int().min(1).max(366).optional(),
    letter: z
      .object({
        agencyName: translated,
        /** The answer choosing the letter's language, and which answer means which language. */
        language: z
          .object({
            answer: answerName,
            options: z.record(z.string().min(1), z.enum(LETTER_LANGUAGES)),
          })
          .strict()
          .optional(),
        defaultLanguage: z.enum(LETTER_LANGUAGES).optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((rule, ctx) => {
    const names = new Set(Object.keys(rule.answers));
    const known = (name: string, path: PropertyKey[]) => {
      if (!names.has(name))
        ctx.addIssue({ code: 'custom', message: `names no answer in "answers": ${name}`, path });
    };
    for (const name of names) {
      if (RESERVED_NAMES.has(name))
        ctx.addIssue({
          code: 'custom',
          message: `${name} is a built-in name; call the answer something else`,
          path: ['answers', name],
        });
    }
    const seen = new Map<string, string>();
    for (const [name, fieldId] of Object.entries(rule.answers)) {
      const other = seen.get(fieldId.toLowerCase());
      if (other)
        ctx.addIssue({
          code: 'custom',
          message: `is the same field as ${other}`,
          path: ['answers', name],
        });
      seen.set(fieldId.toLowerCase(), name);
    }
    if (rule.amount.from !== 'fixed') known(rule.amount.answer, ['amount', 'answer']);
    known(rule.payer.name, ['payer', 'name']);
    known(rule.payer.email, ['payer', 'email']);
    if (rule.payer.identifier && rule.payer.identifier !== 'singpass')
      known(rule.payer.identifier.answer, ['payer', 'identifier', 'answer']);
    if (rule.payer.address) known(rule.payer.address, ['payer', 'address']);
    if (rule.letter?.language) known(rule.letter.language.answer, ['letter', 'language', 'answer']);
    for (const field of ['description', 'reference'] as const) {
      for (const name of placeholdersOf(rule[field] ?? '')) {
        if (name === 'code' && rule.amount.from !== 'table')
          ctx.addIssue({
            code: 'custom',
            message: '{code} is the table key, and this amount has no table',
            path: [field],
          });
        else if (!(BUILT_IN_PLACEHOLDERS as readonly string[]).includes(name)) known(name, [field]);
      }
    }
  });

export const fineRulesFileSchema = z
  .object({
    forms: z
      .record(
        z.string().regex(ITEM_ID_PATTERN, 'form names are lower-case letters, digits, - and _'),
        formRuleSchema,
      )
      .refine((f) => Object.keys(f).length > 0, 'needs at least one form'),
  })
  .strict()
  .superRefine((file, ctx) => {
    // One form, one rule, one URL: otherwise which rule made a payment would depend on the order.
    const formIds = new Map<string, string>();
    const urls = new Map<string, string>();
    for (const [name, rule] of Object.entries(file.forms)) {
      const sameForm = formIds.get(rule.formId.toLowerCase());
      if (sameForm)
        ctx.addIssue({
          code: 'custom',
          message: `is also the form id of ${sameForm}`,
          path: ['forms', name, 'formId'],
        });
      formIds.set(rule.formId.toLowerCase(), name);
      const sameUrl = urls.get(rule.webhookUrl);
      if (sameUrl)
        ctx.addIssue({
          code: 'custom',
          message: `is also the webhook URL of ${sameUrl}`,
          path: ['forms', name, 'webhookUrl'],
        });
      urls.set(rule.webhookUrl, name);
    }
  });

export type FineRulesFile = z.input<typeof fineRulesFileSchema>;
export type FormRuleConfig = z.output<typeof formRuleSchema>;
export type Translated = z.output<typeof translated>;
