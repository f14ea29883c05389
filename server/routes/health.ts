/**
 * `GET /healthz`: liveness, and whether the store and PaySG answer. PaySG is probed with a
 * lookup of a payment that cannot exist (a 404 proves the key works and PaySG is up), at most
 * once per 30 s, so health checks cost PaySG next to nothing.
 * @module
 */
import { Hono } from 'hono';
import type { AppContext } from '../deps.js';
import { PaysgNotFoundError } from '../paysg/errors.js';

type Check = 'ok' | 'error';
const PAYSG_PROBE_EVERY_MS = 30_000;

export function healthRoutes(ctx: AppContext) {
  let paysgProbe: { at: number; result: Promise<Check> } | undefined;

  async function probePaysg(): Promise<Check> {
    try {
      await ctx.paysg.payments.retrieve('paysg-checkout-health-probe');
      return 'ok';
    } catch (err) {
      return err instanceof PaysgNotFoundError ? 'ok' : 'error';
    }
  }

  return new Hono().get('/', async (c) => {
    const now = ctx.now().getTime();
    if (!paysgProbe || now - paysgProbe.at >= PAYSG_PROBE_EVERY_MS) {
      paysgProbe = { at: now, result: probePaysg() };
    }
    const store: Check = await ctx.store.ping().then(
      () => 'ok',
      () => 'error',
    );
    const paysg = await paysgProbe.result;
    const ok = store === 'ok' && paysg === 'ok';
    c.header('Cache-Control', 'no-store');
    return c.json({ status: ok ? 'ok' : 'degraded', store, paysg }, ok ? 200 : 503);
  });
}
