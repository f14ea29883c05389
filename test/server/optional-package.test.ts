import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MissingPackageError, optionalPackage } from '../../server/optional-package.js';
import { driverProblem } from '../../server/storage/sqlite-driver.js';

describe('optional peer packages', () => {
  it('a missing one fails with one line naming the package to install', () => {
    assert.throws(
      () => optionalPackage('paysg-no-such-package', 'the test store'),
      (err: unknown) =>
        err instanceof MissingPackageError &&
        err.packageName === 'paysg-no-such-package' &&
        err.message ===
          'paysg-checkout: the test store needs the package paysg-no-such-package; install it with: npm install paysg-no-such-package',
    );
  });

  it('an installed one is loaded', () => {
    const pg = optionalPackage<{ Pool: unknown }>('pg', 'the PostgreSQL store');
    assert.equal(typeof pg.Pool, 'function');
  });
});

describe('the SQLite driver for this Node', () => {
  it('refuses better-sqlite3 before 13 on Node 24.19 and later, where a collected statement aborts the process', () => {
    assert.match(
      driverProblem('12.11.1', '24.21.0')!,
      /^paysg-checkout: better-sqlite3 12\.11\.1 aborts on Node 24\.21\.0 .*npm install better-sqlite3@13$/,
    );
    assert.ok(driverProblem('12.11.1', '26.0.0'));
    for (const [driver, node] of [
      ['12.11.1', '20.19.0'],
      ['12.11.1', '22.23.3'],
      ['12.11.1', '24.18.0'],
      ['13.2.0', '24.21.0'],
    ]) {
      assert.equal(driverProblem(driver!, node!), undefined, `${driver} on ${node}`);
    }
  });
});
