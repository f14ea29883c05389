/**
 * What the BFF and the widget say to each other: the one description both sides compile
 * against. The server's routes answer with these types (`satisfies`), and the widget reads them,
 * so a field added on one side and not the other is a type error, not a surprise in a browser.
 * Types and one list of codes only: nothing here runs on a server, so the widget's published
 * types never pull in Hono or the server's modules.
 * @module
 */

/** Every error code the BFF answers with, in its one error shape. */
export const ERROR_CODES = [
  'invalid_request',
  'unsupported_media_type',
  'payload_too_large',
  'origin_not_allowed',
  'not_found',
  'unknown_item',
  'invalid_order_token',
  'order_token_expired',
  'order_token_superseded',
  'reference_required',
  'not_checkout_owner',
  'invalid_signature',
  'payer_details_required',
  'order_already_paid',
  'checkout_in_progress',
  'checkout_not_payable',
  'idempotency_mismatch',
  'payment_mismatch',
  'rate_limited',
  'upstream_rejected',
  'upstream_unavailable',
  'widget_not_built',
  'unauthorized',
  'not_refundable',
  'refund_refused',
  'refund_in_progress',
  'forbidden',
  'own_refund',
  // FormSG's deliveries (`POST /formsg/{form}`): FormSG's logs show exactly what was refused.
  /** `X-FormSG-Signature` is missing, malformed, or not FormSG's signature for the configured URL. */
  'formsg_signature_invalid',
  /** Signed more than five minutes ago, or too far in the future: a replay, or a clock gone wrong. */
  'formsg_stale',
  /** The body is not a FormSG webhook body. */
  'formsg_malformed',
  /** The signed ids (`s=`, `f=`) are not the body's: a signature lifted onto another body. */
  'formsg_mismatch',
  /** The form is not the one configured at this URL. */
  'formsg_unknown_form',
  /** The form's secret key does not open the submission, or its verified part is not signed. */
  'formsg_undecryptable',
  /** The answers do not make a payment under the form's rule. */
  'formsg_rule_unmatched',
  // The back office's fines: an e-mail that may not be sent again, a letter not yet made.
  'email_not_resendable',
  'letter_not_available',
  'internal_error',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** `{"error": {...}}`: every failure the BFF answers. */
export interface ErrorResponse {
  error: {
    code: ErrorCode;
    message: string;
    requestId: string;
    issues?: { path: string; message: string }[];
  };
}

/** Singapore's other official languages, for texts the agency translated. */
export type TranslatedLang = 'zh' | 'ms' | 'ta';

export interface Translation {
  description: string;
  lineItems?: string[];
}

export type Translations = Partial<Record<TranslatedLang, Translation>>;

export interface LineItem {
  description: string;
  amountInCents: number;
}

/** `GET /quote?item=…` and `POST /quote {orderToken}`: what will be charged. */
export interface QuoteResponse {
  /** The catalog item, for `GET /quote`. */
  item?: string;
  description: string;
  translations?: Translations;
  /** Absent when the payer chooses the amount, between the two bounds. */
  amountInCents?: number;
  minAmountInCents?: number;
  maxAmountInCents?: number;
  currency: 'SGD';
  lineItems?: LineItem[];
  /** The order's reference, for an order token (the agency chose it). */
  referenceId?: string;
  /** The page must name the order (the widget's `reference`) before Pay. */
  requiresReference?: boolean;
  /** False when the order already names the payer (an order token with `payer.name`). */
  payerNameRequired?: boolean;
  /**
   * The order is paid, and the caller owns that checkout: the browser that made it (its
   * `X-PaySG-Browser`) or the holder of the same order token. The widget shows its confirmation
   * (`GET /checkouts/{id}`) instead of Pay. Never given to anyone else (non-negotiable 7).
   */
  paidCheckoutId?: string;
}

export interface PayerInput {
  name?: string;
  email?: string;
  identifier?: string;
  address?: string;
}

/** `POST /checkouts`, with an `Idempotency-Key`. Never an amount, except one the payer chose. */
export interface CreateCheckoutRequest {
  item?: string;
  orderToken?: string;
  reference?: string;
  chosenAmountInCents?: number;
  payer?: PayerInput;
  returnTo: string;
  mode?: 'redirect' | 'popup';
}

export type CheckoutStatus = 'created' | 'unpaid' | 'paid' | 'cancelled' | 'failed';

/** `POST /checkouts`: 201 for a new checkout, 200 for this browser's own, resumed. */
export interface CreatedCheckoutResponse {
  checkoutId: string;
  status: CheckoutStatus;
  paymentUrl: string | null;
}

/** `GET /checkouts/{id}` and `POST /checkouts/{id}/cancel`: what a checkout id reveals. */
export interface CheckoutView {
  checkoutId: string;
  status: CheckoutStatus;
  description: string;
  /** The catalog item's texts in the payer's languages, while its description is still this one. */
  translations?: Translations;
  amountInCents: number;
  currency: 'SGD';
  referenceId: string;
  paymentId?: string;
  /** Only while the payment can still be made, so the payer can resume it. */
  paymentUrl?: string;
  paidAt?: string;
}
