/**
 * Idempotency as PaySG documents it (paysg-api.md §6): the first request's status and body are
 * stored once it began executing, failures and 500s included, and replayed for the same key;
 * the same key with other parameters is refused; a key still in flight answers 409; nothing is
 * stored for a request that failed validation; keys may be pruned after 24 hours.
 * @module
 */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;

export interface StoredResponse {
  status: number;
  body: unknown;
}

interface Entry {
  fingerprint: string;
  startedAt: number;
  response: StoredResponse | undefined;
}

export type Begin =
  | { kind: 'execute' }
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'in_flight' }
  | { kind: 'mismatch' };

export class IdempotencyBook {
  /** In the order the keys began, which is the order they expire in: pruning stops at the first live one. */
  readonly #entries = new Map<string, Entry>();
  readonly #now: () => Date;
  #replays = 0;
  #pruneVisits = 0;

  constructor(now: () => Date) {
    this.#now = now;
  }

  begin(scope: string, key: string, fingerprint: string): Begin {
    this.#prune();
    const id = `${scope}\n${key}`;
    const entry = this.#entries.get(id);
    if (!entry) {
      this.#entries.set(id, { fingerprint, startedAt: this.#now().getTime(), response: undefined });
      return { kind: 'execute' };
    }
    if (entry.fingerprint !== fingerprint) return { kind: 'mismatch' };
    if (!entry.response) return { kind: 'in_flight' };
    this.#replays++;
    return { kind: 'replay', response: entry.response };
  }

  finish(scope: string, key: string, response: StoredResponse): void {
    const entry = this.#entries.get(`${scope}\n${key}`);
    if (entry) entry.response = response;
  }

  /** For a request that never began executing (refused before any work). */
  forget(scope: string, key: string): void {
    this.#entries.delete(`${scope}\n${key}`);
  }

  get replays(): number {
    return this.#replays;
  }

  /** Keys held now. */
  get size(): number {
    return this.#entries.size;
  }

  /** Entries pruning has looked at so far: one more than it removed, per request. */
  get pruneVisits(): number {
    return this.#pruneVisits;
  }

  /** O(1) per request, amortised: only expired keys, oldest first, and the first live one. */
  #prune(): void {
    const cutoff = this.#now().getTime() - IDEMPOTENCY_KEY_TTL_MS;
    for (const [id, entry] of this.#entries) {
      this.#pruneVisits++;
      if (entry.startedAt > cutoff) return;
      this.#entries.delete(id);
    }
  }
}
