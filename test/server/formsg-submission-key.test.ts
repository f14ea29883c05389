/**
 * One FormSG submission, one PaySG payment, whatever FormSG retries: the Idempotency-Key comes from
 * the submission (`checkouts/paysg-key.ts`, beside every other key), is rotated only as a
 * checkout's is, and after PaySG's 24 h the payment an old key made is looked for in PaySG's list
 * by the submission's metadata before a new key is ever sent.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  IDEMPOTENCY_KEY_SAFE_FOR_MS,
  isSubmissionPayment,
  keyAfterFailedSend,
  newSubmissionKey,
  rotatedPaysgKey,
  submissionPaymentInList,
  submissionPaysgKey,
} from '../../server/checkouts/paysg-key.js';
import type { PaysgClient } from '../../server/paysg/client.js';
import { PaysgConnectionError, PaysgUpstreamError } from '../../server/paysg/errors.js';
import { PaymentSearchIncomplete } from '../../server/paysg/find-payment.js';
import type { Payment } from '../../server/paysg/schemas.js';

const ids = { formId: '65a1b2c3d4e5f60718293a4b', submissionId: '6753ac00aaaaaaaaaaaaaaa1' };
const other = { ...ids, submissionId: '6753ac00aaaaaaaaaaaaaaa2' };
const SENT = '2026-12-07T02:00:00.000Z';
const HOUR = 60 * 60 * 1000;

function payment(id: string, createdAt: string, metadata: Record<string, string>): Payment {
  return {
    id,
    payment_service_id: 'payment_service_1',
    reference_id: 'PF-1',
    amount_in_cents: 7000,
    payment_status: 'unpaid',
    created_at: createdAt,
    metadata,
  };
}

/** PaySG's list, newest first, counting how many payments were read. */
function paysgListing(payments: Payment[]) {
  const read = { count: 0 };
  const client = {
    payments: {
      async *listAll() {
        for (const p of payments) {
          read.count++;
          yield p;
        }
      },
    },
  } as unknown as PaysgClient;
  return { client, read };
}

describe('a submission’s Idempotency-Key', () => {
  it('is the same for one submission on every retry, and another for another', () => {
    const key = submissionPaysgKey(ids, 1);
    assert.equal(key, 'paysg-checkout:formsg:65a1b2c3d4e5f60718293a4b:6753ac00aaaaaaaaaaaaaaa1:1');
    assert.equal(submissionPaysgKey({ ...ids }, 1), key);
    assert.equal(
      submissionPaysgKey({ ...ids, submissionId: ids.submissionId.toUpperCase() }, 1),
      key,
    );
    assert.notEqual(submissionPaysgKey(other, 1), key);
    assert.notEqual(submissionPaysgKey({ ...ids, formId: '65a1b2c3d4e5f60718293aff' }, 1), key);
    assert.notEqual(submissionPaysgKey(ids, 2), key);
    assert.ok(key.length <= 255);
    assert.throws(() => submissionPaysgKey(ids, 0), RangeError);
    assert.deepEqual(newSubmissionKey(ids), { paysgIdempotencyKey: key, paysgKeySent: true });
  });

  it('is sent again unchanged while PaySG surely keeps it: the window is under PaySG’s 24 h', () => {
    assert.ok(IDEMPOTENCY_KEY_SAFE_FOR_MS < 24 * HOUR);
    assert.ok(IDEMPOTENCY_KEY_SAFE_FOR_MS > 20 * HOUR, 'FormSG’s 20 h retry still replays');
  });

  it('moves to the next attempt only after PaySG’s own 500 or 503, by the checkout’s rule', () => {
    const checkout = { paysgIdempotencyKey: submissionPaysgKey(ids, 1) };
    assert.equal(rotatedPaysgKey(submissionPaysgKey(ids, 1)), submissionPaysgKey(ids, 2));
    assert.equal(rotatedPaysgKey(submissionPaysgKey(ids, 2)), submissionPaysgKey(ids, 3));
    for (const status of [500, 503])
      assert.deepEqual(keyAfterFailedSend(checkout, new PaysgUpstreamError('kept', { status })), {
        paysgIdempotencyKey: submissionPaysgKey(ids, 2),
        paysgKeySent: false,
      });
    assert.deepEqual(
      keyAfterFailedSend(checkout, new PaysgUpstreamError('gateway', { status: 502 })),
      {},
    );
    assert.deepEqual(keyAfterFailedSend(checkout, new PaysgConnectionError('reset')), {});
  });

  it('after PaySG’s 24 h: the payment the old key made is found by its metadata', async () => {
    const ours = payment('pay_ours', '2026-12-07T02:00:01.000Z', {
      formsg_form_id: ids.formId,
      formsg_submission_id: ids.submissionId,
    });
    const { client } = paysgListing([
      payment('pay_new', '2026-12-08T02:00:00.000Z', {}),
      payment('pay_other', '2026-12-07T03:00:00.000Z', {
        formsg_form_id: ids.formId,
        formsg_submission_id: other.submissionId,
      }),
      ours,
    ]);
    assert.equal(await submissionPaymentInList(client, ids, Date.parse(SENT)), ours);
  });

  it('after PaySG’s 24 h with no payment made: none, the list read only back to the first send', async () => {
    const { client, read } = paysgListing([
      payment('pay_new', '2026-12-08T02:00:00.000Z', {}),
      payment('pay_before', '2026-12-07T01:40:00.000Z', {}),
      payment('pay_older', '2026-12-06T01:00:00.000Z', {}),
    ]);
    assert.equal(await submissionPaymentInList(client, ids, Date.parse(SENT)), undefined);
    assert.equal(read.count, 2, 'stops at the first payment made before the first send');
  });

  it('says nothing when PaySG’s list cannot say (an error, or the search bound)', async () => {
    const failing = {
      payments: {
        // biome-ignore lint/correctness/useYield: the list fails before its first payment
        async *listAll() {
          throw new PaysgConnectionError('reset');
        },
      },
    } as unknown as PaysgClient;
    await assert.rejects(
      submissionPaymentInList(failing, ids, Date.parse(SENT)),
      PaysgConnectionError,
    );
    const many = Array.from({ length: 5_001 }, (_, i) =>
      payment(`pay_${i}`, '2026-12-08T00:00:00.000Z', {}),
    );
    await assert.rejects(
      submissionPaymentInList(paysgListing(many).client, ids, Date.parse(SENT)),
      PaymentSearchIncomplete,
    );
  });

  it('knows its payment by both metadata ids', () => {
    const meta = { formsg_form_id: ids.formId, formsg_submission_id: ids.submissionId };
    assert.ok(isSubmissionPayment(payment('p', SENT, meta), ids));
    assert.ok(!isSubmissionPayment(payment('p', SENT, meta), other));
    assert.ok(
      !isSubmissionPayment(payment('p', SENT, { formsg_submission_id: ids.submissionId }), ids),
    );
    assert.ok(!isSubmissionPayment({ ...payment('p', SENT, {}), metadata: null }, ids));
  });
});
