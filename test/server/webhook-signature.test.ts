import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { PaysgSignatureError } from '../../server/paysg/errors.js';
import {
  parseSignatureHeader,
  signWebhookPayload,
  verifyWebhookSignature,
} from '../../server/paysg/webhook-signature.js';

const SECRET = 'whsec_test_secret';
const NOW = Date.parse('2026-11-22T01:00:00Z');
const T = NOW / 1000;
const BODY = '{"id":"evt_1","type":"payment.succeeded","data":{"object":{"id":"p1"}}}';

async function verify(header: string | undefined, payload = BODY, secrets = [SECRET], now = NOW) {
  return verifyWebhookSignature({ payload, header, secrets, now });
}

describe('PaySG-Signature', () => {
  it('accepts the documented form, with the space after the comma', async () => {
    const header = await signWebhookPayload(BODY, SECRET, T);
    assert.match(header, /^t=\d+, v1=[0-9a-f]{64}$/);
    await verify(header);
    await verify(header.replace(', ', ','));
    await verify(header.toUpperCase().replace('T=', 't=').replace('V1=', 'v1='));
  });

  it('reads the forms PaySG leaves undocumented: t in milliseconds, base64 or base64url digests, several v1', async () => {
    /** What a sender would compute: HMAC-SHA256 over `${t}.${body}`, t exactly as it sends it. */
    async function mac(t: string, body = BODY, secret = SECRET): Promise<Buffer> {
      const { createHmac } = await import('node:crypto');
      return createHmac('sha256', secret).update(`${t}.${body}`).digest();
    }
    const seconds = String(T);
    const millis = String(NOW);
    const digest = await mac(millis);
    for (const encoded of [
      digest.toString('hex'),
      digest.toString('base64'),
      digest.toString('base64').replace(/=+$/, ''),
      digest.toString('base64url'),
      `${digest.toString('base64url')}=`,
    ]) {
      await verify(`t=${millis}, v1=${encoded}`);
    }
    await verify(`t=${seconds}, v1=${(await mac(seconds)).toString('base64')}`);
    await verify(
      `t=${seconds}, v1=${'0'.repeat(64)}, v1=${(await mac(seconds)).toString('base64url')}`,
    );

    // Still the exact bytes, the exact t, the right secret and the window.
    await assert.rejects(
      verify(`t=${millis}, v1=${digest.toString('base64')}`, BODY.replace('p1', 'p2')),
      PaysgSignatureError,
    );
    await assert.rejects(
      verify(`t=${seconds}, v1=${digest.toString('base64')}`),
      PaysgSignatureError,
    );
    await assert.rejects(
      verify(`t=${millis}, v1=${(await mac(millis, BODY, 'another')).toString('base64')}`),
      PaysgSignatureError,
    );
    const stale = String(NOW - 301_000);
    await assert.rejects(
      verify(`t=${stale}, v1=${(await mac(stale)).toString('base64')}`),
      PaysgSignatureError,
    );
    const recent = String(NOW - 299_000);
    await verify(`t=${recent}, v1=${(await mac(recent)).toString('base64')}`);
    for (const bad of [
      digest.toString('base64').slice(1),
      `${digest.toString('base64')}==`,
      digest.toString('hex').slice(1),
    ]) {
      await assert.rejects(verify(`t=${millis}, v1=${bad}`), PaysgSignatureError, bad);
    }
  });

  it('refuses a changed byte, a re-serialised body and the wrong secret', async () => {
    const header = await signWebhookPayload(BODY, SECRET, T);
    await assert.rejects(verify(header, BODY.replace('p1', 'p2')), PaysgSignatureError);
    await assert.rejects(
      verify(header, JSON.stringify(JSON.parse(BODY), null, 1)),
      PaysgSignatureError,
    );
    await assert.rejects(verify(header, BODY, ['another_secret']), PaysgSignatureError);
  });

  it('refuses missing and malformed headers without throwing anything else', async () => {
    const good = await signWebhookPayload(BODY, SECRET, T);
    const v1 = good.split('v1=')[1]!;
    for (const header of [
      undefined,
      '',
      `v1=${v1}`,
      `t=${T}`,
      `t=abc, v1=${v1}`,
      `t=${T}, t=${T}, v1=${v1}`,
      `t=${T}, v1=${v1.slice(2)}`,
      `t=${T}, v1=${'z'.repeat(64)}`,
    ]) {
      await assert.rejects(verify(header), PaysgSignatureError, String(header));
    }
  });

  it('allows 300 seconds either way and no more', async () => {
    for (const skew of [-299, 299]) await verify(await signWebhookPayload(BODY, SECRET, T + skew));
    for (const skew of [-301, 301])
      await assert.rejects(
        verify(await signWebhookPayload(BODY, SECRET, T + skew)),
        PaysgSignatureError,
      );
  });

  it('rotates secrets without a gap: any v1 with any configured secret', async () => {
    const old = await signWebhookPayload(BODY, 'old_secret', T);
    const fresh = await signWebhookPayload(BODY, 'new_secret', T);
    await verify(old, BODY, ['new_secret', 'old_secret']);
    await verify(fresh, BODY, ['new_secret', 'old_secret']);
    const both = `${fresh}, v1=${old.split('v1=')[1]}`;
    await verify(both, BODY, ['old_secret']);
    await assert.rejects(verify(old, BODY, ['new_secret']), PaysgSignatureError);
  });

  it('the header parser throws nothing but PaysgSignatureError, whatever the input', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string({ unit: 'binary' }),
          fc.constantFrom('t=1, v1=', 't=, v1=ab', ',,,', '='),
        ),
        (header) => {
          try {
            const parsed = parseSignatureHeader(header);
            assert.ok(Number.isInteger(parsed.timestamp) && parsed.signatures.length > 0);
          } catch (err) {
            assert.ok(err instanceof PaysgSignatureError, String(err));
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('verification throws nothing but PaysgSignatureError for arbitrary headers and bodies', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string(), fc.string(), async (header, body) => {
        try {
          await verify(header, body);
          assert.fail('an arbitrary header verified');
        } catch (err) {
          assert.ok(err instanceof PaysgSignatureError, String(err));
        }
      }),
      { numRuns: 300 },
    );
  });
});
