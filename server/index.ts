/**
 * `paysg-checkout/server`: the BFF as a library. `createCheckoutApp` is a Hono app with no
 * Node-only imports; `loadConfig` and `depsFromConfig` build what it needs from environment
 * variables, as the `paysg-checkout bff` command does. Its libraries are optional peer
 * dependencies: hono, zod, jose and rate-limiter-flexible always, better-sqlite3 for the SQLite
 * store, pg for PostgreSQL, @hono/node-server to serve it on Node.
 * @module
 */
export { createCheckoutApp, type CheckoutApp, type CheckoutAppDeps } from './app.js';
export { createAdminApp, ADMIN_PATH, type AdminAppOptions } from './admin/admin-app.js';
export {
  parseStaffList,
  rolesFor,
  ROLE_CLAIM_VALUES,
  type StaffDirectory,
} from './admin/staff-directory.js';
export type { RateLimits } from './deps.js';
export { loadConfig, ConfigError, type Config, type LoadConfigOptions } from './config.js';
export { depsFromConfig, type DepsOverrides } from './deps-from-config.js';
export { configuredDeps, openStore, widgetFromDisk, WIDGET_DIR } from './node-runtime.js';
export { Catalog, CatalogError, type CatalogFile, type CatalogItem } from './orders/catalog.js';
export {
  signOrderToken,
  verifyOrderToken,
  OrderTokenError,
  OrderTokenExpiredError,
  DEFAULT_AUDIENCE,
  MAX_TOKEN_LIFETIME_SECONDS,
  type OrderTokenInput,
  type OrderClaims,
  type SignOptions,
  type VerifyOptions,
} from './orders/order-token.js';
export type { CheckoutStore, Checkout, CheckoutPatch } from './storage/checkout-store.js';
export { SqliteCheckoutStore } from './storage/sqlite-store.js';
export {
  memoryRateLimitStore,
  postgresRateLimitStore,
  type RateLimitStore,
} from './rate-limit-store.js';
export { PostgresCheckoutStore, type PostgresStoreOptions } from './storage/postgres-store.js';
export { jsonLogger, silentLogger, type Logger, type LogLevel } from './logger.js';
export { MissingPackageError } from './optional-package.js';
export { ERROR_CODES, type ErrorCode } from './errors.js';
