import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IDEMPOTENCY_KEY_TTL_MS, IdempotencyBook } from '../../demo/simulator/idempotency-book.js';

describe("the simulator's idempotency book", () => {
  it('prunes keys after 24 hours, looking only at expired keys and the first live one', () => {
    let t = Date.parse('2026-11-22T00:00:00Z');
    const book = new IdempotencyBook(() => new Date(t));
    for (let i = 0; i < 5000; i++) {
      assert.deepEqual(book.begin('svc', `old-${i}`, 'f'), { kind: 'execute' });
      t += 1;
    }
    t += IDEMPOTENCY_KEY_TTL_MS / 2;
    for (let i = 0; i < 5000; i++) book.begin('svc', `new-${i}`, 'f');
    assert.equal(book.size, 10_000);
    // However many keys are held, a request looks at one while none has expired.
    const before = book.pruneVisits;
    book.begin('svc', 'one-more', 'f');
    assert.equal(book.pruneVisits - before, 1);

    // The first half expires: one request removes exactly those, and stops at the first live key.
    t += IDEMPOTENCY_KEY_TTL_MS / 2;
    const visits = book.pruneVisits;
    book.begin('svc', 'after-a-day', 'f');
    assert.equal(book.size, 5002);
    assert.equal(book.pruneVisits - visits, 5001);
    assert.deepEqual(
      book.begin('svc', 'old-1', 'other'),
      { kind: 'execute' },
      'an expired key is free again',
    );
    assert.deepEqual(
      book.begin('svc', 'new-1', 'other'),
      { kind: 'mismatch' },
      'a live key is still held',
    );
  });
});
