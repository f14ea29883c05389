/**
 * The back office's only credential: `Authorization: Bearer <ADMIN_TOKEN>`, compared in constant
 * time. Checkout ids, browser secrets and order tokens open nothing here.
 * @module
 */
import type { MiddlewareHandler } from 'hono';
import { timingSafeEqual } from 'hono/utils/buffer';
import { ApiError } from '../errors.js';

/** Long enough that guessing it within any rate limit is hopeless. */
export const MIN_ADMIN_TOKEN_LENGTH = 32;

export function adminAuth(token: string): MiddlewareHandler {
  if (token.length < MIN_ADMIN_TOKEN_LENGTH) throw new Error(`ADMIN_TOKEN must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters`);
  return async function adminAuth(c, next) {
    const match = /^Bearer (\S+)$/.exec(c.req.header('Authorization') ?? '');
    if (!match || !(await timingSafeEqual(match[1]!, token))) {
      c.header('WWW-Authenticate', 'Bearer realm="paysg-checkout admin"');
      throw new ApiError(401, 'unauthorized', 'The back office needs the ADMIN_TOKEN as a bearer token');
    }
    return next();
  };
}
