/**
 * The spelling of every key PaySG sees from us. PaySG replays a key's first answer, so a key that
 * came out differently after a change would be a new request: a link rerun made twice, a checkout
 * resumed with a key PaySG never saw.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  keyAfterFailedSend,
  newCheckoutKey,
  paysgCheckoutKey,
  paysgLinkKey,
  paysgRefundKey,
  rotatedPaysgKey,
} from '../../server/checkouts/paysg-key.js';
import { PaysgConnectionError, PaysgUpstreamError } from '../../server/paysg/errors.js';

describe('the keys PaySG sees', () => {
  it('are derived from our own ids, as they always were', async () => {
    assert.equal(paysgCheckoutKey('Abc_123'), 'paysg-checkout:Abc_123:create');
    assert.deepEqual(newCheckoutKey('Abc_123'), {
      paysgIdempotencyKey: 'paysg-checkout:Abc_123:create',
      paysgKeySent: true,
    });
    assert.equal(paysgRefundKey('rf_Abc'), 'paysg-checkout:refund:rf_Abc');
    const hashed = createHash('sha256').update('FINE-2026-0001').digest('hex').slice(0, 32);
    assert.equal(await paysgLinkKey('FINE-2026-0001', 3), `paysg-checkout:link:${hashed}:3`);
  });

  it('rotate :create → :create:2 → :create:3, and only after PaySG’s own 500 or 503', () => {
    assert.equal(rotatedPaysgKey('paysg-checkout:x:create'), 'paysg-checkout:x:create:2');
    assert.equal(rotatedPaysgKey('paysg-checkout:x:create:2'), 'paysg-checkout:x:create:3');
    const checkout = { paysgIdempotencyKey: 'paysg-checkout:x:create' };
    for (const status of [500, 503]) {
      assert.deepEqual(keyAfterFailedSend(checkout, new PaysgUpstreamError('stored', { status })), {
        paysgIdempotencyKey: 'paysg-checkout:x:create:2',
        paysgKeySent: false,
      });
    }
    assert.deepEqual(
      keyAfterFailedSend(checkout, new PaysgUpstreamError('a gateway', { status: 502 })),
      {},
    );
    assert.deepEqual(keyAfterFailedSend(checkout, new PaysgConnectionError('lost')), {});
  });
});
