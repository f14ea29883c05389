/**
 * The embedded `CheckoutStore`: one SQLite file through better-sqlite3, in WAL mode so readers
 * never wait for the writer. Sound for one host, even with several processes on one file.
 * @module
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';
import {
  CHECKOUT_COLUMNS,
  fromRow,
  patchColumns,
  toRow,
  type CheckoutRow,
} from './checkout-row.js';
import { ftsPhrase, searchesInside } from './checkout-search.js';
import { assertTransition, ORDER_HOLDING_SQL } from './checkout-status.js';
import type {
  Checkout,
  CheckoutListQuery,
  CheckoutPatch,
  CheckoutStatus,
  CheckoutStore,
  ClaimResult,
  IdempotencyRecord,
  WebhookEventRecord,
  WebhookOutcome,
} from './checkout-store.js';
import { MIGRATIONS, migrationSql } from './migrations.js';
import {
  assertRefundTransition,
  isOpenRefund,
  OPEN_REFUND_SQL,
  refundTotalsSql,
  type RefundStatus,
} from './refund-status.js';
import { loadSqliteDriver } from './sqlite-driver.js';
import { assertEmailTransition } from './email-status.js';
import {
  fromSubmissionRow,
  SUBMISSION_COLUMNS,
  toSubmissionRow,
  UNFINISHED_SUBMISSION_SQL,
  type EmailExpectation,
  type EmailOutcome,
  type FormsgSubmissionRecord,
  type RecordSubmissionResult,
  type SubmissionIds,
  type SubmissionRow,
} from './submission-rows.js';
import type {
  AuditEvent,
  AuditQuery,
  Refund,
  RefundPatch,
  RefundRequestResult,
  SignInAttempt,
  StaffSession,
} from './staff-records.js';
import {
  AUDIT_COLUMNS,
  fromAuditRow,
  fromRefundRow,
  fromSessionRow,
  fromSignInRow,
  idleCutoff,
  REFUND_COLUMNS,
  refundPatchColumns,
  SESSION_COLUMNS,
  SIGN_IN_COLUMNS,
  toAuditRow,
  toRefundRow,
  toSessionRow,
  toSignInRow,
  type AuditRow,
  type RefundRow,
  type SessionRow,
  type SignInRow,
} from './staff-rows.js';

/** The checkout that holds an order: the statuses of the unique order index (`ORDER_HOLDING_SQL`). */
const HOLDER_OF_ORDER = `SELECT * FROM checkouts WHERE order_key = ? AND status IN ${ORDER_HOLDING_SQL}`;

/** Sets a paid checkout's refund totals from its succeeded refunds (`@full`: PaySG says fully refunded, 1 or 0). */
const REFUND_TOTALS = refundTotalsSql({ id: '@id', fullyRefunded: '@full', now: '@now' });

