/**
 * A verified FormSG submission, through its form's rule, to the PaySG payment it asks for and the
 * letter that tells the payer about it. The amount is the server's (non-negotiable 1): from the
 * rule's table, its fixed fee, or a typed figure only where the rule allows one, within its
 * bounds. Anything the rule cannot make a valid payment of is refused with
 * `formsg_rule_unmatched`, naming the answer but never repeating it.
 *
 * The same submission always gives the same parameters (its time of submission, not the time it
 * arrived, dates the due date), so a FormSG retry sends PaySG the same request under the same
 * Idempotency-Key, which PaySG replays rather than refusing as a different request.
 * @module
 */
import type { CreatePaymentParams } from '../paysg/schemas.js';
import { isEmailAddress } from '../paysg/email-address.js';
import { singaporeDay } from '../singapore-time.js';
import { FormsgError } from './formsg-error.js';
import { FORMSG_METADATA } from './formsg-metadata.js';
import { type LetterLanguage, placeholdersOf } from './fine-rules-schema.js';
import { type FineRule, translatedText } from './fine-rules.js';
import type { FormsgSubmission } from './verify-submission.js';

/** PaySG's limits on the create request (paysg-api.md §3.1; identifier per §16.3). */
const MAX_DESCRIPTION = 500;
const MAX_TEXT = 255;
const MAX_IDENTIFIER = 20;

/** The metadata keys that tie a PaySG payment to its submission, in PaySG's payout reports too. */
export { FORMSG_METADATA };

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/** `DD-MMM-YYYY` (PaySG's due date), `days` after the Singapore day of `instant`. */
export function dueDateAfter(instant: string, days: number): string {
  const [y, m, d] = singaporeDay(instant).split('-').map(Number) as [number, number, number];
  const due = new Date(Date.UTC(y, m - 1, d + days));
  const dd = String(due.getUTCDate()).padStart(2, '0');
  return `${dd}-${MONTHS[due.getUTCMonth()]}-${due.getUTCFullYear()}`;
}

function unmatched(rule: FineRule, why: string): FormsgError {
  return new FormsgError('formsg_rule_unmatched', `form ${rule.name}: ${why}`);
}

/** A named answer's text, on one line; refused when the payer left it empty. */
function answerOf(rule: FineRule, submission: FormsgSubmission, name: string): string {
  const text = optionalAnswerOf(rule, submission, name);
  if (text === undefined)
    throw unmatched(rule, `the answer "${name}" (field ${rule.answers[name]}) is empty`);
  return text;
}

function optionalAnswerOf(
  rule: FineRule,
  submission: FormsgSubmission,
  name: string,
): string | undefined {
  const fieldId = rule.answers[name] ?? '';
  // Field ids are hex, but FormSG's case is kept as sent: compare without it.
  const answer =
    submission.responses.get(fieldId) ??
    [...submission.responses].find(([id]) => id.toLowerCase() === fieldId.toLowerCase())?.[1];
  // A long answer's line breaks and runs of spaces are not meant for a one-line field.
  const text = answer?.answer.replace(/\s+/g, ' ').trim();
  return text ? text : undefined;
}

/**
 * Dollars as typed, `12`, `12.5` or `12.50`, to cents: exact, no floating point, and nothing
 * else (no sign, exponent, currency or grouping), so what was typed is what is charged.
 */
