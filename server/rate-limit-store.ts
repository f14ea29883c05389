/**
 * Where the BFF counts requests per client for its rate limits: in this process (the default,
 * O(1) per request, memory bounded by the clients of the last minute), or in PostgreSQL, which
 * every instance shares, so two instances allow what one does. Counting is rate-limiter-flexible's
 * (one upsert per request in PostgreSQL); a PostgreSQL that does not answer falls back to counting
 * in the process rather than refusing payers.
 * @module
 */
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import RateLimiterMemory from 'rate-limiter-flexible/lib/RateLimiterMemory.js';
import RateLimiterPostgres from 'rate-limiter-flexible/lib/RateLimiterPostgres.js';

export interface RateLimitStore {
  /** A limiter of `points` requests per `durationSeconds`, counted under `name` per client key. */
  limiter(name: string, points: number, durationSeconds: number): RateLimiterAbstract;
}

export function memoryRateLimitStore(): RateLimitStore {
  return { limiter: (name, points, duration) => new RateLimiterMemory({ keyPrefix: name, points, duration }) };
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
