/**
 * The `CheckoutStore` for several BFF instances: PostgreSQL through node-postgres. Every claim
 * and transition is one statement whose outcome the database decides (`ON CONFLICT DO NOTHING`,
 * `UPDATE … WHERE id = … AND status = <the status it is expected to have>`), so instances never
 * need to coordinate among themselves. A
 * refund, which is decided from several rows, is decided under its checkout's row lock, with
 * unique indexes behind the lock.
 * @module
 */
import type pg from 'pg';
import {
  CHECKOUT_COLUMNS,
  fromRow,
  patchColumns,
  toRow,
  type CheckoutRow,
} from './checkout-row.js';
import { escapeLike, searchesInside } from './checkout-search.js';
import { assertTransition, ORDER_HOLDING_SQL } from './checkout-status.js';
import { optionalPackage } from '../optional-package.js';
import { present } from '../present.js';
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
import {
  assertRefundTransition,
  isOpenRefund,
  OPEN_REFUND_SQL,
  refundTotalsSql,
  type RefundStatus,
} from './refund-status.js';
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
import { postgresRateLimitStore, type RateLimitStore } from '../rate-limit-store.js';

/** The checkout that holds an order: the statuses of the unique order index (`ORDER_HOLDING_SQL`). */
const HOLDER_OF_ORDER = `SELECT * FROM checkouts WHERE order_key = $1 AND status IN ${ORDER_HOLDING_SQL}`;

export interface PostgresStoreOptions {
  /** A schema of its own (created if missing); default `public`. Tests use one each. */
  schema?: string;
  /** Pool size. Default 10. */
  max?: number;
  onError?: (err: Error) => void;
}

