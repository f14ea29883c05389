/**
 * `GET /widget.js`: the built `<paysg-checkout>` bundle, loadable from any agency page.
 * @module
 */
import { Hono } from 'hono';
import { etag } from 'hono/etag';
import type { AppContext } from '../deps.js';
import { ApiError } from '../errors.js';

export function widgetRoutes(ctx: AppContext) {
  return new Hono().use(etag()).get('/', async (c) => {
    const code = await ctx.loadWidget();
    if (code === undefined) {
      throw new ApiError(503, 'widget_not_built', 'The widget bundle has not been built; run npm run build');
    }
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=300');
    // Agency pages on other origins load this with <script src>; the default same-origin CORP
    // from secureHeaders would block it.
    c.header('Cross-Origin-Resource-Policy', 'cross-origin');
    c.header('Access-Control-Allow-Origin', '*');
    return c.body(code);
  });
}
