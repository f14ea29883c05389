import { html, nothing } from 'lit/html.js';
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
  type PaysgQuoteDetail,
} from './events.js';
import { formatPaidAt } from './internal/format-date.js';
import { formatMoney } from './internal/money.js';
import { amountInCents, renderPayerForm, validatePayerForm, type PayerFormErrors, type PayerFormNeeds, type PayerFormValues } from './internal/payer-form.js';
import { forgetPending, pendingCheckout, rememberPending } from './internal/pending-checkout.js';
import { LitHtmlElement, type PropertyDeclaration } from './internal/lit-html-element.js';
import { isPopupReturn, openBlankPopup, sendPopupTo } from './internal/popup-window.js';
import { RETURN_PARAM, scopeOf, takeReturnedCheckoutId } from './internal/return-param.js';
import { pollDelay, POLL_FOR_MS } from './internal/status-polling.js';
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
 * @tagname paysg-checkout
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
 * @csspart line-items - The breakdown of the amount, when there is one.
 * @csspart amount - The amount row.
 * @csspart field - Each payer-details field (label, hint, error, input).
 * @csspart pay-button - The Pay button.
 * @csspart status - The message area of a state (title and text).
 * @csspart confirmation - The details of a verified payment.
 * @csspart resume-button - Resume payment, when the payer came back without paying.
 * @csspart cancel-button - Cancel payment, beside Resume payment.
 * @csspart reopen-button - Shows the PaySG window again in popup mode.
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
 * @cssprop --paysg-color-danger - Error titles and field errors.
 * @cssprop --paysg-color-focus - Focus ring.
 * @cssprop --paysg-radius - Corner radius of the card and buttons.
 * @cssprop --paysg-font-family - Defaults to the page's font.
 * @cssprop --paysg-max-width - Default 28rem.
 */
export class PaysgCheckout extends LitHtmlElement {
  static override styles = styles;

  static override get observedAttributes(): string[] {
    // `lang` is a native attribute: observe it (to re-render) without shadowing HTMLElement.lang.
    return [...super.observedAttributes, 'lang'];
  }

  /**
   * Declared here rather than with decorators: the bundle then names properties only in code,
   * so the build can shorten private names (the widget has a size budget).
   */
  static override properties: Record<string, PropertyDeclaration> = {
    endpoint: {},
    item: {},
    orderToken: { attribute: 'order-token' },
    reference: {},
    payerName: { attribute: 'payer-name' },
    payerEmail: { attribute: 'payer-email' },
    payerIdentifier: { attribute: 'payer-identifier' },
    payerAddress: { attribute: 'payer-address' },
    mode: {},
    disabled: { type: Boolean, reflect: true },
    _state: { attribute: false },
    _quote: { attribute: false },
    _checkout: { attribute: false },
    _error: { attribute: false },
    _form: { attribute: false },
    _formErrors: { attribute: false },
  };

  /** Base URL of the BFF. */
  endpoint = '/paysg';

  /** Catalog item id; the BFF decides its price. */
  item = '';

  /** An order signed by the agency's backend (a JWT); use instead of `item`. */
  orderToken?: string;

  /** The agency's reference for this order; the BFF generates one when absent. */
  reference?: string;

  /** Payer details passed on to PaySG. Without a name, the widget asks for one. */
  payerName?: string;
  payerEmail?: string;
  payerIdentifier?: string;
  payerAddress?: string;

  /** `redirect` (default) or `popup`: PaySG in a window of its own while this page stays. */
  mode: 'redirect' | 'popup' = 'redirect';

  /** Stops the payer from starting a payment. */
  disabled = false;

  private _state: CheckoutState = 'loading';
  private _quote?: Quote;
  private _checkout?: CheckoutStatusView;
  private _error?: PaysgErrorDetail;
  private _form: PayerFormValues = { name: '', email: '', amount: '' };
  private _formErrors: PayerFormErrors = {};

