/**
 * The reconciler: nothing is lost, nothing is left payable by mistake. A payment made while the
 * BFF was down, or whose payer never came back, still ends as paid; a checkout whose creating
 * request died is finished with the same derived key (PaySG replays rather than creating a
 * second payment); a cancel PaySG never confirmed (a lost answer, an orphan payment) is finished;
 * webhook events received but not applied (a crash after the 2xx) are applied; a refund whose
 * answer from PaySG was never recorded (a timeout, a crash mid-refund) is sent again under its
 * own key and recorded. A FormSG submission a crash left half done (recorded with no payment, or
 * a payment whose e-mail was never claimed) is finished; a fine's checkout is never failed or
 * given up as a payer's abandoned one is: nobody will retry it, so it is finished, and a payment
 * found after PaySG's 24 h is adopted (`formsg/fine-checkout.ts`). Runs on start and on a schedule.
 * @module
 */
import type { AppContext } from '../deps.js';
import { applyWebhookEvent } from './apply-webhook.js';
import type { Checkout } from '../storage/checkout-store.js';
import { endCheckout, holdAndCancel } from './cancel-checkout.js';
import { createPayment } from './create-payment.js';
import { findPaymentInList, IDEMPOTENCY_KEY_SAFE_FOR_MS } from './paysg-key.js';
import { refreshCheckout } from './verify-checkout.js';
import { fineIdsOf, finishFineCheckout } from '../formsg/fine-checkout.js';
import { processSubmission } from '../formsg/process-submission.js';
import { sendRefund } from '../refunds/send-refund.js';
import { RECONCILER_ACTOR } from '../storage/staff-records.js';

export interface ReconcileReport {
  checked: number;
  paid: number;
  created: number;
  failed: number;
  /** Cancels finished: lost cancel answers and payments that could not be handed out. */
  cancelled: number;
  webhooks: number;
  /** Refunds whose outcome PaySG told us on this pass (succeeded or refused). */
  refundsSettled: number;
  /** FormSG submissions taken further on this pass (a payment made, an e-mail settled). */
  submissions: number;
  errors: number;
}

export interface ReconcileOptions {
  /** Leave alone what was touched more recently than this. Default 60 s. */
  quietMs?: number;
  limit?: number;
}

