/**
 * The embedded `CheckoutStore`: one SQLite file through better-sqlite3, in WAL mode so readers
 * never wait for the writer. Sound for one host, even with several processes on one file.
 * @module
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';
import { CHECKOUT_COLUMNS, fromRefundRow, fromRow, patchColumns, toRow, type CheckoutRow, type RefundRow } from './checkout-row.js';
import { assertTransition } from './checkout-status.js';
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
import { loadSqliteDriver } from './sqlite-driver.js';

/** Sets a paid checkout's refund totals from its refunds (`@full`: PaySG says fully refunded). */
const REFUND_TOTALS = `UPDATE checkouts
  SET refunded_in_cents = (SELECT COALESCE(SUM(amount_in_cents), 0) FROM refunds WHERE checkout_id = @id),
      refund_status = CASE WHEN @full = 1 OR (SELECT COALESCE(SUM(amount_in_cents), 0) FROM refunds WHERE checkout_id = @id) >= amount_in_cents
                           THEN 'refunded' ELSE 'partially_refunded' END,
      updated_at = @now
  WHERE id = @id AND status = 'paid'`;

const INSERT_CHECKOUT = `INSERT INTO checkouts (${CHECKOUT_COLUMNS.join(', ')})
  VALUES (${CHECKOUT_COLUMNS.map((c) => `@${c}`).join(', ')}) ON CONFLICT DO NOTHING`;

export class SqliteCheckoutStore implements CheckoutStore {
  readonly #db: Database.Database;
  readonly #statements = new Map<string, Database.Statement>();

