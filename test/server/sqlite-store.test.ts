import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { SqliteCheckoutStore } from '../../server/storage/sqlite-store.js';
import { checkoutStoreContract, sampleCheckout } from '../helpers/store-contract.js';

checkoutStoreContract('SQLite (in memory)', async () => new SqliteCheckoutStore(':memory:'));

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
