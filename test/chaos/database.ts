/**
 * A fresh PostgreSQL database per run (`paysg_chaos_<random>`), created through the `test`
 * database and dropped at the end, so runs never see each other's rows; and the store's
 * `checkouts` table read directly, for the ledger check.
 * @module
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

import { PG_TEST_URL } from '../helpers/postgres.js';

/** The server the test suites use; chaos databases are created through it. */
export const PG_ADMIN_URL = PG_TEST_URL;

/** `undefined` when PostgreSQL answers at `PG_ADMIN_URL`, else why not. */
export async function postgresProblem(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (err) {
    return (err as Error).message || String(err);
  } finally {
    await client.end().catch(() => {});
  }
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

export interface ChaosDatabase {
  name: string;
  /** For the BFFs' DATABASE_URL and our own reads. */
  url: string;
}

export async function createChaosDatabase(): Promise<ChaosDatabase> {
  const name = `paysg_chaos_${randomBytes(5).toString('hex')}`;
  await admin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
}

/** FORCE (PostgreSQL 13+): a killed BFF's connections may linger a moment. */
export async function dropChaosDatabase(db: ChaosDatabase): Promise<void> {
  if (!/^paysg_chaos_[0-9a-f]+$/.test(db.name)) throw new Error(`refusing to drop ${db.name}`);
  await admin((client) => client.query(`DROP DATABASE IF EXISTS ${db.name} WITH (FORCE)`));
}

/** The columns of a checkout row the check relies on (others may come and go). */
export interface StoreRow {
  id: string;
  order_key: string;
  reference_id: string;
  status: string;
  amount_in_cents: number;
  payment_id: string | null;
  payment_url: string | null;
  updated_at: string;
  verified_at: string | null;
}

export class StoreReader {
  readonly #pool: pg.Pool;

  constructor(db: ChaosDatabase) {
    this.#pool = new pg.Pool({ connectionString: db.url, max: 2, connectionTimeoutMillis: 5_000 });
    this.#pool.on('error', () => {});
  }

  async checkouts(): Promise<StoreRow[]> {
    const { rows } = await this.#pool.query<StoreRow>(
      `SELECT id, order_key, reference_id, status, amount_in_cents::int AS amount_in_cents, payment_id, payment_url,
              updated_at, verified_at
         FROM checkouts ORDER BY created_at, id`,
    );
    return rows;
  }

  close(): Promise<void> {
    return this.#pool.end();
  }
}
