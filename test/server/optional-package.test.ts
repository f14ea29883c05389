import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MissingPackageError, optionalPackage } from '../../server/optional-package.js';

describe('optional peer packages', () => {
  it('a missing one fails with one line naming the package to install', () => {
    assert.throws(
      () => optionalPackage('paysg-no-such-package', 'the test store'),
      (err: unknown) =>
        err instanceof MissingPackageError &&
        err.packageName === 'paysg-no-such-package' &&
        err.message === 'paysg-checkout: the test store needs the package paysg-no-such-package; install it with: npm install paysg-no-such-package',
    );
  });

  it('an installed one is loaded', () => {
    const pg = optionalPackage<{ Pool: unknown }>('pg', 'the PostgreSQL store');
    assert.equal(typeof pg.Pool, 'function');
  });
});
