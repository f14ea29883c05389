/**
 * Whatever arrives as an order token, verification either returns the claims of an authentic,
 * current token or fails with its own error (`OrderTokenError`), and the BFF answers 401, never
 * a 500: random strings, random edits of a real token, and re-assembled segments.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import fc from 'fast-check';
import {
  CLOCK_SKEW_SECONDS,
  OrderTokenError,
  OrderTokenExpiredError,
  signOrderToken,
  verifyOrderToken,
} from '../../server/orders/order-token.js';
import { createHarness, ORDER_TOKEN_SECRET } from '../helpers/bff-harness.js';

const NOW = 1_800_000_000;
const options = {
  secrets: ['an-old-secret-0123456789abcdef', ORDER_TOKEN_SECRET],
  audience: 'paysg-checkout',
  now: NOW,
};
const valid = await signOrderToken(
  { reference_id: 'INV-1', amount_in_cents: 1000, description: 'Permit' },
  ORDER_TOKEN_SECRET,
  { now: NOW },
);

/** A real token with one character replaced, removed or added somewhere. */
const editedToken = fc
  .tuple(
    fc.nat({ max: valid.length }),
    fc.constantFrom('replace', 'remove', 'insert'),
    fc.string({ minLength: 1, maxLength: 1 }),
  )
  .map(([at, how, ch]) => {
    const i = Math.min(at, valid.length - 1);
    if (how === 'remove') return valid.slice(0, i) + valid.slice(i + 1);
    if (how === 'insert') return valid.slice(0, at) + ch + valid.slice(at);
    return valid.slice(0, i) + ch + valid.slice(i + 1);
  });

/** Segments of a real token and of garbage, joined with dots in any number. */
const reassembled = fc
  .array(fc.oneof(fc.constantFrom(...valid.split('.')), fc.base64String(), fc.string()), {
    maxLength: 5,
  })
  .map((parts) => parts.join('.'));

const anyToken = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), editedToken, reassembled);

it('fails only with OrderTokenError, whatever the token (property)', async () => {
  await fc.assert(
    fc.asyncProperty(anyToken, async (token) => {
      try {
        const claims = await verifyOrderToken(token, options);
        // Only the authentic token verifies (base64url may decode a changed last character alike).
        assert.equal(claims.reference_id, 'INV-1');
        assert.equal(claims.amount_in_cents, 1000);
      } catch (err) {
        assert.ok(
          err instanceof OrderTokenError,
          `${(err as Error)?.name}: ${(err as Error)?.message}`,
        );
      }
    }),
    { numRuns: 400 },
  );
});

it('the BFF answers any such token with 401 in its error shape, never 500 (property)', async () => {
  const h = createHarness();
  await fc.assert(
    fc.asyncProperty(
      anyToken.filter((t) => t.length > 0 && t.length <= 8192),
      async (token) => {
        const response = await h.post('/quote', { orderToken: token });
        assert.ok(
          [200, 401].includes(response.status),
          `${response.status} for ${JSON.stringify(token)}`,
        );
        if (response.status === 401) {
          const { error } = (await response.json()) as { error: { code: string } };
          assert.ok(['invalid_order_token', 'order_token_expired'].includes(error.code));
        }
      },
    ),
    { numRuns: 200 },
  );
});

it('takes a token issued at most the clock tolerance ahead, and refuses one from further ahead as not valid (property)', async () => {
  // A signer's clock ahead of ours by up to an hour, or behind: the token lives 10 minutes.
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: -600, max: 3600 }), async (ahead) => {
      const token = await signOrderToken(
        { reference_id: 'INV-1', amount_in_cents: 1000, description: 'Permit' },
        ORDER_TOKEN_SECRET,
        { now: NOW + ahead },
      );
      try {
        const claims = await verifyOrderToken(token, options);
        assert.ok(ahead <= CLOCK_SKEW_SECONDS, `taken ${ahead} s ahead`);
        assert.equal(claims.iat, NOW + ahead);
      } catch (err) {
        assert.ok(
          ahead > CLOCK_SKEW_SECONDS,
          `refused ${ahead} s ahead: ${(err as Error).message}`,
        );
        assert.ok(
          err instanceof OrderTokenError && !(err instanceof OrderTokenExpiredError),
          String(err),
        );
      }
    }),
    { numRuns: 200, examples: [[CLOCK_SKEW_SECONDS], [CLOCK_SKEW_SECONDS + 1], [50 * 60]] },
  );
});