  private _internals: ElementInternals;
  private _retry?: () => void;
  /** The retry button reloads the page (for a stale order token). */
  private _reloads = false;
  /** One key per payment attempt, kept across retries of that attempt so they are replayed. */
  private _idempotencyKey?: string;
  private _started = false;
  private _popup: Window | null = null;
  private _timer?: ReturnType<typeof setTimeout>;
  /** When following PaySG live (popup mode, or a host that navigates itself) began. */
  private _pollStartedAt = 0;
  /** Move focus to the outcome when the payer has just come back to this page. */
  private _focusOutcome = false;
  /** The order token the shown quote is for: a new one from the host is quoted again. */
  private _quotedToken?: string;

  constructor() {
    super();
    this._internals = this.attachInternals();
    this._setState('loading');
  }

  /** Where the checkout is: `loading`, `ready`, `submitting`, `redirecting`, `awaiting`, `verifying`, `paid`, `unpaid`, `cancelling`, `cancelled` or `error`. */
  get state(): CheckoutState {
    return this._state;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('pageshow', this._onPageShow);
    window.addEventListener('message', this._onMessage);
    if (!this._started) {
      this._started = true;
      // After the first render, so listeners the host adds right after the tag still hear us.
      void this.updateComplete.then(() => this._start());
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('pageshow', this._onPageShow);
    window.removeEventListener('message', this._onMessage);
    clearTimeout(this._timer);
  }

  private get _client(): BffClient {
    return new BffClient(this.endpoint);
  }

  /** Pending checkouts are remembered per BFF and item, so two widgets do not mix them up. */
  private get _scope(): string {
    return scopeOf(this);
  }

  private get _lang(): Lang {
    return resolveLang(this);
  }

  private get _messages(): Messages {
    return messagesFor(this._lang);
  }

  /** What the payer must still tell us: the name PaySG requires, and a chosen amount. */
  private get _needs(): PayerFormNeeds {
    const q = this._quote;
    return {
      name: !this.payerName && (q?.payerNameRequired ?? true),
      ...(q?.minAmountInCents !== undefined && { amount: { min: q.minAmountInCents, max: q.maxAmountInCents!, currency: q.currency } }),
    };
  }

  private _start(): void {
    const returned = takeReturnedCheckoutId(this);
    if (returned) rememberPending(this._scope, returned);
    const checkoutId = returned ?? pendingCheckout(this._scope);
    if (!checkoutId) return void this._loadQuote();
    this._focusOutcome = true;
    void this._verify(checkoutId);
  }

  /** Back from PaySG through the back/forward cache: the page never reloaded, so check again. */
  private _onPageShow = (event: PageTransitionEvent): void => {
    if (!event.persisted) return;
    const checkoutId = pendingCheckout(this._scope);
    if (checkoutId && (this._state === 'redirecting' || this._state === 'awaiting' || this._state === 'unpaid')) {
      this._focusOutcome = true;
      void this._verify(checkoutId);
    }
  };

  /** The popup's return page says the payer is back: ask the BFF now (never trust the message). */
  private _onMessage = (event: MessageEvent): void => {
    if (event.origin !== new URL(this.endpoint, location.href).origin || !isPopupReturn(event.data)) return;
    if (this._state === 'awaiting' && event.data.checkoutId === this._checkout?.checkoutId) void this._poll(0);
  };

  /** The host set a new order token (an expired one refreshed, say): show and charge that one. */
  protected override updated(): void {
    const idle = this._state === 'ready' || this._state === 'error';
    if (this._started && idle && this.orderToken && this.orderToken !== this._quotedToken) void this._loadQuote();
  }

  private async _loadQuote(): Promise<void> {
    this._quotedToken = this.orderToken;
    // A new quote is a new attempt: its create must not replay one made for another order.
    this._idempotencyKey = undefined;
    this._setState('loading');
    if (!this.item && !this.orderToken) {
      console.warn('<paysg-checkout>: set the item or order-token attribute');
      this._fail(new BffError('invalid_request', 'No item or order-token'), () => this._loadQuote());
      return;
    }
    try {
      this._quote = this.orderToken ? await this._client.getTokenQuote(this.orderToken) : await this._client.getQuote(this.item);
    } catch (err) {
      this._fail(err, () => this._loadQuote());
      return;
    }
    this._setState('ready');
    this.dispatchEvent(new PaysgReadyEvent(this._quoteDetail(this._quote.amountInCents ?? null)));
  }

  private _onInput = (id: keyof PayerFormValues, value: string): void => {
    this._form = { ...this._form, [id]: value };
    if (this._formErrors[id]) this._formErrors = { ...this._formErrors, [id]: undefined };
  };

  private async _onPayClick(): Promise<void> {
    if (this._state !== 'ready' || this.disabled || !this._quote) return;
    const needs = this._needs;
    this._formErrors = validatePayerForm(this._form, needs, this._messages, this._lang);
    const invalid = Object.keys(this._formErrors).find((k) => this._formErrors[k as keyof PayerFormValues]);
    if (invalid) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLInputElement>(`#${invalid}`)?.focus();
      return;
    }
    const chosen = needs.amount ? amountInCents(this._form.amount) : undefined;
    if (!this.dispatchEvent(new PaysgSubmitEvent(this._quoteDetail(chosen ?? this._quote.amountInCents!)))) return;
    // The window must open in the click itself, or popup blockers stop it.
    this._popup = this.mode === 'popup' ? openBlankPopup() : null;
    await this._submit(chosen);
  }

