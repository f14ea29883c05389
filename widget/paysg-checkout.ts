import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { BffClient, BffError, type CheckoutStatusView, type PayerInput, type Quote } from './bff-client.js';
import {
  PaysgCancelEvent,
  PaysgErrorEvent,
  PaysgPaidEvent,
  PaysgPendingEvent,
  PaysgReadyEvent,
  PaysgRedirectEvent,
  PaysgSubmitEvent,
  type PaysgErrorDetail,
} from './events.js';
import { formatPaidAt } from './internal/format-date.js';
import { formatMoney } from './internal/money.js';
import { forgetPending, pendingCheckout, rememberPending } from './internal/pending-checkout.js';
import { RETURN_PARAM, takeReturnedCheckoutId } from './internal/return-param.js';
import { messagesFor, resolveLang, type Lang, type Messages } from './locales/index.js';
import { styles } from './paysg-checkout.styles.js';

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

/** States in which the payer waits and a press of a button must do nothing. */
const BUSY: ReadonlySet<CheckoutState> = new Set(['loading', 'submitting', 'redirecting', 'verifying', 'cancelling']);

/**
 * Pay a PaySG fee from any page. Shows what is being paid for, takes the payer to PaySG's hosted
 * payment page, and when the payer comes back reports the outcome the BFF verified with PaySG.
 *
 * @summary A checkout for PaySG, Singapore's government payment platform.
 *
 * @fires paysg-ready - The quote is shown and Pay can be pressed.
 * @fires paysg-submit - Pay was pressed, before anything is sent. Cancelable: stops the payment.
 * @fires paysg-redirect - The checkout exists, just before leaving for PaySG. Cancelable: the host navigates itself.
 * @fires paysg-paid - The BFF verified the payment with PaySG.
 * @fires paysg-pending - Checked on return: not paid (yet).
 * @fires paysg-cancel - The payer cancelled; the PaySG payment is cancelled too.
 * @fires paysg-error - Something was shown to the payer as an error.
 *
 * @slot button-label - Replaces the text of the Pay button.
 * @slot success - Extra content under the payment confirmation.
 *
 * @csspart card - The outer box.
 * @csspart description - What is being paid for.
 * @csspart amount - The amount row.
 * @csspart pay-button - The Pay button.
 * @csspart status - The message area that announces state changes.
 * @csspart confirmation - The details of a verified payment.
 * @csspart resume-button - Resume payment, when the payer came back without paying.
 * @csspart cancel-button - Cancel payment, beside Resume payment.
 * @csspart start-again-button - Start a new payment, after a cancellation.
 * @csspart retry-button - Try again, after an error.
 *
 * @cssprop --paysg-color-primary - Buttons and accents. Default #5925dc (light), #b69cff (dark).
 * @cssprop --paysg-color-on-primary - Text on primary buttons.
 * @cssprop --paysg-color-text - Body text.
 * @cssprop --paysg-color-muted - Labels and secondary text.
 * @cssprop --paysg-color-surface - Card background.
 * @cssprop --paysg-color-border - Card and divider lines.
 * @cssprop --paysg-color-success - The "payment received" title.
 * @cssprop --paysg-color-danger - Error titles.
 * @cssprop --paysg-color-focus - Focus ring.
 * @cssprop --paysg-radius - Corner radius of the card and buttons.
 * @cssprop --paysg-font-family - Defaults to the page's font.
 * @cssprop --paysg-max-width - Default 28rem.
 */
export class PaysgCheckout extends LitElement {
  static override styles = styles;

  static override get observedAttributes(): string[] {
    // `lang` is a native attribute: observe it without shadowing HTMLElement.lang.
    return [...super.observedAttributes, 'lang'];
  }

  /** Base URL of the BFF. */
  @property() endpoint = '/paysg';

  /** Catalog item id; the BFF decides its price. */
  @property() item = '';

  /** An order signed by the agency's backend (a JWT); use instead of `item`. */
  @property({ attribute: 'order-token' }) orderToken?: string;

  /** The agency's reference for this order; the BFF generates one when absent. */
  @property() reference?: string;

  /** Payer details passed on to PaySG. */
  @property({ attribute: 'payer-name' }) payerName?: string;
  @property({ attribute: 'payer-email' }) payerEmail?: string;
  @property({ attribute: 'payer-identifier' }) payerIdentifier?: string;
  @property({ attribute: 'payer-address' }) payerAddress?: string;

  /** Stops the payer from starting a payment. */
  @property({ type: Boolean, reflect: true }) disabled = false;