/** `INSERT INTO {table}` of every column, as `$1…$n` in the columns' order. */
function insertOf(table: string, columns: readonly string[]): string {
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`;
}

const INSERT_CHECKOUT = `${insertOf('checkouts', CHECKOUT_COLUMNS)} ON CONFLICT DO NOTHING`;
const INSERT_REFUND = `${insertOf('refunds', REFUND_COLUMNS)} RETURNING *`;
const INSERT_AUDIT = insertOf('audit_events', AUDIT_COLUMNS);
const INSERT_SESSION = insertOf('staff_sessions', SESSION_COLUMNS);
const INSERT_SIGN_IN = insertOf('staff_sign_ins', SIGN_IN_COLUMNS);
const INSERT_SUBMISSION = `${insertOf('formsg_submissions', SUBMISSION_COLUMNS)} ON CONFLICT DO NOTHING`;
const SUBMISSION_BY_IDS = `SELECT * FROM formsg_submissions WHERE form_id = $1 AND submission_id = $2`;

/** Sets a paid checkout's refund totals from its succeeded refunds (`$2`: PaySG says fully refunded). */
const REFUND_TOTALS = refundTotalsSql({ id: '$1', fullyRefunded: '$2', now: '$3' });

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === '23505';
}

/** Serialises migrations when several instances start at once. */
const MIGRATION_LOCK = 0x70617973; // "pays"

export class PostgresCheckoutStore implements CheckoutStore {
  readonly #pool: pg.Pool;

  private constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  static async open(
    connectionString: string,
    options: PostgresStoreOptions = {},
  ): Promise<PostgresCheckoutStore> {
    const schema = options.schema;
    if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema))
      throw new TypeError('Not a valid schema name');
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
      await client.query(
        'CREATE TABLE IF NOT EXISTS paysg_checkout_schema (version INTEGER NOT NULL)',
      );
      const { rows } = await client.query<{ version: number }>(
        'SELECT version FROM paysg_checkout_schema',
      );
      const version = rows[0]?.version ?? 0;
      if (rows.length === 0)
        await client.query('INSERT INTO paysg_checkout_schema (version) VALUES (0)');
      for (const migration of MIGRATIONS.slice(version))
        await client.query(migrationSql(migration, 'postgres'));
      await client.query('UPDATE paysg_checkout_schema SET version = $1', [
        Math.max(version, MIGRATIONS.length),
      ]);
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
      const inserted = await this.#pool.query(
        INSERT_CHECKOUT,
        CHECKOUT_COLUMNS.map((c) => row[c]),
      );
      if (inserted.rowCount === 1) return { claimed: true, checkout };
      const holder =
        (await this.#one(`SELECT * FROM checkouts WHERE id = $1`, [checkout.id])) ??
        (await this.#one(HOLDER_OF_ORDER, [checkout.orderKey]));
      if (holder) return { claimed: false, checkout: holder };
    }
    throw new Error('Checkout claim kept conflicting with no visible holder');
  }

  get(id: string): Promise<Checkout | undefined> {
    return this.#one(`SELECT * FROM checkouts WHERE id = $1`, [id]);
  }

  holderOf(orderKey: string): Promise<Checkout | undefined> {
    return this.#one(HOLDER_OF_ORDER, [orderKey]);
  }

  findByPaymentId(paymentId: string): Promise<Checkout | undefined> {
    return this.#one(`SELECT * FROM checkouts WHERE payment_id = $1`, [paymentId]);
  }

  async update(
    id: string,
    expected: CheckoutStatus,
    patch: CheckoutPatch,
    now: string,
  ): Promise<Checkout | undefined> {
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
    const param = (value: unknown): string => `$${params.push(value)}`;
    if (query.search !== undefined) {
      const term = param(query.search);
      if (searchesInside(query.search)) {
        // Written as `lower(column) LIKE <pattern>` so the planner matches it to the trigram
        // indexes on `lower(…)`; the pattern is folded to a constant when planned with the value.
        const pattern = `'%' || lower(${param(escapeLike(query.search))}) || '%'`;
        where.push(
          `(lower(reference_id) LIKE ${pattern} OR lower(payer_name) LIKE ${pattern} OR id = ${term} OR payment_id = ${term})`,
        );
      } else {
        where.push(
          `(lower(reference_id) = lower(${term}) OR id = ${term} OR payment_id = ${term})`,
        );
      }
    }
    if (query.statuses) where.push(`status = ANY(${param([...query.statuses])}::text[])`);
    if (query.refundStatus) where.push(`refund_status = ${param(query.refundStatus)}`);
    if (query.createdFrom) where.push(`created_at >= ${param(query.createdFrom)}`);
    if (query.createdBefore) where.push(`created_at < ${param(query.createdBefore)}`);
    if (query.before)
      where.push(
        `(created_at, id) < (${param(query.before.createdAt)}, ${param(query.before.id)})`,
      );
    const { rows } = await this.#pool.query<CheckoutRow>(
      `SELECT * FROM checkouts ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT ${param(query.limit)}`,
      params,
    );
    return rows.map(fromRow);
  }

  async requestRefund(refund: Refund): Promise<RefundRequestResult> {
    if (!isOpenRefund(refund.status))
      throw new Error(
        `A refund is asked for as awaiting_approval or requested, not ${refund.status}`,
      );
    // The constraints decide what the row lock below cannot: two requests with one
    // Idempotency-Key for different checkouts. The loser's violation means the winner has
    // committed, so deciding again finds its refund.
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#transaction((client) => decideRefund(client, refund));
      } catch (err) {
        if (!isUniqueViolation(err) || attempt === 3) throw err;
      }
    }
  }

  getRefund(id: string): Promise<Refund | undefined> {
    return this.#refund(`SELECT * FROM refunds WHERE id = $1`, [id]);
  }

  refundByKey(idempotencyKey: string): Promise<Refund | undefined> {
    return this.#refund(`SELECT * FROM refunds WHERE idempotency_key = $1`, [idempotencyKey]);
  }

  async refundsOf(checkoutId: string): Promise<Refund[]> {
    const { rows } = await this.#pool.query<RefundRow>(
      `SELECT * FROM refunds WHERE checkout_id = $1 ORDER BY requested_at, id`,
      [checkoutId],
    );
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
    const sets = columns.map(([column], i) => `${column} = $${i + 1}`);
    const cas = [...columns.map(([, value]) => value), id, expected];
    const change =
      columns.length === 0
        ? `SELECT * FROM refunds WHERE id = $1 AND status = $2`
        : `UPDATE refunds SET ${sets.join(', ')} WHERE id = $${columns.length + 1} AND status = $${columns.length + 2} RETURNING *`;
    if (patch.status !== 'succeeded') return this.#refund(change, cas);
    return this.#transaction(async (client) => {
      // The checkout is locked before its refund, the order requestRefund takes them in, so the
      // two never wait on each other; and the sum below is read after any refund of it that
      // another transaction settled has committed.
      await client.query(
        `SELECT id FROM checkouts WHERE id = (SELECT checkout_id FROM refunds WHERE id = $1) FOR UPDATE`,
        [id],
      );
      const row = (await client.query<RefundRow>(change, cas)).rows[0];
      if (row) await client.query(REFUND_TOTALS, [row.checkout_id, fullyRefunded, now]);
      return row && fromRefundRow(row);
    });
  }

  async unsettledRefunds(before: string, limit: number): Promise<Refund[]> {
    const { rows } = await this.#pool.query<RefundRow>(
      `SELECT * FROM refunds WHERE status = 'requested' AND requested_at < $1 ORDER BY requested_at, id LIMIT $2`,
      [before, limit],
    );
    return rows.map(fromRefundRow);
  }

  async appendAudit(event: AuditEvent): Promise<void> {
    const row = toAuditRow(event);
    await this.#pool.query(
      INSERT_AUDIT,
      AUDIT_COLUMNS.map((c) => row[c]),
    );
  }

  async listAudit(query: AuditQuery): Promise<AuditEvent[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown): string => `$${params.push(value)}`;
    if (query.checkoutId !== undefined) where.push(`checkout_id = ${param(query.checkoutId)}`);
    if (query.before)
      where.push(`(at, id) < (${param(query.before.at)}, ${param(query.before.id)})`);
    const { rows } = await this.#pool.query<AuditRow>(
      `SELECT * FROM audit_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY at DESC, id DESC LIMIT ${param(query.limit)}`,
      params,
    );
    return rows.map(fromAuditRow);
  }

  async createSignIn(attempt: SignInAttempt): Promise<void> {
    const row = toSignInRow(attempt);
    await this.#pool.query(
      INSERT_SIGN_IN,
      SIGN_IN_COLUMNS.map((c) => row[c]),
    );
  }

  async takeSignIn(idHash: string, now: string): Promise<SignInAttempt | undefined> {
    // One statement takes this attempt and sweeps the expired ones: of two requests completing
    // the same sign-in, only one gets the row.
    const { rows } = await this.#pool.query<SignInRow>(
      `DELETE FROM staff_sign_ins WHERE id_hash = $1 OR expires_at <= $2 RETURNING *`,
      [idHash, now],
    );
    const taken = rows.find((r) => r.id_hash === idHash && r.expires_at > now);
    return taken && fromSignInRow(taken);
  }

  async createSession(session: StaffSession): Promise<void> {
    const row = toSessionRow(session);
    await this.#pool.query(
      INSERT_SESSION,
      SESSION_COLUMNS.map((c) => row[c]),
    );
  }

  async getSession(idHash: string, now: string, idleMs: number): Promise<StaffSession | undefined> {
    const { rows } = await this.#pool.query<SessionRow>(
      `SELECT * FROM staff_sessions WHERE id_hash = $1 AND revoked_at IS NULL AND expires_at > $2 AND last_seen_at >= $3`,
      [idHash, now, idleCutoff(now, idleMs)],
    );
    return rows[0] && fromSessionRow(rows[0]);
  }

  async touchSession(idHash: string, now: string): Promise<void> {
    await this.#pool.query(
      `UPDATE staff_sessions SET last_seen_at = $1 WHERE id_hash = $2 AND revoked_at IS NULL AND last_seen_at < $1`,
      [now, idHash],
    );
  }

  async revokeSession(idHash: string, now: string): Promise<void> {
    await this.#pool.query(
      `UPDATE staff_sessions SET revoked_at = $1 WHERE id_hash = $2 AND revoked_at IS NULL`,
      [now, idHash],
    );
  }

  async rememberIdempotencyKey(record: IdempotencyRecord, now: string): Promise<IdempotencyRecord> {
    // A new key is the usual case: its insert says so, and the stored one is read only when it lost.
    const inserted = await this.#pool.query(
      `INSERT INTO idempotency_keys (key, fingerprint, checkout_id, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO NOTHING`,
      [record.key, record.fingerprint, record.checkoutId, now],
    );
    if (inserted.rowCount === 1) return record;
    const { rows } = await this.#pool.query<{
      key: string;
      fingerprint: string;
      checkout_id: string;
    }>(`SELECT key, fingerprint, checkout_id FROM idempotency_keys WHERE key = $1`, [record.key]);
    const held = present(rows[0], `the idempotency key ${record.key}, kept on conflict`);
    return { key: held.key, fingerprint: held.fingerprint, checkoutId: held.checkout_id };
  }

  async rememberTokenId(jti: string, fingerprint: string, expiresAt: string): Promise<string> {
    await this.#pool.query(
      `INSERT INTO order_token_ids (jti, fingerprint, expires_at) VALUES ($1, $2, $3) ON CONFLICT (jti) DO NOTHING`,
      [jti, fingerprint, expiresAt],
    );
    const { rows } = await this.#pool.query<{ fingerprint: string }>(
      `SELECT fingerprint FROM order_token_ids WHERE jti = $1`,
      [jti],
    );
    return present(rows[0], `the order token id ${jti}, kept on conflict`).fingerprint;
  }

  async noteOrderTokenIssue(orderKey: string, issuedAt: number): Promise<number> {
    const { rows } = await this.#pool.query<{ issued_at: number }>(
      `INSERT INTO order_token_issues (order_key, issued_at) VALUES ($1, $2)
       ON CONFLICT (order_key) DO UPDATE SET issued_at = GREATEST(order_token_issues.issued_at, excluded.issued_at)
       RETURNING issued_at`,
      [orderKey, issuedAt],
    );
    return Number(present(rows[0], 'the issue time just written').issued_at);
  }

  async recordWebhookEvent(event: Omit<WebhookEventRecord, 'outcome'>): Promise<boolean> {
    const result = await this.#pool.query(
      `INSERT INTO webhook_events (event_id, type, payment_id, received_at) VALUES ($1, $2, $3, $4) ON CONFLICT (event_id) DO NOTHING`,
      [event.eventId, event.type, event.paymentId, event.receivedAt],
    );
    return result.rowCount === 1;
  }

  async setWebhookOutcome(eventId: string, outcome: WebhookOutcome): Promise<void> {
    await this.#pool.query(`UPDATE webhook_events SET outcome = $1 WHERE event_id = $2`, [
      outcome,
      eventId,
    ]);
  }

  async pendingWebhookEvents(limit: number): Promise<WebhookEventRecord[]> {
    const { rows } = await this.#pool.query<{
      event_id: string;
      type: string;
      payment_id: string | null;
      received_at: string;
      outcome: WebhookOutcome | null;
    }>(
      `SELECT event_id, type, payment_id, received_at, outcome FROM webhook_events WHERE outcome IS NULL ORDER BY received_at LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({
      eventId: r.event_id,
      type: r.type,
      paymentId: r.payment_id,
      receivedAt: r.received_at,
      outcome: r.outcome,
    }));
  }

  async recordSubmission(submission: FormsgSubmissionRecord): Promise<RecordSubmissionResult> {
    const row = toSubmissionRow(submission);
    const inserted = await this.#pool.query(
      INSERT_SUBMISSION,
      SUBMISSION_COLUMNS.map((c) => row[c]),
    );
    if (inserted.rowCount === 1) return { recorded: true, submission };
    // The conflicting insert committed before ours lost: a read now sees it.
    const held = await this.getSubmission(submission);
    return {
      recorded: false,
      submission: present(held, `the submission ${submission.submissionId}, kept on conflict`),
    };
  }

  getSubmission(ids: SubmissionIds): Promise<FormsgSubmissionRecord | undefined> {
    return this.#submission(SUBMISSION_BY_IDS, [ids.formId, ids.submissionId]);
  }

  findSubmission(submissionId: string): Promise<FormsgSubmissionRecord | undefined> {
    return this.#submission(
      `SELECT * FROM formsg_submissions WHERE submission_id = $1 ORDER BY received_at LIMIT 1`,
      [submissionId],
    );
  }

  async unfinishedSubmissions(before: string, limit: number): Promise<FormsgSubmissionRecord[]> {
    const { rows } = await this.#pool.query<SubmissionRow>(
      `SELECT * FROM formsg_submissions WHERE ${UNFINISHED_SUBMISSION_SQL} AND updated_at < $1 ORDER BY updated_at LIMIT $2`,
      [before, limit],
    );
    return rows.map(fromSubmissionRow);
  }

  async attachSubmissionCheckout(
    ids: SubmissionIds,
    checkoutId: string,
    now: string,
  ): Promise<FormsgSubmissionRecord | undefined> {
    await this.#pool.query(
      `UPDATE formsg_submissions SET checkout_id = $1, updated_at = $2 WHERE form_id = $3 AND submission_id = $4 AND checkout_id IS NULL`,
      [checkoutId, now, ids.formId, ids.submissionId],
    );
    return this.getSubmission(ids);
  }

  async claimSubmissionEmail(
    ids: SubmissionIds,
    expected: EmailExpectation,
    now: string,
  ): Promise<FormsgSubmissionRecord | undefined> {
    assertEmailTransition(expected.status, 'sending');
    return this.#submission(
      `UPDATE formsg_submissions SET email_status = 'sending', email_requested_at = $1, email_sent_at = NULL, email_error = NULL, updated_at = $1
       WHERE form_id = $2 AND submission_id = $3 AND email_status = $4 AND email_requested_at IS NOT DISTINCT FROM $5 RETURNING *`,
      [now, ids.formId, ids.submissionId, expected.status, expected.requestedAt],
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
      `UPDATE formsg_submissions SET email_status = $1, email_sent_at = $2, email_error = $3, updated_at = $4
       WHERE form_id = $5 AND submission_id = $6 AND email_status = $7 AND email_requested_at IS NOT DISTINCT FROM $8 RETURNING *`,
      [
        outcome.status,
        outcome.sentAt ?? null,
        outcome.error ?? null,
        now,
        ids.formId,
        ids.submissionId,
        expected.status,
        expected.requestedAt,
      ],
    );
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

  async #submission(sql: string, params: unknown[]): Promise<FormsgSubmissionRecord | undefined> {
    const { rows } = await this.#pool.query<SubmissionRow>(sql, params);
    return rows[0] && fromSubmissionRow(rows[0]);
  }

  async #refund(sql: string, params: unknown[]): Promise<Refund | undefined> {
    const { rows } = await this.#pool.query<RefundRow>(sql, params);
    return rows[0] && fromRefundRow(rows[0]);
  }

  /** Runs `work` in one transaction on one connection: committed when it returns, rolled back when it throws. */
  async #transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }
}