  private async _submit(chosenAmountInCents: number | undefined): Promise<void> {
    this._setState('submitting');
    this._idempotencyKey ??= crypto.randomUUID();
    const popup = this._popup;
    let created;
    try {
      const payer = this._payer();
      created = await this._client.createCheckout(
        {
          ...(this.orderToken ? { orderToken: this.orderToken } : { item: this.item, ...(this.reference && { reference: this.reference }) }),
          ...(chosenAmountInCents !== undefined && { chosenAmountInCents }),
          ...(payer && { payer }),
          returnTo: this._returnTo(),
          ...(popup && { mode: 'popup' as const }),
        },
        this._idempotencyKey,
      );
    } catch (err) {
      popup?.close();
      // A definite "no" ends this attempt; anything else is retried with the same key.
      if (!(err instanceof BffError && err.retryable)) this._idempotencyKey = undefined;
      this._fail(err, () => this._submit(chosenAmountInCents));
      return;
    }
    const paymentUrl = created.paymentUrl;
    if (!paymentUrl || !isHttpUrl(paymentUrl)) {
      popup?.close();
      this._fail(new BffError('invalid_response', 'No payment page was given'), () => this._submit(chosenAmountInCents));
      return;
    }
    rememberPending(this._scope, created.checkoutId);
    this._checkout = { checkoutId: created.checkoutId, paymentUrl } as CheckoutStatusView;
    if (!this.dispatchEvent(new PaysgRedirectEvent({ checkoutId: created.checkoutId, paymentUrl }))) {
      popup?.close();
      this._await();
      return;
    }
    if (popup && sendPopupTo(popup, paymentUrl)) this._await();
    else this._leaveFor(paymentUrl);
  }

  /** Stays busy until the page is really gone: a second press does nothing. */
  private _leaveFor(paymentUrl: string): void {
    this._setState('redirecting');
    location.assign(paymentUrl);
  }

  /** PaySG is open elsewhere (a popup, or wherever the host sent the payer): follow it live. */
  private _await(): void {
    this._setState('awaiting');
    this._pollStartedAt = Date.now();
    this._schedule(() => this._poll(1), pollDelay(0));
  }

  private async _poll(attempt: number): Promise<void> {
    const checkoutId = this._checkout?.checkoutId;
    if (this._state !== 'awaiting' || !checkoutId) return;
    let view: CheckoutStatusView | undefined;
    try {
      view = await this._client.getCheckout(checkoutId);
    } catch {
      // A failed check is only a missed one; the next may answer.
    }
    if (this._state !== 'awaiting') return;
    const popupClosed = this._popup?.closed ?? false;
    if (view && (view.status !== 'unpaid' || popupClosed)) return this._showOutcome(view);
    if (Date.now() - this._pollStartedAt < POLL_FOR_MS) this._schedule(() => this._poll(attempt + 1), pollDelay(attempt));
  }

  private _schedule(task: () => void, delay: number): void {
    clearTimeout(this._timer);
    this._timer = setTimeout(task, delay);
  }

