/**
 * Where the BFF counts requests per client for its rate limits: in this process (the default,
 * O(1) per request, memory bounded by the clients of the last minute), or in PostgreSQL or Redis,
 * which every instance shares, so two instances allow what one does. Counting is
 * rate-limiter-flexible's (one upsert per request in PostgreSQL, one script call in Redis); a
 * store that does not answer falls back to counting in the process rather than refusing payers.
 * @module
 */
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import RateLimiterMemory from 'rate-limiter-flexible/lib/RateLimiterMemory.js';
import RateLimiterPostgres from 'rate-limiter-flexible/lib/RateLimiterPostgres.js';
import RateLimiterRedis from 'rate-limiter-flexible/lib/RateLimiterRedis.js';

export interface RateLimitStore {
  /** A limiter of `points` requests per `durationSeconds`, counted under `name` per client key. */
  limiter(name: string, points: number, durationSeconds: number): RateLimiterAbstract;
  /** Resolves once a store of its own is connected (Redis), or after `timeoutMs`; counted in the process until then. */
  ready?(timeoutMs: number): Promise<boolean>;
  /** Lets go of its connection, when it holds one of its own (Redis). */
  close?(): Promise<void>;
}

export function memoryRateLimitStore(): RateLimitStore {
  return {
    limiter: (name, points, duration) =>
      new RateLimiterMemory({ keyPrefix: name, points, duration }),
  };
}

/** The `rate_limits` table comes with the store's migrations. */
export function postgresRateLimitStore(pool: unknown): RateLimitStore {
  return {
    limiter: (name, points, duration) =>
      new RateLimiterPostgres({
        storeClient: pool,
        storeType: 'pool',
        tableName: 'rate_limits',
        tableCreated: true,
        clearExpiredByTimeout: true,
        keyPrefix: name,
        points,
        duration,
        insuranceLimiter: new RateLimiterMemory({ keyPrefix: name, points, duration }),
      }),
  };
}

/** The parts of an ioredis client this store uses. */
export interface RedisClient {
  status: string;
  quit(): Promise<unknown>;
  disconnect(): void;
  once(event: 'ready', listener: () => void): unknown;
  off(event: 'ready', listener: () => void): unknown;
}

/**
 * Counts in Redis (`REDIS_URL`), keys `paysg-checkout:{name}:{client}`, each expiring with its
 * window. A Redis that is down or not yet connected is not waited for: the request is counted in
 * the process instead (`rejectIfRedisNotReady`, with the client's offline queue off).
 */
export function redisRateLimitStore(client: RedisClient): RateLimitStore {
  return {
    limiter: (name, points, duration) =>
      new RateLimiterRedis({
        storeClient: client,
        rejectIfRedisNotReady: true,
        keyPrefix: `paysg-checkout:${name}`,
        points,
        duration,
        insuranceLimiter: new RateLimiterMemory({ keyPrefix: name, points, duration }),
      }),
    ready: (timeoutMs) =>
      new Promise((resolve) => {
        if (client.status === 'ready') return resolve(true);
        const onReady = () => {
          clearTimeout(timer);
          resolve(true);
        };
        const timer = setTimeout(() => {
          client.off('ready', onReady);
          resolve(false);
        }, timeoutMs);
        client.once('ready', onReady);
      }),
    // quit() lets pending commands finish; a client not connected has none, and would otherwise
    // go on reconnecting.
    close: async () => {
      if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
      else client.disconnect();
    },
  };
}
