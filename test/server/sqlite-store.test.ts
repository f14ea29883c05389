import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import Database from 'better-sqlite3';
import { MIGRATIONS, migrationSql } from '../../server/storage/migrations.js';
import { SqliteCheckoutStore } from '../../server/storage/sqlite-store.js';
import {
  checkoutStoreContract,
  sampleCheckout,
  type DirectDatabase,
} from '../helpers/store-contract.js';

/**
 * A database file with a connection of its own beside the store's. Older migrations are applied
 * and counted as the store does (`user_version`), so the store takes it for what older code left.
 */
async function directSqlite(migrations = 0): Promise<DirectDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'paysg-direct-'));
  const path = join(dir, 'checkouts.sqlite');
  const db = new Database(path);
  db.pragma('busy_timeout = 5000');
  for (const migration of MIGRATIONS.slice(0, migrations))
    db.exec(migrationSql(migration, 'sqlite'));
  db.pragma(`user_version = ${migrations}`);
  return {
    sql: async (text) => void db.exec(text),
    openStore: async () => new SqliteCheckoutStore(path),
    close: async () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

checkoutStoreContract('SQLite (in memory)', async () => new SqliteCheckoutStore(':memory:'), {
  direct: directSqlite,
});

it('SQLite keeps checkouts in a file across restarts, creating its folder', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'paysg-store-')), 'nested', 'checkouts.sqlite');
  const checkout = sampleCheckout();
  const first = new SqliteCheckoutStore(path);
  await first.claim(checkout);
  await first.close();
  const reopened = new SqliteCheckoutStore(path);
  assert.deepEqual(await reopened.get(checkout.id), checkout);
  await reopened.close();
});
