/**
 * Where a checkout can go from where it is: one table of `state → states`. The flow asks
 * it before every step, so a second press, a late answer or a timer left over from a state the
 * widget has since left changes nothing. Anything not listed is ignored.
 */
export const CHECKOUT_STATES = [
  'loading',
  'ready',
  'submitting',
  'redirecting',
  'awaiting',
  'verifying',
  'paid',
  'unpaid',
  'cancelling',
  'cancelled',
  'error',
] as const;

export type CheckoutState = (typeof CHECKOUT_STATES)[number];

/**
 * Where each state may go. Every move is one event's, and each event leads to one state,
 * whichever state it starts from, so the flow names where it goes and this table says whether
 * it may go there from where it is:
 * - `loading`: a quote is wanted (first show, start again, a retry), or the order changed;
 * - `ready`: the quote arrived;
 * - `submitting`: Pay was pressed (or retried), and the host did not stop it;
 * - `redirecting`: the page is leaving for PaySG;
 * - `awaiting`: PaySG is open elsewhere (a popup, or wherever the host sent the payer): follow it live;
 * - `verifying`: ask the BFF where the checkout is (the payer came back, or asked to check again);
 * - `paid`, `unpaid`, `cancelled`: the BFF said so;
 * - `cancelling`: the payer pressed Cancel payment;
 * - `error`: something failed.
 * A change of what is being paid for (another item, reference, order token or BFF) is not in the
 * table: from any state, the flow starts over for the new order, as a page showing it would
 * (`CheckoutFlow.hostUpdate`).
 */
export const TRANSITIONS: Readonly<Record<CheckoutState, readonly CheckoutState[]>> = {
  loading: ['loading', 'ready', 'verifying', 'error'],
  ready: ['loading', 'submitting'],
  // verifying: the order turned out paid, by this browser (the quote names its checkout).
  submitting: ['redirecting', 'awaiting', 'verifying', 'error'],
  // Back through the back/forward cache: the page never reloaded.
  redirecting: ['verifying'],
  awaiting: ['paid', 'unpaid', 'cancelled', 'loading', 'redirecting', 'cancelling', 'verifying'],
  verifying: ['paid', 'unpaid', 'cancelled', 'loading', 'verifying', 'error'],
  paid: [],
  unpaid: ['redirecting', 'awaiting', 'cancelling', 'verifying'],
  cancelling: ['cancelled', 'verifying', 'error'],
  cancelled: ['loading'],
  // error: a new error replaces the one shown.
  error: ['loading', 'submitting', 'verifying', 'error'],
};

/** Whether the flow may go from `state` to `next`. */
export function canMove(state: CheckoutState, next: CheckoutState): boolean {
  return TRANSITIONS[state].includes(next);
}

/** States in which the payer waits and a press of a button must do nothing. */
export const BUSY_STATES: ReadonlySet<CheckoutState> = new Set([
  'loading',
  'submitting',
  'redirecting',
  'verifying',
  'cancelling',
]);
