/**
 * The back office's search with the store's size: the same searches (part of a reference in
 * lower case, part of a payer's name) on a store of 100 checkouts and one of 100,000, in SQLite
 * and in PostgreSQL, through the store's own `list`. Each figure is the median time of a search,
 * in this process (SQLite is in it; PostgreSQL's time is the round trip to it).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CheckoutStore } from '../server/storage/checkout-store.js';
import { PostgresCheckoutStore } from '../server/storage/postgres-store.js';
import { SqliteCheckoutStore } from '../server/storage/sqlite-store.js';
import { sampleCheckout } from '../test/helpers/store-contract.js';
import { benchSchema } from './servers.js';

export interface SearchScaling {
  sizes: number[];
  /** Per store and search: the median milliseconds at each size, in `sizes` order. */
  searches: { store: string; search: string; medianMs: number[] }[];
  skipped?: string;
}

const SEARCHES = ['hs-01-23', 'nurhal'];
const RUNS = 300;

/** `count` checkouts, one of them the one the searches find, created a minute apart. */
async function fill(store: CheckoutStore, count: number): Promise<void> {
  const start = Date.parse('2026-01-01T00:00:00Z');
  const batch: Promise<unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const at = new Date(start + i * 60_000).toISOString();
    const target = i === Math.floor(count / 2);
    const reference = target ? 'HS-01-23-2027' : `FILL-${String(i).padStart(6, '0')}`;
    const checkout = sampleCheckout({
      referenceId: reference,
      orderKey: `catalog:licence-renewal:${reference}`,
      status: 'paid',
      paymentId: `pay_${i}_${Math.random().toString(36).slice(2)}`,
      paidAt: at,
      createdAt: at,
      updatedAt: at,
    });
    checkout.paysgRequest = {
      ...checkout.paysgRequest,
      reference_id: reference,
      payer_name: target ? 'Siti Nurhaliza' : `Payer ${i}`,
    };
    batch.push(store.claim(checkout));
    // Bounded: PostgreSQL's pool takes ten at a time, and SQLite's claims are synchronous anyway.
    if (batch.length === 200) await Promise.all(batch.splice(0));
  }
  await Promise.all(batch);
}

async function medianMs(store: CheckoutStore, search: string): Promise<number> {
  for (let i = 0; i < 30; i++) await store.list({ search, limit: 51 });
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const found = await store.list({ search, limit: 51 });
    times.push(performance.now() - t);
    if (found.length !== 1)
      throw new Error(`the search ${search} found ${found.length} checkouts, not 1`);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

export async function searchScaling(sizes = [100, 100_000]): Promise<SearchScaling> {
  const result: SearchScaling = { sizes, searches: [] };
  type Opened = { store: CheckoutStore; done: () => Promise<void> };
  const engines: { name: string; open: () => Promise<Opened | { skipped: string }> }[] = [
    {
      name: 'SQLite',
      open: async () => {
        const store = new SqliteCheckoutStore(
          join(mkdtempSync(join(tmpdir(), 'paysg-bench-search-')), 'checkouts.sqlite'),
        );
        return { store, done: () => store.close() };
      },
    },
    {
      name: 'PostgreSQL',
      // A schema of its own for each size, dropped afterwards.
      open: async () => {
        const schema = await benchSchema();
        if ('skipped' in schema) return schema;
        const store = await PostgresCheckoutStore.open(schema.url, { max: 10 });
        return {
          store,
          done: async () => {
            await store.close();
            await schema.drop();
          },
        };
      },
    },
  ];
  for (const engine of engines) {
    const rows = SEARCHES.map((search) => ({
      store: engine.name,
      search,
      medianMs: [] as number[],
    }));
    for (const size of sizes) {
      const opened = await engine.open();
      if ('skipped' in opened) {
        result.skipped = `${engine.name}: ${opened.skipped}`;
        break;
      }
      try {
        await fill(opened.store, size);
        for (const row of rows) row.medianMs.push(await medianMs(opened.store, row.search));
      } finally {
        await opened.done();
      }
    }
    if (rows.every((r) => r.medianMs.length === sizes.length)) result.searches.push(...rows);
  }
  return result;
}
