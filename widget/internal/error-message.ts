/** What an error says to the payer, in their language. */
import type { Messages } from '../locales/index.js';
import type { FlowError } from './checkout-flow.js';

export function errorMessage(m: Messages, error: FlowError): string {
  // The payer may have paid: never "failed", never an invitation to pay again.
  if (error.statusUnknown) return m.statusUnknown;
  // A definite "no" the payer cannot change (an unknown item, a bad order token, …) is the agency's to fix.
  return m.errors[error.code] ?? (error.retryable ? m.genericError : m.notConfigured);
}
