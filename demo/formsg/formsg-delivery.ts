/**
 * What FormSG posts to a form's webhook, made the way FormSG makes it, with the same SDK
 * (`@opengovsg/formsg-sdk`): the answers encrypted to the form's public key as a version 2.1
 * body (FormSG's storage-mode forms, the kind an agency's fine form is; v3 is for
 * multi-respondent forms), and `X-FormSG-Signature: t=…,s=…,f=…,v1=…`, the ed25519 signature of
 * `{webhook URL}.{submissionId}.{formId}.{t}` (paysg-api.md §17, "FormSG webhooks").
 *
 * The demo signs with a key pair of its own, made at start: FormSG's secret key is FormSG's,
 * and the BFF is told the demo's public half instead (`FORMSG_SIGNING_KEY`). Nothing else
 * differs from a real delivery, so the BFF's checks run on the demo exactly as in production.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** A base64 key pair, as the SDK and tweetnacl write them. */
export interface Keypair {
  publicKey: string;
  secretKey: string;
}

interface SdkWebhooks {
  generateSignature(p: {
    uri: string;
    submissionId: string;
    formId: string;
    epoch: number;
  }): string;
  constructHeader(p: {
    epoch: number;
    submissionId: string;
    formId: string;
    signature: string;
  }): string;
}

function sdk() {
  const nacl = require('tweetnacl') as {
    sign: { keyPair(): { publicKey: Uint8Array; secretKey: Uint8Array } };
  };
  // The SDK's entry point picks FormSG's own keys by `mode`; its classes take the keys we give.
  const Webhooks = (
    require('@opengovsg/formsg-sdk/dist/webhooks.js') as {
      default: new (o: { publicKey: string; secretKey: string }) => SdkWebhooks;
    }
  ).default;
  const Crypto = (
    require('@opengovsg/formsg-sdk/dist/crypto.js') as {
      default: new () => {
        generate(): Keypair;
        encrypt(message: unknown, publicKey: string): string;
      };
    }
  ).default;
  return { nacl, Webhooks, Crypto };
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/** An ed25519 key pair standing in for FormSG's signing key (tweetnacl's, as FormSG's is). */
export function newSigningKeypair(): Keypair {
  const pair = sdk().nacl.sign.keyPair();
  return { publicKey: b64(pair.publicKey), secretKey: b64(pair.secretKey) };
}

/** A form's encryption key pair, as FormSG makes one when a storage-mode form is created. */
export function newFormKeypair(): Keypair {
  return new (sdk().Crypto)().generate();
}

/**
 * A new submission id: FormSG's are MongoDB ObjectIds, 4 bytes of seconds then 8 random bytes
 * (the ObjectId's machine and counter parts; only their shape matters to the BFF).
 */
export function newSubmissionId(now: Date): string {
  const seconds = Math.floor(now.getTime() / 1000)
    .toString(16)
    .padStart(8, '0');
  return seconds + randomBytes(8).toString('hex');
}

/** One answered question of a v2.1 submission, as FormSG's client encrypts it. */
export interface FormsgField {
  _id: string;
  question: string;
  /** FormSG's field type: `dropdown`, `textfield`, `email`, `radiobutton`, … */
  fieldType: string;
  answer: string;
}

export interface DeliveryParams {
  formId: string;
  submissionId: string;
  /** The URL in the form's webhook settings: what FormSG signs, and where it posts. */
  webhookUrl: string;
  formPublicKey: string;
  signing: Keypair;
  fields: FormsgField[];
  now: Date;
}

export interface FormsgDelivery {
  /** The `X-FormSG-Signature` header. */
  signature: string;
  body: {
    data: {
      formId: string;
      submissionId: string;
      encryptedContent: string;
      version: number;
      created: string;
      attachmentDownloadUrls: Record<string, string>;
      paymentContent: Record<string, never>;
    };
  };
}

/**
 * `X-FormSG-Signature` for a submission, signed now: FormSG signs each attempt anew, so a retry
 * carries a fresh `t=` (and passes the five-minute window) with the same body.
 */
export function formsgSignature(
  p: Pick<DeliveryParams, 'formId' | 'submissionId' | 'webhookUrl' | 'signing' | 'now'>,
): string {
  const webhooks = new (sdk().Webhooks)(p.signing);
  const epoch = p.now.getTime();
  const signature = webhooks.generateSignature({
    uri: p.webhookUrl,
    submissionId: p.submissionId,
    formId: p.formId,
    epoch,
  });
  return webhooks.constructHeader({
    epoch,
    submissionId: p.submissionId,
    formId: p.formId,
    signature,
  });
}

/** The body and signature FormSG would post for this submission. */
export function formsgDelivery(p: DeliveryParams): FormsgDelivery {
  const { Crypto } = sdk();
  return {
    signature: formsgSignature(p),
    body: {
      data: {
        formId: p.formId,
        submissionId: p.submissionId,
        encryptedContent: new Crypto().encrypt(p.fields, p.formPublicKey),
        version: 2.1,
        created: p.now.toISOString(),
        // A fine form has no attachments and takes no payment itself: FormSG sends both empty.
        attachmentDownloadUrls: {},
        paymentContent: {},
      },
    },
  };
}
