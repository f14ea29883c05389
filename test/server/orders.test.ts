import { SignJWT } from 'jose';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { SIMULATOR_PAYMENT_SERVICE_ID } from '../../demo/simulator/simulator.js';
import { Catalog, CatalogError } from '../../server/orders/catalog.js';
import {
  CLOCK_SKEW_SECONDS,
  OrderTokenError,
  OrderTokenExpiredError,
  signOrderToken,
  verifyOrderToken,
} from '../../server/orders/order-token.js';
import { payerDetailsSchema } from '../../server/orders/payer-details.js';
import { createHarness, errorOf, ORDER_TOKEN_SECRET } from '../helpers/bff-harness.js';

const NOW = Math.floor(Date.parse('2026-11-22T01:00:00.000Z') / 1000);
const claims = { reference_id: 'INV-1', amount_in_cents: 4550, description: 'Permit', jti: 'j-1' };
const verify = (token: string, now = NOW) =>
  verifyOrderToken(token, { secrets: [ORDER_TOKEN_SECRET], audience: 'paysg-checkout', now });

function forge(header: object, payload: object, signature = 'x') {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b64(header)}.${b64(payload)}.${signature}`;
}

describe('order tokens', () => {
  it('round-trips a token signed by signOrderToken', async () => {
    const token = await signOrderToken(
      {
        ...claims,
        payer: { name: 'Siti' },
        line_items: [{ description: 'Fee', amount_in_cents: 4550 }],
      },
      ORDER_TOKEN_SECRET,
      { now: NOW },
    );
    const verified = await verify(token);
    assert.equal(verified.amount_in_cents, 4550);
    assert.equal(verified.exp - verified.iat!, 600);
  });

  it('refuses a tampered amount, another secret, alg none and RS256 headers', async () => {
    const token = await signOrderToken(claims, ORDER_TOKEN_SECRET, { now: NOW });
    const [h, p, s] = token.split('.');
    const tampered = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(p!, 'base64url').toString()),
        amount_in_cents: 1,
      }),
    ).toString('base64url');
    await assert.rejects(verify(`${h}.${tampered}.${s}`), /signature does not match/);
    await assert.rejects(
      verify(await signOrderToken(claims, 'another-secret', { now: NOW })),
      /signature/,
    );
    const payload = { ...claims, aud: 'paysg-checkout', exp: NOW + 60 };
    await assert.rejects(verify(forge({ alg: 'none' }, payload, '')), /HS256/);
    await assert.rejects(verify(forge({ alg: 'RS256' }, payload)), /HS256/);
    await assert.rejects(verify('not.a.jwt.at-all'), OrderTokenError);
    await assert.rejects(verify('%%%.%%%.%%%'), OrderTokenError);
  });

  it('refuses expired, overlong, future and foreign-audience tokens', async () => {
    await assert.rejects(
      verify(await signOrderToken(claims, ORDER_TOKEN_SECRET, { now: NOW - 700 })),
      /expired/,
    );
    await assert.rejects(
      verify(await signOrderToken(claims, ORDER_TOKEN_SECRET, { now: NOW, ttlSeconds: 3600 })),
      /at most 15 minutes/,
    );
    await assert.rejects(
      verify(
        await signOrderToken(claims, ORDER_TOKEN_SECRET, { now: NOW, audience: 'someone-else' }),
      ),
      /audience/,
    );
  });

  it('refuses a token issued in the future beyond the clock tolerance, as not valid rather than expired', async () => {
    // 50 minutes ahead (a signer whose clock is wrong): accepted before, and as the newest `iat`
    // wins for an order, it would have shut out every token issued in the next 50 minutes.
    const ahead = verify(await signOrderToken(claims, ORDER_TOKEN_SECRET, { now: NOW + 50 * 60 }));
    await assert.rejects(
      ahead,
      (err) =>
        err instanceof OrderTokenError &&
        !(err instanceof OrderTokenExpiredError) &&
        /issued in the future/.test(err.message),
    );
    await assert.rejects(
      verify(
        await signOrderToken(claims, ORDER_TOKEN_SECRET, { now: NOW + CLOCK_SKEW_SECONDS + 1 }),
      ),
      /issued in the future/,
    );
    // Within the tolerance, either way, it is taken.
    assert.equal(
      (
        await verify(
          await signOrderToken(claims, ORDER_TOKEN_SECRET, { now: NOW + CLOCK_SKEW_SECONDS }),
        )
      ).iat,
      NOW + CLOCK_SKEW_SECONDS,
    );
    assert.equal(
      (
        await verify(
          await signOrderToken(claims, ORDER_TOKEN_SECRET, { now: NOW - CLOCK_SKEW_SECONDS }),
        )
      ).iat,
      NOW - CLOCK_SKEW_SECONDS,
    );
  });

  it('takes the payer e-mail addresses PaySG’s own integration sends (email-validator’s rules)', () => {
    // opengovsg/plumber `apps/paysg/actions/create-payment/schema.ts` (b39bea4d) checks payer_email
    // with email-validator 2.0.4, which takes these; zod's z.email() refused them.
    for (const email of ['a#b@example.com', 'x{y}@example.com', 'tan`ah@example.gov.sg']) {
      assert.ok(payerDetailsSchema.safeParse({ email }).success, email);
    }
    // email-validator's limits: 64 characters before the @, 63 in a domain label.
    for (const email of [
      `${'l'.repeat(65)}@example.com`,
      `a@${'d'.repeat(64)}.com`,
      'a..b@example.com',
      'a@example',
      ' a@example.com',
    ]) {
      assert.equal(payerDetailsSchema.safeParse({ email }).success, false, email);
    }
  });

  it('refuses claims outside PaySG’s limits and line items that do not add up', async () => {
    for (const bad of [
      { amount_in_cents: 0 },
      { amount_in_cents: 12.5 },
      { amount_in_cents: 20_000_001 },
      { reference_id: '' },
      { description: 'd'.repeat(501) },
      { line_items: [{ description: 'A', amount_in_cents: 100 }] },
    ]) {
      await assert.rejects(
        verify(await signOrderToken({ ...claims, ...bad }, ORDER_TOKEN_SECRET, { now: NOW })),
        OrderTokenError,
        JSON.stringify(bad),
      );
    }
  });
});

