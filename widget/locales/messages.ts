/**
 * The shape every language fills: each string the widget shows, errors included. Texts are plain
 * strings, so the languages other than English can be JSON files fetched with their integrity
 * hash; `{name}` marks where a value goes (`fill`).
 */
import type { PaysgErrorCode } from '../events.js';

export interface Messages {
  loading: string;
  amount: string;
  /** `{amount}`. */
  pay: string;
  submitting: string;
  redirecting: string;
  verifying: string;
  paidTitle: string;
  /** Ends with the language's full stop (`.`, `。`): `sentences` joins a title to its message with it. */
  paidBody: string;
  reference: string;
  paidAt: string;
  unpaidTitle: string;
  unpaidBody: string;
  resume: string;
  cancel: string;
  cancelling: string;
  startAgain: string;
  cancelledTitle: string;
  cancelledBody: string;
  errorTitle: string;
  retry: string;
  /** The retry button when only a fresh page helps (an expired order token). */
  reload: string;
  securedBy: string;
  /** Why Pay cannot be pressed, when the host set `disabled` and gave no reason of its own. */
  disabled: string;
  /** A definite "no" the payer cannot fix (no `item`, an unknown item, a bad order token, …). */
  notConfigured: string;
  /** Errors by code; codes without an entry use `genericError`, or `notConfigured` when retrying cannot help. */
  errors: Partial<Record<PaysgErrorCode, string>>;
  genericError: string;
  /** `{id}`: the request id, for an error only the agency can fix. */
  errorReference: string;
  /** When the status could not be checked: never say paid or failed, nor invite a second payment. */
  statusUnknownTitle: string;
  statusUnknown: string;
  checkAgain: string;
  /** Popup mode, while PaySG is open in its own window. */
  awaitingTitle: string;
  awaitingBody: string;
  reopen: string;
  /** Payer details the host page did not give. */
  nameLabel: string;
  nameError: string;
  emailLabel: string;
  emailHint: string;
  emailError: string;
  /** For items whose amount the payer chooses. */
  chooseAmountLabel: string;
  /** `{min}`, `{max}`. */
  amountError: string;
  payerChoosesAmount: string;
}

export type Lang = 'en' | 'zh' | 'ms' | 'ta';

/** `fill('Pay {amount}', {amount: 'SGD 1.00'})` → `Pay SGD 1.00`. */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

/**
 * A title and its message as one text (what the live region says), joined as the language ends
 * a sentence: `。` with no space in Chinese, a full stop and a space in English, Malay and Tamil.
 * Read from the texts themselves, so English shown in place of a language that could not be
 * loaded is punctuated as English.
 */
export function sentences(m: Messages, title: string, message: string): string {
  const stop = m.paidBody.slice(-1);
  return title + (stop === '.' ? '. ' : stop) + message;
}
