/**
 * Where a checkout can go from where it is: one table of `state × event → state`. The flow asks
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

export type CheckoutEvent =
  /** A quote is wanted: first show, start again, a retry. */
  | 'quote'
  /** The quote arrived. */
  | 'quoted'
  /** Pay was pressed (or retried), and the host did not stop it. */
  | 'pay'
  /** The page is leaving for PaySG. */
  | 'leave'
  /** PaySG is open elsewhere (a popup, or wherever the host sent the payer): follow it live. */
  | 'follow'
  /** Ask the BFF where the checkout is (the payer came back, or asked to check again). */
  | 'verify'
  | 'paid'
  | 'unpaid'
  | 'cancel'
  | 'cancelled'
  | 'fail'
  /**
   * What is being paid for changed (another item, reference, order token or BFF): from any state,
   * the flow starts over for the new order, as a page showing it would (`CheckoutFlow.hostUpdate`).
   */
  | 'restart';

export const TRANSITIONS: Readonly<
  Record<CheckoutState, Partial<Record<CheckoutEvent, CheckoutState>>>
> = {
  loading: { quote: 'loading', quoted: 'ready', verify: 'verifying', fail: 'error' },
  ready: { quote: 'loading', pay: 'submitting' },
  // verify: the order turned out paid, by this browser (the quote names its checkout).
  submitting: { leave: 'redirecting', follow: 'awaiting', verify: 'verifying', fail: 'error' },
  // Back through the back/forward cache: the page never reloaded.
  redirecting: { verify: 'verifying' },
  awaiting: {
    paid: 'paid',
    unpaid: 'unpaid',
    cancelled: 'cancelled',
    quote: 'loading',
    leave: 'redirecting',
    cancel: 'cancelling',
    verify: 'verifying',
  },
  verifying: {
    paid: 'paid',
    unpaid: 'unpaid',
    cancelled: 'cancelled',
    quote: 'loading',
    verify: 'verifying',
    fail: 'error',
  },
  paid: {},
  unpaid: { leave: 'redirecting', follow: 'awaiting', cancel: 'cancelling', verify: 'verifying' },
  cancelling: { cancelled: 'cancelled', verify: 'verifying', fail: 'error' },
  cancelled: { quote: 'loading' },
  error: { quote: 'loading', pay: 'submitting', verify: 'verifying' },
};

/** Where `event` leads from `state`, or `undefined` when it does not apply there. */
export function nextState(state: CheckoutState, event: CheckoutEvent): CheckoutState | undefined {
  return event === 'restart' ? 'loading' : TRANSITIONS[state][event];
}

/** States in which the payer waits and a press of a button must do nothing. */
export const BUSY_STATES: ReadonlySet<CheckoutState> = new Set([
  'loading',
  'submitting',
  'redirecting',
  'verifying',
  'cancelling',
]);