/**
 * Decides a refund request inside its transaction, in the order the interface gives. The
 * checkout's row lock comes first: it serialises the requests for one checkout, so each reads
 * the refunds the one before it wrote (every statement after the lock sees what committed
 * before it was granted).
 */
async function decideRefund(client: pg.PoolClient, refund: Refund): Promise<RefundRequestResult> {
  const checkout = (
    await client.query<{ status: string; amount_in_cents: number; refunded_in_cents: number }>(
      `SELECT status, amount_in_cents, refunded_in_cents FROM checkouts WHERE id = $1 FOR UPDATE`,
      [refund.checkoutId],
    )
  ).rows[0];
  const { rows } = await client.query<RefundRow>(
    `SELECT * FROM refunds WHERE idempotency_key = $1 OR (checkout_id = $2 AND ${OPEN_REFUND_SQL})`,
    [refund.idempotencyKey, refund.checkoutId],
  );
  const seen = rows.find((r) => r.idempotency_key === refund.idempotencyKey);
  if (seen) return { kind: 'key_seen', refund: fromRefundRow(seen) };
  if (checkout?.status !== 'paid') return { kind: 'not_paid' };
  const open = rows.find((r) => r.checkout_id === refund.checkoutId);
  if (open) return { kind: 'refund_open', refund: fromRefundRow(open) };
  const remainingInCents = Number(checkout.amount_in_cents) - Number(checkout.refunded_in_cents);
  if (remainingInCents < refund.amountInCents) return { kind: 'over_remaining', remainingInCents };
  const row = toRefundRow(refund);
  const inserted = await client.query<RefundRow>(
    INSERT_REFUND,
    REFUND_COLUMNS.map((c) => row[c]),
  );
  return {
    kind: 'created',
    refund: fromRefundRow(present(inserted.rows[0], 'the refund just inserted')),
  };
}