  /** `path` is a file (its folder is created) or `:memory:`. */
  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const BetterSqlite = loadSqliteDriver();
    this.#db = new BetterSqlite(path);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = NORMAL');
    this.#db.pragma('busy_timeout = 5000');
    this.#migrate();
  }

  #migrate(): void {
    const applied = this.#db.pragma('user_version', { simple: true }) as number;
    for (let version = applied; version < MIGRATIONS.length; version++) {
      this.#db.transaction(() => {
        this.#db.exec(MIGRATIONS[version]!);
        this.#db.pragma(`user_version = ${version + 1}`);
      }).immediate();
    }
  }

  async claim(checkout: Checkout): Promise<ClaimResult> {
    const row = toRow(checkout);
    // The usual case is one statement, atomic on its own; only a conflict needs the transaction
    // that reads the holder as it stood when the insert lost.
    if (this.#sql(INSERT_CHECKOUT).run(row).changes === 1) return { claimed: true, checkout };
    const run = this.#db.transaction((): ClaimResult => {
      if (this.#sql(INSERT_CHECKOUT).run(row).changes === 1) return { claimed: true, checkout };
      const holder =
        this.#one(`SELECT * FROM checkouts WHERE id = ?`, checkout.id) ??
        this.#one(`SELECT * FROM checkouts WHERE order_key = ? AND status IN ('created', 'unpaid', 'paid')`, checkout.orderKey);
      if (!holder) throw new Error('Checkout claim conflicted with no visible holder');
      return { claimed: false, checkout: holder };
    });
    return run.immediate();
  }

  async get(id: string): Promise<Checkout | undefined> {
    return this.#one(`SELECT * FROM checkouts WHERE id = ?`, id);
  }

  async findByPaymentId(paymentId: string): Promise<Checkout | undefined> {
    return this.#one(`SELECT * FROM checkouts WHERE payment_id = ?`, paymentId);
  }

  async update(id: string, expected: CheckoutStatus, patch: CheckoutPatch, now: string): Promise<Checkout | undefined> {
    assertTransition(expected, patch.status);
    const columns = patchColumns(patch);
    const sets = ['updated_at = ?', ...columns.map(([column]) => `${column} = ?`)];
    const row = this.#sql(`UPDATE checkouts SET ${sets.join(', ')} WHERE id = ? AND status = ? RETURNING *`).get(now, ...columns.map(([, value]) => value), id, expected) as CheckoutRow | undefined;
    return row && fromRow(row);
  }

  async lockForCreate(id: string, now: string, until: string): Promise<Checkout | undefined> {
    const row = this.#sql(
      `UPDATE checkouts SET locked_until = ?, updated_at = ?
       WHERE id = ? AND status = 'created' AND (locked_until IS NULL OR locked_until <= ?) RETURNING *`,
    ).get(until, now, id, now) as CheckoutRow | undefined;
    return row && fromRow(row);
  }

  async listUnfinished(before: string, now: string, limit: number): Promise<Checkout[]> {
    const rows = this.#sql(
      `SELECT * FROM checkouts
       WHERE updated_at < ? AND (status = 'unpaid' OR (status = 'created' AND (locked_until IS NULL OR locked_until <= ?)))
       ORDER BY updated_at LIMIT ?`,
    ).all(before, now, limit) as CheckoutRow[];
    return rows.map(fromRow);
  }

  async list(query: CheckoutListQuery): Promise<Checkout[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.search !== undefined) {
      where.push('(id = ? OR reference_id = ?)');
      params.push(query.search, query.search);
    }
    if (query.before) {
      where.push('(created_at < ? OR (created_at = ? AND id < ?))');
      params.push(query.before.createdAt, query.before.createdAt, query.before.id);
    }
    const rows = this.#sql(`SELECT * FROM checkouts ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT ?`)
      .all(...params, query.limit) as CheckoutRow[];
    return rows.map(fromRow);
  }

  async recordRefund(refund: RefundRecord, fullyRefunded: boolean): Promise<Checkout | undefined> {
    const run = this.#db.transaction((): Checkout | undefined => {
      if (!this.#one(`SELECT * FROM checkouts WHERE id = ? AND status = 'paid'`, refund.checkoutId)) return undefined;
      this.#sql(`INSERT INTO refunds (idempotency_key, checkout_id, amount_in_cents, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING`).run(refund.idempotencyKey, refund.checkoutId, refund.amountInCents, refund.createdAt);
      this.#sql(REFUND_TOTALS).run({ id: refund.checkoutId, full: fullyRefunded ? 1 : 0, now: refund.createdAt });
      return this.#one(`SELECT * FROM checkouts WHERE id = ?`, refund.checkoutId);
    });
    return run.immediate();
  }

  async refundsOf(checkoutId: string): Promise<RefundRecord[]> {
    const rows = this.#sql(`SELECT idempotency_key, checkout_id, amount_in_cents, created_at FROM refunds WHERE checkout_id = ? ORDER BY created_at, idempotency_key`).all(checkoutId) as RefundRow[];
    return rows.map(fromRefundRow);
  }

  async rememberIdempotencyKey(record: IdempotencyRecord, now: string): Promise<IdempotencyRecord> {
    // A new key is the usual case: its insert says so, and the stored one is read only when it lost.
    const inserted = this.#sql(`INSERT INTO idempotency_keys (key, fingerprint, checkout_id, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`).run(record.key, record.fingerprint, record.checkoutId, now);
    if (inserted.changes === 1) return record;
    const held = this.#sql(`SELECT key, fingerprint, checkout_id FROM idempotency_keys WHERE key = ?`).get(record.key) as {
      key: string;
      fingerprint: string;
      checkout_id: string;
    };
    return { key: held.key, fingerprint: held.fingerprint, checkoutId: held.checkout_id };
  }

  async rememberTokenId(jti: string, fingerprint: string, expiresAt: string): Promise<string> {
    this.#sql(`INSERT INTO order_token_ids (jti, fingerprint, expires_at) VALUES (?, ?, ?) ON CONFLICT (jti) DO NOTHING`).run(jti, fingerprint, expiresAt);
    return (this.#sql(`SELECT fingerprint FROM order_token_ids WHERE jti = ?`).get(jti) as { fingerprint: string }).fingerprint;
  }

  async noteOrderTokenIssue(orderKey: string, issuedAt: number): Promise<number> {
    const row = this.#sql(
      `INSERT INTO order_token_issues (order_key, issued_at) VALUES (?, ?)
       ON CONFLICT (order_key) DO UPDATE SET issued_at = MAX(issued_at, excluded.issued_at)
       RETURNING issued_at`,
    ).get(orderKey, issuedAt) as { issued_at: number };
    return Number(row.issued_at);
  }

  async recordWebhookEvent(event: Omit<WebhookEventRecord, 'outcome'>): Promise<boolean> {
    const result = this.#sql(`INSERT INTO webhook_events (event_id, type, payment_id, received_at) VALUES (?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING`).run(event.eventId, event.type, event.paymentId, event.receivedAt);
    return result.changes === 1;
  }

  async setWebhookOutcome(eventId: string, outcome: string): Promise<void> {
    this.#sql(`UPDATE webhook_events SET outcome = ? WHERE event_id = ?`).run(outcome, eventId);
  }

  async pendingWebhookEvents(limit: number): Promise<WebhookEventRecord[]> {
    const rows = this.#sql(`SELECT event_id, type, payment_id, received_at, outcome FROM webhook_events WHERE outcome IS NULL ORDER BY received_at LIMIT ?`).all(limit) as { event_id: string; type: string; payment_id: string | null; received_at: string; outcome: string | null }[];
    return rows.map((r) => ({ eventId: r.event_id, type: r.type, paymentId: r.payment_id, receivedAt: r.received_at, outcome: r.outcome }));
  }

  async ping(): Promise<void> {
    this.#sql('SELECT 1').get();
  }

  async close(): Promise<void> {
    this.#db.close();
  }

  /** Each statement is compiled once and kept: compiling costs more than running it. */
  #sql(sql: string): Database.Statement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  #one(sql: string, param: string): Checkout | undefined {
    const row = this.#sql(sql).get(param) as CheckoutRow | undefined;
    return row && fromRow(row);
  }
}
