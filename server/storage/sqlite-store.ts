/**
 * The embedded `CheckoutStore`: one SQLite file through better-sqlite3, in WAL mode so readers
 * never wait for the writer. Sound for one host, even with several processes on one file.
 * @module
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type {
  Checkout,
  CheckoutPatch,
  CheckoutStatus,
  CheckoutStore,
  ClaimResult,
  IdempotencyRecord,
} from './checkout-store.js';
import { SQLITE_MIGRATIONS } from './migrations.js';

interface CheckoutRow {
  id: string;
  order_key: string;
  item: string | null;
  reference_id: string;
  description: string;
  amount_in_cents: number;
  currency: string;
  status: string;
  return_to: string;
  paysg_idempotency_key: string;
  paysg_request: string;
  payment_id: string | null;
  payment_url: string | null;
  paid_at: string | null;
  created_at: string;
  updated_at: string;
  verified_at: string | null;
  locked_until: string | null;
}

const PATCH_COLUMNS: Record<keyof CheckoutPatch, string> = {
  status: 'status',
  paymentId: 'payment_id',
  paymentUrl: 'payment_url',
  paidAt: 'paid_at',
  verifiedAt: 'verified_at',
  lockedUntil: 'locked_until',
};

export class SqliteCheckoutStore implements CheckoutStore {
  readonly #db: Database.Database;

  /** `path` is a file (its folder is created) or `:memory:`. */
  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.#db = new Database(path);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = NORMAL');
    this.#db.pragma('busy_timeout = 5000');
    this.#migrate();
  }

  #migrate(): void {
    const applied = this.#db.pragma('user_version', { simple: true }) as number;
    for (let version = applied; version < SQLITE_MIGRATIONS.length; version++) {
      this.#db.transaction(() => {
        this.#db.exec(SQLITE_MIGRATIONS[version]!);
        this.#db.pragma(`user_version = ${version + 1}`);
      }).immediate();
    }
  }

  async claim(checkout: Checkout): Promise<ClaimResult> {
    const run = this.#db.transaction((): ClaimResult => {
      const inserted = this.#db
        .prepare(
          `INSERT INTO checkouts (id, order_key, item, reference_id, description, amount_in_cents,
             currency, status, return_to, paysg_idempotency_key, paysg_request, payment_id,
             payment_url, paid_at, created_at, updated_at, verified_at, locked_until)
           VALUES (@id, @order_key, @item, @reference_id, @description, @amount_in_cents,
             @currency, @status, @return_to, @paysg_idempotency_key, @paysg_request, @payment_id,
             @payment_url, @paid_at, @created_at, @updated_at, @verified_at, @locked_until)
           ON CONFLICT DO NOTHING`,
        )
        .run(toRow(checkout));
      if (inserted.changes === 1) return { claimed: true, checkout };
      const holder =
        this.#row(`SELECT * FROM checkouts WHERE id = ?`, checkout.id) ??
        this.#row(
          `SELECT * FROM checkouts WHERE order_key = ? AND status IN ('created', 'unpaid', 'paid')`,
          checkout.orderKey,
        );
      if (!holder) throw new Error('Checkout claim conflicted with no visible holder');
      return { claimed: false, checkout: holder };
    });
    return run.immediate();
  }

  async get(id: string): Promise<Checkout | undefined> {
    return this.#row(`SELECT * FROM checkouts WHERE id = ?`, id);
  }

  async update(
    id: string,
    from: readonly CheckoutStatus[],
    patch: CheckoutPatch,
    now: string,
  ): Promise<Checkout | undefined> {
    const assignments = ['updated_at = @now'];
    const params: Record<string, unknown> = { id, now };
    for (const [field, column] of Object.entries(PATCH_COLUMNS)) {
      if (!(field in patch) || patch[field as keyof CheckoutPatch] === undefined) continue;
      const value = patch[field as keyof CheckoutPatch];
      assignments.push(`${column} = @${column}`);
      params[column] = value;
    }
    const statusList = from.map((_, i) => `@from${i}`).join(', ');
    from.forEach((status, i) => (params[`from${i}`] = status));
    const result = this.#db
      .prepare(`UPDATE checkouts SET ${assignments.join(', ')} WHERE id = @id AND status IN (${statusList})`)
      .run(params);
    if (result.changes === 0) return undefined;
    return this.get(id);
  }

  async lockForCreate(id: string, now: string, until: string): Promise<Checkout | undefined> {
    const result = this.#db
      .prepare(
        `UPDATE checkouts SET locked_until = ?, updated_at = ?
         WHERE id = ? AND status = 'created' AND (locked_until IS NULL OR locked_until <= ?)`,
      )
      .run(until, now, id, now);
    return result.changes === 1 ? this.get(id) : undefined;
  }

  async rememberIdempotencyKey(record: IdempotencyRecord, now: string): Promise<IdempotencyRecord> {
    this.#db
      .prepare(
        `INSERT INTO idempotency_keys (key, fingerprint, checkout_id, created_at)
         VALUES (?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`,
      )
      .run(record.key, record.fingerprint, record.checkoutId, now);
    const held = this.#db
      .prepare(`SELECT key, fingerprint, checkout_id FROM idempotency_keys WHERE key = ?`)
      .get(record.key) as { key: string; fingerprint: string; checkout_id: string };
    return { key: held.key, fingerprint: held.fingerprint, checkoutId: held.checkout_id };
  }

  async ping(): Promise<void> {
    this.#db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    this.#db.close();
  }

  #row(sql: string, param: string): Checkout | undefined {
    const row = this.#db.prepare(sql).get(param) as CheckoutRow | undefined;
    return row && fromRow(row);
  }
}

function toRow(c: Checkout): CheckoutRow {
  return {
    id: c.id,
    order_key: c.orderKey,
    item: c.item,
    reference_id: c.referenceId,
    description: c.description,
    amount_in_cents: c.amountInCents,
    currency: c.currency,
    status: c.status,
    return_to: c.returnTo,
    paysg_idempotency_key: c.paysgIdempotencyKey,
    paysg_request: JSON.stringify(c.paysgRequest),
    payment_id: c.paymentId,
    payment_url: c.paymentUrl,
    paid_at: c.paidAt,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    verified_at: c.verifiedAt,
    locked_until: c.lockedUntil,
  };
}

function fromRow(r: CheckoutRow): Checkout {
  return {
    id: r.id,
    orderKey: r.order_key,
    item: r.item,
    referenceId: r.reference_id,
    description: r.description,
    amountInCents: r.amount_in_cents,
    currency: r.currency as 'SGD',
    status: r.status as CheckoutStatus,
    returnTo: r.return_to,
    paysgIdempotencyKey: r.paysg_idempotency_key,
    paysgRequest: JSON.parse(r.paysg_request),
    paymentId: r.payment_id,
    paymentUrl: r.payment_url,
    paidAt: r.paid_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    verifiedAt: r.verified_at,
    lockedUntil: r.locked_until,
  };
}
