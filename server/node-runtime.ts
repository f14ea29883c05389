/**
 * The Node-side wiring shared by the BFF entry (`main.ts`) and the demo: reading `.env` and the
 * configuration, opening the store, loading the built widget from disk, and shutting down.
 * @module
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CheckoutAppDeps } from './app.js';
import { ConfigError, loadConfig, type Config, type LoadConfigOptions } from './config.js';
import { clientKeyFor } from './middleware/client-key.js';
import { Catalog, CatalogError } from './orders/catalog.js';
import { FineRules, FineRulesError } from './formsg/fine-rules.js';
import { formsgSigningPublicKey } from './formsg/formsg-sdk.js';
import type { FinesDeps } from './deps.js';
import type { FinesConfig } from './config.js';
import type { CheckoutStore } from './storage/checkout-store.js';
import { PostgresCheckoutStore } from './storage/postgres-store.js';
import { SqliteCheckoutStore } from './storage/sqlite-store.js';
import { MissingPackageError } from './optional-package.js';
import { readWidgetAssets, type WidgetAssets } from './widget/widget-assets.js';

/** The built widget: `dist/widget/` of the package, whether this runs from source or compiled (`dist/lib/`). */
export const WIDGET_DIR = join(packageRoot(), 'dist', 'widget');

/** The nearest folder above this module with a package.json. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

function exitWithProblems(problems: string[]): never {
  for (const problem of problems) console.error(`paysg-checkout: configuration error: ${problem}`);
  process.exit(1);
}

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

/** Loads the catalog named by the configuration, or stops with one line saying what is wrong. */
export function catalogOrExit(path: string): Catalog {
  try {
    return Catalog.fromFile(path);
  } catch (err) {
    if (!(err instanceof CatalogError)) throw err;
    exitWithProblems([`CATALOG_FILE ${err.message}`]);
  }
}

/**
 * The fine rules and FormSG's signing key, as the configuration names them. Throws
 * `FineRulesError` naming the field of the rules file that is wrong, or the missing SDK.
 */
export function finesFromConfig(
  fines: FinesConfig,
  env: Record<string, string | undefined> = process.env,
): FinesDeps {
  const rules = FineRules.fromFile(fines.rulesFile, env);
  const signingPublicKey =
    'publicKey' in fines.signingKey
      ? fines.signingKey.publicKey
      : formsgSigningPublicKey(fines.signingKey.environment);
  return { rules, signingPublicKey };
}

/** `finesFromConfig`, or one clear line and exit, as the catalog. */
export function finesOrExit(fines: FinesConfig | undefined): FinesDeps | undefined {
  if (!fines) return undefined;
  try {
    return finesFromConfig(fines);
  } catch (err) {
    if (err instanceof MissingPackageError) {
      console.error(err.message);
      process.exit(1);
    }
    if (!(err instanceof FineRulesError)) throw err;
    exitWithProblems([`FINE_RULES_FILE ${err.message}`]);
  }
}

/** SQLite (a file, created on first start) unless DATABASE_URL names a PostgreSQL server. */
export async function openStore(
  config: Config,
  onError: (err: Error) => void = () => {},
): Promise<CheckoutStore> {
  if (config.store.kind === 'sqlite') return new SqliteCheckoutStore(config.store.path);
  return PostgresCheckoutStore.open(config.store.url, { onError });
}

/** `openStore`, or one clear line and exit. */
export async function storeOrExit(config: Config): Promise<CheckoutStore> {
  try {
    return await openStore(config, (err) =>
      console.error(`paysg-checkout: PostgreSQL connection error: ${err.message}`),
    );
  } catch (err) {
    if (err instanceof MissingPackageError) {
      console.error(err.message);
      process.exit(1);
    }
    if (config.store.kind === 'sqlite') throw err;
    // The message names the host, never the password in DATABASE_URL.
    exitWithProblems([`DATABASE_URL: cannot open the database (${(err as Error).message})`]);
  }
}

/** The parts of the BFF's dependencies that come straight from the configuration. */
export function configuredDeps(
  config: Config,
): Pick<
  CheckoutAppDeps,
  'publicUrl' | 'allowedOrigins' | 'orderTokens' | 'webhookSecrets' | 'clientKey' | 'rateLimits'
> {
  const { redisUrl: _counted, ...rateLimits } = config.rateLimits;
  return {
    rateLimits,
    publicUrl: config.publicUrl + config.basePath,
    allowedOrigins: config.allowedOrigins,
    ...(config.orderTokens && { orderTokens: config.orderTokens }),
    webhookSecrets: config.webhookSecrets,
    clientKey: clientKeyFor(config.trustProxy),
  };
}

/** The certificate and key named by `HTTPS_CERT_FILE` and `HTTPS_KEY_FILE`, or one clear line and exit. */
export function tlsFilesOrExit(tls: NonNullable<Config['tls']>): { cert: string; key: string } {
  const read = (file: string) => {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return exitWithProblems([`cannot read ${file} (HTTPS_CERT_FILE / HTTPS_KEY_FILE)`]);
    }
  };
  const cert = read(tls.certFile);
  const key = read(tls.keyFile);
  try {
    new X509Certificate(cert);
  } catch {
    exitWithProblems([`HTTPS_CERT_FILE ${tls.certFile} is not a PEM certificate`]);
  }
  try {
    createPrivateKey(key);
  } catch {
    exitWithProblems([`HTTPS_KEY_FILE ${tls.keyFile} is not a PEM private key`]);
  }
  return { cert, key };
}

/** The built widget, read once it exists (the demo builds it; a BFF may start first). */
export function widgetFromDisk(dir = WIDGET_DIR): () => Promise<WidgetAssets | undefined> {
  let assets: Promise<WidgetAssets | undefined> | undefined;
  return async () => {
    assets ??= readWidgetAssets(dir);
    const read = await assets;
    if (!read) assets = undefined;
    return read;
  };
}

/** On SIGINT or SIGTERM: stop taking requests, stop the reconciler, close the store, exit. */
export function shutDownGracefully(
  server: Server,
  stopReconciler: () => void,
  store: CheckoutStore,
  ...others: { close?(): Promise<void> }[]
): void {
  const stop = () => {
    stopReconciler();
    server.close(
      () =>
        void Promise.allSettled([store.close(), ...others.map((other) => other.close?.())]).finally(
          () => process.exit(0),
        ),
    );
    // Keep-alive connections would hold close() open; do not wait for them forever.
    setTimeout(() => process.exit(0), 5_000).unref();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/**
 * Log lines written to stdout together, once per turn of the event loop: one write for many
 * requests instead of a synchronous write each (a fifth of a status read's CPU, measured).
 * A process that dies mid-turn loses at most that turn's lines.
 */
export function batchedStdout(): (line: string) => void {
  let pending: string[] = [];
  const flush = () => {
    const lines = pending;
    pending = [];
    process.stdout.write(`${lines.join('\n')}\n`);
  };
  process.once('exit', () => {
    if (pending.length) flush();
  });
  return (line) => {
    if (pending.push(line) === 1) setImmediate(flush);
  };
}
