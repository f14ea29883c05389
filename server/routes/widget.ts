/**
 * The widget's files, loadable from any agency page:
 * - `GET /widget.js`: always the newest build, cached for five minutes;
 * - `GET /widget.{hash}.js`: one build for good, cached for a year (`immutable`), for pinning with SRI;
 * - `GET /widget-manifest.json`: that pinned URL and its `integrity`, for the script tag;
 * - `GET /locales/{lang}.{hash}.json`: the languages the script fetches on demand.
 * Each is sent brotli- or gzip-compressed when the browser accepts it, as the build compressed it.
 * @module
 */
import { Hono, type Context } from 'hono';
import { etag } from 'hono/etag';
import type { AppContext } from '../deps.js';
import { ApiError } from '../errors.js';
import type { WidgetAssets, WidgetFile } from '../widget/widget-assets.js';

const FIVE_MINUTES = 'public, max-age=300';
const FOR_GOOD = 'public, max-age=31536000, immutable';

export function widgetRoutes(ctx: AppContext) {
  const built = async (): Promise<WidgetAssets> => {
    const assets = await ctx.loadWidget();
    if (!assets)
      throw new ApiError(
        503,
        'widget_not_built',
        'The widget bundle has not been built; run npm run build',
      );
    return assets;
  };
  return new Hono()
    .use('/widget*', etag())
    .use('/locales/*', etag())
    .get('/widget.js', async (c) => {
      const assets = await built();
      return send(c, assets.files.get(assets.manifest.file), 'text/javascript', FIVE_MINUTES);
    })
    .get('/widget-manifest.json', async (c) => {
      const { manifest } = await built();
      c.header('Cache-Control', 'no-cache');
      allowAnyPage(c);
      return c.json({
        src: `${ctx.publicUrl}/${hashedName(manifest.hashedFile)}`,
        integrity: manifest.integrity,
        brotliBytes: manifest.brotliBytes,
        gzipBytes: manifest.gzipBytes,
        locales: Object.fromEntries(
          Object.entries(manifest.locales).map(([lang, l]) => [
            lang,
            { src: `${ctx.publicUrl}/${l.file}`, integrity: l.integrity },
          ]),
        ),
      });
    })
    .get('/:name{widget\\.[0-9a-f]{12}\\.js}', async (c) => {
      const assets = await built();
      const pinned = hashedName(assets.manifest.hashedFile) === c.req.param('name');
      return send(
        c,
        pinned ? assets.files.get(assets.manifest.hashedFile) : undefined,
        'text/javascript',
        FOR_GOOD,
      );
    })
    .get('/locales/:name{[a-z]{2}\\.[0-9a-f]{12}\\.json}', async (c) => {
      const assets = await built();
      return send(
        c,
        assets.files.get(`locales/${c.req.param('name')}`),
        'application/json',
        FOR_GOOD,
      );
    });
}

/** `paysg-checkout.{hash}.js` in dist is `widget.{hash}.js` on the BFF, beside `/widget.js`. */
function hashedName(file: string): string {
  return file.replace(/^paysg-checkout\./, 'widget.');
}

function send(c: Context, file: WidgetFile | undefined, type: string, cacheControl: string) {
  // An old build's file: gone, and never cached as if it were there.
  if (!file)
    throw new ApiError(
      404,
      'not_found',
      'There is no such widget file; read /widget-manifest.json for the current one',
    );
  const encoding = acceptedEncoding(c.req.header('Accept-Encoding'));
  c.header('Content-Type', `${type}; charset=utf-8`);
  c.header('Cache-Control', cacheControl);
  c.header('Vary', 'Accept-Encoding');
  allowAnyPage(c);
  if (encoding) c.header('Content-Encoding', encoding);
  const body = encoding === 'br' ? file.brotli : encoding === 'gzip' ? file.gzip : file.body;
  return c.body(body as Uint8Array<ArrayBuffer>);
}

/**
 * Agency pages on other origins load the script with `<script src>` and its languages with
 * `fetch`: the default same-origin CORP from secureHeaders would block one, missing CORS the other.
 * These files are public and carry no cookies, so any origin may read them.
 */
function allowAnyPage(c: Context): void {
  c.header('Cross-Origin-Resource-Policy', 'cross-origin');
  c.header('Access-Control-Allow-Origin', '*');
}

/** `br` when the browser takes it, else `gzip`, else none; a `q=0` refuses. */
export function acceptedEncoding(header: string | undefined): 'br' | 'gzip' | undefined {
  const accepted = new Set<string>();
  for (const part of (header ?? '').toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (name && !(q && Number(q.slice(2)) === 0)) accepted.add(name);
  }
  if (accepted.has('br')) return 'br';
  if (accepted.has('gzip') || accepted.has('*')) return 'gzip';
  return undefined;
}
