/**
 * Everything `createCheckoutApp` needs, built from the configuration loader's result: the PaySG
 * client, the store, the catalog, the payment page origins and the built widget. What the BFF's
 * own command runs, and the few lines an agency needs to mount the BFF in its own server.
 * @module
 */
import type { CheckoutAppDeps } from './deps.js';
import type { Config } from './config.js';
import { jsonLogger, type Logger } from './logger.js';
import { optionalPackage } from './optional-package.js';
import { present } from './present.js';
import { redisRateLimitStore, type RedisClient } from './rate-limit-store.js';
import {
  batchedStdout,
  configuredDeps,
  finesFromConfig,
  openStore,
  widgetFromDisk,
} from './node-runtime.js';
import { Catalog } from './orders/catalog.js';
import { PaysgClient, paymentPageOriginsFor } from './paysg/client.js';
import { PostgresCheckoutStore } from './storage/postgres-store.js';

/** Parts to bring yourself instead of having them built from the configuration. */
export type DepsOverrides = Partial<
  Pick<
    CheckoutAppDeps,
    'paysg' | 'store' | 'catalog' | 'logger' | 'loadWidget' | 'paymentPageOrigins' | 'fines'
  >
>;

/** `config` must come from `loadConfig(env, { requirePaysg: true })` unless `paysg` is given. */
export async function depsFromConfig(
  config: Config,
  overrides: DepsOverrides = {},
): Promise<CheckoutAppDeps> {
  const paysgConfig = config.paysg;
  if (!overrides.paysg && !paysgConfig)
    throw new Error(
      'paysg-checkout: PAYSG_API_KEY and PAYSG_PAYMENT_SERVICE_ID are required (or pass a PaySG client)',
    );
  const logger = overrides.logger ?? jsonLogger(batchedStdout());
  const paysg =
    overrides.paysg ??
    new PaysgClient({
      ...paysgCredentials(present(paysgConfig, 'PaySG credentials (checked above)')),
      onUnreadablePayment: (item) =>
        logger.log('warn', 'paysg_unreadable_payment', {
          paymentId: typeof item.id === 'string' ? item.id : null,
        }),
    });
  const store = overrides.store ?? (await openStore(config));
  const configured = configuredDeps(config);
  return {
    ...configured,
    // Several instances count their rate limits together: in Redis when given, else in PostgreSQL.
    ...(config.rateLimits.redisUrl
      ? {
          rateLimits: {
            ...configured.rateLimits,
            store: redisRateLimitStore(redisClientFor(config.rateLimits.redisUrl, logger)),
          },
        }
      : store instanceof PostgresCheckoutStore && {
          rateLimits: { ...configured.rateLimits, store: store.rateLimitStore() },
        }),
    paysg,
    store,
    catalog: overrides.catalog ?? Catalog.fromFile(config.catalogFile),
    paymentPageOrigins:
      overrides.paymentPageOrigins ??
      (paysgConfig?.paymentPageOrigin
        ? [paysgConfig.paymentPageOrigin]
        : paymentPageOriginsFor(paysg.baseUrl)),
    loadWidget: overrides.loadWidget ?? widgetFromDisk(),
    logger,
    // FINE_RULES_FILE: the rules, checked whole now (a mistake stops the start, naming its field).
    ...((overrides.fines ?? config.fines) && {
      fines: overrides.fines ?? finesFromConfig(present(config.fines, 'the fines configuration')),
    }),
  };
}

/**
 * An ioredis client for the rate limits: commands are never queued while Redis is away nor
 * waited on for long (the limiter counts in the process meanwhile), and an outage is logged
 * once, not at every retry.
 */
function redisClientFor(url: string, logger: Logger): RedisClient {
  const { Redis } = optionalPackage<typeof import('ioredis')>(
    'ioredis',
    'rate limits in Redis (REDIS_URL)',
  );
  // A Redis that stalls (paused, blocked, packets dropped) must not hold payers: a command not
  // answered in 500 ms fails, and the limiter counts that request in the process.
  const client = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 500,
    connectTimeout: 2_000,
  });
  let down = false;
  client.on('error', (err: Error) => {
    if (!down)
      logger.log('warn', 'rate_limit_store_unavailable', { store: 'redis', message: err.message });
    down = true;
  });
  client.on('ready', () => {
    if (down) logger.log('info', 'rate_limit_store_back', { store: 'redis' });
    down = false;
  });
  return client;
}

function paysgCredentials(paysg: NonNullable<Config['paysg']>) {
  return { apiKey: paysg.apiKey, paymentServiceId: paysg.paymentServiceId, baseUrl: paysg.apiUrl };
}
