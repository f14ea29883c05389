/** An error as the checkout shows it, and what it says to the payer, in their language. */
import type { PaysgErrorDetail } from '../events.js';
import type { Messages } from '../locales/index.js';

/** An error, as shown: `statusUnknown` when the payer may have paid and nobody knows yet. */
export interface FlowError extends Omit<PaysgErrorDetail, 'message'> {
  statusUnknown?: boolean;
  /** Only a fresh page helps (an expired order token): the retry button reloads. */
  reloads?: boolean;
}

export function errorMessage(m: Messages, error: FlowError): string {
  // The payer may have paid: never "failed", never an invitation to pay again.
  if (error.statusUnknown) return m.statusUnknown;
  // A definite "no" the payer cannot change (an unknown item, a bad order token, …) is the agency's to fix.
  return m.errors[error.code] ?? (error.retryable ? m.genericError : m.notConfigured);
}
