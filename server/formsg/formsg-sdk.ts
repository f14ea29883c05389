/**
 * The parts of `@opengovsg/formsg-sdk` (an optional peer dependency) that check a FormSG
 * webhook, built around a signing public key we are given rather than the one the SDK picks for a
 * `mode`: the SDK's classes take the key in their constructors, and its entry point does not
 * expose them. Tests make their own ed25519 key pair and hand its public half here; production
 * hands FormSG's published key for its environment (`formsgSigningPublicKey`).
 *
 * The signature is checked with the SDK's own `isSignatureHeaderValid` (the same base string, URL
 * normalisation and tweetnacl verify that `webhooks.authenticate` runs), but its recency is ours:
 * `authenticate` reads `Date.now()`, and the BFF runs on an injected clock.
 * @module
 */
import { createRequire } from 'node:module';
import { optionalPackage } from '../optional-package.js';

const require = createRequire(import.meta.url);

/**
 * FormSG's signing public key (base64 ed25519) for an environment, as the installed SDK ships it,
 * so a key FormSG rotates arrives with an SDK update rather than an edit here.
 */
export function formsgSigningPublicKey(environment: 'production' | 'staging'): string {
  optionalPackage('@opengovsg/formsg-sdk', 'FormSG submissions (fines from a form)');
  const { SIGNING_KEYS } = require('@opengovsg/formsg-sdk/dist/resource/signing-keys.js') as {
    SIGNING_KEYS: Record<string, { publicKey: string }>;
  };
  const key = SIGNING_KEYS[environment]?.publicKey;
  if (!key) throw new Error(`@opengovsg/formsg-sdk has no ${environment} signing key`);
  return key;
}

/** The decrypted shape of a v2.1 submission (the SDK's `DecryptedContent`). */
export interface DecryptedV2 {
  responses: {
    _id: string;
    question: string;
    fieldType: string;
    answer?: string;
    answerArray?: string[] | string[][];
    isHeader?: boolean;
  }[];
  verified?: Record<string, unknown>;
}

/** The decrypted shape of a v3 submission (the SDK's `DecryptedContentV3`). */
export interface DecryptedV3 {
  responses: Record<string, { fieldType: string; answer: unknown }>;
  verified?: Record<string, unknown>;
}

export interface FormsgSdk {
  /** True when `v1` is FormSG's signature of `{url}.{s}.{f}.{t}`; throws on a malformed header. */
  isSignatureValid(url: string, header: { v1: string; t: number; s: string; f: string }): boolean;
  /** v2.1 (and older storage-mode versions): `null` when the key does not open it. */
  decryptV2(
    formSecretKey: string,
    params: { encryptedContent: string; version: number; verifiedContent?: string },
  ): DecryptedV2 | null;
  /** v3 and v4: `null` when the key does not open it. */
  decryptV3(
    formSecretKey: string,
    params: {
      encryptedContent: string;
      encryptedSubmissionSecretKey: string;
      version: number;
      verifiedContent?: string;
    },
  ): DecryptedV3 | null;
}

interface SdkCrypto<P, R> {
  decrypt(formSecretKey: string, params: P): R | null;
}
type CryptoClass<P, R> = new (options: { signingPublicKey: string }) => SdkCrypto<P, R>;

/** The SDK, checking signatures (and verified content) against `signingPublicKey`. */
export function loadFormsgSdk(signingPublicKey: string): FormsgSdk {
  // Loaded by name first, so a missing SDK says what to install in one line.
  optionalPackage('@opengovsg/formsg-sdk', 'FormSG submissions (fines from a form)');
  const webhooks = require('@opengovsg/formsg-sdk/dist/util/webhooks.js') as {
    isSignatureHeaderValid(uri: string, header: object, publicKey: string): boolean;
  };
  const Crypto = (
    require('@opengovsg/formsg-sdk/dist/crypto.js') as { default: CryptoClass<never, DecryptedV2> }
  ).default;
  const CryptoV3 = (
    require('@opengovsg/formsg-sdk/dist/crypto-v3.js') as {
      default: CryptoClass<never, DecryptedV3>;
    }
  ).default;
  const crypto = new Crypto({ signingPublicKey });
  const cryptoV3 = new CryptoV3({ signingPublicKey });
  return {
    isSignatureValid: (url, header) =>
      webhooks.isSignatureHeaderValid(url, header, signingPublicKey),
    decryptV2: (key, params) => crypto.decrypt(key, params as never),
    decryptV3: (key, params) => cryptoV3.decrypt(key, params as never),
  };
}
