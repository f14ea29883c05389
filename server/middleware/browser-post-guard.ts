/**
 * Guards every browser-facing POST: an exact-origin check, `Content-Type: application/json`
 * (415 otherwise) and the `X-PaySG-Checkout: 1` header.
 *
 * Hono's `csrf()` does not look at JSON requests, and `c.req.json()` happily parses a
 * `text/plain` body, which a cross-site form can send without a preflight. Requiring JSON plus a
 * custom header means every cross-origin call is preflighted, and CORS then decides (OAuth
 * browser-based apps BCP, §"CSRF"; reliability.md §4).
 * @module
 */
import type { MiddlewareHandler } from 'hono';
import { CHECKOUT_HEADER } from '../../contract/wire-names.js';
import { ApiError } from '../errors.js';

export function browserPostGuard(allowedOrigins: ReadonlySet<string>): MiddlewareHandler {
  return async function browserPostGuard(c, next) {
    if (c.req.method !== 'POST') return next();
    const origin = c.req.header('Origin');
    // No Origin: not a browser (browsers send it on every POST), so CSRF does not apply.
    if (origin !== undefined && !allowedOrigins.has(origin)) {
      throw new ApiError(
        403,
        'origin_not_allowed',
        `Origin ${origin} is not allowed to call this service`,
      );
    }
    const mediaType = c.req.header('Content-Type')?.split(';')[0]?.trim().toLowerCase();
    if (mediaType !== 'application/json') {
      throw new ApiError(415, 'unsupported_media_type', 'Send the body as application/json');
    }
    if (c.req.header(CHECKOUT_HEADER) !== '1') {
      throw new ApiError(400, 'invalid_request', `Send the header ${CHECKOUT_HEADER}: 1`);
    }
    return next();
  };
}
