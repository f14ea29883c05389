import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { base64urlOf, hexOf } from '../../server/encoding.js';

describe('byte encodings the server uses', () => {
  it('agree with Node’s own, for every byte value', () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    assert.equal(hexOf(bytes), Buffer.from(bytes).toString('hex'));
    assert.equal(hexOf(bytes.buffer), Buffer.from(bytes).toString('hex'));
    for (const length of [0, 1, 2, 3, 16, 32]) {
      const some = bytes.subarray(256 - length);
      assert.equal(base64urlOf(some), Buffer.from(some).toString('base64url'));
    }
  });
});