  private async _verify(checkoutId: string, attempt = 0): Promise<void> {
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
      if (attempt < 8) this._schedule(() => this._state === 'error' && void this._verify(checkoutId, attempt + 1), pollDelay(attempt));
      return;
    }
    await this._showOutcome(view);
  }

  private async _showOutcome(view: CheckoutStatusView): Promise<void> {
    clearTimeout(this._timer);
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
        break;
      case 'cancelled':
        forgetPending(this._scope);
        this._setState('cancelled');
        break;
      case 'failed':
        forgetPending(this._scope);
        await this._loadQuote();
        return;
      default:
        this._setState('unpaid');
        this.dispatchEvent(new PaysgPendingEvent({ checkoutId: view.checkoutId, paymentUrl: view.paymentUrl ?? null }));
    }
    if (this._focusOutcome) {
      this._focusOutcome = false;
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('.title')?.focus();
    }
  }

  private _onResumeClick(): void {
    const paymentUrl = this._checkout?.paymentUrl;
    if (this._state !== 'unpaid' || !paymentUrl) return;
    if (this.mode === 'popup') {
      this._popup = openBlankPopup();
      if (this._popup && sendPopupTo(this._popup, paymentUrl)) return this._await();
    }
    this._leaveFor(paymentUrl);
  }

  private _onReopenClick(): void {
    const paymentUrl = this._checkout?.paymentUrl;
    if (this._state !== 'awaiting' || !paymentUrl) return;
    if (this._popup && !this._popup.closed) return void this._popup.focus();
    this._popup = openBlankPopup();
    if (!this._popup || !sendPopupTo(this._popup, paymentUrl)) this._leaveFor(paymentUrl);
  }

  private async _onCancelClick(): Promise<void> {
    const checkoutId = this._checkout?.checkoutId;
    if ((this._state !== 'unpaid' && this._state !== 'awaiting') || !checkoutId) return;
    this._popup?.close();
    this._setState('cancelling');
    let view: CheckoutStatusView;
    try {
      view = await this._client.cancelCheckout(checkoutId);
    } catch (err) {
      if (err instanceof BffError && err.code === 'order_already_paid') {
        // Paid in another window meanwhile: show the verified truth, not an error.
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
    if (this._state === 'cancelled') void this._loadQuote();
  }

  private _onRetryClick(): void {
    const retry = this._retry;
    this._retry = undefined;
    clearTimeout(this._timer);
    retry?.();
  }

  private _fail(err: unknown, retry: () => void, options: { message?: string; retryable?: boolean } = {}): void {
    const bffError = err instanceof BffError ? err : new BffError('internal_error', String(err));
    const m = this._messages;
    const retryable = options.retryable ?? bffError.retryable;
    this._error = {
      code: bffError.code,
      // A definite "no" the payer cannot change (an unknown item, a bad order token, …) is the agency's to fix.
      message: options.message ?? m.errors[bffError.code] ?? (retryable ? m.genericError : m.notConfigured),
      retryable,
      ...(bffError.requestId && { requestId: bffError.requestId }),
    };
    // An expired or replaced order token is fixed by a fresh page, unless the host sets a new one.
    const stale = bffError.code === 'order_token_expired' || bffError.code === 'order_token_superseded';
    this._retry = !this._error.retryable ? undefined : stale ? () => location.reload() : retry;
    this._reloads = stale;
    this._setState('error');
    this.dispatchEvent(new PaysgErrorEvent(this._error));
  }

  /** Also kept as a CSS custom state, so hosts can style `paysg-checkout:state(paid)`. */
  private _setState(next: CheckoutState): void {
    const states = this._internals.states;
    states?.delete(this._state);
    states?.delete(`--${this._state}`);
    try {
      states?.add(next);
    } catch {
      // Older engines accept only dashed custom states (`--paid`).
      states?.add(`--${next}`);
    }
    this._state = next;
  }

  private _quoteDetail(amountInCents: number | null): PaysgQuoteDetail {
    return { description: this._quote!.description, amountInCents, currency: this._quote!.currency };
  }

  /** What the host gave, completed by what the payer typed. */
  private _payer(): PayerInput | undefined {
    const payer: PayerInput = {};
    const name = this.payerName || this._form.name.trim();
    const email = this.payerEmail || this._form.email.trim();
    if (name) payer.name = name;
    if (email) payer.email = email;
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
      case 'awaiting':
        return m.awaitingTitle;
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

  private _renderStatus(title: string, text: string | undefined, kind = '') {
    return html`<div class="status" part="status">
      <p class="title ${kind}" tabindex="-1">${title}</p>
      ${text ? html`<p>${text}</p>` : nothing}
    </div>`;
  }

  private _renderBody(m: Messages) {
    switch (this._state) {
      case 'paid':
        return this._renderPaid(m);
      case 'unpaid':
        return html`
          ${this._renderStatus(m.unpaidTitle, m.unpaidBody)} ${this._renderSummary(this._checkout)}
          <div class="actions">
            <button part="resume-button" @click=${this._onResumeClick}>${m.resume}</button>
            <button class="secondary" part="cancel-button" @click=${this._onCancelClick}>${m.cancel}</button>
          </div>
        `;
      case 'awaiting':
        return html`
          ${this._renderStatus(m.awaitingTitle, m.awaitingBody)}
          <div class="actions">
            <button part="reopen-button" @click=${this._onReopenClick}>${m.reopen}</button>
            <button class="secondary" part="cancel-button" @click=${this._onCancelClick}>${m.cancel}</button>
          </div>
        `;
      case 'cancelled':
        return html`${this._renderStatus(m.cancelledTitle, m.cancelledBody)}
          <button class="secondary" part="start-again-button" @click=${this._onStartAgainClick}>${m.startAgain}</button>`;
      case 'error':
        return html`
          ${this._renderStatus(m.errorTitle, this._error?.message, 'error')}
          ${this._retry
            ? html`<button class="secondary" part="retry-button" @click=${this._onRetryClick}>${this._reloads ? m.reload : m.retry}</button>`
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

  private _renderSummary(source: (Quote | CheckoutStatusView) | undefined) {
    if (!source) return nothing;
    const lines = ('lineItems' in source && source.lineItems) || [];
    const translated = source.translations?.[this._lang];
    return html`
      <p class="description" part="description">${translated?.description ?? source.description}</p>
      ${lines.length > 1
        ? html`<ul class="lines" part="line-items">
            ${lines.map(
              (l, i) => html`<li><span>${translated?.lineItems?.[i] ?? l.description}</span><span>${formatMoney(l.amountInCents, source.currency, this._lang)}</span></li>`,
            )}
          </ul>`
        : nothing}
      <dl class="amount" part="amount">
        <dt>${this._messages.amount}</dt>
        <dd>${source.amountInCents === undefined ? this._messages.payerChoosesAmount : formatMoney(source.amountInCents, source.currency, this._lang)}</dd>
      </dl>
    `;
  }

  /** ready, submitting, redirecting. */
  private _renderPayable(m: Messages) {
    const quote = this._quote;
    const busy = this._state !== 'ready';
    const inactive = busy || this.disabled;
    const chosen = this._needs.amount ? amountInCents(this._form.amount) : undefined;
    const payable = quote?.amountInCents ?? chosen;
    const amount = quote && payable !== undefined ? formatMoney(payable, quote.currency, this._lang) : '';
    const busyText = this._state === 'submitting' ? m.submitting : m.redirecting;
    return html`
      ${this._renderSummary(quote)} ${busy ? nothing : renderPayerForm(this._form, this._formErrors, this._needs, m, this._onInput)}
      <button part="pay-button" aria-disabled=${inactive ? 'true' : 'false'} @click=${this._onPayClick}>
        ${busy
          ? html`<span class="busy"><span class="spinner" aria-hidden="true"></span>${busyText}</span>`
          : html`<slot name="button-label">${m.pay(amount).trim()}</slot>`}
      </button>
    `;
  }

  private _renderPaid(m: Messages) {
    const c = this._checkout!;
    return html`
      ${this._renderStatus(m.paidTitle, m.paidBody, 'paid')}
      <p class="description" part="description">${c.translations?.[this._lang]?.description ?? c.description}</p>
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
