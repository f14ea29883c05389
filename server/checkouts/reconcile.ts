/**
 * The reconciler: nothing is lost, nothing is left payable by mistake. A payment made while the
 * BFF was down, or whose payer never came back, still ends as paid; a checkout whose creating
 * request died is finished with the same derived key (PaySG replays rather than creating a
 * second payment); a cancel PaySG never confirmed (a lost answer, an orphan payment) is finished;
 * webhook events received but not applied (a crash after the 2xx) are applied. Runs on start
 * and on a schedule.
 * @module
 */
import type { AppContext } from '../deps.js';
import { applyWebhookEvent } from './apply-webhook.js';
import { endCheckout } from './cancel-checkout.js';
import { createPayment } from './create-payment.js';
import { refreshCheckout } from './verify-checkout.js';

export interface ReconcileReport {
  checked: number;
  paid: number;
  created: number;
  failed: number;
  /** Cancels finished: lost cancel answers and payments that could not be handed out. */
  cancelled: number;
  webhooks: number;
  errors: number;
}

export interface ReconcileOptions {
  /** Leave alone what was touched more recently than this. Default 60 s. */
  quietMs?: number;
  limit?: number;
}

/**
 * PaySG may prune Idempotency-Keys after 24 hours; resending an older create could make a second
 * payment, so such a checkout is failed and flagged for a person instead.
 */
const KEY_SAFE_FOR_MS = 23 * 60 * 60 * 1000;

export async function reconcileOnce(ctx: AppContext, options: ReconcileOptions = {}): Promise<ReconcileReport> {
  const report: ReconcileReport = { checked: 0, paid: 0, created: 0, failed: 0, cancelled: 0, webhooks: 0, errors: 0 };
  const now = ctx.now();
  const quietBefore = new Date(now.getTime() - (options.quietMs ?? 60_000)).toISOString();
  const limit = options.limit ?? 100;

  for (const event of await ctx.store.pendingWebhookEvents(limit)) {
    try {
      await applyWebhookEvent(ctx, event);
      report.webhooks++;
    } catch {
      report.errors++;
    }
  }

  for (const checkout of await ctx.store.listUnfinished(quietBefore, now.toISOString(), limit)) {
    report.checked++;
    try {
      if (checkout.status === 'unpaid') {
        const refreshed = await refreshCheckout(ctx, checkout, { force: true });
        if (refreshed.status === 'paid') report.paid++;
        else if (refreshed.status === 'unpaid' && refreshed.cancelRequestedAt) {
          await endCheckout(ctx, refreshed, 'reconciler');
          report.cancelled++;
        } else if (refreshed.status === 'cancelled' && checkout.cancelRequestedAt) report.cancelled++;
        continue;
      }
      if (!checkout.paysgKeySent) {
        // PaySG answered this key with its own 500/503 and nobody tried again: nothing exists
        // at PaySG, so the order is freed for the payer's next attempt.
        await ctx.store.update(checkout.id, 'created', { status: 'failed', lockedUntil: null }, now.toISOString());
        report.failed++;
        continue;
      }
      if (now.getTime() - Date.parse(checkout.createdAt) > KEY_SAFE_FOR_MS) {
        await ctx.store.update(checkout.id, 'created', { status: 'failed', lockedUntil: null }, now.toISOString());
        ctx.logger.log('error', 'checkout_abandoned_unknown', { alert: true, checkoutId: checkout.id, referenceId: checkout.referenceId });
        report.failed++;
        continue;
      }
      const locked = await ctx.store.lockForCreate(checkout.id, now.toISOString(), new Date(now.getTime() + ctx.createLockMs).toISOString());
      if (locked && (await createPayment(ctx, locked)).status !== 'created') report.created++;
    } catch {
      report.errors++;
    }
  }
  if (report.checked || report.webhooks) ctx.logger.log('info', 'reconciled', { ...report });
  return report;
}

/** Runs `reconcileOnce` now and then every `everyMs`, one run at a time. Returns a stop function. */
export function startReconciler(ctx: AppContext, everyMs = 60_000, options: ReconcileOptions = {}): () => void {
  let running: Promise<unknown> | undefined;
  const tick = () => {
    running ??= reconcileOnce(ctx, options)
      .catch((err: unknown) => ctx.logger.log('error', 'reconcile_failed', { error: err instanceof Error ? err.name : String(err) }))
      .finally(() => (running = undefined));
  };
  tick();
  const timer = setInterval(tick, everyMs);
  // A timer alone should never keep a process alive that is otherwise shutting down.
  (timer as { unref?: () => void }).unref?.();
  return () => clearInterval(timer);
}
