/**
 * Per-client rate limits, answering 429 `rate_limited` with `Retry-After`. The counting is the
 * store's (`rate-limit-store.ts`): in this process, or shared by every instance on one
 * PostgreSQL.
 * @module
 */
import type { MiddlewareHandler } from 'hono';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import RateLimiterRes from 'rate-limiter-flexible/lib/RateLimiterRes.js';
import { ApiError } from '../errors.js';

export function rateLimit(options: {
  limiter: RateLimiterAbstract;
  keyOf: (request: Request, env: unknown) => string;
}): MiddlewareHandler {
  return async function rateLimit(c, next) {
    try {
      await options.limiter.consume(options.keyOf(c.req.raw, c.env));
    } catch (err) {
      // The limiter rejects with its state when the client is over; anything else is its own fault.
      if (!(err instanceof RateLimiterRes)) throw err;
      const retryAfter = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
      throw new ApiError(429, 'rate_limited', 'Too many requests; try again shortly', {
        retryAfter,
      });
    }
    return next();
  };
}
