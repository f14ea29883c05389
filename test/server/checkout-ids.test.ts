import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { referenceForCheckout } from '../../server/checkouts/checkout-ids.js';
import { sha256Hex } from '../../server/encoding.js';

describe('hashes the BFF takes', () => {
  it('are SHA-256, whichever hashing the runtime offers', async () => {
    // FIPS 180-2's own example.
    assert.equal(
      await sha256Hex('abc'),
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    assert.equal(
      await sha256Hex('Tan Ah Kow · 陈'),
      [
        ...new Uint8Array(
          await crypto.subtle.digest('SHA-256', new TextEncoder().encode('Tan Ah Kow · 陈')),
        ),
      ]
        .map((b) => b.toString(16).padStart(2, '0'))
        .join(''),
    );
    assert.match(await referenceForCheckout('abc'), /^PSC-BA7816BF8F01$/);
  });
});
