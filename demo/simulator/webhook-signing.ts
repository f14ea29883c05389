/**
 * How the simulator signs its webhooks, read from PaySG's webhook best-practices page
 * (paysg-api.md §8.4): a `PaySG-Signature` header written `t=timestamp, v1=signature`, the
 * signature being HMAC-SHA256, keyed with the endpoint's secret, over the timestamp, a `.`, and
 * the body exactly as sent.
 *
 * Written here, apart from the BFF's verifier (`server/paysg/webhook-signature.ts`), on purpose:
 * the simulator is a second reading of PaySG's documentation, so a mistake in either reading
 * shows up as a webhook the other refuses. PaySG leaves the digest encoding and the timestamp
 * unit unsaid (§8.4, §15.8); the simulator's choices are lowercase hex and seconds.
 * @module
 */
import { createHmac } from 'node:crypto';

/** The header PaySG puts the signature in. */
export const PAYSG_SIGNATURE_HEADER = 'PaySG-Signature';

/**
 * The `PaySG-Signature` value for one delivery of `rawBody`: `t=<seconds>, v1=<hex>`, with the
 * comma and space the documentation writes. `rawBody` must be the bytes that are sent.
 */
export function paysgSignatureHeader(
  rawBody: string | Uint8Array,
  secret: string,
  timestampSeconds: number,
): string {
  const digest = createHmac('sha256', secret)
    .update(`${timestampSeconds}.`)
    .update(rawBody)
    .digest('hex');
  return `t=${timestampSeconds}, v1=${digest}`;
}
