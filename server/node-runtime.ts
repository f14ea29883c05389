/**
 * The Node-side wiring shared by the BFF entry (`main.ts`) and the demo: reading `.env` and the
 * configuration, and loading the built widget bundle from disk.
 * @module
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig, type Config, type LoadConfigOptions } from './config.js';
import { Catalog, CatalogError } from './orders/catalog.js';

export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const WIDGET_BUNDLE = fileURLToPath(new URL('../dist/widget/paysg-checkout.js', import.meta.url));

/** Reads `.env` (when present) and the configuration, or stops with one line per problem. */
export function configOrExit(options: LoadConfigOptions): Config {
  if (existsSync('.env')) process.loadEnvFile('.env');
  try {
    return loadConfig(process.env, options);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    exitWithProblems(err.problems);
  }
}

function exitWithProblems(problems: string[]): never {
  for (const problem of problems) console.error(`paysg-checkout: configuration error: ${problem}`);
  process.exit(1);
}

/** Loads the catalog named by the configuration, or stops with one line saying what is wrong. */
export function catalogOrExit(path: string): Catalog {
  try {
    return Catalog.fromFile(path);
  } catch (err) {
    if (!(err instanceof CatalogError)) throw err;
    exitWithProblems([`CATALOG_FILE ${err.message}`]);
  }
}

/** Reads the bundle on each request, so a rebuild is served without a restart. */
export function widgetFromDisk(path = WIDGET_BUNDLE): () => Promise<string | undefined> {
  return () => readFile(path, 'utf8').catch(() => undefined);
}
