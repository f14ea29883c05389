import pg from 'pg';
import { MIGRATIONS, migrationSql } from '../../server/storage/migrations.js';
import { checkoutStoreContract, type DirectDatabase } from '../helpers/store-contract.js';
import {
  openPostgresStore,
  PG_TEST_URL,
  postgresUnavailable,
  uniqueSchema,
} from '../helpers/postgres.js';

const skip = await postgresUnavailable();

/**
 * A schema of its own with a connection beside the store's pool. Older migrations are applied
 * and counted as the store does (`paysg_checkout_schema`), so the store takes it for what older
 * code left.
 */
async function directPostgres(migrations = 0): Promise<DirectDatabase> {
  const schema = uniqueSchema();
  const client = new pg.Client({
    connectionString: PG_TEST_URL,
    options: `-c search_path=${schema}`,
  });
  await client.connect();
  await client.query(`CREATE SCHEMA ${schema}`);
  if (migrations > 0) {
    await client.query('CREATE TABLE paysg_checkout_schema (version INTEGER NOT NULL)');
    await client.query('INSERT INTO paysg_checkout_schema (version) VALUES ($1)', [migrations]);
    for (const migration of MIGRATIONS.slice(0, migrations))
      await client.query(migrationSql(migration, 'postgres'));
  }
  return {
    sql: async (text) => void (await client.query(text)),
    openStore: () => openPostgresStore(schema),
    close: () => client.end(),
  };
}

checkoutStoreContract('PostgreSQL', () => openPostgresStore(), { skip, direct: directPostgres });
