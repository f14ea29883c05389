/**
 * rate-limiter-flexible's modules one by one: its index also loads Node's `cluster`, which the
 * BFF (a Hono app with no Node-only imports) must not need. The types are the index's.
 */
declare module 'rate-limiter-flexible/lib/RateLimiterMemory.js' {
  import type { RateLimiterMemory } from 'rate-limiter-flexible';
  const RateLimiterMemoryClass: typeof RateLimiterMemory;
  export default RateLimiterMemoryClass;
}
declare module 'rate-limiter-flexible/lib/RateLimiterPostgres.js' {
  import type { RateLimiterPostgres } from 'rate-limiter-flexible';
  const RateLimiterPostgresClass: typeof RateLimiterPostgres;
  export default RateLimiterPostgresClass;
}
declare module 'rate-limiter-flexible/lib/RateLimiterRedis.js' {
  import type { RateLimiterRedis } from 'rate-limiter-flexible';
  const RateLimiterRedisClass: typeof RateLimiterRedis;
  export default RateLimiterRedisClass;
}
declare module 'rate-limiter-flexible/lib/RateLimiterRes.js' {
  import type { RateLimiterRes } from 'rate-limiter-flexible';
  const RateLimiterResClass: typeof RateLimiterRes;
  export default RateLimiterResClass;
}
