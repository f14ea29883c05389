/**
 * Remembers, per tab, the checkout the payer left for PaySG, so that coming back with the Back
 * button (PaySG redirects only after success) still finds it and asks the BFF about it.
 * sessionStorage: per tab, gone when the tab closes, and unavailable in some privacy modes.
 */
const PREFIX = 'paysg-checkout:pending:';

function storage(): Storage | undefined {
  try {
    return globalThis.sessionStorage;
  } catch {
    return undefined;
  }
}

export function rememberPending(scope: string, checkoutId: string): void {
  try {
    storage()?.setItem(PREFIX + scope, checkoutId);
  } catch {
    // Storage full or blocked: the return URL still carries the checkout id.
  }
}

export function pendingCheckout(scope: string): string | undefined {
  try {
    return storage()?.getItem(PREFIX + scope) ?? undefined;
  } catch {
    return undefined;
  }
}

export function forgetPending(scope: string): void {
  try {
    storage()?.removeItem(PREFIX + scope);
  } catch {
    // Nothing to forget.
  }
}
