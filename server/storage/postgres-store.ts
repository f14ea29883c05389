/**
 * The `CheckoutStore` for several BFF instances: PostgreSQL through node-postgres. Every claim
 * and transition is one statement whose outcome the database decides (`ON CONFLICT DO NOTHING`,
 * `UPDATE … WHERE status = ANY(…)`), so instances never need to coordinate among themselves.
 * @module
 */
import type pg from 'pg';
import { CHECKOUT_COLUMNS, fromRefundRow, fromRow, patchColumns, toRow, type CheckoutRow, type RefundRow } from './checkout-row.js';
import { assertTransition } from './checkout-status.js';
import { optionalPackage } from '../optional-package.js';
import type {
  Checkout,
  CheckoutListQuery,
  CheckoutPatch,
  CheckoutStatus,
  CheckoutStore,
  ClaimResult,
  IdempotencyRecord,
  RefundRecord,
  WebhookEventRecord,
} from './checkout-store.js';
import { MIGRATIONS } from './migrations.js';
import { postgresRateLimitStore, type RateLimitStore } from '../rate-limit-store.js';

export interface PostgresStoreOptions {
  /** A schema of its own (created if missing); default `public`. Tests use one each. */
  schema?: string;
  /** Pool size. Default 10. */
  max?: number;
  onError?: (err: Error) => void;
}

const INSERT_CHECKOUT = `INSERT INTO checkouts (${CHECKOUT_COLUMNS.join(', ')})
  VALUES (${CHECKOUT_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')}) ON CONFLICT DO NOTHING`;

/** Serialises migrations when several instances start at once. */
const MIGRATION_LOCK = 0x70617973; // "pays"

export class PostgresCheckoutStore implements CheckoutStore {
  readonly #pool: pg.Pool;

