/**
 * Schema migrations, applied in order and counted in the database itself. Append only: a
 * released migration never changes. The SQL is written once for both engines: plain types,
 * ISO-8601 text timestamps (which sort correctly as text), and partial unique indexes, which
 * SQLite and PostgreSQL both enforce.
 * @module
 */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE checkouts (
     id TEXT PRIMARY KEY,
     order_key TEXT NOT NULL,
     order_fingerprint TEXT NOT NULL,
     item TEXT,
     reference_id TEXT NOT NULL,
     description TEXT NOT NULL,
     amount_in_cents INTEGER NOT NULL CHECK (amount_in_cents > 0),
     currency TEXT NOT NULL,
     line_items TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('created', 'unpaid', 'paid', 'cancelled', 'failed')),
     return_to TEXT NOT NULL,
     paysg_idempotency_key TEXT NOT NULL UNIQUE,
     paysg_request TEXT NOT NULL,
     payment_id TEXT UNIQUE,
     payment_url TEXT,
     paid_at TEXT,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     verified_at TEXT,
     locked_until TEXT
   );
   -- One order, one payment: at most one checkout per order that is in progress or paid.
   CREATE UNIQUE INDEX checkouts_one_per_order ON checkouts (order_key)
     WHERE status IN ('created', 'unpaid', 'paid');
   CREATE INDEX checkouts_unfinished ON checkouts (updated_at) WHERE status IN ('created', 'unpaid');
   -- Written before the checkout it names, so a concurrent retry finds the same checkout id.
   CREATE TABLE idempotency_keys (
     key TEXT PRIMARY KEY,
     fingerprint TEXT NOT NULL,
     checkout_id TEXT NOT NULL,
     created_at TEXT NOT NULL
   );
   CREATE TABLE order_token_ids (
     jti TEXT PRIMARY KEY,
     fingerprint TEXT NOT NULL,
     expires_at TEXT NOT NULL
   );
   CREATE TABLE webhook_events (
     event_id TEXT PRIMARY KEY,
     type TEXT NOT NULL,
     payment_id TEXT,
     received_at TEXT NOT NULL,
     outcome TEXT
   );
   CREATE INDEX webhook_events_pending ON webhook_events (received_at) WHERE outcome IS NULL;`,
  // Popup mode: PaySG returns the payer to a small page that closes its window.
  `ALTER TABLE checkouts ADD COLUMN return_mode TEXT NOT NULL DEFAULT 'redirect'
     CHECK (return_mode IN ('redirect', 'popup'));`,
  // A reference is not a secret: checkouts belong to the browser (or order token) that made
  // them. A cancel PaySG has not confirmed is remembered, and so is whether the current
  // Idempotency-Key may have made a payment. Order tokens are ordered by their `iat`.
  `ALTER TABLE checkouts ADD COLUMN owner_hash TEXT;
   ALTER TABLE checkouts ADD COLUMN order_token_id TEXT;
   ALTER TABLE checkouts ADD COLUMN paysg_key_sent INTEGER NOT NULL DEFAULT 1 CHECK (paysg_key_sent IN (0, 1));
   ALTER TABLE checkouts ADD COLUMN cancel_requested_at TEXT;
   CREATE TABLE order_token_issues (
     order_key TEXT PRIMARY KEY,
     issued_at BIGINT NOT NULL
   );`,
  // The back office: refunds as PaySG confirmed them (the checkout stays paid: the order was
  // paid once), and the list of checkouts newest first, found by reference.
  `ALTER TABLE checkouts ADD COLUMN refunded_in_cents INTEGER NOT NULL DEFAULT 0 CHECK (refunded_in_cents >= 0);
   ALTER TABLE checkouts ADD COLUMN refund_status TEXT CHECK (refund_status IN ('partially_refunded', 'refunded'));
   CREATE INDEX checkouts_newest ON checkouts (created_at, id);
   CREATE INDEX checkouts_by_reference ON checkouts (reference_id);
   CREATE TABLE refunds (
     idempotency_key TEXT PRIMARY KEY,
     checkout_id TEXT NOT NULL,
     amount_in_cents INTEGER NOT NULL CHECK (amount_in_cents > 0),
     created_at TEXT NOT NULL
   );
   CREATE INDEX refunds_of_checkout ON refunds (checkout_id, created_at);`,
  // Rate limits counted where every instance sees them (rate-limiter-flexible's table layout).
  `CREATE TABLE rate_limits (
     key VARCHAR(255) PRIMARY KEY,
     points INTEGER NOT NULL DEFAULT 0,
     expire BIGINT
   );`,
];
