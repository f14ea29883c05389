/**
 * After the driver, with every fault cleared: lets the BFFs bring the store in line with PaySG,
 * the way payers and the reconciler would, within a deadline.
 *
 * - Every `unpaid` checkout is read with `GET /checkouts/{id}` until it has been verified with
 *   PaySG since settling began (the route re-verifies a checkout that is not final).
 * - A `created` checkout whose PaySG payment exists (its creating request died with the
 *   instance) can only be finished by the reconciler, which leaves alone rows touched in the last
 *   60 s (`reconcile.ts`, not configurable from `main.ts`): we wait for it.
 *
 * Settled means both hold. A `created` checkout with no PaySG payment is not waited for: it has
 * handed nothing out and charges no one.
 * @module
 */
import type { StoreReader, StoreRow } from './database.js';
import type { ManagedProcess } from './processes.js';
import { sleep } from './processes.js';
import type { LedgerPayment, SimulatorClient } from './simulator-client.js';

/** The checkout id PaySG was given in `return_url` (`…/return/{checkoutId}`). */
export function checkoutIdOfReturnUrl(returnUrl: string | null): string | undefined {
  if (!returnUrl || !URL.canParse(returnUrl)) return undefined;
  const segments = new URL(returnUrl).pathname.split('/').filter(Boolean);
  return segments.at(-2) === 'return' ? segments.at(-1) : undefined;
}

export interface Pending {
  /** `unpaid` rows not verified with PaySG since settling began. */
  unverified: StoreRow[];
  /** PaySG payments whose checkout is still `created` (or not in the store at all). */
  onUnfinishedCheckouts: LedgerPayment[];
}

export function pendingWork(
  rows: StoreRow[],
  payments: LedgerPayment[],
  settleStartIso: string,
): Pending {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const withPayment = new Set(rows.map((r) => r.payment_id).filter(Boolean));
  return {
    unverified: rows.filter(
      (r) => r.status === 'unpaid' && (r.verified_at === null || r.verified_at < settleStartIso),
    ),
    onUnfinishedCheckouts: payments.filter((p) => {
      if (withPayment.has(p.id)) return false;
      const row = byId.get(checkoutIdOfReturnUrl(p.return_url) ?? '');
      return row === undefined || row.status === 'created';
    }),
  };
}

export interface SettleResult {
  settled: boolean;
  /** What settling found to do at first. */
  initially: { unverified: number; onUnfinishedCheckouts: number };
  tookMs: number;
  rounds: number;
  /** `GET /checkouts/{id}` answers by status. */
  reads: Map<string, number>;
  pending: Pending;
}

export interface SettleOptions {
  store: StoreReader;
  simulator: SimulatorClient;
  instances: ManagedProcess[];
  basePath: string;
  deadline: number;
  /** The browser each checkout was handed to, sent along as that browser would. */
  browserOf: Map<string, string>;
  log: (line: string) => void;
}

export async function settle(options: SettleOptions): Promise<SettleResult> {
  const started = Date.now();
  const settleStartIso = new Date(started).toISOString();
  const reads = new Map<string, number>();
  let rounds = 0;
  let lastReport = 0;
  let readers = 0;
  let initially: SettleResult['initially'] | undefined;
  for (;;) {
    rounds++;
    const pending = pendingWork(
      await options.store.checkouts(),
      await options.simulator.allPayments(options.deadline + 10_000),
      settleStartIso,
    );
    initially ??= {
      unverified: pending.unverified.length,
      onUnfinishedCheckouts: pending.onUnfinishedCheckouts.length,
    };
    const done = pending.unverified.length === 0 && pending.onUnfinishedCheckouts.length === 0;
    if (done || Date.now() > options.deadline) {
      return { settled: done, initially, tookMs: Date.now() - started, rounds, reads, pending };
    }
    if (Date.now() - lastReport > 10_000) {
      lastReport = Date.now();
      options.log(
        `  settling: ${pending.unverified.length} unpaid checkouts to verify, ` +
          `${pending.onUnfinishedCheckouts.length} PaySG payments whose checkout the reconciler has not finished`,
      );
    }
    const alive = options.instances.filter((i) => i.alive);
    const queue = [...pending.unverified];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let row = queue.shift(); row && alive.length; row = queue.shift()) {
          const instance = alive[readers % alive.length]!;
          const k = ++readers;
          const browser = options.browserOf.get(row.id);
          let key: string;
          try {
            const response = await fetch(
              `${instance.url}${options.basePath}/checkouts/${encodeURIComponent(row.id)}`,
              {
                headers: {
                  // One reader per request: the read limit is per client.
                  'X-Forwarded-For': `10.200.${(k >> 8) & 255}.${k & 255}`,
                  ...(browser && { 'X-PaySG-Browser': browser }),
                },
                signal: AbortSignal.timeout(15_000),
              },
            );
            await response.body?.cancel();
            key = String(response.status);
          } catch (err) {
            key = `error: ${(err as Error).name}`;
          }
          reads.set(key, (reads.get(key) ?? 0) + 1);
        }
      }),
    );
    await sleep(1_000);
  }
}
