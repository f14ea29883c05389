/**
 * One structured line per request: method, path (never the query, which can carry PaySG's
 * return parameters), status, duration and request id.
 * @module
 */
import type { MiddlewareHandler } from 'hono';
import type { Logger } from '../logger.js';

export function requestLog(logger: Logger): MiddlewareHandler {
  return async function requestLog(c, next) {
    const started = performance.now();
    await next();
    logger.log(c.res.status >= 500 ? 'error' : 'info', 'request', {
      requestId: c.get('requestId'),
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round(performance.now() - started),
    });
  };
}
