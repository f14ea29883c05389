import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { PaysgClient } from '../../server/paysg/client.js';
import { PaysgInvalidRequestError } from '../../server/paysg/errors.js';
import { createPaymentParamsSchema, MAX_AMOUNT_IN_CENTS } from '../../server/paysg/schemas.js';
import { isEmailAddress } from '../../server/paysg/email-address.js';

function recordingClient() {
  const sent: unknown[] = [];
  const client = new PaysgClient({
    apiKey: 'paysg_stag_property',
    paymentServiceId: 'payment_service_property',
    fetch: async (_input, init) => {
      sent.push(JSON.parse(String(init?.body)));
      return new Response(JSON.stringify({ error: { message: 'not a real PaySG' } }), {
        status: 418,
      });
    },
    maxRetries: 0,
  });
  return { client, sent };
}

/** Mostly valid values, sometimes anything at all, so both paths are exercised. */
function mostly<T>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<unknown>) {
  return fc.oneof({ arbitrary: valid, weight: 12 }, { arbitrary: invalid, weight: 1 });
}

const createLike = fc.record(
  {
    reference_id: mostly(
      fc.string({ minLength: 1, maxLength: 255 }),
      fc.oneof(fc.string({ minLength: 256, maxLength: 300 }), fc.anything()),
    ),
    payer_name: mostly(
      fc.string({ minLength: 1, maxLength: 255 }),
      fc.oneof(fc.constant(''), fc.anything()),
    ),
    payer_identifier: mostly(
      fc.string({ maxLength: 20 }),
      fc.string({ minLength: 21, maxLength: 30 }),
    ),
    payer_email: mostly(
      fc.stringMatching(/^[a-z0-9.]{1,20}@[a-z0-9]{1,20}\.(sg|com|gov\.sg)$/),
      fc.oneof(fc.emailAddress(), fc.string()),
    ),
    description: mostly(
      fc.string({ minLength: 1, maxLength: 500 }),
      fc.string({ minLength: 501, maxLength: 520 }),
    ),
    amount_in_cents: mostly(
      fc.integer({ min: 1, max: MAX_AMOUNT_IN_CENTS }),
      fc.oneof(
        fc.integer(),
        fc.double(),
        fc.constantFrom(0, -1, MAX_AMOUNT_IN_CENTS + 1),
        fc.string(),
      ),
    ),
    due_date: mostly(
      fc.constant('31-DEC-2026'),
      fc.constantFrom('31-dec-2026', '2026-12-31', '32-JAN-2026'),
    ),
    metadata: mostly(
      fc.dictionary(fc.string({ maxLength: 40 }), fc.string({ maxLength: 255 }), { maxKeys: 10 }),
      fc.dictionary(fc.string({ maxLength: 45 }), fc.string({ maxLength: 260 }), {
        minKeys: 11,
        maxKeys: 12,
      }),
    ),
    return_url: mostly(
      fc.webUrl({ validSchemes: ['https'] }),
      fc.oneof(fc.webUrl({ validSchemes: ['http'] }), fc.string()),
    ),
  },
  { requiredKeys: ['reference_id', 'payer_name', 'description', 'amount_in_cents'] },
);

describe('create-payment validation (property-based)', () => {
  it('throws nothing but PaysgInvalidRequestError, and sends only what satisfies every documented limit', async () => {
    const schema = createPaymentParamsSchema({ allowLoopbackHttp: false });
    let sentCount = 0;
    let refusedCount = 0;
    await fc.assert(
      fc.asyncProperty(createLike, async (params) => {
        const { client, sent } = recordingClient();
        try {
          await client.payments.create(params as never, { idempotencyKey: 'k' });
        } catch (err) {
          if (sent.length === 0) {
            assert.ok(err instanceof PaysgInvalidRequestError, String(err));
            assert.equal(schema.safeParse(params).success, false);
            refusedCount++;
            return;
          }
        }
        // It went out: every documented limit holds.
        assert.equal(sent.length, 1);
        sentCount++;
        const body = sent[0] as Record<string, unknown>;
        assert.ok(schema.safeParse(body).success);
        const amount = body.amount_in_cents as number;
        assert.ok(Number.isInteger(amount) && amount >= 1 && amount <= MAX_AMOUNT_IN_CENTS);
        assert.ok((body.reference_id as string).length <= 255);
        assert.ok((body.description as string).length <= 500);
        assert.ok(Object.keys(body.metadata as object).length <= 10);
        if (body.return_url !== undefined)
          assert.ok((body.return_url as string).startsWith('https://'));
      }),
      { numRuns: 500 },
    );
    // Both outcomes must really be exercised, or the property proves little.
    assert.ok(sentCount > 20 && refusedCount > 20, `sent ${sentCount}, refused ${refusedCount}`);
  });
});

/**
 * Addresses built from email-validator 2.0.4's own grammar (its `index.js`, which opengovsg/plumber
 * runs on payer_email before sending to PaySG): local-part characters with single dots between
 * them, then ASCII labels and a top-level label starting with a letter.
 */
const LOCAL_CHARS = "abcXYZ019!#$%&'*+-/=?^_{|}~";
const localPart = fc
  .array(fc.string({ unit: fc.constantFrom(...LOCAL_CHARS), minLength: 1, maxLength: 8 }), {
    minLength: 1,
    maxLength: 4,
  })
  .map((atoms) => atoms.join('.'));
const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);
const topLabel = fc.stringMatching(/^[a-z][a-z0-9]{1,5}$/);
const grammarAddress = fc
  .tuple(localPart, fc.array(label, { minLength: 1, maxLength: 3 }), topLabel)
  .map(([local, labels, top]) => `${local}@${[...labels, top].join('.')}`);

describe('payer_email (property-based)', () => {
  it('sends every address email-validator’s grammar makes, as typed', async () => {
    await fc.assert(
      fc.asyncProperty(grammarAddress, async (email) => {
        assert.ok(isEmailAddress(email), email);
        const { client, sent } = recordingClient();
        await client.payments
          .create(
            {
              reference_id: 'R',
              payer_name: 'N',
              description: 'D',
              amount_in_cents: 100,
              payer_email: email,
            },
            { idempotencyKey: 'k' },
          )
          .catch(() => {});
        assert.equal(sent.length, 1, email);
        assert.equal((sent[0] as { payer_email: string }).payer_email, email);
      }),
      { numRuns: 300 },
    );
  });

  it('never sends an address with a space, a leading, trailing or doubled dot, or no dot after the @', async () => {
    const broken = fc.tuple(
      grammarAddress,
      fc.constantFrom<[string, (e: string) => string]>(
        ['space', (e) => e.replace('@', ' @')],
        ['leading dot', (e) => `.${e}`],
        ['dot before @', (e) => e.replace('@', '.@')],
        ['doubled dot', (e) => e.replace('@', '@a..')],
        ['no dot in the domain', (e) => `${e.split('@')[0]}@localhost`],
      ),
    );
    await fc.assert(
      fc.asyncProperty(broken, async ([email, [, breakIt]]) => {
        const bad = breakIt(email);
        const { client, sent } = recordingClient();
        await assert.rejects(
          client.payments.create(
            {
              reference_id: 'R',
              payer_name: 'N',
              description: 'D',
              amount_in_cents: 100,
              payer_email: bad,
            },
            { idempotencyKey: 'k' },
          ),
          PaysgInvalidRequestError,
          bad,
        );
        assert.equal(sent.length, 0);
      }),
      { numRuns: 200 },
    );
  });
});
