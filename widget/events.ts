/**
 * The events `<paysg-checkout>` dispatches: `Event` subclasses with a typed, read-only
 * `detail`, all bubbling and composed so a listener on `document` hears them.
 */
import type { ErrorCode } from '../contract/bff-contract.js';

/** What is being paid for, as the BFF priced it. */
export interface PaysgQuoteDetail {
  description: string;
  /** `null` in `paysg-ready` for an item whose amount the payer chooses; set in `paysg-submit`. */
  amountInCents: number | null;
  currency: string;
}

export interface PaysgRedirectDetail {
  checkoutId: string;
  paymentUrl: string;
}

export interface PaysgPaidDetail {
  checkoutId: string;
  paymentId: string;
  referenceId: string;
  amountInCents: number;
  currency: string;
  /** When PaySG recorded the payment, as PaySG wrote it (ISO 8601). */
  paidAt: string;
}

export interface PaysgPendingDetail {
  checkoutId: string;
  /** The same PaySG link; paying it later still completes this checkout. */
  paymentUrl: string | null;
}

/** The BFF's error codes plus the two the browser itself can meet. */
export type PaysgErrorCode = ErrorCode | 'network_error' | 'invalid_response';

export interface PaysgErrorDetail {
  code: PaysgErrorCode;
  message: string;
  retryable: boolean;
  requestId?: string;
}

abstract class PaysgEvent<T> extends Event {
  readonly detail: T;
  constructor(type: string, detail: T, cancelable = false) {
    super(type, { bubbles: true, composed: true, cancelable });
    this.detail = detail;
  }
}

/** The quote is shown and Pay can be pressed. */
export class PaysgReadyEvent extends PaysgEvent<PaysgQuoteDetail> {
  constructor(detail: PaysgQuoteDetail) {
    super('paysg-ready', detail);
  }
}

/** Pay was pressed; nothing has been sent. Cancel it to stop the payment. */
export class PaysgSubmitEvent extends PaysgEvent<PaysgQuoteDetail> {
  constructor(detail: PaysgQuoteDetail) {
    super('paysg-submit', detail, true);
  }
}

/** The checkout exists; the page is about to leave for PaySG. Cancel it to navigate yourself. */
export class PaysgRedirectEvent extends PaysgEvent<PaysgRedirectDetail> {
  constructor(detail: PaysgRedirectDetail) {
    super('paysg-redirect', detail, true);
  }
}

/** The BFF verified the payment with PaySG. */
export class PaysgPaidEvent extends PaysgEvent<PaysgPaidDetail> {
  constructor(detail: PaysgPaidDetail) {
    super('paysg-paid', detail);
  }
}

/** Checked after the payer came back: not paid (yet). */
export class PaysgPendingEvent extends PaysgEvent<PaysgPendingDetail> {
  constructor(detail: PaysgPendingDetail) {
    super('paysg-pending', detail);
  }
}

export interface PaysgCancelDetail {
  checkoutId: string;
}

/** The payer cancelled; the PaySG payment is cancelled too, so its link can no longer be paid. */
export class PaysgCancelEvent extends PaysgEvent<PaysgCancelDetail> {
  constructor(detail: PaysgCancelDetail) {
    super('paysg-cancel', detail);
  }
}

/** Something was shown to the payer as an error. */
export class PaysgErrorEvent extends PaysgEvent<PaysgErrorDetail> {
  constructor(detail: PaysgErrorDetail) {
    super('paysg-error', detail);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'paysg-ready': PaysgReadyEvent;
    'paysg-submit': PaysgSubmitEvent;
    'paysg-redirect': PaysgRedirectEvent;
    'paysg-paid': PaysgPaidEvent;
    'paysg-pending': PaysgPendingEvent;
    'paysg-cancel': PaysgCancelEvent;
    'paysg-error': PaysgErrorEvent;
  }
}
