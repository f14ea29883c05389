/**
 * The checkout's steps once there is something to pay: creating the checkout, leaving for PaySG
 * or following it in a popup, checking the outcome when the payer comes back, cancelling, and
 * what an error offers. A reactive controller: everything it starts (fetches, timers, window
 * listeners) stops when the element leaves the page, and starts again if it comes back.
 *
 * Every step goes through `#go`, which asks the transition table; the quote itself is the
 * element's task (`paysg-checkout.ts`), which this flow tells when a quote is wanted.
 *
 * A change of what is being paid for (the host sets another item, reference, order token or
 * endpoint) starts the flow over in any state, as a page showing the new order would: whatever
 * was in flight for the old order (a quote, a check, creating the checkout, a cancel, a popup
 * being followed) is abandoned and its answer ignored, a popup opened for it is closed, and its
 * pending checkout stays remembered under its own scope, so switching back finds it again.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { BffError, type BffClient, type CheckoutView, type Quote } from '../bff-client.js';
import type { CreateCheckoutRequest } from '../../contract/bff-contract.js';
import {
  PaysgCancelEvent,
  PaysgErrorEvent,
  PaysgPaidEvent,
  PaysgPendingEvent,
  PaysgRedirectEvent,
  type PaysgErrorDetail,
} from '../events.js';
import { errorMessage, type FlowError } from './error-message.js';
import type { Messages } from '../locales/index.js';
import { nextState, type CheckoutEvent, type CheckoutState } from './checkout-transitions.js';
import { forgetPending, pendingCheckout, rememberPending } from './pending-checkout.js';
import { isPopupReturn, openBlankPopup, sendPopupTo } from './popup-window.js';
import { RETURN_PARAM } from '../../contract/wire-names.js';
import { takeReturnedCheckoutId } from './return-param.js';
import { pollDelay, POLL_FOR_MS } from './status-polling.js';

/** What the flow needs from its element. */
export interface CheckoutFlowContext {
  client(): BffClient;
  /** Where this widget's pending checkout is remembered (per BFF and order): also what the order is. */
  scope(): string;
  mode(): 'redirect' | 'popup';
  /** The texts of the payer's language, once loaded: an error event speaks it too. */
  texts(): Promise<Messages>;
  /** Keeps the element's custom state (`:state(paid)`) in step. */
  stateChanged(state: CheckoutState): void;
}

export type { FlowError } from './error-message.js';

/** The states a payer can come back to with the Back button, having left for PaySG. */
const RETURNABLE: ReadonlySet<CheckoutState> = new Set(['redirecting', 'awaiting', 'unpaid']);

/** The first status check after a return is retried this many times before the payer is asked. */
const VERIFY_ATTEMPTS = 8;

export class CheckoutFlow implements ReactiveController {
  state: CheckoutState = 'loading';
  /** The checkout in hand, once there is one. */
  checkout?: Partial<CheckoutView> & { checkoutId: string };
  error?: FlowError;
  /** Goes up each time a new quote is wanted, so the element's quote task runs again. */
  quoteRound = 0;
  /** The payer has just come back, or acted: the element moves focus to what follows. */
  focusRequested = false;

  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #context: CheckoutFlowContext;
  #started = false;
  /** The order the flow started for (its scope): another one starts it over. */
  #scope?: string;
  #retry?: () => void;
  /** One key per payment attempt, kept across retries of that attempt so they are replayed. */
  #idempotencyKey?: string;
  #popup: Window | null = null;
  #timer?: ReturnType<typeof setTimeout>;
  /** When following PaySG live began. */
  #followingSince = 0;
  #connection = new AbortController();

  constructor(host: ReactiveControllerHost & HTMLElement, context: CheckoutFlowContext) {
    this.#host = host;
    this.#context = context;
    host.addController(this);
  }

  /** Whether the element should ask for a quote: nothing has been started, or it ended. */
  get wantsQuote(): boolean {
    return this.#started && !this.checkout && this.state === 'loading';
  }

  /** A retry is offered. */
  get canRetry(): boolean {
    return this.#retry !== undefined;
  }

