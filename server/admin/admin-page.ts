/**
 * The back office's page: `index.html`, `admin.js` and `admin.css`, shipped in the package beside
 * this module (`page/`; the build copies them into `dist/`) and served at `{base}/admin/` under a
 * strict policy: only its own script and styles, no inline code, Trusted Types, no framing.
 * @module
 */
import type { Context, Hono } from 'hono';
import { present } from '../present.js';
import type { StaffEnv } from './staff-auth.js';

export const ADMIN_PAGE_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "require-trusted-types-for 'script'",
].join('; ');

const FILES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'admin.js': 'text/javascript; charset=utf-8',
  'admin.css': 'text/css; charset=utf-8',
};

/** Reads a page file; by default from `page/` beside this module, with Node's file system. */
export type PageFileReader = (name: string) => Promise<Uint8Array>;

const nodeFs = (
  globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }
).process?.getBuiltinModule?.('node:fs/promises') as typeof import('node:fs/promises') | undefined;

export const readPageFile: PageFileReader = async (name) => {
  if (!nodeFs)
    throw new Error(
      'The back office page is read from the file system; pass readPage on other runtimes',
    );
  return nodeFs.readFile(new URL(`./page/${name}`, import.meta.url));
};

export function adminPageRoutes(app: Hono<StaffEnv>, read: PageFileReader = readPageFile): void {
  const cache = new Map<string, Promise<Uint8Array>>();
  const serve =
    (name: string) =>
    async (c: Context<StaffEnv>): Promise<Response> => {
      let file = cache.get(name);
      if (!file) {
        file = read(name);
        cache.set(name, file);
        file.catch(() => cache.delete(name));
      }
      const body = await file;
      c.header('Content-Type', present(FILES[name], `a content type for ${name}`));
      c.header('Content-Security-Policy', ADMIN_PAGE_POLICY);
      c.header('Cache-Control', 'no-cache');
      return c.body(body as Uint8Array<ArrayBuffer>);
    };
  const page = serve('index.html');
  app.get('/', async (c): Promise<Response> => {
    // The page's links are relative (the base path is the agency's): they need the trailing slash.
    const url = new URL(c.req.url);
    if (!url.pathname.endsWith('/')) return c.redirect(`${url.pathname}/${url.search}`, 301);
    return page(c);
  });
  for (const name of ['admin.js', 'admin.css']) app.get(`/${name}`, serve(name));
}