  @state() private _state: CheckoutState = 'loading';
  @state() private _quote?: Quote;
  @state() private _checkout?: CheckoutStatusView;
  @state() private _error?: PaysgErrorDetail;

  private _internals: ElementInternals;
  private _retry?: () => void;
  /** One key per payment attempt, kept across retries of that attempt so they are replayed. */
  private _idempotencyKey?: string;
  private _started = false;

  constructor() {
    super();
    this._internals = this.attachInternals();
  }

  /** Where the checkout is: `loading`, `ready`, `submitting`, `redirecting`, `awaiting`, `verifying`, `paid`, `unpaid`, `cancelling`, `cancelled` or `error`. */
  get state(): CheckoutState {
    return this._state;
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    super.attributeChangedCallback(name, old, value);
    if (name === 'lang') this.requestUpdate();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('pageshow', this._onPageShow);
    if (!this._started) {
      this._started = true;
      // After the first render, so listeners the host adds right after the tag still hear us.
      void this.updateComplete.then(() => this._start());
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('pageshow', this._onPageShow);
  }

  private get _client(): BffClient {
    return new BffClient(this.endpoint);
  }

  /** Pending checkouts are remembered per BFF and item, so two widgets do not mix them up. */
  private get _scope(): string {
    return `${this.endpoint}|${this.orderToken ? 'order-token' : this.item}`;
  }

  private get _lang(): Lang {
    return resolveLang(this);
  }

  private get _messages(): Messages {
    return messagesFor(this._lang);
  }

  private _start(): void {
    const returned = takeReturnedCheckoutId();
    if (returned) rememberPending(this._scope, returned);
    const checkoutId = returned ?? pendingCheckout(this._scope);
    if (checkoutId) void this._verify(checkoutId);
    else void this._loadQuote();
  }

  /** Back from PaySG through the back/forward cache: the page never reloaded, so check again. */
  private _onPageShow = (event: PageTransitionEvent): void => {
    if (!event.persisted) return;
    const checkoutId = pendingCheckout(this._scope);
    if (checkoutId && (this._state === 'redirecting' || this._state === 'awaiting' || this._state === 'unpaid')) {
      void this._verify(checkoutId);
    }
  };

  private async _loadQuote(): Promise<void> {
    this._setState('loading');
    if (!this.item && !this.orderToken) {
      console.warn('<paysg-checkout>: set the item or order-token attribute');
      this._fail(new BffError('invalid_request', 'No item or order-token'), () => this._loadQuote(), { message: this._messages.notConfigured });
      return;
    }
    try {
      this._quote = this.orderToken ? await this._client.getTokenQuote(this.orderToken) : await this._client.getQuote(this.item);
    } catch (err) {
      this._fail(err, () => this._loadQuote());
      return;
    }
    this._setState('ready');
    this.dispatchEvent(new PaysgReadyEvent(this._quoteDetail(this._quote)));
  }

  private async _onPayClick(): Promise<void> {
    if (this._state !== 'ready' || this.disabled || !this._quote) return;
    if (!this.dispatchEvent(new PaysgSubmitEvent(this._quoteDetail(this._quote)))) return;
    await this._submit();
  }

  private async _submit(): Promise<void> {
    this._setState('submitting');
    this._idempotencyKey ??= crypto.randomUUID();
    let created;
    try {
      created = await this._client.createCheckout(
        {
          ...(this.orderToken ? { orderToken: this.orderToken } : { item: this.item, ...(this.reference && { reference: this.reference }) }),
          ...(this._payer() && { payer: this._payer() }),
          returnTo: this._returnTo(),
        },
        this._idempotencyKey,
      );
    } catch (err) {
      // A definite "no" ends this attempt; anything else is retried with the same key.
      if (!(err instanceof BffError && err.retryable)) this._idempotencyKey = undefined;
      this._fail(err, () => this._submit());
      return;
    }
    if (!created.paymentUrl || !isHttpUrl(created.paymentUrl)) {
      this._fail(new BffError('invalid_response', 'No payment page was given'), () => this._submit());
      return;
    }
    rememberPending(this._scope, created.checkoutId);
    const redirect = new PaysgRedirectEvent({ checkoutId: created.checkoutId, paymentUrl: created.paymentUrl });
    if (!this.dispatchEvent(redirect)) {
      this._setState('awaiting');
      return;
    }
    this._leaveFor(created.paymentUrl);
  }

  /** Stays busy until the page is really gone: a second press does nothing. */
  private _leaveFor(paymentUrl: string): void {
    this._setState('redirecting');
    location.assign(paymentUrl);
  }

  private async _verify(checkoutId: string): Promise<void> {
    this._setState('verifying');
    let view: CheckoutStatusView;
    try {
      view = await this._client.getCheckout(checkoutId);
    } catch (err) {
      if (err instanceof BffError && err.code === 'not_found') {
        // A stale memory of a checkout this BFF does not know: start afresh.
        forgetPending(this._scope);
        await this._loadQuote();
        return;
      }
      // Whatever went wrong, asking again is safe, and nothing is said about paid or failed.
      this._fail(err, () => this._verify(checkoutId), { message: this._messages.statusUnknown, retryable: true });
      return;
    }
    this._checkout = view;
    switch (view.status) {
      case 'paid':
        this._setState('paid');
        this.dispatchEvent(
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
      case 'cancelled':
        forgetPending(this._scope);
        this._setState('cancelled');
        return;
      case 'failed':
        forgetPending(this._scope);
        await this._loadQuote();
        return;
      default:
        this._setState('unpaid');
        this.dispatchEvent(new PaysgPendingEvent({ checkoutId: view.checkoutId, paymentUrl: view.paymentUrl ?? null }));
    }
  }

  private _onResumeClick(): void {
    if (this._state !== 'unpaid' || !this._checkout?.paymentUrl) return;
    this._leaveFor(this._checkout.paymentUrl);
  }

  private async _onCancelClick(): Promise<void> {
    const checkoutId = this._checkout?.checkoutId;
    if (this._state !== 'unpaid' || !checkoutId) return;
    this._setState('cancelling');
    let view: CheckoutStatusView;
    try {
      view = await this._client.cancelCheckout(checkoutId);
    } catch (err) {
      if (err instanceof BffError && err.code === 'order_already_paid') {
        // Paid in another tab meanwhile: show the verified truth, not an error.
        await this._verify(checkoutId);
        return;
      }
      this._fail(err, () => this._verify(checkoutId));
      return;
    }
    this._checkout = view;
    forgetPending(this._scope);
    this._idempotencyKey = undefined;
    this._setState('cancelled');
    this.dispatchEvent(new PaysgCancelEvent({ checkoutId }));
  }

  private _onStartAgainClick(): void {
    if (this._state !== 'cancelled') return;
    void this._loadQuote();
  }

  private _onRetryClick(): void {
    const retry = this._retry;
    this._retry = undefined;
    retry?.();
  }

  private _fail(err: unknown, retry: () => void, options: { message?: string; retryable?: boolean } = {}): void {
    const bffError = err instanceof BffError ? err : new BffError('internal_error', String(err));
    const m = this._messages;
    this._error = {
      code: bffError.code,
      message: options.message ?? m.errors[bffError.code] ?? m.genericError,
      retryable: options.retryable ?? bffError.retryable,
      ...(bffError.requestId && { requestId: bffError.requestId }),
    };
    this._retry = this._error.retryable ? retry : undefined;
    this._setState('error');
    this.dispatchEvent(new PaysgErrorEvent(this._error));
  }

  private _setState(next: CheckoutState): void {
    this._state = next;
  }

  private _quoteDetail(quote: Quote) {
    return { description: quote.description, amountInCents: quote.amountInCents, currency: quote.currency };
  }

  private _payer(): PayerInput | undefined {
    const payer: PayerInput = {};
    if (this.payerName) payer.name = this.payerName;
    if (this.payerEmail) payer.email = this.payerEmail;
    if (this.payerIdentifier) payer.identifier = this.payerIdentifier;
    if (this.payerAddress) payer.address = this.payerAddress;
    return Object.keys(payer).length ? payer : undefined;
  }

  /** This page, without our own return parameter or a fragment. */
  private _returnTo(): string {
    const url = new URL(location.href);
    url.searchParams.delete(RETURN_PARAM);
    url.hash = '';
    return url.toString();
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    if (changed.has('_state' as keyof PaysgCheckout)) {
      const states = this._internals.states;
      for (const s of CHECKOUT_STATES) states?.delete(s);
      try {
        states?.add(this._state);
      } catch {
        // Older engines accept only dashed custom states (`--paid`).
        states?.add(`--${this._state}`);
      }
    }
  }

  protected override render() {
    const m = this._messages;
    return html`<div class="card" part="card" lang=${this._lang} aria-busy=${BUSY.has(this._state) ? 'true' : 'false'}>
      ${this._renderBody(m)}
      <p class="note">${m.securedBy}</p>
      <p class="visually-hidden" role="status">${this._announcement(m)}</p>
    </div>`;
  }

  /**
   * What the live region says. It is always in the DOM, so screen readers announce its changes;
   * a region inserted together with its text is often not announced.
   */
  private _announcement(m: Messages): string {
    switch (this._state) {
      case 'loading':
        return m.loading;
      case 'submitting':
        return m.submitting;
      case 'redirecting':
        return m.redirecting;
      case 'verifying':
        return m.verifying;
      case 'cancelling':
        return m.cancelling;
      case 'paid':
        return m.paidTitle;
      case 'unpaid':
        return m.unpaidTitle;
      case 'cancelled':
        return m.cancelledTitle;
      case 'error':
        return `${m.errorTitle}. ${this._error?.message ?? ''}`;
      default:
        return '';
    }
  }

  private _renderBody(m: Messages) {
    switch (this._state) {
      case 'paid':
        return this._renderPaid(m);
      case 'unpaid':
        return html`
          <div class="status" part="status">
            <p class="title">${m.unpaidTitle}</p>
            <p>${m.unpaidBody}</p>
          </div>
          ${this._renderSummary(this._checkout)}
          <div class="actions">
            <button part="resume-button" @click=${this._onResumeClick}>${m.resume}</button>
            <button class="secondary" part="cancel-button" @click=${this._onCancelClick}>${m.cancel}</button>
          </div>
        `;
      case 'cancelled':
        return html`<div class="status" part="status">
            <p class="title">${m.cancelledTitle}</p>
            <p>${m.cancelledBody}</p>
          </div>
          <button class="secondary" part="start-again-button" @click=${this._onStartAgainClick}>${m.startAgain}</button>`;
      case 'error':
        return html`
          <div class="status" part="status">
            <p class="title error">${m.errorTitle}</p>
            <p>${this._error?.message}</p>
          </div>
          ${this._retry
            ? html`<button class="secondary" part="retry-button" @click=${this._onRetryClick}>${m.retry}</button>`
            : nothing}
        `;
      case 'loading':
      case 'verifying':
      case 'cancelling':
        return html`<div class="status" part="status">
          <p class="busy"><span class="spinner" aria-hidden="true"></span>${this._announcement(m)}</p>
        </div>`;
      default:
        return this._renderPayable(m);
    }
  }

  private _renderSummary(source: { description: string; amountInCents: number; currency: string } | undefined) {
    if (!source) return nothing;
    return html`
      <p class="description" part="description">${source.description}</p>
      <dl class="amount" part="amount">
        <dt>${this._messages.amount}</dt>
        <dd>${formatMoney(source.amountInCents, source.currency, this._lang)}</dd>
      </dl>
    `;
  }

  /** ready, submitting, redirecting, awaiting. */
  private _renderPayable(m: Messages) {
    const quote = this._quote;
    const busy = this._state !== 'ready';
    const inactive = busy || this.disabled;
    const amount = quote ? formatMoney(quote.amountInCents, quote.currency, this._lang) : '';
    const busyText = this._state === 'submitting' ? m.submitting : this._state === 'ready' ? '' : m.redirecting;
    return html`
      ${this._renderSummary(quote)}
      <button
        part="pay-button"
        aria-disabled=${inactive ? 'true' : 'false'}
        @click=${this._onPayClick}
      >
        ${busy
          ? html`<span class="busy"><span class="spinner" aria-hidden="true"></span>${busyText}</span>`
          : html`<slot name="button-label">${m.pay(amount)}</slot>`}
      </button>
    `;
  }

  private _renderPaid(m: Messages) {
    const c = this._checkout!;
    return html`
      <div class="status" part="status">
        <p class="title paid">${m.paidTitle}</p>
        <p>${m.paidBody}</p>
      </div>
      <p class="description" part="description">${c.description}</p>
      <dl class="facts" part="confirmation">
        <dt>${m.amount}</dt>
        <dd>${formatMoney(c.amountInCents, c.currency, this._lang)}</dd>
        <dt>${m.reference}</dt>
        <dd>${c.referenceId}</dd>
        ${c.paidAt ? html`<dt>${m.paidAt}</dt><dd>${formatPaidAt(c.paidAt, this._lang)}</dd>` : nothing}
      </dl>
      <slot name="success"></slot>
    `;
  }
}

function isHttpUrl(value: string): boolean {
  try {
    return /^https?:$/.test(new URL(value).protocol);
  } catch {
    return false;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'paysg-checkout': PaysgCheckout;
  }
}
