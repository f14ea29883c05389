/**
 * Payment-form submissions (paysg-api.md §2, §13, §17.2): the two endpoints Plumber's PaySG
 * actions call after a payer submits the FormSG form behind a PaySG payment form,
 *
 * - `POST /v1/payment-services/{id}/forms/{formId}/submissions`: a one-time payment;
 * - `POST /v1/payment-services/{id}/forms/{formId}/subscription-submissions`: a monthly subscription.
 *
 * Neither is in PaySG's guide. What is **known** comes from Plumber's code
 * (opengovsg/plumber `packages/backend/src/apps/paysg/actions/create-payment-form-submission/`
 * and `…/create-payment-form-submission-subscription/`, `index.ts` and `schema.ts`): the paths,
 * the body's fields and the limits Plumber checks before sending, that the subscription body adds
 * `frequency: "monthly"` and requires `payer_email` and `description`, and that Plumber treats any
 * 2xx as success and never reads the answer. What PaySG answers, which limits it enforces itself
 * and how it treats an unknown form are **not known**; the simulator's choices are marked below.
 *
 * Like `request-rules.ts`, these rules are the simulator's own reading and share nothing with the
 * BFF's PaySG client.
 * @module
 */
import { z } from 'zod';
import { newPaymentId, singaporeTimestamp } from './payment-ledger.js';

/** The same amount rule as a create (whole cents, $0.01 to $200,000); Plumber itself asks for 50 cents or more. */
const AMOUNT = z.number().int().min(1).max(20_000_000);
const EMAIL = z
  .string()
  .max(255)
  .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'must be an email address');

/**
 * A PaySG payment form's id, the last segment of `https://pay.gov.sg/forms/<id>` (Plumber's
 * example: `aBC123Def456HijK789LMn`). The simulator keeps no forms, so it cannot tell a form
 * that exists from one that does not: any id of this URL-safe shape is taken as a form of the
 * payment service in the path (inferred; real PaySG presumably answers 404 for a form it does not
 * have). An id of any other shape cannot be a form, and gets 404 `form_not_found`.
 */
export const FORM_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The one-time body, field by field as Plumber sends it. Plumber leaves out an empty optional
 * field (it turns `""` into `undefined`) and always sends `responses` (default `[]`).
 * Limits on the fields that become the payment's are the create's own (§3.1): `nonce` becomes
 * `reference_id` (≤255), names and addresses ≤255, identifiers ≤20, descriptions ≤500.
 */
export const formSubmissionSchema = z
  .object({
    // A FormSG form id: Plumber requires exactly 24 characters (its FORM_ID_LENGTH); FormSG's
    // ids are MongoDB ObjectIds, so 24 hexadecimal digits (inferred from FormSG, not from PaySG).
    formsg_form_id: z
      .string()
      .regex(/^[0-9a-fA-F]{24}$/, 'must be a FormSG form id (24 hexadecimal characters)'),
    formsg_submission_id: z.string().min(1).max(255),
    // "FormSG Reference Field Answer" in Plumber's form: the payment's reference.
    nonce: z.string().min(1).max(255),
    payer_name: z.string().min(1).max(255),
    payer_email: EMAIL.optional(),
    payer_address: z.string().max(255).optional(),
    payer_identifier: z.string().max(20).optional(),
    amount_in_cents: AMOUNT,
    description: z.string().min(1).max(500).optional(),
    // "Included in reports exported from PaySG" (Plumber); no limits are known beyond non-empty.
    responses: z
      .array(z.object({ question: z.string().min(1), answer: z.string().min(1) }).strict())
      .optional(),
  })
  .strict();

export type FormSubmission = z.infer<typeof formSubmissionSchema>;

/** The subscription body: the one-time body with `frequency`, and with `payer_email` and `description` required. */
export const subscriptionSubmissionSchema = formSubmissionSchema
  .extend({
    payer_email: EMAIL,
    description: z.string().min(1).max(500),
    frequency: z.literal('monthly'),
  })
  .strict();

export type SubscriptionSubmission = z.infer<typeof subscriptionSubmissionSchema>;

/**
 * The simulator's answer to a subscription submission. Its shape is **the simulator's own**:
 * PaySG's answer is unknown (Plumber ignores it) and no PaySG endpoint returns a subscription.
 * A PaySG subscription is a monthly card charge set up through Stripe (§13); the simulator's
 * hosted page takes one-time payments only, so a subscription is recorded, never charged, and
 * no payment is created for it. `status: "pending"` says just that: accepted, nothing charged.
 */
export interface SimulatedSubscription {
  id: string;
  object: 'subscription_submission';
  payment_service_id: string;
  form_id: string;
  formsg_form_id: string;
  formsg_submission_id: string;
  nonce: string;
  payer_name: string;
  payer_email: string;
  payer_address: string | null;
  payer_identifier: string | null;
  description: string;
  amount_in_cents: number;
  frequency: 'monthly';
  status: 'pending';
  created_at: string;
}

/** Subscription submissions the simulator has accepted, in order. */
export class SubscriptionBook {
  readonly #subscriptions: SimulatedSubscription[] = [];
  readonly #now: () => Date;

  constructor(now: () => Date) {
    this.#now = now;
  }

  record(
    paymentServiceId: string,
    formId: string,
    submission: SubscriptionSubmission,
  ): SimulatedSubscription {
    const subscription: SimulatedSubscription = {
      id: newPaymentId(),
      object: 'subscription_submission',
      payment_service_id: paymentServiceId,
      form_id: formId,
      formsg_form_id: submission.formsg_form_id,
      formsg_submission_id: submission.formsg_submission_id,
      nonce: submission.nonce,
      payer_name: submission.payer_name,
      payer_email: submission.payer_email,
      payer_address: submission.payer_address ?? null,
      payer_identifier: submission.payer_identifier ?? null,
      description: submission.description,
      amount_in_cents: submission.amount_in_cents,
      frequency: submission.frequency,
      status: 'pending',
      created_at: singaporeTimestamp(this.#now()),
    };
    this.#subscriptions.push(subscription);
    return structuredClone(subscription);
  }

  list(): SimulatedSubscription[] {
    return structuredClone(this.#subscriptions);
  }

  get count(): number {
    return this.#subscriptions.length;
  }
}
