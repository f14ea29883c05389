import { Task } from '@lit/task';
import { html, LitElement, nothing } from 'lit';
import type { CheckoutView, PayerInput, Quote } from './bff-client.js';
import { PaysgSubmitEvent } from './events.js';
import {
  CheckoutFlow,
  quoteDetail,
  type CheckoutInHand,
  type FlowError,
} from './internal/checkout-flow.js';
import {
  BUSY_STATES,
  CHECKOUT_STATES,
  type CheckoutState,
} from './internal/checkout-transitions.js';
import { errorMessage } from './internal/error-message.js';
import { formatPaidAt } from '../contract/date-format.js';
import { formatMoney } from '../contract/money-format.js';
import {
  amountInCents,
  renderPayerForm,
  validatePayerForm,
  type PayerFormErrors,
  type PayerFormNeeds,
  type PayerFormValues,
} from './internal/payer-form.js';
import { openBlankPopup } from './internal/popup-window.js';
import { loadMessages, resolveLang, type Messages } from './locales/index.js';
import { sentences } from './locales/messages.js';
import { styles } from './paysg-checkout.styles.js';

export { CHECKOUT_STATES, type CheckoutState };

/**
 * The fields a table of Lit property declarations gives an element: a property's type is its
 * default's, else a boolean or string that may be unset.
 */
type PropertyFields<Table> = {
  -readonly [Name in keyof Table]: Table[Name] extends { value: infer Value }
    ? Value
    : Table[Name] extends { type: BooleanConstructor }
      ? boolean | undefined
      : string | undefined;
};

export interface PaysgCheckout extends PropertyFields<typeof PaysgCheckout.properties> {}

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
 * @slot disabled-reason - Why Pay cannot be pressed while `disabled` is set (a default text otherwise).
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
 * @csspart retry-button - Try again (or Check again), after an error.
 * @csspart error-reference - The reference the payer can quote to the agency, for an error only it can fix.
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
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the interface above only types the fields of this class's property table, which Lit and the constructor define.
export class PaysgCheckout extends LitElement {
  static override styles = styles;

  /**
   * Each property, once: its Lit options, its type (`type`: `String` unless said otherwise) and
   * its default (`value`, set by the constructor). The element's TypeScript fields are derived
   * from this table (`PropertyFields`), and the custom-elements manifest reads it as written.
   * Not decorators: Lit's decorator and the helper the compiler emits for it cost ~390 B gzip.
   */
  static override properties = {
    /** Base URL of the BFF. */
    endpoint: { type: String, useDefault: true, value: '/paysg' },
    /** Catalog item id; the BFF decides its price. */
    item: { type: String, useDefault: true, value: '' },
    /** An order signed by the agency's backend (a JWT); use instead of `item`. */
    orderToken: { type: String, attribute: 'order-token' },
    /** The agency's reference for this order; the BFF generates one when absent. */
    reference: { type: String },
    /** Payer details passed on to PaySG. Without a name, the widget asks for one. */
    payerName: { type: String, attribute: 'payer-name' },
    /** The payer's e-mail address, passed on to PaySG. */
    payerEmail: { type: String, attribute: 'payer-email' },
    /** The payer's identifier (such as an NRIC or UEN), passed on to PaySG. */
    payerIdentifier: { type: String, attribute: 'payer-identifier' },
    /** The payer's address, passed on to PaySG. */
    payerAddress: { type: String, attribute: 'payer-address' },
    /** `redirect` (default) or `popup`: PaySG in a window of its own while this page stays. */
    mode: { type: String, useDefault: true, value: 'redirect' as 'redirect' | 'popup' },
    /** Stops the payer from starting a payment; the `disabled-reason` slot says why. */
    disabled: { type: Boolean, reflect: true, useDefault: true, value: false },
  };

  static override get observedAttributes(): string[] {
    // `lang` is a native attribute: observe it (to speak the new language) without shadowing HTMLElement.lang.
    // biome-ignore lint/complexity/noThisInStatic: `super` runs Lit's getter for this class (its own attributes); `LitElement.observedAttributes` would list none of them.
    return [...super.observedAttributes, 'lang'];
  }

  readonly #internals = this.attachInternals();

