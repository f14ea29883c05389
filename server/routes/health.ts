/**
 * `GET /healthz`: liveness, and whether the store and PaySG answer, and if PaySG does not, what
 * the agency should fix. PaySG is asked for one payment of the service (`GET …/payments?limit=1`,
 * the check PaySG's own Plumber makes, paysg-api.md §16.1): 401 means the key is refused, 403
 * that its holder may not use this payment service, 404 that the service id is unknown. At most
 * once per 30 s, so health probes cost PaySG next to nothing.
 * @module
 */
import { Hono } from 'hono';
import type { AppContext } from '../deps.js';
import { API_KEY_PREFIX } from '../paysg/api-key.js';
import { PaysgError } from '../paysg/errors.js';

type StoreCheck = 'ok' | 'error';
type PaysgCheck =
  | 'ok'
  | 'key_refused'
  | 'not_permitted'
  | 'unknown_payment_service'
  | 'unreachable'
  | 'error';

const PAYSG_PROBE_EVERY_MS = 30_000;
/** A health probe never waits long, nor retries: the next probe is the retry. */
const PAYSG_PROBE_TIMEOUT_MS = 5_000;

/** What each answer means for the agency, in words it can act on. */
const PAYSG_PROBLEMS: Record<Exclude<PaysgCheck, 'ok'>, string> = {
  key_refused: `PaySG refused the API key (401): check PAYSG_API_KEY, and that it is for this environment (${API_KEY_PREFIX.staging}… for staging, ${API_KEY_PREFIX.production}… for production)`,
  not_permitted:
    'PaySG refused this payment service for the key (403): the key’s holder must be a Billing collaborator on the payment service; ask its admin in the PaySG dashboard',
  unknown_payment_service:
    'PaySG does not know this payment service (404): check PAYSG_PAYMENT_SERVICE_ID',
  unreachable:
    'PaySG did not answer (network, DNS, a proxy, or PaySG itself): check the route from this server to PaySG',
  error: 'PaySG answered with an error: see the server log; PaySG may be having trouble',
};

function paysgCheckOf(err: unknown): Exclude<PaysgCheck, 'ok'> {
  if (!(err instanceof PaysgError)) return 'error';
  switch (err.status) {
    case 401:
      return 'key_refused';
    case 403:
      return 'not_permitted';
    case 404:
      return 'unknown_payment_service';
    case undefined:
      return 'unreachable';
    default:
      return 'error';
  }
}

export function healthRoutes(ctx: AppContext) {
  let paysgProbe: { at: number; result: Promise<PaysgCheck> } | undefined;

  async function probePaysg(): Promise<PaysgCheck> {
    try {
      await ctx.paysg.payments.list(
        { limit: 1 },
        { timeoutMs: PAYSG_PROBE_TIMEOUT_MS, maxRetries: 0 },
      );
      return 'ok';
    } catch (err) {
      const check = paysgCheckOf(err);
      ctx.logger.log('warn', 'health_paysg', {
        check,
        status: err instanceof PaysgError ? err.status : undefined,
      });
      return check;
    }
  }

  return new Hono().get('/', async (c) => {
    const now = ctx.now().getTime();
    if (!paysgProbe || now - paysgProbe.at >= PAYSG_PROBE_EVERY_MS) {
      paysgProbe = { at: now, result: probePaysg() };
    }
    const store: StoreCheck = await ctx.store.ping().then(
      () => 'ok',
      () => 'error',
    );
    const paysg = await paysgProbe.result;
    const ok = store === 'ok' && paysg === 'ok';
    c.header('Cache-Control', 'no-store');
    return c.json(
      {
        status: ok ? 'ok' : 'degraded',
        store,
        paysg,
        ...(paysg !== 'ok' && { paysgProblem: PAYSG_PROBLEMS[paysg] }),
      },
      ok ? 200 : 503,
    );
  });
}
