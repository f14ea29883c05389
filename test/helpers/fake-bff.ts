/**
 * A stand-in for the BFF inside the browser: replaces `window.fetch` for the widget's calls and
 * records them, so element tests control every answer.
 */
export interface RecordedCall {
  method: string;
  path: string;
  headers: Headers;
  body: unknown;
  /** Aborted once the widget stopped waiting for this answer. */
  signal: AbortSignal;
}

type Responder = (call: RecordedCall) => Response | Promise<Response>;

export const QUOTE = {
  item: 'licence-renewal',
  description: 'Hawker stall licence renewal',
  amountInCents: 12000,
  currency: 'SGD',
};

export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

export function bffError(code: string, status: number, message = code): Response {
  return json({ error: { code, message, requestId: 'req-1' } }, status);
}

export class FakeBff {
  readonly calls: RecordedCall[] = [];
  readonly #routes = new Map<string, Responder>();
  readonly #original = window.fetch;

  constructor() {
    this.on('GET /paysg/quote', () => json(QUOTE));
    window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      const url = new URL(request.url);
      const route = this.#routes.get(`${request.method} ${url.pathname}`);
      // The widget's own files (its languages) come from the test server, unless a test answers.
      if (!route && url.pathname.startsWith('/widget/'))
        return this.#original.call(window, input, init);
      const call: RecordedCall = {
        method: request.method,
        path: url.pathname,
        headers: request.headers,
        signal: init?.signal ?? request.signal,
        body: request.method === 'POST' ? await request.json() : undefined,
      };
      this.calls.push(call);
      if (!route) return bffError('not_found', 404);
      return route(call);
    };
  }

  /** `on('POST /paysg/checkouts', …)`: answers that method and path from now on. */
  on(route: string, responder: Responder): this {
    this.#routes.set(route, responder);
    return this;
  }

  callsTo(route: string): RecordedCall[] {
    return this.calls.filter((c) => `${c.method} ${c.path}` === route);
  }

  restore(): void {
    window.fetch = this.#original;
  }
}

/** A promise whose settling the test decides: for holding a request in flight. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * A fresh FakeBff for each test of the file, handed to `use`, with the tab's memory (session
 * storage, the address) cleared around it, so no test sees another's pending checkout.
 */
export function useFakeBff(use: (bff: FakeBff) => void): void {
  let bff: FakeBff;
  beforeEach(() => {
    bff = new FakeBff();
    use(bff);
    sessionStorage.clear();
  });
  afterEach(() => {
    bff.restore();
    sessionStorage.clear();
    history.replaceState(null, '', location.pathname);
  });
}
