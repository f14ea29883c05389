/**
 * Per-client rate limits (fixed one-minute windows), answering 429 `rate_limited` with
 * `Retry-After`. Kept in memory, so with several instances each counts on its own: the limit a
 * client meets is per instance, which still bounds abuse and never blocks a paying user.
 * @module
 */
import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../errors.js';

const WINDOW_MS = 60_000;

export function rateLimit(options: {
  limit: number;
  keyOf: (request: Request, env: unknown) => string;
  now: () => Date;
}): MiddlewareHandler {
  const windows = new Map<string, { start: number; count: number }>();
  return async function rateLimit(c, next) {
    const now = options.now().getTime();
    const key = options.keyOf(c.req.raw, c.env);
    let window = windows.get(key);
    if (!window || now - window.start >= WINDOW_MS) {
      if (windows.size > 10_000) for (const [k, w] of windows) if (now - w.start >= WINDOW_MS) windows.delete(k);
      window = { start: now, count: 0 };
      windows.set(key, window);
    }
    window.count++;
    if (window.count > options.limit) {
      const retryAfter = Math.max(1, Math.ceil((window.start + WINDOW_MS - now) / 1000));
      throw new ApiError(429, 'rate_limited', 'Too many requests; try again shortly', { retryAfter });
    }
    return next();
  };
}
