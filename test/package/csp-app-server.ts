/**
 * A small static server for an app a bundler built: its files, under the Content-Security-Policy
 * docs/widget.md recommends (with the BFF on the app's own origin), and a stand-in for the BFF's
 * quote so the widget has something to show. On 127.0.0.1, on a port of the system's choosing.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';

/** docs/widget.md's policy, with the BFF on the page's origin (so connect-src is 'self'). */
export const DOCUMENTED_CSP =
  "script-src 'self'; style-src 'self'; connect-src 'self'; require-trusted-types-for 'script'; trusted-types lit-html";

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.css': 'text/css; charset=utf-8',
};

/** What the BFF answers for `GET /paysg/quote?item=licence-renewal`, with the item's Chinese text. */
export const QUOTE = {
  item: 'licence-renewal',
  description: 'Hawker stall licence renewal',
  translations: { zh: { description: '小贩摊位执照更新' } },
  amountInCents: 12000,
  currency: 'SGD',
};

export interface AppServer {
  url: string;
  close(): Promise<void>;
}

export async function serveApp(root: string): Promise<AppServer> {
  const server: Server = createServer((request, response) => {
    void (async () => {
      const { pathname } = new URL(request.url ?? '/', 'http://127.0.0.1');
      if (pathname === '/paysg/quote') {
        response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(QUOTE));
        return;
      }
      // The browser asks for it unprompted; a 404 would be an error in the console.
      if (pathname === '/favicon.ico') return void response.writeHead(204).end();
      const file = normalize(join(root, decodeURIComponent(pathname)));
      if (!file.startsWith(root + sep)) return void response.writeHead(404).end();
      try {
        const body = await readFile(file);
        const type = TYPES[extname(file)] ?? 'application/octet-stream';
        response
          .writeHead(200, {
            'Content-Type': type,
            ...(type.startsWith('text/html') ? { 'Content-Security-Policy': DOCUMENTED_CSP } : {}),
          })
          .end(body);
      } catch {
        response.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
      }
    })();
  });
  // A browser keeps connections open; closing must not wait for it.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) =>
    server.once('error', reject).listen(0, '127.0.0.1', resolve),
  );
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
