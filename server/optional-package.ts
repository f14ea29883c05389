/**
 * Loads a server library that is an optional peer dependency of the package, so a missing one
 * says which to install, in one line, instead of a resolution error and a stack. The libraries
 * loaded this way (better-sqlite3, pg) are CommonJS, so they load synchronously.
 * @module
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** An optional peer dependency that is not installed. */
export class MissingPackageError extends Error {
  readonly packageName: string;

  constructor(packageName: string, neededFor: string) {
    super(
      `paysg-checkout: ${neededFor} needs the package ${packageName}; install it with: npm install ${packageName}`,
    );
    this.name = 'MissingPackageError';
    this.packageName = packageName;
  }
}

export function optionalPackage<T>(packageName: string, neededFor: string): T {
  try {
    return require(packageName) as T;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'MODULE_NOT_FOUND' && (err as Error).message.includes(`'${packageName}'`))
      throw new MissingPackageError(packageName, neededFor);
    throw err;
  }
}

/** The same for a library published only as ES modules (openid-client), which loads asynchronously. */
export async function optionalModule<T>(packageName: string, neededFor: string): Promise<T> {
  try {
    return (await import(packageName)) as T;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' && (err as Error).message.includes(`'${packageName}'`))
      throw new MissingPackageError(packageName, neededFor);
    throw err;
  }
}
