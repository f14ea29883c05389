/**
 * A FormSG webhook delivery, checked before anything is made of it, then decrypted.
 *
 * What FormSG signs (paysg-api.md §17, "FormSG webhooks") is `{webhook URL}.{submissionId}.
 * {formId}.{t}` with its ed25519 key, in `X-FormSG-Signature: t=…,s=…,f=…,v1=…`. Two traps
 * follow, and each check below is there for one of them:
 * - **The signature does not cover the body.** A signed header lifted onto another body would
 *   pass a signature check alone, so the signed `s=` and `f=` must be the body's ids, and `f=`
 *   the form configured here.
 * - **Encryption proves nothing about the sender.** A form's public key is public: anyone can
 *   encrypt a "submission" to it. Only the signature says FormSG sent it, so a body is never
 *   decrypted, let alone read, before the signature, its age and the ids have passed.
 *
 * The URL checked against is the one configured for the form, never one built from the request's
 * Host header (an attacker chooses that header, and the signature would then check whatever
 * URL they like). The age is ours too: older than five minutes is a replay, as the SDK counts it;
 * more than a minute ahead of our clock is a clock gone wrong, or a delivery prepared for later.
 * @module
 */
import { z } from 'zod';
import { FormsgError } from './formsg-error.js';
import type { FormsgSdk } from './formsg-sdk.js';
import { answersFromV2, answersFromV3, type FormsgAnswer } from './submission-answers.js';

/** The header FormSG signs its deliveries in. */
export const FORMSG_SIGNATURE_HEADER = 'X-FormSG-Signature';

/** The SDK's own window (`hasEpochExpired`): a delivery signed longer ago is a replay. */
export const MAX_SIGNATURE_AGE_MS = 5 * 60 * 1000;

/** How far ahead of our clock a signature may be: servers on NTP differ by far less. */
export const MAX_SIGNATURE_AHEAD_MS = 60 * 1000;

/** What arrived: the header as sent, and the JSON body as parsed. */
export interface FormsgDelivery {
  signature: string | null | undefined;
  body: unknown;
}

/** The form this webhook URL is for, from configuration. */
export interface FormsgFormConfig {
  formId: string;
  /** The URL entered in the form's settings at FormSG, exactly as entered there. */
  webhookUrl: string;
  /** The form's secret key (base64), from the environment, never from a file. */
  secretKey: string;
}

export interface VerifyOptions {
  /** The SDK, built around FormSG's signing public key (`loadFormsgSdk`). */
  sdk: FormsgSdk;
  now: () => Date;
}

export interface FormsgSubmission {
  formId: string;
  submissionId: string;
  /**
   * When FormSG signed this delivery (the signature's `t`), ISO-8601 (UTC): the submission's time
   * for its due date and its letter. Not `data.created`: the signature does not cover the body, so
   * whoever holds a signed header could set that to any date. A delivery is signed when it is
   * sent, seconds after the payer submits; a retry after an outage is signed later, and only the
   * first delivery recorded is ever read.
   */
  created: string;
  version: number;
  /** Answers by field id, trimmed. */
  responses: ReadonlyMap<string, FormsgAnswer>;
  /** The payer's NRIC/FIN from Singpass, only from the verified part that FormSG signed. */
  verifiedUinFin?: string;
}

interface SignatureHeader {
  t: number;
  s: string;
  f: string;
  v1: string;
}

/** FormSG's ids are MongoDB ObjectIds; anything else is refused before it reaches a key or a log. */
const ID = /^[0-9a-f]{24}$/i;

/**
 * Reads `t=<ms>,s=<submissionId>,f=<formId>,v1=<base64>`: each exactly once, `t` digits only,
 * the ids as FormSG makes them. Throws `formsg_signature_invalid`, never anything else.
 */
export function parseFormsgSignature(header: string | null | undefined): SignatureHeader {
  const invalid = (why: string) =>
    new FormsgError('formsg_signature_invalid', `${FORMSG_SIGNATURE_HEADER} ${why}`);
  if (typeof header !== 'string' || header.length === 0) throw invalid('is missing');
  if (header.length > 1024) throw invalid('is too long');
  const parts = new Map<string, string>();
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw invalid('is not a list of key=value');
    const key = part.slice(0, eq).trim();
    if (parts.has(key)) throw invalid(`has ${key}= twice`);
    parts.set(key, part.slice(eq + 1).trim());
  }
  const t = parts.get('t');
  const s = parts.get('s');
  const f = parts.get('f');
  const v1 = parts.get('v1');
  if (!t || !/^\d{1,15}$/.test(t)) throw invalid('has no t= in milliseconds');
  if (!s || !ID.test(s)) throw invalid('has no submission id s=');
  if (!f || !ID.test(f)) throw invalid('has no form id f=');
  // An ed25519 signature is 64 bytes: 88 base64 characters with their padding.
  if (!v1 || !/^[A-Za-z0-9+/]{86}==$/.test(v1)) throw invalid('has no ed25519 signature v1=');
  return { t: Number(t), s, f, v1 };
}

const bodySchema = z.object({
  data: z.object({
    formId: z.string().regex(ID, 'is not a FormSG id'),
    submissionId: z.string().regex(ID, 'is not a FormSG id'),
    encryptedContent: z.string().min(1),
    verifiedContent: z.string().min(1).optional(),
    // v3 and v4 (multi-respondent forms): the submission's own key, encrypted to the form's.
    encryptedSubmissionSecretKey: z.string().min(1).optional(),
    version: z.number().positive(),
    created: z.union([z.string(), z.number()]),
  }),
});