  hostConnected(): void {
    this.#connection = new AbortController();
    const { signal } = this.#connection;
    window.addEventListener('pageshow', this.#onPageShow, { signal });
    window.addEventListener('message', this.#onMessage, { signal });
    if (!this.#started) {
      // After the first render, so every widget on the page is upgraded before one takes the
      // return, and listeners the host adds right after the tag still hear the first events.
      void this.#host.updateComplete.then(() => this.#start());
    } else if (this.state === 'awaiting') {
      this.#follow();
    } else if (this.state === 'verifying' && this.checkout) {
      void this.#verify(this.checkout.checkoutId);
    }
  }

  /** Removed from the page: no more requests, timers or listeners. */
  hostDisconnected(): void {
    this.#connection.abort();
    clearTimeout(this.#timer);
  }

  /** Before each render: another order (a framework set another item) starts over (see above). */
  hostUpdate(): void {
    if (!this.#started || this.#context.scope() === this.#scope) return;
    this.#popup?.close();
    this.hostDisconnected();
    this.#started = false;
    this.error = undefined;
    this.#go('restart');
    this.hostConnected();
  }

  #start(): void {
    if (this.#started || this.#connection.signal.aborted) return;
    this.#started = true;
    const scope = (this.#scope = this.#context.scope());
    const returned = takeReturnedCheckoutId(this.#host);
    if (returned) rememberPending(scope, returned);
    const checkoutId = returned ?? pendingCheckout(scope);
    if (!checkoutId) return this.#quote();
    this.checkout = { checkoutId };
    this.focusRequested = true;
    void this.#verify(checkoutId);
  }

  /** Back from PaySG through the back/forward cache: the page never reloaded, so check again. */
  #onPageShow = (event: PageTransitionEvent): void => {
    const checkoutId = pendingCheckout(this.#context.scope());
    if (!event.persisted || !checkoutId || !RETURNABLE.has(this.state)) return;
    this.checkout ??= { checkoutId };
    this.focusRequested = true;
    void this.#verify(checkoutId);
  };

  /** The popup's return page says the payer is back: ask the BFF now (never trust the message). */
  #onMessage = (event: MessageEvent): void => {
    if (
      event.origin !== new URL(this.#context.client().endpoint, location.href).origin ||
      !isPopupReturn(event.data)
    )
      return;
    if (this.state === 'awaiting' && event.data.checkoutId === this.checkout?.checkoutId)
      void this.#poll(0);
  };

  /** Moves to the state `event` leads to; false (and nothing changes) when it does not apply. */
  #go(event: CheckoutEvent): boolean {
    const next = nextState(this.state, event);
    if (!next) return false;
    if (next !== 'error') this.#retry = undefined;
    this.state = next;
    this.#context.stateChanged(next);
    this.#host.requestUpdate();
    return true;
  }

  /** Asks the element for a (new) quote: a new quote is a new attempt, with a new key. */
  #quote(): void {
    this.checkout = undefined;
    this.#idempotencyKey = undefined;
    if (this.#go('quote') || this.state === 'loading') {
      this.quoteRound++;
      this.#host.requestUpdate();
    }
  }

  /**
   * The quote arrived: Pay can be pressed (true), unless this browser already paid the order
   * (a second tab, a new visit): then its confirmation is shown, as after a return.
   */
  quoted(quote: Quote): boolean {
    const paid = quote.paidCheckoutId;
    if (!paid) return this.#go('quoted');
    this.checkout = { checkoutId: paid };
    void this.#verify(paid);
    return false;
  }

  quoteFailed(err: unknown): void {
    if (this.state === 'loading') this.#fail(err, () => this.#quote());
  }

  /** Pay, after the element checked the form and the host let it go on. */
  async pay(
    request: Omit<CreateCheckoutRequest, 'returnTo' | 'mode'>,
    popup: Window | null,
  ): Promise<void> {
    if (!this.#go('pay')) return void popup?.close();
    this.focusRequested = true;
    this.#idempotencyKey ??= crypto.randomUUID();
    this.#popup = popup;
    const client = this.#context.client();
    const { signal } = this.#connection;
    let created;
    try {
      created = await client.createCheckout(
        { ...request, returnTo: returnTo(), ...(popup && { mode: 'popup' as const }) },
        this.#idempotencyKey,
        signal,
      );
    } catch (err) {
      popup?.close();
      // Paid already. If by this browser (or with this order token), the quote names that
      // checkout, and its confirmation is shown; anyone else is only told (non-negotiable 7).
      const quote =
        err instanceof BffError &&
        err.code === 'order_already_paid' &&
        (await client.getQuote(request, signal).catch(() => undefined));
      // Another order now, or the element left the page: this attempt's outcome is not shown.
      if (signal.aborted) return;
      if (quote && quote.paidCheckoutId) return void this.quoted(quote);
      // A definite "no" ends this attempt; anything else is retried with the same key.
      if (!(err instanceof BffError && err.retryable)) this.#idempotencyKey = undefined;
      return this.#fail(err, () => this.#payAgain(request));
    }
    if (signal.aborted) return;
    const paymentUrl = created.paymentUrl;
    if (!paymentUrl || !isHttpUrl(paymentUrl)) {
      popup?.close();
      return this.#fail(new BffError('invalid_response', 'No paymentUrl'), () =>
        this.#payAgain(request),
      );
    }
    rememberPending(this.#context.scope(), created.checkoutId);
    this.checkout = { checkoutId: created.checkoutId, paymentUrl };
    if (
      !this.#host.dispatchEvent(
        new PaysgRedirectEvent({ checkoutId: created.checkoutId, paymentUrl }),
      )
    ) {
      popup?.close();
      return this.#startFollowing();
    }
    if (popup && sendPopupTo(popup, paymentUrl)) this.#startFollowing();
    else this.#leaveFor(paymentUrl);
  }

  /** Retry pressed: in popup mode a new window, opened in that click so no blocker stops it. */
  #payAgain(request: Omit<CreateCheckoutRequest, 'returnTo' | 'mode'>): void {
    void this.pay(request, this.#context.mode() === 'popup' ? openBlankPopup() : null);
  }

  resume(): void {
    const paymentUrl = this.checkout?.paymentUrl;
    if (this.state !== 'unpaid' || !paymentUrl) return;
    this.focusRequested = true;
    // As for a first payment: a host that navigates itself cancels this and goes there.
    if (
      !this.#host.dispatchEvent(
        new PaysgRedirectEvent({ checkoutId: this.checkout!.checkoutId, paymentUrl }),
      )
    )
      return;
    if (this.#context.mode() === 'popup') {
      this.#popup = openBlankPopup();
      if (this.#popup && sendPopupTo(this.#popup, paymentUrl)) return this.#startFollowing();
    }
    this.#leaveFor(paymentUrl);
  }

  reopen(): void {
    const paymentUrl = this.checkout?.paymentUrl;
    if (this.state !== 'awaiting' || !paymentUrl) return;
    if (this.#popup && !this.#popup.closed) return void this.#popup.focus();
    this.#popup = openBlankPopup();
    if (!this.#popup || !sendPopupTo(this.#popup, paymentUrl)) this.#leaveFor(paymentUrl);
  }

  async cancel(): Promise<void> {
    const checkoutId = this.checkout?.checkoutId;
    if (!checkoutId || !this.#go('cancel')) return;
    this.focusRequested = true;
    clearTimeout(this.#timer);
    this.#popup?.close();
    const { signal } = this.#connection;
    let view: CheckoutView;
    try {
      view = await this.#context.client().cancelCheckout(checkoutId, signal);
    } catch (err) {
      if (signal.aborted) return;
      if (err instanceof BffError && err.code === 'order_already_paid') {
        // Paid in another window meanwhile: show the verified truth, not an error.
        return this.#verify(checkoutId);
      }
      return this.#fail(err, () => void this.#verify(checkoutId));
    }
    if (!signal.aborted) this.#showOutcome(view);
  }

  startAgain(): void {
    if (this.state !== 'cancelled') return;
    this.focusRequested = true;
    this.#quote();
  }

  retry(): void {
    const retry = this.#retry;
    if (this.state !== 'error' || !retry) return;
    this.focusRequested = true;
    clearTimeout(this.#timer);
    retry();
  }

  /** Stays busy until the page is really gone: a second press does nothing. */
  #leaveFor(paymentUrl: string): void {
    if (this.#go('leave')) location.assign(paymentUrl);
  }

  #startFollowing(): void {
    if (!this.#go('follow')) return;
    this.#followingSince = Date.now();
    this.#follow();
  }

  #follow(): void {
    this.#schedule(() => this.#poll(1), pollDelay(0));
  }

  async #poll(attempt: number): Promise<void> {
    const checkoutId = this.checkout?.checkoutId;
    if (this.state !== 'awaiting' || !checkoutId) return;
    const { signal } = this.#connection;
    let view: CheckoutView | undefined;
    try {
      view = await this.#context.client().getCheckout(checkoutId, signal);
    } catch {
      // A failed check is only a missed one; the next may answer.
    }
    if (this.state !== 'awaiting' || signal.aborted) return;
    const popupClosed = this.#popup?.closed ?? false;
    if (view && (view.status !== 'unpaid' || popupClosed)) return this.#showOutcome(view);
    if (Date.now() - this.#followingSince < POLL_FOR_MS)
      this.#schedule(() => this.#poll(attempt + 1), pollDelay(attempt));
  }

  #schedule(task: () => void, delay: number): void {
    clearTimeout(this.#timer);
    if (!this.#connection.signal.aborted) this.#timer = setTimeout(task, delay);
  }

  async #verify(checkoutId: string, attempt = 0): Promise<void> {
    if (!this.#go('verify') && this.state !== 'verifying') return;
    const { signal } = this.#connection;
    let view: CheckoutView;
    try {
      // In parallel with the payer's language, so the outcome is shown in it.
      [view] = await Promise.all([
        this.#context.client().getCheckout(checkoutId, signal),
        this.#context.texts(),
      ]);
    } catch (err) {
      if (signal.aborted) return;
      if (err instanceof BffError && err.code === 'not_found') {
        // A stale memory of a checkout this BFF does not know: start afresh.
        forgetPending(this.#context.scope());
        return this.#quote();
      }
      // Whatever went wrong, asking again is safe, and nothing is said about paid or failed.
      this.#fail(err, () => void this.#verify(checkoutId), { statusUnknown: true });
      if (attempt < VERIFY_ATTEMPTS)
        this.#schedule(
          () => this.state === 'error' && void this.#verify(checkoutId, attempt + 1),
          pollDelay(attempt),
        );
      return;
    }
    if (!signal.aborted) this.#showOutcome(view);
  }

  #showOutcome(view: CheckoutView): void {
    clearTimeout(this.#timer);
    const scope = this.#context.scope();
    switch (view.status) {
      case 'paid':
        this.checkout = view;
        if (!this.#go('paid')) return;
        this.#host.dispatchEvent(
          new PaysgPaidEvent({
            checkoutId: view.checkoutId,
            paymentId: view.paymentId ?? '',
            referenceId: view.referenceId,
            amountInCents: view.amountInCents,
            currency: view.currency,
            paidAt: view.paidAt ?? '',
          }),
        );
        return;
      case 'cancelled': {
        const cancelling = this.state === 'cancelling';
        this.checkout = view;
        forgetPending(scope);
        this.#idempotencyKey = undefined;
        if (this.#go('cancelled') && cancelling)
          this.#host.dispatchEvent(new PaysgCancelEvent({ checkoutId: view.checkoutId }));
        return;
      }
      case 'failed':
        forgetPending(scope);
        return this.#quote();
      default:
        this.checkout = view;
        if (this.#go('unpaid'))
          this.#host.dispatchEvent(
            new PaysgPendingEvent({
              checkoutId: view.checkoutId,
              paymentUrl: view.paymentUrl ?? null,
            }),
          );
    }
  }

  #fail(err: unknown, retry: () => void, options: { statusUnknown?: boolean } = {}): void {
    if (this.#connection.signal.aborted) return;
    const bffError = err instanceof BffError ? err : new BffError('internal_error', String(err));
    const retryable = options.statusUnknown || bffError.retryable;
    // An expired or replaced order token is fixed by a fresh page, unless the host sets a new one.
    const reloads =
      bffError.code === 'order_token_expired' || bffError.code === 'order_token_superseded';
    const error: FlowError = {
      code: bffError.code,
      retryable,
      ...(bffError.requestId && { requestId: bffError.requestId }),
      ...(options.statusUnknown && { statusUnknown: true }),
      ...(reloads && { reloads: true }),
    };
    if (!this.#go('fail') && this.state !== 'error') return;
    this.error = error;
    this.#retry = !retryable ? undefined : reloads ? () => location.reload() : retry;
    this.#host.requestUpdate();
    if (bffError.code === 'network_error') warnIfCrossOrigin(this.#context.client().endpoint);
    void this.#context.texts().then((m) => {
      if (this.error === error)
        this.#host.dispatchEvent(
          new PaysgErrorEvent({ ...withoutFlags(error), message: errorMessage(m, error) }),
        );
    });
  }
}

function withoutFlags({
  statusUnknown: _s,
  reloads: _r,
  ...detail
}: FlowError): Omit<PaysgErrorDetail, 'message'> {
  return detail;
}

/**
 * A browser reports a CORS refusal as a network error, indistinguishable from being offline: when
 * the BFF is on another origin, tell the developer where to look.
 */
function warnIfCrossOrigin(endpoint: string): void {
  const bff = new URL(endpoint, location.href).origin;
  if (bff === location.origin) return;
  console.warn(
    `<paysg-checkout>: could not reach the BFF at ${bff}. If it is running, its ALLOWED_ORIGINS must include ${location.origin}.`,
  );
}

/** This page, without our own return parameter or a fragment. */
function returnTo(): string {
  const url = new URL(location.href);
  url.searchParams.delete(RETURN_PARAM);
  url.hash = '';
  return url.toString();
}

function isHttpUrl(value: string): boolean {
  try {
    return /^https?:$/.test(new URL(value).protocol);
  } catch {
    return false;
  }
}
