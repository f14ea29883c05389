/**
 * The shape every language file fills: each string the widget shows, errors included.
 */
import type { PaysgErrorCode } from '../events.js';

export interface Messages {
  loading: string;
  amount: string;
  pay: (amount: string) => string;
  submitting: string;
  redirecting: string;
  verifying: string;
  paidTitle: string;
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
  /** A definite "no" the payer cannot fix (no `item`, an unknown item, a bad order token, …). */
  notConfigured: string;
  /** Errors by code; codes without an entry use `genericError`, or `notConfigured` when retrying cannot help. */
  errors: Partial<Record<PaysgErrorCode, string>>;
  genericError: string;
  /** When the status could not be checked: never say paid or failed before the BFF knows. */
  statusUnknown: string;
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
  amountError: (min: string, max: string) => string;
  payerChoosesAmount: string;
}

export type Lang = 'en' | 'zh' | 'ms' | 'ta';
