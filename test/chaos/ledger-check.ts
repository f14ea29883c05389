/**
 * The verdict of a chaos run: PaySG's ledger against the store's `checkouts` table, and what
 * browsers were handed against what they should have been. Pure: give it the payments, the
 * rows and the driver's records; it answers with every violation it finds.
 *
 * A violation that concerns something the settling phase did not get to (an `unpaid` checkout
 * not yet re-verified, a payment whose checkout the reconciler has not finished) is reported as
 * unsettled instead: the run was too short to tell.
 * @module
 */
import type { StoreRow } from './database.js';
import type { RequestRecord } from './driver.js';
import { checkoutIdOfReturnUrl, type Pending } from './settle.js';
import type { LedgerPayment } from './simulator-client.js';

export const CHECKS = {
  // Store against PaySG, after settling.
  'one-payable': 'every order has at most one payable (latest_status unpaid) PaySG payment',
  'cancelled-but-unpaid': 'the store never says unpaid for a payment PaySG has cancelled',
  'paid-recorded':
    'every payment paid at PaySG is recorded as paid on the checkout whose payment it is',
  orphan: 'every unpaid PaySG payment is the payment of a checkout the store has as unpaid',
  'paid-matches':
    'every paid checkout matches a paid PaySG payment with the same amount and reference',
  'double-charge': 'no order is paid twice at PaySG',
  'store-dangling': 'every payment id in the store is a PaySG payment',
  // What browsers were handed, during the run.
  'bff-500': 'no BFF request is answered with a 500',
  'stranger-handout':
    'a catalog order’s checkout is handed only to the one browser (no other browser learns its id)',
  'price-changed': 'a checkout is handed out only to a request for the amount it was created with',
  'stale-token': 'an older order token never replaces a newer one that was already accepted',
  'cancelled-unasked':
    'a checkout handed to a browser is cancelled only if a browser it was handed to asked, or (order tokens) a newer token came, or (catalog) another browser asked for the order, which supersedes it',
  'dead-link':
    'a create never hands out, as unpaid, a payment link PaySG had cancelled before the request was sent',
} as const;

export type CheckName = keyof typeof CHECKS;

export interface Violation {
  check: CheckName;
  reference?: string;
  checkoutId?: string;
  paymentId?: string;
  message: string;
}

export interface CheckInput {
  payments: LedgerPayment[];
  rows: StoreRow[];
  records: RequestRecord[];
  /** Empty when settling finished. */
  pending: Pending;
}

export interface CheckResult {
  violations: Violation[];
  /** Would-be violations about checkouts or payments settling had not finished with. */
  unsettled: Violation[];
}

const short = (id: string | null | undefined) => (id ? id.slice(0, 10) : '-');
const cents = (n: number) => `${(n / 100).toFixed(2)}`;
const is2xx = (r: RequestRecord) =>
  typeof r.outcome === 'number' && r.outcome >= 200 && r.outcome < 300;

