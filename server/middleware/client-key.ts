/**
 * Who a request comes from, for rate limits. Behind `hops` reverse proxies that each append to
 * X-Forwarded-For, the client is the entry `hops` from the right: entries further left are
 * whatever the client chose to send, and never trusted (reliability.md §4, hono conninfo CVE).
 * @module
 */
export function clientKeyFor(hops: number): (request: Request, env: unknown) => string {
  return (request, env) => {
    if (hops > 0) {
      const chain = (request.headers.get('x-forwarded-for') ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const client = chain[chain.length - hops];
      if (client) return client;
    }
    return (
      (env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket
        ?.remoteAddress ?? 'unknown'
    );
  };
}