export function centsFromText(text: string): number | undefined {
  const match = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

interface Charge {
  amountInCents: number;
  /** The table's key, for `{code}`. */
  code?: string;
  /** What is charged for, in a letter language. */
  label: (lang: LetterLanguage) => string;
}

/** What is charged, and for what, by the rule's `amount`. */
function chargeOf(rule: FineRule, submission: FormsgSubmission): Charge {
  const amount = rule.amount;
  switch (amount.from) {
    case 'table': {
      const code = answerOf(rule, submission, amount.answer);
      // An own property only: a code such as "constructor" is not in any table.
      const entry = Object.hasOwn(amount.table, code) ? amount.table[code] : undefined;
      if (!entry)
        throw unmatched(
          rule,
          `the answer "${amount.answer}" is not a code in the amount table (${Object.keys(amount.table).length} codes)`,
        );
      return {
        amountInCents: entry.amountInCents,
        code,
        label: (lang) => translatedText(entry.label, lang),
      };
    }
    case 'fixed':
      return {
        amountInCents: amount.amountInCents,
        label: (lang) => translatedText(amount.label, lang),
      };
    case 'answer': {
      const cents = centsFromText(answerOf(rule, submission, amount.answer));
      if (cents === undefined)
        throw unmatched(rule, `the answer "${amount.answer}" is not an amount in dollars`);
      if (cents < amount.minAmountInCents || cents > amount.maxAmountInCents)
        throw unmatched(
          rule,
          `the answer "${amount.answer}" is outside the amounts this form allows (${amount.minAmountInCents} to ${amount.maxAmountInCents} cents)`,
        );
      return { amountInCents: cents, label: (lang) => translatedText(amount.label, lang) };
    }
  }
}

function fill(
  rule: FineRule,
  submission: FormsgSubmission,
  template: string,
  charge: Charge,
): string {
  const values = new Map<string, string>();
  for (const name of placeholdersOf(template)) {
    if (values.has(name)) continue;
    const value =
      name === 'submissionId'
        ? submission.submissionId
        : name === 'formId'
          ? submission.formId
          : name === 'label'
            ? charge.label('en')
            : name === 'code'
              ? (charge.code ?? '')
              : answerOf(rule, submission, name);
    values.set(name, value);
  }
  return template.replace(/\{([^{}]*)\}/g, (_, name: string) => values.get(name) ?? '');
}

/** Cut to PaySG's limit, on a whole character, marking the cut. */
function capped(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

function checkedText(rule: FineRule, what: string, text: string, max: number): string {
  if ([...text].length > max) throw unmatched(rule, `${what} is longer than ${max} characters`);
  return text;
}

/**
 * The PaySG create-payment request for a verified submission of `rule`'s form. Throws
 * `FormsgError` (`formsg_rule_unmatched`, or `formsg_unknown_form` for another form's submission).
 */
export function paymentFromSubmission(
  rule: FineRule,
  submission: FormsgSubmission,
): CreatePaymentParams {
  if (submission.formId.toLowerCase() !== rule.formId.toLowerCase())
    throw new FormsgError(
      'formsg_unknown_form',
      `submission ${submission.submissionId} is of form ${submission.formId}, not of ${rule.name}`,
    );
  const charge = chargeOf(rule, submission);
  const payer = rule.payer;

  // An e-mail address left empty is allowed: PaySG then sends no e-mail, and the letter is how
  // the payer hears of the fine. One given must be an address PaySG can send to.
  const email = optionalAnswerOf(rule, submission, payer.email);
  if (email !== undefined && !isEmailAddress(email))
    throw unmatched(rule, `the answer "${payer.email}" is not an e-mail address`);

  let identifier: string | undefined;
  if (payer.identifier === 'singpass') {
    identifier = submission.verifiedUinFin;
    if (!identifier)
      throw unmatched(
        rule,
        'the rule takes the NRIC/FIN from Singpass, and this submission has none',
      );
  } else if (payer.identifier) {
    // The rule opted in (`unverified: true`): what was typed is sent to PaySG as it is.
    identifier = answerOf(rule, submission, payer.identifier.answer).toUpperCase();
  }
  const address = payer.address && optionalAnswerOf(rule, submission, payer.address);

  const params: CreatePaymentParams = {
    reference_id: checkedText(
      rule,
      'the reference',
      fill(rule, submission, rule.reference ?? '{submissionId}', charge),
      MAX_TEXT,
    ),
    payer_name: checkedText(
      rule,
      `the answer "${payer.name}"`,
      answerOf(rule, submission, payer.name),
      MAX_TEXT,
    ),
    ...(email !== undefined && { payer_email: email }),
    description: capped(fill(rule, submission, rule.description, charge), MAX_DESCRIPTION),
    amount_in_cents: charge.amountInCents,
    metadata: {
      [FORMSG_METADATA.formId]: submission.formId,
      [FORMSG_METADATA.submissionId]: submission.submissionId,
    },
  };
  if (identifier !== undefined)
    params.payer_identifier = checkedText(rule, 'the payer identifier', identifier, MAX_IDENTIFIER);
  if (address)
    params.payer_address = checkedText(rule, `the answer "${payer.address}"`, address, MAX_TEXT);
  if (rule.dueInDays !== undefined)
    params.due_date = dueDateAfter(submission.created, rule.dueInDays);
  return params;
}

/** What a fine letter says, in the payer's language. */
export interface FineLetterContent {
  lang: LetterLanguage;
  agencyName: string;
  payerName: string;
  referenceId: string;
  /** What the fine is for: the table entry's or the rule's label, in the letter's language. */
  offence: string;
  /**
   * What the fine is for in full: the payment's description, the rule's template filled in
   * (`Parking fine P01: …, vehicle SGX1234A`), as the payer's PaySG page says it. Absent from
   * letters recorded before it was kept.
   */
  details?: string;
  amountInCents: number;
  currency: 'SGD';
  /** `DD-MMM-YYYY`, when the rule sets a due date. */
  dueDate?: string;
  /** The Singapore day (`YYYY-MM-DD`) the form was submitted. */
  issuedOn: string;
  paymentUrl: string;
}

/** The letter's language: the rule's language answer, else its default, else English. */
export function letterLanguage(rule: FineRule, submission: FormsgSubmission): LetterLanguage {
  const setting = rule.letter?.language;
  const fallback = rule.letter?.defaultLanguage ?? 'en';
  if (!setting) return fallback;
  const answer = optionalAnswerOf(rule, submission, setting.answer);
  if (answer === undefined) return fallback;
  const exact = Object.hasOwn(setting.options, answer) ? setting.options[answer] : undefined;
  if (exact) return exact;
  const folded = Object.entries(setting.options).find(
    ([option]) => option.toLowerCase() === answer.toLowerCase(),
  );
  return folded?.[1] ?? fallback;
}

/**
 * The letter for a submission whose payment PaySG made at `paymentUrl`. Throws like
 * `paymentFromSubmission`, and when the rule has no letter settings.
 */
export function letterFromSubmission(
  rule: FineRule,
  submission: FormsgSubmission,
  paymentUrl: string,
): FineLetterContent {
  if (!rule.letter) throw unmatched(rule, 'the rule has no letter settings');
  const params = paymentFromSubmission(rule, submission);
  const lang = letterLanguage(rule, submission);
  return {
    lang,
    agencyName: translatedText(rule.letter.agencyName, lang),
    payerName: params.payer_name,
    referenceId: params.reference_id,
    offence: chargeOf(rule, submission).label(lang),
    details: params.description,
    amountInCents: params.amount_in_cents,
    currency: 'SGD',
    ...(params.due_date && { dueDate: params.due_date }),
    issuedOn: singaporeDay(submission.created),
    paymentUrl,
  };
}