describe('an order token minted as docs/bff.md shows for Node', () => {
  it('is accepted by the BFF', async () => {
    const secret = ORDER_TOKEN_SECRET;
    // The lines of docs/bff.md, "Minting one in the agency's own backend".
    const orderToken = await new SignJWT({
      reference_id: 'INV-2026-0001',
      amount_in_cents: 4550,
      description: 'Permit fee',
    })
      .setProtectedHeader({ alg: 'HS256' })
      .setAudience('paysg-checkout')
      .setIssuedAt()
      .setExpirationTime('10m')
      .setJti(crypto.randomUUID())
      .sign(new TextEncoder().encode(secret));
    const claims = await verifyOrderToken(orderToken, {
      secrets: [ORDER_TOKEN_SECRET],
      audience: 'paysg-checkout',
    });
    assert.equal(claims.amount_in_cents, 4550);
    assert.equal(claims.reference_id, 'INV-2026-0001');
  });
});

describe('paysg-checkout order-token', () => {
  it('mints a token the BFF accepts, and refuses bad input in one line', () => {
    const run = (args: string[]) =>
      spawnSync(
        process.execPath,
        ['--import', 'tsx', 'server/cli/paysg-checkout.ts', 'order-token', ...args],
        {
          cwd: fileURLToPath(new URL('../..', import.meta.url)),
          env: { ...process.env, ORDER_TOKEN_SECRETS: ORDER_TOKEN_SECRET },
          encoding: 'utf8',
        },
      );
    // Dollars, as people write them and as `links create` takes them.
    const ok = run([
      '--reference',
      'INV-CLI',
      '--amount',
      '45.50',
      '--description',
      'Permit fee',
      '--payer-name',
      'Siti',
    ]);
    assert.equal(ok.status, 0, ok.stderr);
    return verifyOrderToken(ok.stdout.trim(), {
      secrets: [ORDER_TOKEN_SECRET],
      audience: 'paysg-checkout',
    }).then((claims) => {
      assert.equal(claims.amount_in_cents, 4550);
      assert.deepEqual(claims.payer, { name: 'Siti' });
      const cents = run([
        '--reference',
        'INV-CLI',
        '--amount-in-cents',
        '4550',
        '--description',
        'Permit fee',
      ]);
      assert.equal(cents.status, 0, cents.stderr);
      for (const [args, message] of [
        [['--amount', '45.505'], '--amount "45.505" is not dollars and cents, like 45.50'],
        [['--amount', '1e3'], '--amount "1e3" is not dollars and cents, like 45.50'],
        [
          ['--amount-in-cents', '45.50'],
          '--amount-in-cents "45.50" is not a whole number of cents, like 4550',
        ],
        [['--amount', '0'], 'the amount must be from 0.01 to 200000.00 dollars'],
        [['--amount', '200000.01'], 'the amount must be from 0.01 to 200000.00 dollars'],
        [[], 'give --amount (dollars, like 45.50) or --amount-in-cents (like 4550)'],
      ] as const) {
        const bad = run(['--reference', 'INV-CLI', ...args, '--description', 'Permit fee']);
        assert.equal(bad.status, 2, args.join(' '));
        assert.ok(bad.stderr.trim().startsWith(`order-token: ${message}`), bad.stderr);
        assert.doesNotMatch(
          bad.stderr,
          /expected|invalid_type|too_small/,
          'never a raw validation message',
        );
      }
      return verifyOrderToken(cents.stdout.trim(), {
        secrets: [ORDER_TOKEN_SECRET],
        audience: 'paysg-checkout',
      }).then((c) => assert.equal(c.amount_in_cents, 4550));
    });
  });
});

