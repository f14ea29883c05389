/**
 * Popup mode: PaySG in a window of its own while the host page stays. The window is opened
 * blank in the click itself (so popup blockers allow it) and sent to PaySG once the checkout
 * exists. `null` means it was blocked: the widget then falls back to a full-page redirect.
 */
const FEATURES = 'popup=yes,width=520,height=760';

export function openBlankPopup(): Window | null {
  try {
    return window.open('', 'paysg-checkout', FEATURES);
  } catch {
    return null;
  }
}

export function sendPopupTo(popup: Window, url: string): boolean {
  try {
    popup.location.href = url;
    popup.focus();
    return true;
  } catch {
    return false;
  }
}

/** The popup's return page posts this once PaySG sent the payer back. */
export interface PopupReturnMessage {
  type: 'paysg-popup-return';
  checkoutId: string;
}

export function isPopupReturn(data: unknown): data is PopupReturnMessage {
  return (
    typeof data === 'object' &&
    data !== null &&
    (data as PopupReturnMessage).type === 'paysg-popup-return'
  );
}