/** The delivery's signature, age and ids; throws `FormsgError` at the first that fails. */
function checkDelivery(
  delivery: FormsgDelivery,
  form: FormsgFormConfig,
  options: VerifyOptions,
): { header: SignatureHeader; data: z.infer<typeof bodySchema>['data'] } {
  const header = parseFormsgSignature(delivery.signature);
  let signed: boolean;
  try {
    signed = options.sdk.isSignatureValid(form.webhookUrl, header);
  } catch {
    signed = false;
  }
  if (!signed)
    throw new FormsgError(
      'formsg_signature_invalid',
      `${FORMSG_SIGNATURE_HEADER} is not FormSG's signature for ${form.webhookUrl}`,
    );
  try {
    return checkSignedDelivery(delivery, form, options, header);
  } catch (err) {
    throw signedBy(err, header);
  }
}

/**
 * Marks a refusal of a delivery FormSG did sign with the ids it signed: that submission is lost
 * unless someone looks at it in FormSG, so the route raises an alert naming them.
 */
function signedBy(err: unknown, header: SignatureHeader): unknown {
  if (err instanceof FormsgError && !err.signed)
    err.signed = { formId: header.f.toLowerCase(), submissionId: header.s.toLowerCase() };
  return err;
}

/** What follows a valid signature: its age, the form, the body and its ids. */
function checkSignedDelivery(
  delivery: FormsgDelivery,
  form: FormsgFormConfig,
  options: VerifyOptions,
  header: SignatureHeader,
): { header: SignatureHeader; data: z.infer<typeof bodySchema>['data'] } {
  const age = options.now().getTime() - header.t;
  if (age > MAX_SIGNATURE_AGE_MS)
    throw new FormsgError(
      'formsg_stale',
      `signed ${Math.round(age / 1000)} s ago; a delivery is accepted for ${MAX_SIGNATURE_AGE_MS / 1000} s`,
    );
  if (-age > MAX_SIGNATURE_AHEAD_MS)
    throw new FormsgError(
      'formsg_stale',
      `signed ${Math.round(-age / 1000)} s ahead of this server's clock; check both clocks`,
    );

  // The signed form id decides which form this is: the body's is checked against it below.
  if (header.f !== form.formId)
    throw new FormsgError(
      'formsg_unknown_form',
      `form ${header.f} is not the form configured for ${form.webhookUrl}`,
    );

  const parsed = bodySchema.safeParse(delivery.body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new FormsgError(
      'formsg_malformed',
      `the body is not a FormSG delivery: ${issue?.path.join('.') || 'body'} ${issue?.message ?? ''}`.trim(),
    );
  }
  const data = parsed.data.data;
  if (data.submissionId !== header.s || data.formId !== header.f)
    throw new FormsgError(
      'formsg_mismatch',
      'the body names another submission or form than the signature: a signature is never moved onto another body',
    );
  return { header, data };
}

/** An NRIC or FIN as Singpass gives it, upper case; `undefined` when the verified part has none. */
function uinFinOf(verified: Record<string, unknown> | undefined): string | undefined {
  const value = verified?.uinFin;
  if (typeof value !== 'string') return undefined;
  const uinFin = value.trim().toUpperCase();
  return uinFin === '' ? undefined : uinFin;
}

/**
 * Checks a FormSG delivery against the form configured at its URL and decrypts it: v2.1 (and
 * the older storage-mode versions, which decrypt the same way) with the SDK's `crypto`, v3 and
 * v4 with its `cryptoV3`. Throws `FormsgError` with a stable code at the first check that fails.
 */
export function verifySubmission(
  delivery: FormsgDelivery,
  form: FormsgFormConfig,
  options: VerifyOptions,
): FormsgSubmission {
  const { header, data } = checkDelivery(delivery, form, options);
  try {
    return decrypted(data, form, options, new Date(header.t).toISOString());
  } catch (err) {
    throw signedBy(err, header);
  }
}

function decrypted(
  data: z.infer<typeof bodySchema>['data'],
  form: FormsgFormConfig,
  options: VerifyOptions,
  created: string,
): FormsgSubmission {
  const undecryptable = (why: string) =>
    new FormsgError('formsg_undecryptable', `submission ${data.submissionId} ${why}`);

  let responses: Map<string, FormsgAnswer>;
  let verified: Record<string, unknown> | undefined;
  if (data.version >= 3 && data.version < 5) {
    if (!data.encryptedSubmissionSecretKey)
      throw new FormsgError(
        'formsg_malformed',
        `a version ${data.version} body has no encryptedSubmissionSecretKey`,
      );
    const decrypted = options.sdk.decryptV3(form.secretKey, {
      encryptedContent: data.encryptedContent,
      encryptedSubmissionSecretKey: data.encryptedSubmissionSecretKey,
      version: data.version,
      ...(data.verifiedContent && { verifiedContent: data.verifiedContent }),
    });
    if (!decrypted) throw undecryptable("does not open with the form's secret key");
    responses = answersFromV3(decrypted.responses);
    verified = decrypted.verified;
  } else if (data.version >= 1 && data.version < 3) {
    const decrypted = options.sdk.decryptV2(form.secretKey, {
      encryptedContent: data.encryptedContent,
      version: data.version,
      ...(data.verifiedContent && { verifiedContent: data.verifiedContent }),
    });
    // The SDK answers null too when the verified part is not signed with FormSG's key.
    if (!decrypted)
      throw undecryptable(
        "does not open with the form's secret key, or its verified part is not FormSG's",
      );
    responses = answersFromV2(decrypted.responses);
    verified = decrypted.verified;
  } else {
    throw undecryptable(`is version ${data.version}, which this SDK does not read`);
  }

  const verifiedUinFin = uinFinOf(verified);
  return {
    formId: data.formId,
    submissionId: data.submissionId,
    created,
    version: data.version,
    responses,
    ...(verifiedUinFin && { verifiedUinFin }),
  };
}