describe('orders through the BFF', () => {
  it('quotes and charges what the order token says, nothing the page says', async () => {
    const h = createHarness();
    const token = await h.orderToken({ reference_id: 'INV-77', amount_in_cents: 4550 });
    const quote = await h.post('/quote', { orderToken: token });
    assert.equal(quote.status, 200);
    assert.deepEqual(await quote.json(), {
      description: 'Permit application',
      amountInCents: 4550,
      currency: 'SGD',
      referenceId: 'INV-77',
      lineItems: [],
      payerNameRequired: false,
    });

    const { response, json } = await h.createCheckout({
      item: undefined,
      orderToken: token,
      payer: { name: 'Someone Else', email: 'siti@example.com' },
    });
    assert.equal(response.status, 201, JSON.stringify(json));
    const payment = h.simulator.ledger.find(h.paymentIdOf(json.paymentUrl))!;
    assert.equal(payment.amount_in_cents, 4550);
    assert.equal(payment.reference_id, 'INV-77');
    // The token's payer wins; the page only fills in what the token left out.
    assert.equal(payment.payer_name, 'Siti');
    assert.equal(payment.payer_email, 'siti@example.com');
  });

  it('answers 401 for a bad token and refuses a reference or an amount beside it', async () => {
    const h = createHarness();
    const bad = await h.createCheckout({ item: undefined, orderToken: 'a.b.c' });
    assert.equal(bad.response.status, 401);
    assert.equal(bad.json.error.code, 'invalid_order_token');
    const token = await h.orderToken();
    const withRef = await h.createCheckout({
      item: undefined,
      orderToken: token,
      reference: 'MINE',
    });
    assert.equal(withRef.response.status, 400);
    const both = await h.createCheckout({ orderToken: token });
    assert.equal(both.response.status, 400);
    assert.deepEqual(
      both.json.error.issues.map((i: { path: string }) => i.path),
      ['item'],
    );
    assert.equal(h.simulator.ledger.paymentCount, 0);
  });

  it('replays a token to the same checkout, refuses its id for another order, and never charges twice', async () => {
    const h = createHarness();
    const token = await h.orderToken({ reference_id: 'INV-88', jti: 'jti-88' });
    const first = await h.createCheckout({ item: undefined, orderToken: token });
    const again = await h.createCheckout({ item: undefined, orderToken: token });
    assert.equal(again.json.checkoutId, first.json.checkoutId);
    const reused = await h.createCheckout({
      item: undefined,
      orderToken: await h.orderToken({ reference_id: 'INV-89', jti: 'jti-88' }),
    });
    assert.equal(reused.response.status, 401);
    await h.payOnSimulator(h.paymentIdOf(first.json.paymentUrl));
    await h.get(`/checkouts/${first.json.checkoutId}`);
    const afterPaid = await h.createCheckout({ item: undefined, orderToken: token });
    assert.equal(afterPaid.response.status, 409);
    assert.equal(afterPaid.json.error.code, 'order_already_paid');
    assert.equal(h.simulator.ledger.createCount(SIMULATOR_PAYMENT_SERVICE_ID, 'INV-88'), 1);
  });

  it('supersedes an unpaid checkout when the order changes: the old PaySG payment is cancelled first', async () => {
    const h = createHarness();
    const first = await h.createCheckout({
      item: undefined,
      orderToken: await h.orderToken({ reference_id: 'INV-90', amount_in_cents: 1000 }),
    });
    const second = await h.createCheckout({
      item: undefined,
      orderToken: await h.orderToken({ reference_id: 'INV-90', amount_in_cents: 1500 }),
    });
    assert.equal(second.response.status, 201);
    assert.notEqual(second.json.checkoutId, first.json.checkoutId);
    assert.equal(
      h.simulator.ledger.find(h.paymentIdOf(first.json.paymentUrl))!.latest_status,
      'cancelled',
    );
    assert.equal(
      h.simulator.ledger.find(h.paymentIdOf(second.json.paymentUrl))!.amount_in_cents,
      1500,
    );
    const old = (await (await h.get(`/checkouts/${first.json.checkoutId}`)).json()) as {
      status: string;
    };
    assert.equal(old.status, 'cancelled');
  });

  it('does not supersede an order that was paid meanwhile', async () => {
    const h = createHarness();
    const first = await h.createCheckout({
      item: undefined,
      orderToken: await h.orderToken({ reference_id: 'INV-91', amount_in_cents: 1000 }),
    });
    await h.payOnSimulator(h.paymentIdOf(first.json.paymentUrl));
    const second = await h.createCheckout({
      item: undefined,
      orderToken: await h.orderToken({ reference_id: 'INV-91', amount_in_cents: 1500 }),
    });
    assert.equal(second.response.status, 409);
    assert.equal(second.json.error.code, 'order_already_paid');
    assert.equal(h.simulator.ledger.paymentCount, 1);
  });

  it('lets the payer choose an amount only for items that allow it, within their bounds', async () => {
    const h = createHarness();
    const quote = (await (await h.get('/quote?item=donation')).json()) as Record<string, unknown>;
    assert.equal(quote.minAmountInCents, 500);
    assert.equal(quote.maxAmountInCents, 100000);
    for (const chosen of [499, 100001, undefined]) {
      const { response } = await h.createCheckout({
        item: 'donation',
        ...(chosen !== undefined && { chosenAmountInCents: chosen }),
      });
      assert.equal(response.status, 400, String(chosen));
    }
    const fixed = await h.createCheckout({ chosenAmountInCents: 1 });
    assert.equal(fixed.response.status, 400);
    const ok = await h.createCheckout({ item: 'donation', chosenAmountInCents: 2500 });
    assert.equal(ok.response.status, 201);
    assert.equal(h.simulator.ledger.find(h.paymentIdOf(ok.json.paymentUrl))!.amount_in_cents, 2500);
  });

  it('validates the catalog: line items add up, bounds are ordered', () => {
    assert.throws(
      () =>
        Catalog.from({
          items: {
            a: {
              description: 'A',
              amountInCents: 100,
              lineItems: [{ description: 'x', amountInCents: 90 }],
            },
          },
        }),
      CatalogError,
    );
    assert.throws(
      () =>
        Catalog.from({
          items: { a: { description: 'A', minAmountInCents: 900, maxAmountInCents: 100 } },
        }),
      CatalogError,
    );
    assert.throws(
      () =>
        Catalog.from({
          items: { a: { description: 'A', amountInCents: 100, minAmountInCents: 1 } },
        }),
      CatalogError,
    );
    const item = Catalog.from({
      items: {
        a: {
          description: 'A',
          amountInCents: 100,
          lineItems: [
            { description: 'x', amountInCents: 60 },
            { description: 'y', amountInCents: 40 },
          ],
        },
      },
    }).get('a');
    assert.equal(item?.kind, 'fixed');
  });

  it('validates translations: only zh, ms and ta, one text per line item, none for line items a payer-chosen amount lacks', () => {
    const fixed = {
      description: 'A',
      amountInCents: 100,
      lineItems: [
        { description: 'x', amountInCents: 60 },
        { description: 'y', amountInCents: 40 },
      ],
    };
    const item = Catalog.from({
      items: {
        a: { ...fixed, translations: { ms: { description: 'A ms', lineItems: ['x ms', 'y ms'] } } },
      },
    }).get('a');
    assert.deepEqual(item?.translations, {
      ms: { description: 'A ms', lineItems: ['x ms', 'y ms'] },
    });
    assert.deepEqual(Catalog.from({ items: { a: fixed } }).get('a')?.translations, {});
    const refused = (translations: unknown, base: object = fixed) =>
      assert.throws(() => Catalog.from({ items: { a: { ...base, translations } } }), CatalogError);
    refused({ en: { description: 'A' } });
    refused({ fr: { description: 'A' } });
    refused({ zh: { description: '' } });
    assert.throws(
      () => Catalog.from({ items: { a: { ...fixed, translations: { zh: {} } } } }),
      /items\.a\.translations\.zh\.description/,
    );
    refused({ zh: { description: 'A', lineItems: ['only one'] } });
    refused(
      { zh: { description: 'A', lineItems: ['x'] } },
      { description: 'A', minAmountInCents: 1, maxAmountInCents: 2 },
    );
  });

  it('answers 401 invalid_order_token for a token from the future, which then locks out no token issued now', async () => {
    const h = createHarness();
    const now = Math.floor(h.clock.now().getTime() / 1000);
    const future = await h.orderToken(
      { reference_id: 'INV-FUTURE', amount_in_cents: 1000 },
      { now: now + 50 * 60 },
    );
    const refused = await h.createCheckout({ item: undefined, orderToken: future });
    assert.equal(refused.response.status, 401);
    assert.equal(refused.json.error.code, 'invalid_order_token');
    assert.equal((await h.post('/quote', { orderToken: future })).status, 401);
    const current = await h.createCheckout({
      item: undefined,
      orderToken: await h.orderToken({ reference_id: 'INV-FUTURE', amount_in_cents: 1500 }),
    });
    assert.equal(current.response.status, 201, JSON.stringify(current.json));
    assert.equal(h.simulator.ledger.paymentCount, 1);
  });

  it('sends PaySG a payer e-mail address email-validator takes, as typed', async () => {
    // An address with `#` (email-validator 2.0.4 takes it; Plumber sends it to PaySG after that check).
    const h = createHarness();
    const { response, json } = await h.createCheckout({
      payer: { name: 'Tan Ah Kow', email: 'a#b@example.com' },
    });
    assert.equal(response.status, 201, JSON.stringify(json));
    assert.equal(
      h.simulator.ledger.find(h.paymentIdOf(json.paymentUrl))!.payer_email,
      'a#b@example.com',
    );
  });

  it('refuses to take a returnTo for an order token any more than for an item', async () => {
    const h = createHarness();
    const { response } = await h.createCheckout({
      item: undefined,
      orderToken: await h.orderToken(),
      returnTo: 'https://evil.example/',
    });
    assert.equal(response.status, 400);
    assert.equal((await errorOf(response)).issues?.[0]?.path, 'returnTo');
  });
});
