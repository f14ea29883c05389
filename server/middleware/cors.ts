/**
 * CORS for the browser API: an exact allow-list of origins, explicit request headers (never
 * reflected), and the response headers a page may read.
 *
 * Hono's `cors()` does the same, but sets its headers on `c.res` before the route runs; the
 * route's own response then replaces that early one and Hono copies it, body and all, into a
 * third (`Context#res` setter), which @hono/node-server then writes through a web stream. That was
 * a fifth of a status read's CPU (bench, CPU profile). Here the headers go onto the route's own
 * response after it is made, which costs a Headers object and nothing else.
 * @module
 */
import type { MiddlewareHandler } from 'hono';

export interface CorsOptions {
  /** Whether a page on `origin` may call the API. */
  allowOrigin: (origin: string) => boolean;
  allowMethods: string[];
  /** Request headers a page may send, beyond the CORS-safelisted ones. */
  allowHeaders: string[];
  /** Response headers a page may read, beyond the CORS-safelisted ones. */
  exposeHeaders: string[];
  /** How long a browser may keep a preflight's answer, seconds. */
  maxAge: number;
}

export function cors(options: CorsOptions): MiddlewareHandler {
  const allowMethods = options.allowMethods.join(',');
  const allowHeaders = options.allowHeaders.join(',');
  const exposeHeaders = options.exposeHeaders.join(',');
  const maxAge = String(options.maxAge);
  return async (c, next) => {
    const origin = c.req.header('origin');
    const allowed = origin !== undefined && options.allowOrigin(origin) ? origin : undefined;
    if (c.req.method === 'OPTIONS') {
      // A preflight: answered here, the same for every origin but for the grant itself.
      const headers: Record<string, string> = {
        'Access-Control-Allow-Methods': allowMethods,
        'Access-Control-Allow-Headers': allowHeaders,
        'Access-Control-Expose-Headers': exposeHeaders,
        'Access-Control-Max-Age': maxAge,
        Vary: 'Origin, Access-Control-Request-Headers',
        ...(allowed && { 'Access-Control-Allow-Origin': allowed }),
      };
      return c.body(null, 204, headers);
    }
    await next();
    const headers = c.res.headers;
    if (allowed) headers.set('Access-Control-Allow-Origin', allowed);
    headers.set('Access-Control-Expose-Headers', exposeHeaders);
    headers.append('Vary', 'Origin');
    return undefined;
  };
}
