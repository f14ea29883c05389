/**
 * `paysg-checkout/paysg`: the PaySG client on its own (payments, errors by kind, webhook
 * signatures), for an agency backend that talks to PaySG without the BFF.
 * @module
 */
export {
  PaysgClient,
  PaymentsResource,
  PAYSG_STAGING_API,
  PAYSG_PRODUCTION_API,
  baseUrlForKey,
  paymentPageOriginsFor,
  type PaysgClientOptions,
  type RequestOptions,
  type IdempotentRequestOptions,
} from './client.js';
export * from './errors.js';
export {
  verifyWebhookSignature,
  signWebhookPayload,
  parseSignatureHeader,
  SIGNATURE_HEADER,
  DEFAULT_TOLERANCE_SECONDS,
  type SignatureHeader,
  type VerifyWebhookOptions,
} from './webhook-signature.js';
export { parseEvent, type PaysgEvent } from './events.js';