  private constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  static async open(connectionString: string, options: PostgresStoreOptions = {}): Promise<PostgresCheckoutStore> {
    const schema = options.schema;
    if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new TypeError('Not a valid schema name');
    const { Pool } = optionalPackage<typeof pg>('pg', 'the PostgreSQL store (DATABASE_URL)');
    const pool = new Pool({
      connectionString,
      max: options.max ?? 10,
      // node-postgres waits forever for a connection by default; a payment request must not.
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 10_000,
      statement_timeout: 10_000,
      ...(schema && { options: `-c search_path=${schema}` }),
    });
    pool.on('error', options.onError ?? (() => {}));
    const store = new PostgresCheckoutStore(pool);
    try {
      if (schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await store.#migrate();
    } catch (err) {
      await pool.end();
      throw err;
    }
    return store;
  }

  async #migrate(): Promise<void> {
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await client.query('CREATE TABLE IF NOT EXISTS paysg_checkout_schema (version INTEGER NOT NULL)');
      const { rows } = await client.query<{ version: number }>('SELECT version FROM paysg_checkout_schema');
      let version = rows[0]?.version ?? 0;
      if (rows.length === 0) await client.query('INSERT INTO paysg_checkout_schema (version) VALUES (0)');
      for (; version < MIGRATIONS.length; version++) await client.query(MIGRATIONS[version]!);
      await client.query('UPDATE paysg_checkout_schema SET version = $1', [version]);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  /** Rate limits counted in this database, so every instance on it shares them. */
  rateLimitStore(): RateLimitStore {
    return postgresRateLimitStore(this.#pool);
  }

  async claim(checkout: Checkout): Promise<ClaimResult> {
    const row = toRow(checkout);
    // A holder can finish (fail, be cancelled) between our conflict and our read: try again then.
    for (let attempt = 0; attempt < 3; attempt++) {
      const inserted = await this.#pool.query(INSERT_CHECKOUT, CHECKOUT_COLUMNS.map((c) => row[c]));
      if (inserted.rowCount === 1) return { claimed: true, checkout };
      const holder =
        (await this.#one(`SELECT * FROM checkouts WHERE id = $1`, [checkout.id])) ??
        (await this.#one(`SELECT * FROM checkouts WHERE order_key = $1 AND status IN ('created', 'unpaid', 'paid')`, [checkout.orderKey]));
      if (holder) return { claimed: false, checkout: holder };
    }
    throw new Error('Checkout claim kept conflicting with no visible holder');
  }

  get(id: string): Promise<Checkout | undefined> {
    return this.#one(`SELECT * FROM checkouts WHERE id = $1`, [id]);
  }

  findByPaymentId(paymentId: string): Promise<Checkout | undefined> {
    return this.#one(`SELECT * FROM checkouts WHERE payment_id = $1`, [paymentId]);
  }

  async update(id: string, expected: CheckoutStatus, patch: CheckoutPatch, now: string): Promise<Checkout | undefined> {
    assertTransition(expected, patch.status);
    const columns = patchColumns(patch);
    const sets = ['updated_at = $1', ...columns.map(([column], i) => `${column} = $${i + 2}`)];
    const idParam = columns.length + 2;
    return this.#one(
      `UPDATE checkouts SET ${sets.join(', ')} WHERE id = $${idParam} AND status = $${idParam + 1} RETURNING *`,
      [now, ...columns.map(([, value]) => value), id, expected],
    );
  }

  lockForCreate(id: string, now: string, until: string): Promise<Checkout | undefined> {
    return this.#one(
      `UPDATE checkouts SET locked_until = $1, updated_at = $2
       WHERE id = $3 AND status = 'created' AND (locked_until IS NULL OR locked_until <= $2) RETURNING *`,
      [until, now, id],
    );
  }

  async listUnfinished(before: string, now: string, limit: number): Promise<Checkout[]> {
    const { rows } = await this.#pool.query<CheckoutRow>(
      `SELECT * FROM checkouts
       WHERE updated_at < $1 AND (status = 'unpaid' OR (status = 'created' AND (locked_until IS NULL OR locked_until <= $2)))
       ORDER BY updated_at LIMIT $3`,
      [before, now, limit],
    );
    return rows.map(fromRow);
  }

  async list(query: CheckoutListQuery): Promise<Checkout[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.search !== undefined) {
      params.push(query.search);
      where.push(`(id = $${params.length} OR reference_id = $${params.length})`);
    }
    if (query.before) {
      params.push(query.before.createdAt, query.before.id);
      where.push(`(created_at, id) < ($${params.length - 1}, $${params.length})`);
    }
    params.push(query.limit);
    const { rows } = await this.#pool.query<CheckoutRow>(
      `SELECT * FROM checkouts ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map(fromRow);
  }

  async recordRefund(refund: RefundRecord, fullyRefunded: boolean): Promise<Checkout | undefined> {
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      // The row lock serialises refunds of one checkout, so each sees the others' totals.
      const paid = await client.query(`SELECT id FROM checkouts WHERE id = $1 AND status = 'paid' FOR UPDATE`, [refund.checkoutId]);
      if (paid.rowCount === 0) {
        await client.query('ROLLBACK');
        return undefined;
      }
      await client.query(
        `INSERT INTO refunds (idempotency_key, checkout_id, amount_in_cents, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (idempotency_key) DO NOTHING`,
        [refund.idempotencyKey, refund.checkoutId, refund.amountInCents, refund.createdAt],
      );
      const { rows } = await client.query<CheckoutRow>(
        `UPDATE checkouts
         SET refunded_in_cents = totals.cents,
             refund_status = CASE WHEN $2 OR totals.cents >= checkouts.amount_in_cents THEN 'refunded' ELSE 'partially_refunded' END,
             updated_at = $3
         FROM (SELECT COALESCE(SUM(amount_in_cents), 0) AS cents FROM refunds WHERE checkout_id = $1) AS totals
         WHERE checkouts.id = $1
         RETURNING checkouts.*`,
        [refund.checkoutId, fullyRefunded, refund.createdAt],
      );
      await client.query('COMMIT');
      return rows[0] && fromRow(rows[0]);
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  async refundsOf(checkoutId: string): Promise<RefundRecord[]> {
    const { rows } = await this.#pool.query<RefundRow>(
      `SELECT idempotency_key, checkout_id, amount_in_cents, created_at FROM refunds WHERE checkout_id = $1 ORDER BY created_at, idempotency_key`,
      [checkoutId],
    );
    return rows.map(fromRefundRow);
  }

  async rememberIdempotencyKey(record: IdempotencyRecord, now: string): Promise<IdempotencyRecord> {
    // A new key is the usual case: its insert says so, and the stored one is read only when it lost.
    const inserted = await this.#pool.query(
      `INSERT INTO idempotency_keys (key, fingerprint, checkout_id, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO NOTHING`,
      [record.key, record.fingerprint, record.checkoutId, now],
    );
    if (inserted.rowCount === 1) return record;
    const { rows } = await this.#pool.query<{ key: string; fingerprint: string; checkout_id: string }>(
      `SELECT key, fingerprint, checkout_id FROM idempotency_keys WHERE key = $1`,
      [record.key],
    );
    return { key: rows[0]!.key, fingerprint: rows[0]!.fingerprint, checkoutId: rows[0]!.checkout_id };
  }

  async rememberTokenId(jti: string, fingerprint: string, expiresAt: string): Promise<string> {
    await this.#pool.query(`INSERT INTO order_token_ids (jti, fingerprint, expires_at) VALUES ($1, $2, $3) ON CONFLICT (jti) DO NOTHING`, [
      jti,
      fingerprint,
      expiresAt,
    ]);
    const { rows } = await this.#pool.query<{ fingerprint: string }>(`SELECT fingerprint FROM order_token_ids WHERE jti = $1`, [jti]);
    return rows[0]!.fingerprint;
  }

  async noteOrderTokenIssue(orderKey: string, issuedAt: number): Promise<number> {
    const { rows } = await this.#pool.query<{ issued_at: number }>(
      `INSERT INTO order_token_issues (order_key, issued_at) VALUES ($1, $2)
       ON CONFLICT (order_key) DO UPDATE SET issued_at = GREATEST(order_token_issues.issued_at, excluded.issued_at)
       RETURNING issued_at`,
      [orderKey, issuedAt],
    );
    return Number(rows[0]!.issued_at);
  }

  async recordWebhookEvent(event: Omit<WebhookEventRecord, 'outcome'>): Promise<boolean> {
    const result = await this.#pool.query(
      `INSERT INTO webhook_events (event_id, type, payment_id, received_at) VALUES ($1, $2, $3, $4) ON CONFLICT (event_id) DO NOTHING`,
      [event.eventId, event.type, event.paymentId, event.receivedAt],
    );
    return result.rowCount === 1;
  }

  async setWebhookOutcome(eventId: string, outcome: string): Promise<void> {
    await this.#pool.query(`UPDATE webhook_events SET outcome = $1 WHERE event_id = $2`, [outcome, eventId]);
  }

  async pendingWebhookEvents(limit: number): Promise<WebhookEventRecord[]> {
    const { rows } = await this.#pool.query<{ event_id: string; type: string; payment_id: string | null; received_at: string; outcome: string | null }>(
      `SELECT event_id, type, payment_id, received_at, outcome FROM webhook_events WHERE outcome IS NULL ORDER BY received_at LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({ eventId: r.event_id, type: r.type, paymentId: r.payment_id, receivedAt: r.received_at, outcome: r.outcome }));
  }

  async ping(): Promise<void> {
    await this.#pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }

  async #one(sql: string, params: unknown[]): Promise<Checkout | undefined> {
    const { rows } = await this.#pool.query<CheckoutRow>(sql, params);
    return rows[0] && fromRow(rows[0]);
  }
}