export function checkLedger(input: CheckInput): CheckResult {
  const { payments, rows, records } = input;
  const found: Violation[] = [];
  const add = (v: Violation) => found.push(v);

  const paymentById = new Map(payments.map((p) => [p.id, p]));
  const rowById = new Map(rows.map((r) => [r.id, r]));
  const rowByPaymentId = new Map(rows.filter((r) => r.payment_id).map((r) => [r.payment_id!, r]));
  const handedOut = new Set(
    records.filter((r) => r.kind === 'create' && is2xx(r) && r.paymentId).map((r) => r.paymentId!),
  );

  // --- PaySG's side: each payment must be accounted for by the store.
  const byReference = new Map<string, LedgerPayment[]>();
  for (const p of payments)
    byReference.set(p.reference_id, [...(byReference.get(p.reference_id) ?? []), p]);

  for (const [reference, list] of byReference) {
    const payable = list.filter((p) => p.latest_status === 'unpaid');
    if (payable.length > 1) {
      for (const p of payable) {
        add({
          check: 'one-payable',
          reference,
          paymentId: p.id,
          message:
            `${reference}: ${payable.length} payable PaySG payments; this one is ${p.id} (${cents(p.amount_in_cents)}, ` +
            `${describeOwner(p, rowByPaymentId, rowById)}${handedOut.has(p.id) ? ', handed out' : ''})`,
        });
      }
    }
    const paid = list.filter((p) => p.payment_status === 'paid');
    if (paid.length > 1) {
      add({
        check: 'double-charge',
        reference,
        message: `${reference}: paid ${paid.length} times at PaySG: ${paid.map((p) => `${p.id} (${cents(p.amount_in_cents)})`).join(', ')}`,
      });
    }
  }

  for (const p of payments) {
    const row = rowByPaymentId.get(p.id);
    if (p.payment_status === 'paid') {
      if (row?.status !== 'paid') {
        add({
          check: 'paid-recorded',
          reference: p.reference_id,
          paymentId: p.id,
          ...(row && { checkoutId: row.id }),
          message: `${p.reference_id}: payment ${p.id} is paid at PaySG, but ${row ? `its checkout ${short(row.id)} is ${row.status}` : describeOwner(p, rowByPaymentId, rowById)} in the store`,
        });
      }
    } else if (p.latest_status === 'unpaid') {
      if (row?.status !== 'unpaid') {
        add({
          check: 'orphan',
          reference: p.reference_id,
          paymentId: p.id,
          ...((row?.id ?? checkoutIdOfReturnUrl(p.return_url)) && {
            checkoutId: row?.id ?? checkoutIdOfReturnUrl(p.return_url)!,
          }),
          message:
            `${p.reference_id}: payment ${p.id} (${cents(p.amount_in_cents)}) is still payable at PaySG, but ${row ? `its checkout ${short(row.id)} is ${row.status}` : describeOwner(p, rowByPaymentId, rowById)}` +
            (handedOut.has(p.id) ? '; its link was handed out' : ''),
        });
      }
    }
  }

  // --- The store's side: each checkout's payment must be what PaySG says.
  for (const row of rows) {
    if (!row.payment_id) {
      if (row.status === 'paid' || row.status === 'unpaid') {
        add({
          check: 'store-dangling',
          reference: row.reference_id,
          checkoutId: row.id,
          message: `${row.reference_id}: checkout ${short(row.id)} is ${row.status} with no payment id`,
        });
      }
      continue;
    }
    const p = paymentById.get(row.payment_id);
    if (!p) {
      add({
        check: 'store-dangling',
        reference: row.reference_id,
        checkoutId: row.id,
        paymentId: row.payment_id,
        message: `${row.reference_id}: checkout ${short(row.id)} (${row.status}) names payment ${row.payment_id}, which PaySG does not have`,
      });
      continue;
    }
    if (row.status === 'unpaid' && p.latest_status === 'cancelled') {
      const current = latestHandoutOf(records, row.reference_id)?.paymentId === p.id;
      add({
        check: 'cancelled-but-unpaid',
        reference: row.reference_id,
        checkoutId: row.id,
        paymentId: p.id,
        message:
          `${row.reference_id}: checkout ${short(row.id)} is unpaid in the store, but PaySG cancelled its payment ${p.id}` +
          (handedOut.has(p.id)
            ? `; the link was handed out${current ? ' and is the latest for the order' : ''}`
            : ''),
      });
    }
    if (row.status === 'paid') {
      const problems = [
        p.payment_status !== 'paid' && `PaySG says ${p.payment_status}/${p.latest_status}`,
        p.amount_in_cents !== row.amount_in_cents &&
          `PaySG charged ${cents(p.amount_in_cents)}, the checkout is for ${cents(row.amount_in_cents)}`,
        p.reference_id !== row.reference_id && `PaySG's reference is ${p.reference_id}`,
      ].filter(Boolean);
      if (problems.length) {
        add({
          check: 'paid-matches',
          reference: row.reference_id,
          checkoutId: row.id,
          paymentId: p.id,
          message: `${row.reference_id}: checkout ${short(row.id)} is paid with payment ${p.id}, but ${problems.join('; ')}`,
        });
      }
    }
  }

  // --- What browsers were handed.
  for (const r of records) {
    if (r.outcome === 500) {
      add({
        check: 'bff-500',
        reference: r.reference,
        message: `${r.reference}: ${r.kind} (${r.label}) on instance ${r.instance} answered 500 ${r.errorCode ?? ''} (request ${r.requestId ?? 'unknown'})`,
      });
    }
  }

  const creates = records.filter((r) => r.kind === 'create' && is2xx(r) && r.checkoutId);
  const browsersOf = new Map<string, Set<string>>();
  for (const r of creates) {
    if (r.orderKind !== 'catalog') continue;
    browsersOf.set(r.checkoutId!, (browsersOf.get(r.checkoutId!) ?? new Set()).add(r.browser!));
  }
  for (const [checkoutId, browsers] of browsersOf) {
    if (browsers.size > 1) {
      const reference = creates.find((r) => r.checkoutId === checkoutId)!.reference;
      add({
        check: 'stranger-handout',
        reference,
        checkoutId,
        message: `${reference}: checkout ${short(checkoutId)} was handed to ${browsers.size} different browsers`,
      });
    }
  }

  for (const r of creates) {
    const row = rowById.get(r.checkoutId!);
    if (row && row.amount_in_cents !== r.expectedAmountInCents) {
      add({
        check: 'price-changed',
        reference: r.reference,
        checkoutId: row.id,
        message:
          `${r.reference}: a request for ${cents(r.expectedAmountInCents!)} (${r.label}${r.tokenVersion ? `, token v${r.tokenVersion}` : ''}) ` +
          `was handed checkout ${short(row.id)} for ${cents(row.amount_in_cents)}`,
      });
    }
  }

  const cancelsSent = records.filter((r) => r.kind === 'cancel' && r.outcome !== 'no_target');
  for (const old of creates) {
    if (old.tokenVersion === undefined) continue;
    const row = rowById.get(old.checkoutId!);
    if (!row || row.amount_in_cents !== old.expectedAmountInCents) continue;
    const newer = creates.find(
      (n) =>
        n.reference === old.reference &&
        n.tokenVersion !== undefined &&
        n.tokenVersion > old.tokenVersion! &&
        n.receivedAt < old.sentAt,
    );
    if (!newer) continue;
    // A payer's own cancel in between could arguably reopen the order: not judged here.
    if (cancelsSent.some((c) => c.reference === old.reference && c.sentAt < old.receivedAt))
      continue;
    add({
      check: 'stale-token',
      reference: old.reference,
      checkoutId: row.id,
      message:
        `${old.reference}: token v${old.tokenVersion} (sent ${old.sentAt - newer.receivedAt} ms after v${newer.tokenVersion} was accepted) ` +
        `was handed checkout ${short(row.id)} at its old price ${cents(row.amount_in_cents)}`,
    });
  }

  // Nothing may end a checkout but its holder, the agency (a newer order token), or a create for
  // the same order from another browser, which supersedes it without learning anything of it
  // (DESIGN.md, non-negotiables 7 and 8; two devices of one payer each get a working link).
  const holdersOf = new Map<string, RequestRecord[]>();
  for (const r of creates)
    holdersOf.set(r.checkoutId!, [...(holdersOf.get(r.checkoutId!) ?? []), r]);
  for (const [checkoutId, handed] of holdersOf) {
    const row = rowById.get(checkoutId);
    if (row?.status !== 'cancelled') continue;
    const holders = new Set(handed.map((r) => r.browser));
    // Only a request sent before PaySG cancelled the payment can have been the cause.
    const cancelledAt =
      Date.parse(paymentById.get(row.payment_id ?? '')?.payment_cancelled_timestamp ?? '') ||
      Infinity;
    const asked = records.some(
      (c) =>
        c.kind === 'cancel' &&
        c.checkoutId === checkoutId &&
        holders.has(c.browser) &&
        c.outcome !== 'refused' &&
        c.outcome !== 'no_target' &&
        c.sentAt <= cancelledAt,
    );
    if (asked) continue;
    const reference = handed[0]!.reference;
    // The token the checkout was made for: the version with its amount (each version has its own).
    const version = records.find(
      (r) =>
        r.reference === reference &&
        r.tokenVersion !== undefined &&
        r.expectedAmountInCents === row.amount_in_cents,
    )?.tokenVersion;
    const repriced =
      version !== undefined &&
      records.some(
        (r) =>
          r.kind === 'create' &&
          r.reference === reference &&
          (r.tokenVersion ?? 0) > version &&
          r.outcome !== 'refused' &&
          r.sentAt <= cancelledAt,
      );
    if (repriced) continue;
    const superseded = records.some(
      (r) =>
        r.kind === 'create' &&
        r.orderKind === 'catalog' &&
        r.reference === reference &&
        !holders.has(r.browser) &&
        r.outcome !== 'refused' &&
        r.sentAt <= cancelledAt,
    );
    if (superseded) continue;
    add({
      check: 'cancelled-unasked',
      reference,
      checkoutId,
      message:
        `${reference}: checkout ${short(checkoutId)} (handed to ${holders.size} browser${holders.size > 1 ? 's' : ''}${version ? `, token v${version}` : ''}) ` +
        `was cancelled, but none of them asked${version ? ' and no newer token came' : ''}`,
    });
  }

  for (const r of creates) {
    if (r.checkoutStatus !== 'unpaid' || !r.paymentId) continue;
    const p = paymentById.get(r.paymentId);
    if (!p) {
      add({
        check: 'dead-link',
        reference: r.reference,
        paymentId: r.paymentId,
        message: `${r.reference}: handed out payment ${r.paymentId}, which PaySG does not have`,
      });
      continue;
    }
    const cancelledAt = p.payment_cancelled_timestamp
      ? Date.parse(p.payment_cancelled_timestamp)
      : NaN;
    if (cancelledAt < r.sentAt) {
      add({
        check: 'dead-link',
        reference: r.reference,
        paymentId: p.id,
        message: `${r.reference}: ${r.label} request was handed payment ${p.id} as unpaid; PaySG had cancelled it ${r.sentAt - cancelledAt} ms before the request was sent`,
      });
    }
  }

  // Whatever concerns something settling did not finish with cannot be judged yet.
  const unverified = new Set(input.pending.unverified.map((r) => r.id));
  const unfinished = new Set(input.pending.onUnfinishedCheckouts.map((p) => p.id));
  const isUnsettled = (v: Violation) =>
    (v.checkoutId !== undefined && unverified.has(v.checkoutId)) ||
    (v.paymentId !== undefined && unfinished.has(v.paymentId));
  const ledgerChecks = new Set<CheckName>([
    'one-payable',
    'cancelled-but-unpaid',
    'paid-recorded',
    'orphan',
    'paid-matches',
    'store-dangling',
  ]);
  return {
    violations: found.filter((v) => !(ledgerChecks.has(v.check) && isUnsettled(v))),
    unsettled: found.filter((v) => ledgerChecks.has(v.check) && isUnsettled(v)),
  };
}

/** Who holds a payment no checkout names: the checkout PaySG was told about in `return_url`. */
function describeOwner(
  p: LedgerPayment,
  rowByPaymentId: Map<string, StoreRow>,
  rowById: Map<string, StoreRow>,
): string {
  const row = rowByPaymentId.get(p.id);
  if (row) return `checkout ${short(row.id)} is ${row.status}`;
  const id = checkoutIdOfReturnUrl(p.return_url);
  const owner = id ? rowById.get(id) : undefined;
  if (owner)
    return `no checkout names it (its return_url's checkout ${short(owner.id)} is ${owner.status}${owner.payment_id ? ` with payment ${owner.payment_id}` : ''})`;
  return 'no checkout names it';
}

function latestHandoutOf(records: RequestRecord[], reference: string): RequestRecord | undefined {
  return records
    .filter((r) => r.kind === 'create' && r.reference === reference && is2xx(r) && r.paymentId)
    .sort((a, b) => a.receivedAt - b.receivedAt)
    .at(-1);
}
