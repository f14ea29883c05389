/**
 * Schema migrations, applied in order and counted in the database itself. Append only: a
 * released migration never changes. The SQL is written once for both engines where it can be:
 * plain types, ISO-8601 text timestamps (which sort correctly as text), and partial unique
 * indexes, which SQLite and PostgreSQL both enforce. Where the engines differ (JSON functions,
 * text search, triggers) a migration has one text for each.
 * @module
 */
import { EMAIL_STATUS_SQL } from './email-status.js';
import { UNFINISHED_SUBMISSION_SQL } from './submission-rows.js';

export type Engine = 'sqlite' | 'postgres';

export type Migration = string | Readonly<Record<Engine, string>>;

/** The SQL a migration runs on `engine`. */
export function migrationSql(migration: Migration, engine: Engine): string {
  return typeof migration === 'string' ? migration : migration[engine];
}

export const MIGRATIONS: readonly Migration[] = [
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
  // Search by part of a reference or payer name, in any case, through a trigram index: a search
  // reads the entries of the term's trigrams, not every checkout, so a selective one costs about
  // the same over 100,000 checkouts as over 100. The payer name gets a column of its own
  // (copied from the create request, which holds it) so both engines can index it. A term of
  // fewer than three characters has no trigram: it matches a whole reference, through the
  // `lower(reference_id)` index. Status and refund filters get indexes in list order.
  {
    sqlite: `ALTER TABLE checkouts ADD COLUMN payer_name TEXT;
     UPDATE checkouts SET payer_name = json_extract(paysg_request, '$.payer_name');
     -- The index keeps its own copy of the columns with the checkout id, rather than pointing at
     -- checkouts' rowids: without an INTEGER PRIMARY KEY those may change on VACUUM.
     CREATE VIRTUAL TABLE checkouts_search USING fts5(checkout_id UNINDEXED, reference_id, payer_name, tokenize = 'trigram');
     -- A search reads every segment of the index: merging them as soon as two share a level (the
     -- default waits for four) keeps them few, so a search costs the same at any size. Measured:
     -- no dearer a claim.
     INSERT INTO checkouts_search (checkouts_search, rank) VALUES ('automerge', 2);
     INSERT INTO checkouts_search (checkout_id, reference_id, payer_name) SELECT id, reference_id, payer_name FROM checkouts;
     CREATE TRIGGER checkouts_search_insert AFTER INSERT ON checkouts BEGIN
       INSERT INTO checkouts_search (checkout_id, reference_id, payer_name) VALUES (new.id, new.reference_id, new.payer_name);
     END;
     -- No checkout changes these columns or is deleted today. Should one, finding its old entry
     -- reads the whole index table: a cost for what does not happen, not for every insert.
     CREATE TRIGGER checkouts_search_update AFTER UPDATE OF id, reference_id, payer_name ON checkouts BEGIN
       DELETE FROM checkouts_search WHERE checkout_id = old.id;
       INSERT INTO checkouts_search (checkout_id, reference_id, payer_name) VALUES (new.id, new.reference_id, new.payer_name);
     END;
     CREATE TRIGGER checkouts_search_delete AFTER DELETE ON checkouts BEGIN
       DELETE FROM checkouts_search WHERE checkout_id = old.id;
     END;
     DROP INDEX checkouts_by_reference;
     CREATE INDEX checkouts_by_reference_any_case ON checkouts (lower(reference_id));
     CREATE INDEX checkouts_by_status ON checkouts (status, created_at, id);
     CREATE INDEX checkouts_refunded ON checkouts (refund_status, created_at, id) WHERE refund_status IS NOT NULL;`,
    postgres: `ALTER TABLE checkouts ADD COLUMN payer_name TEXT;
     UPDATE checkouts SET payer_name = (paysg_request::json->>'payer_name');
     -- Installed in public, where every schema's store can name it: installed in one store's own
     -- schema, dropping that schema (CASCADE) would take every other store's search indexes with it.
     DO $$
     BEGIN
       IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
         IF EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'public') THEN CREATE EXTENSION pg_trgm SCHEMA public;
         ELSE CREATE EXTENSION pg_trgm;
         END IF;
       END IF;
     END $$;
     -- The operator class is named with the extension's schema: an instance given a schema of
     -- its own has only that schema on its search path, and the extension may live elsewhere.
     -- fastupdate off: a new checkout goes into the index at once, rather than onto a pending
     -- list that every search reads through until a vacuum empties it.
     DO $$
     DECLARE
       trgm name := (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm');
     BEGIN
       EXECUTE format('CREATE INDEX checkouts_reference_trgm ON checkouts USING gin (lower(reference_id) %I.gin_trgm_ops) WITH (fastupdate = off)', trgm);
       EXECUTE format('CREATE INDEX checkouts_payer_name_trgm ON checkouts USING gin (lower(payer_name) %I.gin_trgm_ops) WITH (fastupdate = off)', trgm);
     END $$;
     DROP INDEX checkouts_by_reference;
     CREATE INDEX checkouts_by_reference_any_case ON checkouts (lower(reference_id));
     CREATE INDEX checkouts_by_status ON checkouts (status, created_at, id);
     CREATE INDEX checkouts_refunded ON checkouts (refund_status, created_at, id) WHERE refund_status IS NOT NULL;`,
  },
  // Staff on the record. A refund is written when it is asked for, before PaySG hears of it, and
  // names who asked and who approved; at most one per checkout is open at a time. The refunds
  // recorded before (PaySG's answer, no person named) become succeeded refunds asked for by a
  // token, under the PaySG Idempotency-Key the old code sent, and with ids made from their keys. Sessions and sign-ins of staff are kept
  // here, so several instances share them.
  `CREATE TABLE refunds_before_audit AS SELECT * FROM refunds;
   DROP TABLE refunds;
   CREATE TABLE refunds (
     id TEXT PRIMARY KEY,
     checkout_id TEXT NOT NULL REFERENCES checkouts (id),
     idempotency_key TEXT NOT NULL UNIQUE,
     paysg_idempotency_key TEXT NOT NULL UNIQUE,
     amount_in_cents INTEGER NOT NULL CHECK (amount_in_cents > 0),
     reason TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('awaiting_approval', 'requested', 'succeeded', 'failed', 'declined')),
     requested_by_kind TEXT NOT NULL CHECK (requested_by_kind IN ('person', 'token', 'system')),
     requested_by_subject TEXT NOT NULL,
     requested_by_email TEXT,
     requested_by_name TEXT,
     requested_at TEXT NOT NULL,
     approved_by_kind TEXT CHECK (approved_by_kind IN ('person', 'token', 'system')),
     approved_by_subject TEXT,
     approved_by_email TEXT,
     approved_by_name TEXT,
     approved_at TEXT,
     sent_at TEXT,
     settled_at TEXT,
     failure TEXT,
     CHECK ((approved_by_kind IS NULL) = (approved_by_subject IS NULL))
   );
   -- At most one refund per checkout awaiting approval or in progress: what is left to refund
   -- is then known when the next one is asked for.
   CREATE UNIQUE INDEX refunds_one_open_per_checkout ON refunds (checkout_id) WHERE status IN ('awaiting_approval', 'requested');
   CREATE INDEX refunds_of_checkout ON refunds (checkout_id, requested_at);
   CREATE INDEX refunds_unsettled ON refunds (requested_at, id) WHERE status = 'requested';
   INSERT INTO refunds (id, checkout_id, idempotency_key, paysg_idempotency_key, amount_in_cents, reason, status,
                        requested_by_kind, requested_by_subject, requested_by_name, requested_at, sent_at, settled_at)
     SELECT 'rf_before_audit:' || idempotency_key, checkout_id, idempotency_key,
            'paysg-checkout:' || checkout_id || ':refund:' || idempotency_key, amount_in_cents, 'Recorded before the audit', 'succeeded',
            'token', 'before-audit', 'Recorded before the audit', created_at, created_at, created_at
     FROM refunds_before_audit;
   DROP TABLE refunds_before_audit;
   CREATE TABLE audit_events (
     id TEXT PRIMARY KEY,
     at TEXT NOT NULL,
     actor_kind TEXT NOT NULL CHECK (actor_kind IN ('person', 'token', 'system')),
     actor_subject TEXT NOT NULL,
     actor_email TEXT,
     actor_name TEXT,
     -- Not checked against a list: a new kind of action must not need a migration to be recorded.
     action TEXT NOT NULL,
     checkout_id TEXT,
     refund_id TEXT,
     amount_in_cents INTEGER,
     reason TEXT,
     request_id TEXT,
     outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'refused', 'failed', 'pending')),
     detail TEXT
   );
   CREATE INDEX audit_events_newest ON audit_events (at, id);
   CREATE INDEX audit_events_of_checkout ON audit_events (checkout_id, at, id);
   CREATE TABLE staff_sessions (
     id_hash TEXT PRIMARY KEY,
     subject TEXT NOT NULL,
     email TEXT,
     name TEXT,
     roles TEXT NOT NULL,
     created_at TEXT NOT NULL,
     last_seen_at TEXT NOT NULL,
     expires_at TEXT NOT NULL,
     revoked_at TEXT
   );
   CREATE TABLE staff_sign_ins (
     id_hash TEXT PRIMARY KEY,
     state TEXT NOT NULL,
     nonce TEXT NOT NULL,
     code_verifier TEXT NOT NULL,
     return_to TEXT NOT NULL,
     expires_at TEXT NOT NULL
   );
   CREATE INDEX staff_sign_ins_expiry ON staff_sign_ins (expires_at);`,
  // The audit is append-only, and the database says so: whatever the code, a row once written is
  // never changed or removed (DESIGN.md, non-negotiable 9).
  {
    sqlite: `CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events BEGIN
       SELECT RAISE(ABORT, 'The audit is append-only: a row is never changed');
     END;
     CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events BEGIN
       SELECT RAISE(ABORT, 'The audit is append-only: a row is never removed');
     END;`,
    postgres: `CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       RAISE EXCEPTION 'The audit is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
     END $$;
     CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
       FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
     CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
       FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();`,
  },
  // Fines from FormSG: one row per submission, keyed by FormSG's own ids, so the first verified
  // delivery decides and every retry finds it. It keeps what finishing needs without FormSG's
  // body (the derived PaySG request, the letter), the checkout of its payment, and where its one
  // e-mail stands; the reconciler reads the unfinished ones through a partial index.
  `CREATE TABLE formsg_submissions (
     form_id TEXT NOT NULL,
     submission_id TEXT NOT NULL,
     rule_name TEXT NOT NULL,
     submitted_at TEXT NOT NULL,
     received_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     paysg_request TEXT NOT NULL,
     letter TEXT,
     checkout_id TEXT REFERENCES checkouts (id),
     email_status TEXT NOT NULL CHECK (email_status IN ${EMAIL_STATUS_SQL}),
     email_requested_at TEXT,
     email_sent_at TEXT,
     email_error TEXT,
     PRIMARY KEY (form_id, submission_id)
   );
   CREATE INDEX formsg_submissions_by_submission ON formsg_submissions (submission_id);
   CREATE INDEX formsg_submissions_unfinished ON formsg_submissions (updated_at) WHERE ${UNFINISHED_SUBMISSION_SQL};`,
];
