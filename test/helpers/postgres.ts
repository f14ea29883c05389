/**
 * PostgreSQL for tests: a server at `PG_TEST_URL` (default the local one CI starts), a fresh
 * schema per store so suites never see each other's rows. On a machine without PostgreSQL the
 * suites are skipped with a message saying so.
 */
import pg from 'pg';
import { PostgresCheckoutStore } from '../../server/storage/postgres-store.js';

export const PG_TEST_URL = process.env.PG_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** `false` when PostgreSQL answers, else the reason to skip. */
export async function postgresUnavailable(): Promise<string | false> {
  const client = new pg.Client({ connectionString: PG_TEST_URL, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return false;
  } catch (err) {
    // The host only: the URL may hold a password, and this line goes to CI's log.
    const reason = `PostgreSQL is not reachable at ${new URL(PG_TEST_URL).host} (${(err as Error).message}); start it or set PG_TEST_URL. bash .ci/run starts one.`;
    console.log(`# skipped: ${reason}`);
    return reason;
  } finally {
    await client.end().catch(() => {});
  }
}

let schemas = 0;

export function uniqueSchema(): string {
  return `t_${process.pid}_${Date.now().toString(36)}_${schemas++}`;
}

export function openPostgresStore(schema = uniqueSchema()): Promise<PostgresCheckoutStore> {
  return PostgresCheckoutStore.open(PG_TEST_URL, { schema, max: 5 });
}