/** `INSERT INTO {table}` of every column, from a row object's properties. */
function insertOf(table: string, columns: readonly string[]): string {
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`;
}

const INSERT_CHECKOUT = `${insertOf('checkouts', CHECKOUT_COLUMNS)} ON CONFLICT DO NOTHING`;
const INSERT_REFUND = `${insertOf('refunds', REFUND_COLUMNS)} RETURNING *`;
const INSERT_AUDIT = insertOf('audit_events', AUDIT_COLUMNS);
const INSERT_SESSION = insertOf('staff_sessions', SESSION_COLUMNS);
const INSERT_SIGN_IN = insertOf('staff_sign_ins', SIGN_IN_COLUMNS);
const INSERT_SUBMISSION = `${insertOf('formsg_submissions', SUBMISSION_COLUMNS)} ON CONFLICT DO NOTHING`;
const SUBMISSION_BY_IDS = `SELECT * FROM formsg_submissions WHERE form_id = ? AND submission_id = ?`;

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
    for (const [offset, migration] of MIGRATIONS.slice(applied).entries()) {
      this.#db
        .transaction(() => {
          this.#db.exec(migrationSql(migration, 'sqlite'));
          this.#db.pragma(`user_version = ${applied + offset + 1}`);
        })
        .immediate();
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
        this.#one(HOLDER_OF_ORDER, checkout.orderKey);
      if (!holder) throw new Error('Checkout claim conflicted with no visible holder');
      return { claimed: false, checkout: holder };
    });
    return run.immediate();
  }

  async get(id: string): Promise<Checkout | undefined> {
    return this.#one(`SELECT * FROM checkouts WHERE id = ?`, id);
  }

  async holderOf(orderKey: string): Promise<Checkout | undefined> {
    return this.#one(HOLDER_OF_ORDER, orderKey);
  }

  async findByPaymentId(paymentId: string): Promise<Checkout | undefined> {
    return this.#one(`SELECT * FROM checkouts WHERE payment_id = ?`, paymentId);
  }

  async update(
    id: string,
    expected: CheckoutStatus,
    patch: CheckoutPatch,
    now: string,
  ): Promise<Checkout | undefined> {
    assertTransition(expected, patch.status);
    const columns = patchColumns(patch);
    const sets = ['updated_at = ?', ...columns.map(([column]) => `${column} = ?`)];
    const row = this.#sql(
      `UPDATE checkouts SET ${sets.join(', ')} WHERE id = ? AND status = ? RETURNING *`,
    ).get(now, ...columns.map(([, value]) => value), id, expected) as CheckoutRow | undefined;
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
    let from = 'checkouts';
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.search !== undefined) {
      // The matches come first, each found through an index, and only they are read, filtered
      // and sorted: CROSS JOIN keeps SQLite from starting at a filter's index instead and
      // testing every checkout it holds. UNION, as a checkout may match in two ways.
      const inside = searchesInside(query.search);
      const found = inside
        ? 'SELECT checkout_id AS id FROM checkouts_search WHERE checkouts_search MATCH ?'
        : 'SELECT id FROM checkouts WHERE lower(reference_id) = lower(?)';
      from = `(${found} UNION SELECT id FROM checkouts WHERE id = ? UNION SELECT id FROM checkouts WHERE payment_id = ?) AS found
              CROSS JOIN checkouts ON checkouts.id = found.id`;
      params.push(inside ? ftsPhrase(query.search) : query.search, query.search, query.search);
    }
    if (query.statuses) {
      where.push(`checkouts.status IN (${query.statuses.map(() => '?').join(', ')})`);
      params.push(...query.statuses);
    }
    if (query.refundStatus) {
      where.push('checkouts.refund_status = ?');
      params.push(query.refundStatus);
    }
    if (query.createdFrom) {
      where.push('checkouts.created_at >= ?');
      params.push(query.createdFrom);
    }
    if (query.createdBefore) {
      where.push('checkouts.created_at < ?');
      params.push(query.createdBefore);
    }
    if (query.before) {
      where.push('(checkouts.created_at < ? OR (checkouts.created_at = ? AND checkouts.id < ?))');
      params.push(query.before.createdAt, query.before.createdAt, query.before.id);
    }
    const rows = this.#sql(
      `SELECT checkouts.* FROM ${from} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY checkouts.created_at DESC, checkouts.id DESC LIMIT ?`,
    ).all(...params, query.limit) as CheckoutRow[];
    return rows.map(fromRow);
  }

  async requestRefund(refund: Refund): Promise<RefundRequestResult> {
    if (!isOpenRefund(refund.status))
      throw new Error(
        `A refund is asked for as awaiting_approval or requested, not ${refund.status}`,
      );
    // An immediate transaction holds the write lock from its first read, so no other request
    // (in this process or another on the file) changes what it decided on before it writes.
    const decide = this.#db.transaction((): RefundRequestResult => {
      const seen = this.#refund(
        `SELECT * FROM refunds WHERE idempotency_key = ?`,
        refund.idempotencyKey,
      );
      if (seen) return { kind: 'key_seen', refund: seen };
      const paid = this.#sql(
        `SELECT amount_in_cents, refunded_in_cents FROM checkouts WHERE id = ? AND status = 'paid'`,
      ).get(refund.checkoutId) as
        | { amount_in_cents: number; refunded_in_cents: number }
        | undefined;
      if (!paid) return { kind: 'not_paid' };
      const open = this.#refund(
        `SELECT * FROM refunds WHERE checkout_id = ? AND ${OPEN_REFUND_SQL}`,
        refund.checkoutId,
      );
      if (open) return { kind: 'refund_open', refund: open };
      const remainingInCents = paid.amount_in_cents - paid.refunded_in_cents;
      if (remainingInCents < refund.amountInCents)
        return { kind: 'over_remaining', remainingInCents };
      return {
        kind: 'created',
        refund: fromRefundRow(this.#sql(INSERT_REFUND).get(toRefundRow(refund)) as RefundRow),
      };
    });
    return decide.immediate();
  }

  async getRefund(id: string): Promise<Refund | undefined> {
    return this.#refund(`SELECT * FROM refunds WHERE id = ?`, id);
  }

  async refundByKey(idempotencyKey: string): Promise<Refund | undefined> {
    return this.#refund(`SELECT * FROM refunds WHERE idempotency_key = ?`, idempotencyKey);
  }

  async refundsOf(checkoutId: string): Promise<Refund[]> {
    const rows = this.#sql(
      `SELECT * FROM refunds WHERE checkout_id = ? ORDER BY requested_at, id`,
    ).all(checkoutId) as RefundRow[];
    return rows.map(fromRefundRow);
  }

  async updateRefund(
    id: string,
    expected: RefundStatus,
    patch: RefundPatch,
    now: string,
    fullyRefunded = false,
  ): Promise<Refund | undefined> {
    assertRefundTransition(expected, patch.status);
    const columns = refundPatchColumns(patch);
    const run = this.#db.transaction((): Refund | undefined => {
      const row = (
        columns.length === 0
          ? this.#sql(`SELECT * FROM refunds WHERE id = ? AND status = ?`).get(id, expected)
          : this.#sql(
              `UPDATE refunds SET ${columns.map(([column]) => `${column} = ?`).join(', ')} WHERE id = ? AND status = ? RETURNING *`,
            ).get(...columns.map(([, value]) => value), id, expected)
      ) as RefundRow | undefined;
      if (row && patch.status === 'succeeded')
        this.#sql(REFUND_TOTALS).run({ id: row.checkout_id, full: fullyRefunded ? 1 : 0, now });
      return row && fromRefundRow(row);
    });
    return run.immediate();
  }

  async unsettledRefunds(before: string, limit: number): Promise<Refund[]> {
    const rows = this.#sql(
      `SELECT * FROM refunds WHERE status = 'requested' AND requested_at < ? ORDER BY requested_at, id LIMIT ?`,
    ).all(before, limit) as RefundRow[];
    return rows.map(fromRefundRow);
  }

  async appendAudit(event: AuditEvent): Promise<void> {
    this.#sql(INSERT_AUDIT).run(toAuditRow(event));
  }

  async listAudit(query: AuditQuery): Promise<AuditEvent[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.checkoutId !== undefined) {
      where.push('checkout_id = ?');
      params.push(query.checkoutId);
    }
    if (query.before) {
      where.push('(at < ? OR (at = ? AND id < ?))');
      params.push(query.before.at, query.before.at, query.before.id);
    }
    const rows = this.#sql(
      `SELECT * FROM audit_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY at DESC, id DESC LIMIT ?`,
    ).all(...params, query.limit) as AuditRow[];
    return rows.map(fromAuditRow);
  }

  async createSignIn(attempt: SignInAttempt): Promise<void> {
    this.#sql(INSERT_SIGN_IN).run(toSignInRow(attempt));
  }

  async takeSignIn(idHash: string, now: string): Promise<SignInAttempt | undefined> {
    // One statement takes this attempt and sweeps the expired ones: of two requests completing
    // the same sign-in, only one gets the row.
    const rows = this.#sql(
      `DELETE FROM staff_sign_ins WHERE id_hash = ? OR expires_at <= ? RETURNING *`,
    ).all(idHash, now) as SignInRow[];
    const taken = rows.find((r) => r.id_hash === idHash && r.expires_at > now);
    return taken && fromSignInRow(taken);
  }

  async createSession(session: StaffSession): Promise<void> {
    this.#sql(INSERT_SESSION).run(toSessionRow(session));
  }

  async getSession(idHash: string, now: string, idleMs: number): Promise<StaffSession | undefined> {
    const row = this.#sql(
      `SELECT * FROM staff_sessions WHERE id_hash = ? AND revoked_at IS NULL AND expires_at > ? AND last_seen_at >= ?`,
    ).get(idHash, now, idleCutoff(now, idleMs)) as SessionRow | undefined;
    return row && fromSessionRow(row);
  }

  async touchSession(idHash: string, now: string): Promise<void> {
    this.#sql(
      `UPDATE staff_sessions SET last_seen_at = ? WHERE id_hash = ? AND revoked_at IS NULL AND last_seen_at < ?`,
    ).run(now, idHash, now);
  }

  async revokeSession(idHash: string, now: string): Promise<void> {
    this.#sql(
      `UPDATE staff_sessions SET revoked_at = ? WHERE id_hash = ? AND revoked_at IS NULL`,
    ).run(now, idHash);
  }

  async rememberIdempotencyKey(record: IdempotencyRecord, now: string): Promise<IdempotencyRecord> {
    // A new key is the usual case: its insert says so, and the stored one is read only when it lost.
    const inserted = this.#sql(
      `INSERT INTO idempotency_keys (key, fingerprint, checkout_id, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`,
    ).run(record.key, record.fingerprint, record.checkoutId, now);
    if (inserted.changes === 1) return record;
    const held = this.#sql(
      `SELECT key, fingerprint, checkout_id FROM idempotency_keys WHERE key = ?`,
    ).get(record.key) as {
      key: string;
      fingerprint: string;
      checkout_id: string;
    };
    return { key: held.key, fingerprint: held.fingerprint, checkoutId: held.checkout_id };
  }

  async rememberTokenId(jti: string, fingerprint: string, expiresAt: string): Promise<string> {
    this.#sql(
      `INSERT INTO order_token_ids (jti, fingerprint, expires_at) VALUES (?, ?, ?) ON CONFLICT (jti) DO NOTHING`,
    ).run(jti, fingerprint, expiresAt);
    return (
      this.#sql(`SELECT fingerprint FROM order_token_ids WHERE jti = ?`).get(jti) as {
        fingerprint: string;
      }
    ).fingerprint;
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
    const result = this.#sql(
      `INSERT INTO webhook_events (event_id, type, payment_id, received_at) VALUES (?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING`,
    ).run(event.eventId, event.type, event.paymentId, event.receivedAt);
    return result.changes === 1;
  }

  async setWebhookOutcome(eventId: string, outcome: WebhookOutcome): Promise<void> {
    this.#sql(`UPDATE webhook_events SET outcome = ? WHERE event_id = ?`).run(outcome, eventId);
  }

  async pendingWebhookEvents(limit: number): Promise<WebhookEventRecord[]> {
    const rows = this.#sql(
      `SELECT event_id, type, payment_id, received_at, outcome FROM webhook_events WHERE outcome IS NULL ORDER BY received_at LIMIT ?`,
    ).all(limit) as {
      event_id: string;
      type: string;
      payment_id: string | null;
      received_at: string;
      outcome: WebhookOutcome | null;
    }[];
    return rows.map((r) => ({
      eventId: r.event_id,
      type: r.type,
      paymentId: r.payment_id,
      receivedAt: r.received_at,
      outcome: r.outcome,
    }));
  }

  async recordSubmission(submission: FormsgSubmissionRecord): Promise<RecordSubmissionResult> {
    if (this.#sql(INSERT_SUBMISSION).run(toSubmissionRow(submission)).changes === 1)
      return { recorded: true, submission };
    const held = this.#submission(SUBMISSION_BY_IDS, submission.formId, submission.submissionId);
    if (!held) throw new Error('Submission record conflicted with no visible submission');
    return { recorded: false, submission: held };
  }

  async getSubmission(ids: SubmissionIds): Promise<FormsgSubmissionRecord | undefined> {
    return this.#submission(SUBMISSION_BY_IDS, ids.formId, ids.submissionId);
  }

  async findSubmission(submissionId: string): Promise<FormsgSubmissionRecord | undefined> {
    return this.#submission(
      `SELECT * FROM formsg_submissions WHERE submission_id = ? ORDER BY received_at LIMIT 1`,
      submissionId,
    );
  }

  async unfinishedSubmissions(before: string, limit: number): Promise<FormsgSubmissionRecord[]> {
    const rows = this.#sql(
      `SELECT * FROM formsg_submissions WHERE ${UNFINISHED_SUBMISSION_SQL} AND updated_at < ? ORDER BY updated_at LIMIT ?`,
    ).all(before, limit) as SubmissionRow[];
    return rows.map(fromSubmissionRow);
  }

  async attachSubmissionCheckout(
    ids: SubmissionIds,
    checkoutId: string,
    now: string,
  ): Promise<FormsgSubmissionRecord | undefined> {
    this.#sql(
      `UPDATE formsg_submissions SET checkout_id = ?, updated_at = ? WHERE form_id = ? AND submission_id = ? AND checkout_id IS NULL`,
    ).run(checkoutId, now, ids.formId, ids.submissionId);
    return this.getSubmission(ids);
  }

  async claimSubmissionEmail(
    ids: SubmissionIds,
    expected: EmailExpectation,
    now: string,
  ): Promise<FormsgSubmissionRecord | undefined> {
    assertEmailTransition(expected.status, 'sending');
    return this.#submission(
      `UPDATE formsg_submissions SET email_status = 'sending', email_requested_at = ?, email_sent_at = NULL, email_error = NULL, updated_at = ?
       WHERE form_id = ? AND submission_id = ? AND email_status = ? AND email_requested_at IS ? RETURNING *`,
      now,
      now,
      ids.formId,
      ids.submissionId,
      expected.status,
      expected.requestedAt,
    );
  }

  async settleSubmissionEmail(
    ids: SubmissionIds,
    expected: EmailExpectation,
    outcome: EmailOutcome,
    now: string,
  ): Promise<FormsgSubmissionRecord | undefined> {
    assertEmailTransition(expected.status, outcome.status);
    return this.#submission(
      `UPDATE formsg_submissions SET email_status = ?, email_sent_at = ?, email_error = ?, updated_at = ?
       WHERE form_id = ? AND submission_id = ? AND email_status = ? AND email_requested_at IS ? RETURNING *`,
      outcome.status,
      outcome.sentAt ?? null,
      outcome.error ?? null,
      now,
      ids.formId,
      ids.submissionId,
      expected.status,
      expected.requestedAt,
    );
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

  #submission(sql: string, ...params: unknown[]): FormsgSubmissionRecord | undefined {
    const row = this.#sql(sql).get(...params) as SubmissionRow | undefined;
    return row && fromSubmissionRow(row);
  }

  #refund(sql: string, param: string): Refund | undefined {
    const row = this.#sql(sql).get(param) as RefundRow | undefined;
    return row && fromRefundRow(row);
  }
}