export async function reconcileOnce(
  ctx: AppContext,
  options: ReconcileOptions = {},
): Promise<ReconcileReport> {
  const report: ReconcileReport = {
    checked: 0,
    paid: 0,
    created: 0,
    failed: 0,
    cancelled: 0,
    webhooks: 0,
    refundsSettled: 0,
    submissions: 0,
    errors: 0,
  };
  const now = ctx.now();
  const quietBefore = new Date(now.getTime() - (options.quietMs ?? 60_000)).toISOString();
  const limit = options.limit ?? 100;

  // Listed before the webhook events are applied: applying one touches its checkout, which must
  // not put off a cancel or a create that checkout still needs until the next pass.
  const unfinished = await ctx.store.listUnfinished(quietBefore, now.toISOString(), limit);

  for (const event of await ctx.store.pendingWebhookEvents(limit)) {
    try {
      await applyWebhookEvent(ctx, event);
      report.webhooks++;
    } catch {
      report.errors++;
    }
  }

  for (const listed of unfinished) {
    // As it is now: an event applied above may have moved it on.
    const checkout = (await ctx.store.get(listed.id)) ?? listed;
    if (checkout.status !== 'unpaid' && checkout.status !== 'created') continue;
    report.checked++;
    try {
      if (checkout.status === 'unpaid') {
        const refreshed = await refreshCheckout(ctx, checkout, { force: true });
        if (refreshed.status === 'paid') report.paid++;
        else if (refreshed.status === 'unpaid' && refreshed.cancelRequestedAt) {
          await endCheckout(ctx, refreshed, 'reconciler');
          report.cancelled++;
        } else if (refreshed.status === 'cancelled' && checkout.cancelRequestedAt)
          report.cancelled++;
        continue;
      }
      // Whatever is decided is decided holding the creation lock: a payer's retry may be on it.
      const at = ctx.now();
      const locked = await ctx.store.lockForCreate(
        checkout.id,
        at.toISOString(),
        new Date(at.getTime() + ctx.createLockMs).toISOString(),
      );
      if (!locked) continue;
      if (fineIdsOf(locked)) {
        // A fine is finished, never failed or cancelled for its age: nobody will retry it.
        if ((await finishFineCheckout(ctx, locked)).status !== 'created') report.created++;
        continue;
      }
      if (!locked.paysgKeySent) {
        // PaySG answered this key with its own 500/503 and nobody tried again: nothing exists
        // at PaySG, so the order is freed for the payer's next attempt.
        await ctx.store.update(
          locked.id,
          'created',
          { status: 'failed', lockedUntil: null },
          ctx.now().toISOString(),
        );
        report.failed++;
        continue;
      }
      if (at.getTime() - Date.parse(locked.createdAt) > IDEMPOTENCY_KEY_SAFE_FOR_MS) {
        await abandon(ctx, locked, report);
        continue;
      }
      if ((await createPayment(ctx, locked)).status !== 'created') report.created++;
    } catch {
      report.errors++;
    }
  }
  for (const refund of await ctx.store.unsettledRefunds(quietBefore, limit)) {
    try {
      const checkout = await ctx.store.get(refund.checkoutId);
      if (!checkout) continue;
      if (
        (await sendRefund(ctx, refund, checkout, { actor: RECONCILER_ACTOR })).status !==
        'requested'
      )
        report.refundsSettled++;
    } catch {
      report.errors++;
    }
  }
  // After the checkouts: a submission whose checkout was just finished goes on to its e-mail.
  for (const submission of await ctx.store.unfinishedSubmissions(quietBefore, limit)) {
    try {
      const after = await processSubmission(ctx, submission);
      if (after.checkoutId !== submission.checkoutId || after.emailStatus !== 'pending')
        report.submissions++;
    } catch {
      report.errors++;
    }
  }
  if (report.checked || report.webhooks || report.refundsSettled || report.submissions)
    ctx.logger.log('info', 'reconciled', { ...report });
  return report;
}

/** Payments made long ago may be far down PaySG's list. */
const ABANDONED_LOOKUP_MAX_PAYMENTS = 5_000;

/**
 * A checkout whose create may have reached PaySG more than a day ago: resending its key could
 * make a second payment, so PaySG's list is searched for it instead. A payment found is cancelled
 * (never handed out this late); none found, the checkout is failed and a person alerted.
 */
async function abandon(ctx: AppContext, locked: Checkout, report: ReconcileReport): Promise<void> {
  const payment = await findPaymentInList(ctx, locked, ABANDONED_LOOKUP_MAX_PAYMENTS);
  if (payment) {
    if ((await holdAndCancel(ctx, locked, payment, 'reconciler')).status === 'cancelled')
      report.cancelled++;
    return;
  }
  await ctx.store.update(
    locked.id,
    'created',
    { status: 'failed', lockedUntil: null },
    ctx.now().toISOString(),
  );
  ctx.logger.log('error', 'checkout_abandoned_unknown', {
    alert: true,
    checkoutId: locked.id,
    referenceId: locked.referenceId,
  });
  report.failed++;
}

/** Runs `reconcileOnce` now and then every `everyMs`, one run at a time. Returns a stop function. */
export function startReconciler(
  ctx: AppContext,
  everyMs = 60_000,
  options: ReconcileOptions = {},
): () => void {
  let running: Promise<unknown> | undefined;
  const tick = () => {
    running ??= reconcileOnce(ctx, options)
      .catch((err: unknown) =>
        ctx.logger.log('error', 'reconcile_failed', {
          error: err instanceof Error ? err.name : String(err),
        }),
      )
      .finally(() => (running = undefined));
  };
  tick();
  const timer = setInterval(tick, everyMs);
  // A timer alone should never keep a process alive that is otherwise shutting down.
  (timer as { unref?: () => void }).unref?.();
  return () => clearInterval(timer);
}