  readonly #flow = new CheckoutFlow(this, {
    order: () => this,
    mode: () => this.mode,
    texts: () => this.#texts.taskComplete,
    stateChanged: (state) => this.#showState(state),
  });

  /** The texts of the payer's language: English at once, the others fetched (integrity-checked). */
  readonly #texts = new Task(this, {
    args: () => [resolveLang(this)] as const,
    task: ([lang]) => loadMessages(lang),
  });

  #form: PayerFormValues = { name: '', email: '', amount: '' };
  #formErrors: PayerFormErrors = {};
  /** Whether focus was in the widget before this update: it follows the state then. */
  #hadFocus = false;
  #shownState?: CheckoutState;
  /** The payer's last use of the widget was a key, not a pointer: the moved focus shows its ring. */
  #keyboard = false;

  constructor() {
    super();
    for (const [type, keyboard] of [
      ['keydown', true],
      ['pointerdown', false],
    ] as const) {
      this.addEventListener(type, () => {
        if (this.#keyboard === keyboard) return;
        this.#keyboard = keyboard;
        this.requestUpdate();
      });
    }
    // Unset ones too: Lit sees no change in `undefined`, and restores what was set before the upgrade.
    for (const [name, { value }] of Object.entries<{ type?: unknown; value?: unknown }>(
      PaysgCheckout.properties,
    ))
      Object.assign(this, { [name]: value });
    this.#showState('loading');
  }

  /** Where the checkout is: `loading`, `ready`, `submitting`, `redirecting`, `awaiting`, `verifying`, `paid`, `unpaid`, `cancelling`, `cancelled` or `error`. */
  get state(): CheckoutState {
    return this.#flow.state.status;
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    super.attributeChangedCallback(name, old, value);
    if (name === 'lang' && old !== value) this.requestUpdate();
  }

  /** What the payer must still tell us: the name PaySG requires, and a chosen amount. */
  get #needs(): PayerFormNeeds {
    const q = this.#flow.quote;
    return {
      name: !this.payerName && (q?.payerNameRequired ?? true),
      // A payer-chosen amount comes with both bounds.
      ...(q?.minAmountInCents !== undefined &&
        q.maxAmountInCents !== undefined && {
          amount: { min: q.minAmountInCents, max: q.maxAmountInCents, currency: q.currency },
        }),
    };
  }

  /** The amount the payer typed, when it is one they may pay. */
  get #chosenAmount(): number | undefined {
    const bounds = this.#needs.amount;
    const cents = bounds && amountInCents(this.#form.amount);
    return bounds && cents !== undefined && cents >= bounds.min && cents <= bounds.max
      ? cents
      : undefined;
  }

  #onInput = (id: keyof PayerFormValues, value: string): void => {
    this.#form = { ...this.#form, [id]: value };
    if (this.#formErrors[id]) this.#formErrors = { ...this.#formErrors, [id]: undefined };
    this.requestUpdate();
  };

  async #onPayClick(): Promise<void> {
    const quote = this.#flow.quote;
    const m = this.#texts.value;
    if (this.state !== 'ready' || this.disabled || !quote || !m) return;
    const needs = this.#needs;
    this.#formErrors = validatePayerForm(this.#form, needs, m, resolveLang(this));
    if (Object.values(this.#formErrors).some(Boolean)) {
      this.requestUpdate();
      await this.updateComplete;
      // The first invalid field as the payer sees them, top to bottom.
      this.renderRoot.querySelector<HTMLInputElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    const chosen = needs.amount ? this.#chosenAmount : undefined;
    if (
      !this.dispatchEvent(
        new PaysgSubmitEvent(quoteDetail(quote, chosen ?? quote.amountInCents ?? null)),
      )
    )
      return;
    // The window must open in the click itself, or popup blockers stop it.
    const popup = this.mode === 'popup' ? openBlankPopup() : null;
    const payer = this.#payer();
    await this.#flow.pay(
      {
        ...(this.orderToken
          ? { orderToken: this.orderToken }
          : { item: this.item, ...(this.reference && { reference: this.reference }) }),
        ...(chosen !== undefined && { chosenAmountInCents: chosen }),
        ...(payer && { payer }),
      },
      popup,
    );
  }

  /** What the host gave, completed by what the payer typed. */
  #payer(): PayerInput | undefined {
    const payer: PayerInput = {};
    const name = this.payerName || this.#form.name.trim();
    const email = this.payerEmail || this.#form.email.trim();
    if (name) payer.name = name;
    if (email) payer.email = email;
    if (this.payerIdentifier) payer.identifier = this.payerIdentifier;
    if (this.payerAddress) payer.address = this.payerAddress;
    return Object.keys(payer).length ? payer : undefined;
  }

  /** Also kept as a CSS custom state, so hosts can style `paysg-checkout:state(paid)`. */
  #showState(next: CheckoutState): void {
    const states = this.#internals.states;
    // The element's internals are its own: every state in the set is one of ours.
    states?.clear();
    try {
      states?.add(next);
    } catch {
      // Older engines accept only dashed custom states (`--paid`).
      states?.add(`--${next}`);
    }
  }

  protected override willUpdate(): void {
    this.#hadFocus = this.shadowRoot?.activeElement != null;
  }

  /**
   * A new state replaces the buttons the payer was using: focus moves to its heading (or first
   * action), so it is never lost to the page. Only when the payer was in the widget, or has just
   * come back to it: a widget never takes focus on its own.
   */
  protected override updated(): void {
    const state = this.state;
    if (state === this.#shownState || !this.#texts.value) return;
    this.#shownState = state;
    if (!this.#flow.movesFocus(this.#hadFocus)) return;
    this.renderRoot.querySelector<HTMLElement>('.title, input, button')?.focus();
  }

  protected override render() {
    const m = this.#texts.value;
    if (!m) {
      // The payer's language is still on its way: nothing in another one meanwhile.
      return html`<div class="card" part="card" aria-busy="true"><div class="waiting"><span class="spinner"></span></div></div>`;
    }
    const lang = resolveLang(this);
    return html`<div class="card ${this.#keyboard ? 'keyboard' : ''}" part="card" lang=${lang} aria-busy=${BUSY_STATES.has(this.state) ? 'true' : 'false'}>
${this.#renderBody(m)}
<p class="note">${m.securedBy}</p>
<p class="visually-hidden" role="status">${this.#announcement(m)}</p>
</div>`;
  }

  /**
   * What the live region says. It is always in the DOM, so screen readers announce its changes;
   * a region inserted together with its text is often not announced.
   */
  #announcement(m: Messages): string {
    const state = this.#flow.state;
    if (state.status === 'error') {
      const { error } = state;
      return sentences(m, errorTitle(m, error)[0], errorMessage(m, error));
    }
    const { status } = state;
    // A busy state says its own text (`loading`, `verifying`, …), a settled one its title (`paidTitle`, …); ready, nothing.
    return m[status as 'loading'] ?? m[`${status}Title` as 'paidTitle'] ?? '';
  }

  #money(amountInCents: number, currency: string) {
    return html`<span class="money">${formatMoney(amountInCents, currency, resolveLang(this))}</span>`;
  }

  // Templates are written with little whitespace: the widget has a size budget, and Lit ships them as written.
  #renderStatus(title: string, text: string | undefined, kind = '') {
    return html`<div class="status" part="status"><p class="title ${kind}" tabindex="-1">${title}</p>${text ? html`<p>${text}</p>` : nothing}</div>`;
  }

  /** A state's own action, and Cancel payment beside it. */
  #renderActions(m: Messages, part: string, label: string, action: () => void) {
    return html`<div class="actions">
<button part=${part} @click=${action}>${label}</button>
<button class="secondary" part="cancel-button" @click=${() => this.#flow.cancel()}>${m.cancel}</button>
</div>`;
  }

  #renderBody(m: Messages) {
    const flow = this.#flow;
    const state = flow.state;
    switch (state.status) {
      case 'paid':
        return this.#renderPaid(m, state.checkout);
      case 'unpaid':
        return html`${this.#renderStatus(m.unpaidTitle, m.unpaidBody)}
${this.#renderSummary(m, state.checkout)}
${this.#renderActions(m, 'resume-button', m.resume, () => flow.resume())}`;
      case 'awaiting':
        return html`${this.#renderStatus(m.awaitingTitle, m.awaitingBody)}
${this.#renderSummary(m, shown(state.checkout) ?? flow.quote, this.#chosenAmount)}
${this.#renderActions(m, 'reopen-button', m.reopen, () => flow.reopen())}`;
      case 'cancelled':
        return html`${this.#renderStatus(m.cancelledTitle, m.cancelledBody)}
<button class="secondary" part="start-again-button" @click=${() => flow.startAgain()}>${m.startAgain}</button>`;
      case 'error':
        return this.#renderError(m, state.error, state.checkout);
      case 'loading':
      case 'verifying':
      case 'cancelling':
        return html`<div class="status waiting" part="status">
<p class="busy title" tabindex="-1"><span class="spinner" aria-hidden="true"></span>${this.#announcement(m)}</p>
</div>`;
      default:
        return this.#renderPayable(m);
    }
  }

  #renderError(m: Messages, error: FlowError, checkout: CheckoutInHand | undefined) {
    const flow = this.#flow;
    const [title, kind] = errorTitle(m, error);
    // What is being paid for stays in sight: the checkout's when there is one, else the quote's.
    const summary = this.#renderSummary(m, checkout ? shown(checkout) : flow.quote);
    // For an error only the agency can fix: the request id, for the payer to quote.
    const reference =
      kind === 'error' && !error.retryable && error.requestId
        ? html`<p class="hint" part="error-reference">${around(m.errorReference, 'id', html`<span class="ref">${error.requestId}</span>`)}</p>`
        : nothing;
    const retry = flow.canRetry
      ? html`<button class="secondary" part="retry-button" @click=${() => flow.retry()}>${error.reloads ? m.reload : error.statusUnknown ? m.checkAgain : m.retry}</button>`
      : nothing;
    return html`${this.#renderStatus(title, errorMessage(m, error), kind)}
${summary}
${reference}
${retry}`;
  }

  #renderSummary(
    m: Messages,
    source: Readonly<Quote> | Readonly<CheckoutView> | undefined,
    chosenAmount?: number,
  ) {
    if (!source) return nothing;
    const lang = resolveLang(this);
    const lines = ('lineItems' in source && source.lineItems) || [];
    const translated = source.translations?.[lang as 'zh'];
    const amount = source.amountInCents ?? chosenAmount;
    return html`<p class="description" part="description">${translated?.description ?? source.description}</p>
${
  lines.length > 1
    ? html`<ul class="lines" part="line-items">
${lines.map((l, i) => html`<li><span>${translated?.lineItems?.[i] ?? l.description}</span>${this.#money(l.amountInCents, source.currency)}</li>`)}
</ul>`
    : nothing
}
<dl class="amount" part="amount">
<dt>${m.amount}</dt>
${amount === undefined ? html`<dd class="choose">${m.payerChoosesAmount}</dd>` : html`<dd>${this.#money(amount, source.currency)}</dd>`}
</dl>`;
  }

  /** ready, submitting, redirecting. */
  #renderPayable(m: Messages) {
    const quote = this.#flow.quote;
    const busy = this.state !== 'ready';
    const off = !busy && this.disabled;
    const payable = quote?.amountInCents ?? this.#chosenAmount;
    const busyText = this.state === 'submitting' ? m.submitting : m.redirecting;
    return html`${this.#renderSummary(m, quote)}
${busy ? nothing : renderPayerForm(this.#form, this.#formErrors, this.#needs, m, this.#onInput)}
${off ? html`<p class="hint"><slot name="disabled-reason">${m.disabled}</slot></p>` : nothing}
<button class=${off ? 'off' : ''} part="pay-button" aria-disabled=${busy || off ? 'true' : 'false'} @click=${this.#onPayClick}>${
      busy
        ? html`<span class="busy"><span class="spinner" aria-hidden="true"></span>${busyText}</span>`
        : html`<slot name="button-label">${around(m.pay, 'amount', payable !== undefined && quote ? this.#money(payable, quote.currency) : '')}</slot>`
    }</button>`;
  }

  #renderPaid(m: Messages, c: Readonly<CheckoutView>) {
    const lang = resolveLang(this);
    return html`${this.#renderStatus(m.paidTitle, m.paidBody, 'paid')}
<p class="description" part="description">${c.translations?.[lang as 'zh']?.description ?? c.description}</p>
<dl class="facts" part="confirmation">
<dt>${m.amount}</dt>
<dd>${this.#money(c.amountInCents, c.currency)}</dd>
<dt>${m.reference}</dt>
<dd class="ref">${c.referenceId}</dd>
${c.paidAt ? html`<dt>${m.paidAt}</dt><dd>${formatPaidAt(c.paidAt, lang)}</dd>` : nothing}
</dl>
<slot name="success"></slot>`;
  }
}

/**
 * An error's title and its kind: not knowing is not failing (a payer who has just paid must not
 * read "try again" as "pay again"), and an order paid already is good news, not an error.
 */
function errorTitle(m: Messages, error: FlowError): [string, string] {
  return error.statusUnknown
    ? [m.statusUnknownTitle, '']
    : error.code === 'order_already_paid'
      ? [m.paidTitle, 'paid']
      : [m.errorTitle, 'error'];
}

/** The checkout as the BFF showed it, when it has been shown (it has a description then). */
function shown(checkout: CheckoutInHand): Readonly<CheckoutView> | undefined {
  return checkout.description ? checkout : undefined;
}

/** A text with one value in it, as a template, so the value can keep its own markup (never broken mid-amount). */
function around(text: string, name: string, value: unknown) {
  const [before, after = ''] = text.split(`{${name}}`);
  return html`${before}${value}${after}`;
}

declare global {
  interface HTMLElementTagNameMap {
    'paysg-checkout': PaysgCheckout;
  }
}
