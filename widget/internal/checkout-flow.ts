/**
 * The checkout's steps once there is something to pay: creating the checkout, leaving for PaySG
 * or following it in a popup, checking the outcome when the payer comes back, cancelling, and
 * what an error offers. A reactive controller: everything it starts (fetches, timers, window
 * listeners) stops when the element leaves the page, and starts again if it comes back.
 *
 * Every step goes through `#go`, which asks the transition table. The flow owns everything the
 * element shows: the quote (asked for whenever a new attempt begins), and its state, one value
 * per step that holds what that step has in hand (`FlowState`). The element reads them, and
 * acts through the flow's methods; nothing it does writes into the flow.
 *
 * A change of what is being paid for (the host sets another item, reference, order token or
 * endpoint) starts the flow over in any state, as a page showing the new order would: whatever
 * was in flight for the old order (a quote, a check, creating the checkout, a cancel, a popup
 * being followed) is abandoned and its answer ignored, a popup opened for it is closed, and its
 * pending checkout stays remembered under its own scope, so switching back finds it again.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { BffClient, BffError, type CheckoutView, type Quote } from '../bff-client.js';
import type {
  CreateCheckoutRequest,
  CreatedCheckoutResponse,
} from '../../contract/bff-contract.js';
import {
  PaysgCancelEvent,
  PaysgErrorEvent,
  PaysgPaidEvent,
  PaysgPendingEvent,
  PaysgReadyEvent,
  PaysgRedirectEvent,
  type PaysgErrorDetail,
  type PaysgQuoteDetail,
} from '../events.js';
import { errorMessage, type FlowError } from './error-message.js';
import type { Messages } from '../locales/index.js';
import { BUSY_STATES, canMove, type CheckoutState } from './checkout-transitions.js';
import { forgetPending, pendingCheckout, rememberPending } from './pending-checkout.js';
import { isPopupReturn, openBlankPopup, sendPopupTo } from './popup-window.js';
import { RETURN_PARAM } from '../../contract/wire-names.js';
import { scopeOf, takeReturnedCheckoutId, type OrderSource } from './return-param.js';
import { pollDelay, POLL_FOR_MS } from './status-polling.js';

/** What the flow needs from its element. */
export interface CheckoutFlowContext {
  /** What is being paid for, and at which BFF: the element's properties, read when needed. */
  order(): OrderSource;
  mode(): 'redirect' | 'popup';
  /** The texts of the payer's language, once loaded: an error event speaks it too. */
  texts(): Promise<Messages>;
  /** Keeps the element's custom state (`:state(paid)`) in step. */
  stateChanged(state: CheckoutState): void;
}

export type { FlowError } from './error-message.js';

/** A checkout before the BFF has shown it: its id, and PaySG's link once there is one. */
export interface CheckoutLink {
  readonly checkoutId: string;
  readonly paymentUrl?: string;
  readonly description?: undefined;
}

/** The checkout in hand: as the BFF showed it (it has a description then), or its id and link. */
export type CheckoutInHand = Readonly<CheckoutView> | CheckoutLink;

/**
 * Where the checkout is (`status`, the element's `state`), with what that step holds: nothing
 * before a checkout exists, the checkout in hand while PaySG has it, the BFF's view of it once an
 * outcome is known, and the error shown (with the checkout, if there was one).
 */
export type FlowState =
  | { readonly status: 'loading' | 'ready' | 'submitting'; readonly checkout?: undefined }
  | {
      readonly status: 'redirecting' | 'awaiting' | 'verifying' | 'cancelling';
      readonly checkout: CheckoutInHand;
    }
  | { readonly status: 'paid' | 'unpaid' | 'cancelled'; readonly checkout: Readonly<CheckoutView> }
  | { readonly status: 'error'; readonly error: FlowError; readonly checkout?: CheckoutInHand };

/** What `paysg-ready` and `paysg-submit` say about the order. */
export function quoteDetail(quote: Quote, amountInCents: number | null): PaysgQuoteDetail {
  return { description: quote.description, amountInCents, currency: quote.currency };
}

/** The states a payer can come back to with the Back button, having left for PaySG. */
const RETURNABLE: ReadonlySet<CheckoutState> = new Set(['redirecting', 'awaiting', 'unpaid']);

/** The first status check after a return is retried this many times before the payer is asked. */
const VERIFY_ATTEMPTS = 8;

export class CheckoutFlow implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #context: CheckoutFlowContext;
  #state: FlowState = { status: 'loading' };
  #quote?: Quote;
  /** The payer has just come back, or acted: the element moves focus to what follows. */
  #focusRequested = false;
  #started = false;
  /** The order the flow started for (its scope): another one starts it over. */
  #scope?: string;
  #retry?: () => void;
  /** The error whose `paysg-error` is still to be sent, once the payer's language is loaded. */
  #error?: FlowError;
  /** One key per payment attempt, kept across retries of that attempt so they are replayed. */
  #idempotencyKey?: string;
  #popup: Window | null = null;
  #timer?: ReturnType<typeof setTimeout>;
  /** When following PaySG live began. */
  #followingSince = 0;
  #connection = new AbortController();
  /** The quote being asked for: a new order, or a new quote, abandons it. */
  #quoting = new AbortController();

  constructor(host: ReactiveControllerHost & HTMLElement, context: CheckoutFlowContext) {
    this.#host = host;
    this.#context = context;
    host.addController(this);
  }

  /** Where the checkout is, and what that step holds. */
  get state(): FlowState {
    return this.#state;
  }

  /** What the order will charge, once the BFF said so. */
  get quote(): Readonly<Quote> | undefined {
    return this.#quote;
  }

  /** A retry is offered. */
  get canRetry(): boolean {
    return this.#retry !== undefined;
  }

  /**
   * Whether the element moves focus to what it shows now: when the payer was in it (`hadFocus`),
   * or has just come back or acted. A settled state uses that request up, a busy one keeps it.
   */
  movesFocus(hadFocus: boolean): boolean {
    if (!hadFocus && !this.#focusRequested) return false;
    if (!BUSY_STATES.has(this.#state.status)) this.#focusRequested = false;
    return true;
  }

  #client(): BffClient {
    return new BffClient(this.#context.order().endpoint);
  }

  #scopeNow(): string {
    return scopeOf(this.#context.order());
  }

  hostConnected(): void {
    this.#connection = new AbortController();
    const { signal } = this.#connection;
    window.addEventListener('pageshow', this.#onPageShow, { signal });
    window.addEventListener('message', this.#onMessage, { signal });
    const state = this.#state;
    if (!this.#started) {
      // After the first render, so every widget on the page is upgraded before one takes the
      // return, and listeners the host adds right after the tag still hear the first events.
      void this.#host.updateComplete.then(() => this.#start());
    } else if (state.status === 'awaiting') {
      this.#follow();
    } else if (state.status === 'verifying') {
      void this.#verify(state.checkout.checkoutId);
    }
  }

  /** Removed from the page: no more requests, timers or listeners. */
  hostDisconnected(): void {
    this.#connection.abort();
    clearTimeout(this.#timer);
  }

  /** Before each render: another order (a framework set another item) starts over (see above). */
  hostUpdate(): void {
    if (!this.#started || this.#scopeNow() === this.#scope) return;
    this.#popup?.close();
    this.#quoting.abort();
    this.hostDisconnected();
    this.#started = false;
    this.#error = undefined;
    this.#go({ status: 'loading' }, true);
    this.hostConnected();
  }

  #start(): void {
    if (this.#started || this.#connection.signal.aborted) return;
    this.#started = true;
    this.#scope = this.#scopeNow();
    const scope = this.#scope;
    const returned = takeReturnedCheckoutId(this.#host);
    if (returned) rememberPending(scope, returned);
    const checkoutId = returned ?? pendingCheckout(scope);
    if (!checkoutId) {
      this.#askQuote();
      return;
    }
    this.#focusRequested = true;
    void this.#verify(checkoutId);
  }

  /** Back from PaySG through the back/forward cache: the page never reloaded, so check again. */
  #onPageShow = (event: PageTransitionEvent): void => {
    const checkoutId = pendingCheckout(this.#scopeNow());
    if (!event.persisted || !checkoutId || !RETURNABLE.has(this.#state.status)) return;
    this.#focusRequested = true;
    void this.#verify(checkoutId);
  };

  /** The popup's return page says the payer is back: ask the BFF now (never trust the message). */
  #onMessage = (event: MessageEvent): void => {
    if (
      event.origin !== new URL(this.#client().endpoint, location.href).origin ||
      !isPopupReturn(event.data)
    )
      return;
    const state = this.#state;
    if (state.status === 'awaiting' && event.data.checkoutId === state.checkout.checkoutId)
      void this.#poll(0);
  };

  /**
   * Moves to `next` when the table leads there from where the flow is (from anywhere, for a new
   * order); false, and nothing changes, otherwise.
   */
  #go(next: FlowState, restart = false): boolean {
    if (!restart && !canMove(this.#state.status, next.status)) return false;
    if (next.status !== 'error') this.#retry = undefined;
    this.#state = next;
    this.#context.stateChanged(next.status);
    this.#host.requestUpdate();
    return true;
  }

  /** A new quote is a new attempt, with a new key. */
  #askQuote(): void {
    this.#idempotencyKey = undefined;
    if (!this.#go({ status: 'loading' })) return;
    this.#quoting.abort();
    this.#quoting = new AbortController();
    void this.#fetchQuote(this.#quoting.signal);
  }

  async #fetchQuote(signal: AbortSignal): Promise<void> {
    const order = this.#context.order();
    let quote: Quote;
    try {
      if (!order.item && !order.orderToken) {
        console.warn('<paysg-checkout>: set the item or order-token attribute');
        throw new BffError('invalid_request', 'No item or order-token');
      }
      // In parallel with the payer's language: the quote is shown (and paysg-ready fired) in it.
      [quote] = await Promise.all([this.#client().getQuote(order, signal), this.#context.texts()]);
    } catch (err) {
      if (signal.aborted) return;
      this.#quote = undefined;
      if (this.#state.status === 'loading') this.#fail(err, () => this.#askQuote());
      return;
    }
    if (signal.aborted) return;
    this.#quote = quote;
    if (this.#quoted(quote))
      this.#host.dispatchEvent(
        new PaysgReadyEvent(quoteDetail(quote, quote.amountInCents ?? null)),
      );
  }

  /**
   * The quote arrived: Pay can be pressed (true), unless this browser already paid the order
   * (a second tab, a new visit): then its confirmation is shown, as after a return.
   */
  #quoted(quote: Quote): boolean {
    const paid = quote.paidCheckoutId;
    if (!paid) return this.#go({ status: 'ready' });
    void this.#verify(paid);
    return false;
  }

  /** Pay, after the element checked the form and the host let it go on. */
  async pay(
    request: Omit<CreateCheckoutRequest, 'returnTo' | 'mode'>,
    popup: Window | null,
  ): Promise<void> {
    if (!this.#go({ status: 'submitting' })) {
      popup?.close();
      return;
    }
    this.#focusRequested = true;
    this.#idempotencyKey ??= crypto.randomUUID();
    this.#popup = popup;
    const client = this.#client();
    const { signal } = this.#connection;
    let created: CreatedCheckoutResponse;
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
        err instanceof BffError && err.code === 'order_already_paid'
          ? await client.getQuote(request, signal).catch(() => undefined)
          : undefined;
      // Another order now, or the element left the page: this attempt's outcome is not shown.
      if (signal.aborted) return;
      if (quote?.paidCheckoutId) {
        this.#quoted(quote);
        return;
      }
      // A definite "no" ends this attempt; anything else is retried with the same key.
      if (!(err instanceof BffError && err.retryable)) this.#idempotencyKey = undefined;
      return this.#fail(err, () => this.#payAgain(request));
    }
    if (signal.aborted) return;
    const { checkoutId, paymentUrl } = created;
    if (!paymentUrl || !isHttpUrl(paymentUrl)) {
      popup?.close();
      return this.#fail(new BffError('invalid_response', 'No paymentUrl'), () =>
        this.#payAgain(request),
      );
    }
    rememberPending(this.#scopeNow(), checkoutId);
    const checkout = { checkoutId, paymentUrl };
    if (!this.#host.dispatchEvent(new PaysgRedirectEvent({ checkoutId, paymentUrl }))) {
      popup?.close();
      return this.#startFollowing(checkout);
    }
    if (popup && sendPopupTo(popup, paymentUrl)) this.#startFollowing(checkout);
    else this.#leaveFor(checkout, paymentUrl);
  }

  /** Retry pressed: in popup mode a new window, opened in that click so no blocker stops it. */
  #payAgain(request: Omit<CreateCheckoutRequest, 'returnTo' | 'mode'>): void {
    void this.pay(request, this.#context.mode() === 'popup' ? openBlankPopup() : null);
  }

  resume(): void {
    const state = this.#state;
    if (state.status !== 'unpaid') return;
    const { checkout } = state;
    const paymentUrl = checkout.paymentUrl;
    if (!paymentUrl) return;
    this.#focusRequested = true;
    // As for a first payment: a host that navigates itself cancels this and goes there.
    if (
      !this.#host.dispatchEvent(
        new PaysgRedirectEvent({ checkoutId: checkout.checkoutId, paymentUrl }),
      )
    )
      return;
    if (this.#context.mode() === 'popup') {
      this.#popup = openBlankPopup();
      if (this.#popup && sendPopupTo(this.#popup, paymentUrl)) {
        this.#startFollowing(checkout);
        return;
      }
    }
    this.#leaveFor(checkout, paymentUrl);
  }

  reopen(): void {
    const state = this.#state;
    const paymentUrl = state.checkout?.paymentUrl;
    if (state.status !== 'awaiting' || !paymentUrl) return;
    if (this.#popup && !this.#popup.closed) {
      this.#popup.focus();
      return;
    }
    this.#popup = openBlankPopup();
    if (!this.#popup || !sendPopupTo(this.#popup, paymentUrl))
      this.#leaveFor(state.checkout, paymentUrl);
  }

  async cancel(): Promise<void> {
    const { checkout } = this.#state;
    if (!checkout || !this.#go({ status: 'cancelling', checkout })) return;
    const { checkoutId } = checkout;
    this.#focusRequested = true;
    clearTimeout(this.#timer);
    this.#popup?.close();
    const { signal } = this.#connection;
    let view: CheckoutView;
    try {
      view = await this.#client().cancelCheckout(checkoutId, signal);
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
    if (this.#state.status !== 'cancelled') return;
    this.#focusRequested = true;
    this.#askQuote();
  }

  retry(): void {
    const retry = this.#retry;
    if (this.#state.status !== 'error' || !retry) return;
    this.#focusRequested = true;
    clearTimeout(this.#timer);
    retry();
  }

  /** Stays busy until the page is really gone: a second press does nothing. */
  #leaveFor(checkout: CheckoutInHand, paymentUrl: string): void {
    if (this.#go({ status: 'redirecting', checkout })) location.assign(paymentUrl);
  }

  #startFollowing(checkout: CheckoutInHand): void {
    if (!this.#go({ status: 'awaiting', checkout })) return;
    this.#followingSince = Date.now();
    this.#follow();
  }

  #follow(): void {
    this.#schedule(() => this.#poll(1), pollDelay(0));
  }

  async #poll(attempt: number): Promise<void> {
    const state = this.#state;
    if (state.status !== 'awaiting') return;
    const { signal } = this.#connection;
    let view: CheckoutView | undefined;
    try {
      view = await this.#client().getCheckout(state.checkout.checkoutId, signal);
    } catch {
      // A failed check is only a missed one; the next may answer.
    }
    if (this.#state.status !== 'awaiting' || signal.aborted) return;
    const popupClosed = this.#popup?.closed ?? false;
    if (view && (view.status !== 'unpaid' || popupClosed)) return this.#showOutcome(view);
    if (Date.now() - this.#followingSince < POLL_FOR_MS)
      this.#schedule(() => this.#poll(attempt + 1), pollDelay(attempt));
  }

  #schedule(task: () => void, delay: number): void {
    clearTimeout(this.#timer);
    if (!this.#connection.signal.aborted) this.#timer = setTimeout(task, delay);
  }

  /** Asks the BFF where `checkoutId` is; the checkout in hand stays in hand meanwhile. */
  async #verify(checkoutId: string, attempt = 0): Promise<void> {
    if (!this.#go({ status: 'verifying', checkout: this.#state.checkout ?? { checkoutId } }))
      return;
    const { signal } = this.#connection;
    let view: CheckoutView;
    try {
      // In parallel with the payer's language, so the outcome is shown in it.
      [view] = await Promise.all([
        this.#client().getCheckout(checkoutId, signal),
        this.#context.texts(),
      ]);
    } catch (err) {
      if (signal.aborted) return;
      if (err instanceof BffError && err.code === 'not_found') {
        // A stale memory of a checkout this BFF does not know: start afresh.
        forgetPending(this.#scopeNow());
        return this.#askQuote();
      }
      // Whatever went wrong, asking again is safe, and nothing is said about paid or failed.
      this.#fail(err, () => void this.#verify(checkoutId), { statusUnknown: true });
      if (attempt < VERIFY_ATTEMPTS)
        this.#schedule(() => {
          if (this.#state.status === 'error') void this.#verify(checkoutId, attempt + 1);
        }, pollDelay(attempt));
      return;
    }
    if (!signal.aborted) this.#showOutcome(view);
  }

  #showOutcome(checkout: CheckoutView): void {
    clearTimeout(this.#timer);
    const scope = this.#scopeNow();
    const { checkoutId } = checkout;
    switch (checkout.status) {
      case 'paid':
        if (!this.#go({ status: 'paid', checkout })) return;
        this.#host.dispatchEvent(
          new PaysgPaidEvent({
            checkoutId,
            paymentId: checkout.paymentId ?? '',
            referenceId: checkout.referenceId,
            amountInCents: checkout.amountInCents,
            currency: checkout.currency,
            paidAt: checkout.paidAt ?? '',
          }),
        );
        return;
      case 'cancelled': {
        const cancelling = this.#state.status === 'cancelling';
        forgetPending(scope);
        this.#idempotencyKey = undefined;
        if (this.#go({ status: 'cancelled', checkout }) && cancelling)
          this.#host.dispatchEvent(new PaysgCancelEvent({ checkoutId }));
        return;
      }
      case 'failed':
        forgetPending(scope);
        this.#askQuote();
        return;
      default:
        if (this.#go({ status: 'unpaid', checkout }))
          this.#host.dispatchEvent(
            new PaysgPendingEvent({ checkoutId, paymentUrl: checkout.paymentUrl ?? null }),
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
    if (!this.#go({ status: 'error', error, checkout: this.#state.checkout })) return;
    this.#error = error;
    this.#retry = !retryable ? undefined : reloads ? () => location.reload() : retry;
    if (bffError.code === 'network_error') warnIfCrossOrigin(this.#client().endpoint);
    void this.#context.texts().then((m) => {
      if (this.#error === error)
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
