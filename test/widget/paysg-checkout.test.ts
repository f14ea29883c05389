import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { define } from '../../widget/define.js';
import type { PaysgCheckout } from '../../widget/paysg-checkout.js';
import { bffError, deferred, type FakeBff, json, QUOTE, useFakeBff } from '../helpers/fake-bff.js';
import {
  button,
  CHECKOUT_ID,
  mount,
  mountReady,
  PAID_VIEW,
  part,
  PAYMENT_URL,
  shadow,
  text,
  UNPAID_VIEW,
} from '../helpers/widget-dom.js';

let bff: FakeBff;
useFakeBff((created) => (bff = created));

describe('<paysg-checkout>', () => {
  it('shows what is paid for and fires paysg-ready with the quote', async () => {
    const ready = oneEvent(document, 'paysg-ready');
    const el = await mount();
    const event = await ready;
    await el.updateComplete;
    expect(event.detail).to.deep.equal({
      description: QUOTE.description,
      amountInCents: 12000,
      currency: 'SGD',
    });
    expect(event.bubbles && event.composed && !event.cancelable).to.be.true;
    expect(el.state).to.equal('ready');
    expect(el.matches(':state(ready)')).to.be.true;
    expect(text(el)).to.contain('Hawker stall licence renewal');
    expect(text(el)).to.match(/SGD\s120\.00/);
    expect(button(el, 'pay-button').tagName).to.equal('BUTTON');
    expect(bff.callsTo('GET /paysg/quote')).to.have.length(1);
  });

  it('lets the host stop a payment by cancelling paysg-submit', async () => {
    const el = await mountReady();
    el.addEventListener('paysg-submit', (e) => e.preventDefault(), { once: true });
    const submit = oneEvent(el, 'paysg-submit');
    button(el, 'pay-button').click();
    const event = await submit;
    expect(event.detail.amountInCents).to.equal(12000);
    expect(event.cancelable).to.be.true;
    await el.updateComplete;
    expect(el.state).to.equal('ready');
    expect(bff.callsTo('POST /paysg/checkouts')).to.have.length(0);
  });

  it('creates the checkout without any amount, then fires a cancelable paysg-redirect', async () => {
    bff.on('POST /paysg/checkouts', () =>
      json({ checkoutId: CHECKOUT_ID, status: 'unpaid', paymentUrl: PAYMENT_URL }, 201),
    );
    const el = await mountReady();
    el.addEventListener('paysg-redirect', (e) => e.preventDefault(), { once: true });
    const redirect = oneEvent(el, 'paysg-redirect');
    button(el, 'pay-button').click();
    const event = await redirect;
    expect(event.detail).to.deep.equal({ checkoutId: CHECKOUT_ID, paymentUrl: PAYMENT_URL });

    const [call] = bff.callsTo('POST /paysg/checkouts');
    expect(call!.body).to.deep.equal({
      item: 'licence-renewal',
      payer: { name: 'Tan Ah Kow' },
      returnTo: location.href,
    });
    expect(JSON.stringify(call!.body)).not.to.match(/amount/i);
    expect(call!.headers.get('X-PaySG-Checkout')).to.equal('1');
    expect(call!.headers.get('Content-Type')).to.equal('application/json');
    expect(call!.headers.get('Idempotency-Key')).to.match(/^[0-9a-f-]{36}$/);
    await el.updateComplete;
    expect(el.state).to.equal('awaiting');
    expect(sessionStorage.getItem('paysg-checkout:pending:/paysg|licence-renewal|')).to.equal(
      CHECKOUT_ID,
    );
  });

  it('stays busy while the checkout is being created: a second press sends nothing', async () => {
    const answer = deferred<Response>();
    bff.on('POST /paysg/checkouts', () => answer.promise);
    const el = await mountReady();
    const pay = button(el, 'pay-button');
    pay.click();
    await el.updateComplete;
    expect(el.state).to.equal('submitting');
    expect(pay.getAttribute('aria-disabled')).to.equal('true');
    expect(shadow(el).querySelector('[part="card"]')!.getAttribute('aria-busy')).to.equal('true');
    expect(shadow(el).querySelector('[role="status"]')!.textContent).to.equal(
      'Preparing your payment…',
    );
    await waitUntil(() => bff.callsTo('POST /paysg/checkouts').length === 1);
    pay.click();
    pay.click();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(bff.callsTo('POST /paysg/checkouts')).to.have.length(1);
    el.addEventListener('paysg-redirect', (e) => e.preventDefault(), { once: true });
    answer.resolve(
      json({ checkoutId: CHECKOUT_ID, status: 'unpaid', paymentUrl: PAYMENT_URL }, 201),
    );
    await waitUntil(() => el.state === 'awaiting');
  });

  it('retries a failed create with the same Idempotency-Key', async () => {
    let attempts = 0;
    bff.on('POST /paysg/checkouts', () =>
      ++attempts === 1
        ? bffError('upstream_unavailable', 503)
        : json({ checkoutId: CHECKOUT_ID, status: 'unpaid', paymentUrl: PAYMENT_URL }, 201),
    );
    const el = await mountReady();
    const error = oneEvent(el, 'paysg-error');
    button(el, 'pay-button').click();
    expect((await error).detail).to.include({
      code: 'upstream_unavailable',
      retryable: true,
      requestId: 'req-1',
    });
    await el.updateComplete;
    el.addEventListener('paysg-redirect', (e) => e.preventDefault(), { once: true });
    button(el, 'retry-button').click();
    await waitUntil(() => el.state === 'awaiting');
    const [first, second] = bff.callsTo('POST /paysg/checkouts');
    expect(second!.headers.get('Idempotency-Key')).to.equal(first!.headers.get('Idempotency-Key'));
  });

  it('on return, reads ?paysg_checkout, removes it, and fires paysg-paid once the BFF verified', async () => {
    history.replaceState(null, '', `${location.pathname}?keep=1&paysg_checkout=${CHECKOUT_ID}`);
    bff.on(`GET /paysg/checkouts/${CHECKOUT_ID}`, () => json(PAID_VIEW));
    const paid = oneEvent(document, 'paysg-paid');
    const el = await mount();
    const event = await paid;
    expect(event.detail).to.deep.equal({
      checkoutId: CHECKOUT_ID,
      paymentId: PAID_VIEW.paymentId,
      referenceId: PAID_VIEW.referenceId,
      amountInCents: 12000,
      currency: 'SGD',
      paidAt: PAID_VIEW.paidAt,
    });
    await el.updateComplete;
    expect(el.state).to.equal('paid');
    expect(location.search).to.equal('?keep=1');
    expect(shadow(el).querySelector('[role="status"]')!.textContent).to.equal('Payment received');
    expect(text(el)).to.contain('Payment received');
    expect(text(el)).to.contain('PSC-5CD973B331B4');
    expect(bff.callsTo('GET /paysg/quote')).to.have.length(0);
  });

  it('with two widgets on the page, the return goes to the one that started the payment', async () => {
    sessionStorage.setItem('paysg-checkout:pending:/paysg|replacement-card|', CHECKOUT_ID);
    history.replaceState(null, '', `${location.pathname}?paysg_checkout=${CHECKOUT_ID}`);
    bff.on(`GET /paysg/checkouts/${CHECKOUT_ID}`, () => json(PAID_VIEW));
    const paid = oneEvent(document, 'paysg-paid');
    const wrapper = await fixture<HTMLDivElement>(html`<div>
      <paysg-checkout item="licence-renewal" payer-name="Tan"></paysg-checkout>
      <paysg-checkout item="replacement-card" payer-name="Tan"></paysg-checkout>
    </div>`);
    const [first, second] = [...wrapper.querySelectorAll('paysg-checkout')];
    expect((await paid).target).to.equal(second);
    await waitUntil(() => first!.state === 'ready');
    expect(second!.state).to.equal('paid');
    expect(location.search).to.equal('');
  });

  it('back without paying: fires paysg-pending and offers to resume the same payment', async () => {
    sessionStorage.setItem('paysg-checkout:pending:/paysg|licence-renewal|', CHECKOUT_ID);
    bff.on(`GET /paysg/checkouts/${CHECKOUT_ID}`, () => json(UNPAID_VIEW));
    const pending = oneEvent(document, 'paysg-pending');
    const el = await mount();
    expect((await pending).detail).to.deep.equal({
      checkoutId: CHECKOUT_ID,
      paymentUrl: PAYMENT_URL,
    });
    await el.updateComplete;
    expect(el.state).to.equal('unpaid');
    expect(el.matches(':state(unpaid)')).to.be.true;
    expect(button(el, 'resume-button').textContent).to.contain('Resume payment');
    expect(text(el)).to.contain('Payment not completed');
  });

  it('cancels an unpaid payment on request, fires paysg-cancel, and can start again', async () => {
    sessionStorage.setItem('paysg-checkout:pending:/paysg|licence-renewal|', CHECKOUT_ID);
    bff.on(`GET /paysg/checkouts/${CHECKOUT_ID}`, () => json(UNPAID_VIEW));
    bff.on(`POST /paysg/checkouts/${CHECKOUT_ID}/cancel`, () =>
      json({ ...UNPAID_VIEW, status: 'cancelled', paymentUrl: undefined }),
    );
    const pending = oneEvent(document, 'paysg-pending');
    const el = await mount();
    await pending;
    await el.updateComplete;
    const cancelled = oneEvent(el, 'paysg-cancel');
    button(el, 'cancel-button').click();
    expect((await cancelled).detail).to.deep.equal({ checkoutId: CHECKOUT_ID });
    await el.updateComplete;
    expect(el.state).to.equal('cancelled');
    expect(
      bff
        .callsTo(`POST /paysg/checkouts/${CHECKOUT_ID}/cancel`)[0]!
        .headers.get('X-PaySG-Checkout'),
    ).to.equal('1');
    expect(sessionStorage.getItem('paysg-checkout:pending:/paysg|licence-renewal|')).to.equal(null);
    await expect(el).to.be.accessible();
    const ready = oneEvent(el, 'paysg-ready');
    button(el, 'start-again-button').click();
    await ready;
  });

  it('shows the verified payment when a cancel finds it was paid meanwhile', async () => {
    sessionStorage.setItem('paysg-checkout:pending:/paysg|licence-renewal|', CHECKOUT_ID);
    let paid = false;
    bff.on(`GET /paysg/checkouts/${CHECKOUT_ID}`, () => json(paid ? PAID_VIEW : UNPAID_VIEW));
    bff.on(`POST /paysg/checkouts/${CHECKOUT_ID}/cancel`, () => {
      paid = true;
      return bffError('order_already_paid', 409);
    });
    const pending = oneEvent(document, 'paysg-pending');
    const el = await mount();
    await pending;
    await el.updateComplete;
    const paidEvent = oneEvent(el, 'paysg-paid');
    button(el, 'cancel-button').click();
    await paidEvent;
    expect(el.state).to.equal('paid');
  });

  it('pays an order token: quoted by POST, and the token (never an amount) sent to create', async () => {
    const token = 'eyJhbGciOiJIUzI1NiJ9.eyJyZWZlcmVuY2VfaWQiOiJJTlYtMSJ9.c2ln';
    bff.on('POST /paysg/quote', () =>
      json({
        description: 'Permit application',
        amountInCents: 4550,
        currency: 'SGD',
        referenceId: 'INV-1',
        lineItems: [],
        payerNameRequired: false,
      }),
    );
    bff.on('POST /paysg/checkouts', () =>
      json({ checkoutId: CHECKOUT_ID, status: 'unpaid', paymentUrl: PAYMENT_URL }, 201),
    );
    const ready = oneEvent(document, 'paysg-ready');
    const el = await fixture<PaysgCheckout>(
      html`<paysg-checkout order-token=${token}></paysg-checkout>`,
    );
    expect((await ready).detail.amountInCents).to.equal(4550);
    expect(bff.callsTo('POST /paysg/quote')[0]!.body).to.deep.equal({ orderToken: token });
    await el.updateComplete;
    el.addEventListener('paysg-redirect', (e) => e.preventDefault(), { once: true });
    const redirect = oneEvent(el, 'paysg-redirect');
    button(el, 'pay-button').click();
    await redirect;
    expect(bff.callsTo('POST /paysg/checkouts')[0]!.body).to.deep.equal({
      orderToken: token,
      returnTo: location.href,
    });
  });

  it('proves which browser it is with one secret all its tabs share, on every POST', async () => {
    localStorage.removeItem('paysg-checkout:browser');
    bff.on('POST /paysg/checkouts', () =>
      json({ checkoutId: CHECKOUT_ID, status: 'unpaid', paymentUrl: PAYMENT_URL }, 201),
    );
    bff.on(`POST /paysg/checkouts/${CHECKOUT_ID}/cancel`, () =>
      json({ ...UNPAID_VIEW, status: 'cancelled', paymentUrl: undefined }),
    );
    const el = await mountReady();
    el.addEventListener('paysg-redirect', (e) => e.preventDefault(), { once: true });
    const redirect = oneEvent(el, 'paysg-redirect');
    button(el, 'pay-button').click();
    await redirect;
    const secret = bff.callsTo('POST /paysg/checkouts')[0]!.headers.get('X-PaySG-Browser');
    expect(secret).to.match(/^[0-9a-f-]{36}$/);
    expect(localStorage.getItem('paysg-checkout:browser')).to.equal(secret);

    // Another tab of this browser (a second widget, the same storage) sends the same secret.
    const other = await mountReady();
    other.addEventListener('paysg-redirect', (e) => e.preventDefault(), { once: true });
    const again = oneEvent(other, 'paysg-redirect');
    button(other, 'pay-button').click();
    await again;
    expect(bff.callsTo('POST /paysg/checkouts')[1]!.headers.get('X-PaySG-Browser')).to.equal(
      secret,
    );
  });

  it('an expired order token: a retryable error that reloads the page, and a new token from the host is quoted and paid', async () => {
    const quote = {
      description: 'Permit application',
      amountInCents: 4550,
      currency: 'SGD',
      referenceId: 'INV-1',
      lineItems: [],
      payerNameRequired: false,
    };
    bff.on('POST /paysg/quote', () => json(quote));
    bff.on('POST /paysg/checkouts', (call) =>
      (call.body as { orderToken: string }).orderToken === 'old.token.sig'
        ? bffError('order_token_expired', 401)
        : json({ checkoutId: CHECKOUT_ID, status: 'unpaid', paymentUrl: PAYMENT_URL }, 201),
    );
    const ready = oneEvent(document, 'paysg-ready');
    const el = await fixture<PaysgCheckout>(
      html`<paysg-checkout order-token="old.token.sig"></paysg-checkout>`,
    );
    await ready;
    await el.updateComplete;
    const failed = oneEvent(el, 'paysg-error');
    button(el, 'pay-button').click();
    const error = await failed;
    expect(error.detail.code).to.equal('order_token_expired');
    expect(error.detail.retryable).to.equal(true);
    await el.updateComplete;
    expect(text(el)).to.contain('This page has expired');
    expect(text(el)).not.to.match(/contact/i);
    expect(button(el, 'retry-button').textContent).to.contain('Reload page');

    const requoted = oneEvent(el, 'paysg-ready');
    el.orderToken = 'new.token.sig';
    await requoted;
    expect(bff.callsTo('POST /paysg/quote').at(-1)!.body).to.deep.equal({
      orderToken: 'new.token.sig',
    });
    await el.updateComplete;
    el.addEventListener('paysg-redirect', (e) => e.preventDefault(), { once: true });
    const redirect = oneEvent(el, 'paysg-redirect');
    button(el, 'pay-button').click();
    await redirect;
    const [failedCreate, create] = bff.callsTo('POST /paysg/checkouts');
    expect((create!.body as { orderToken: string }).orderToken).to.equal('new.token.sig');
    // Another order: its own Idempotency-Key, never a replay of the one made for the old token.
    expect(create!.headers.get('Idempotency-Key')).not.to.equal(
      failedCreate!.headers.get('Idempotency-Key'),
    );
  });

  it('asks for the payer’s name when the host did not give it, with errors tied to the fields', async () => {
    bff.on('POST /paysg/checkouts', () =>
      json({ checkoutId: CHECKOUT_ID, status: 'unpaid', paymentUrl: PAYMENT_URL }, 201),
    );
    const ready = oneEvent(document, 'paysg-ready');
    const el = await fixture<PaysgCheckout>(
      html`<paysg-checkout item="licence-renewal"></paysg-checkout>`,
    );
    await ready;
    await el.updateComplete;
    const name = shadow(el).querySelector<HTMLInputElement>('#name')!;
    const email = shadow(el).querySelector<HTMLInputElement>('#email')!;
    expect(shadow(el).querySelector('label[for="name"]')!.textContent).to.equal('Full name');
    expect(name.autocomplete).to.equal('name');
    button(el, 'pay-button').click();
    await el.updateComplete;
    expect(name.getAttribute('aria-invalid')).to.equal('true');
    expect(shadow(el).getElementById(name.getAttribute('aria-describedby')!)!.textContent).to.equal(
      'Enter your full name.',
    );
    expect(shadow(el).activeElement).to.equal(name);
    expect(bff.calls.filter((c) => c.method === 'POST')).to.have.length(0);
    await expect(el).to.be.accessible();

    name.value = 'Tan Ah Kow';
    name.dispatchEvent(new Event('input'));
    email.value = 'not-an-email';
    email.dispatchEvent(new Event('input'));
    button(el, 'pay-button').click();
    await el.updateComplete;
    expect(email.getAttribute('aria-invalid')).to.equal('true');
    expect(shadow(el).activeElement).to.equal(email);

    email.value = 'tan@example.com';
    email.dispatchEvent(new Event('input'));
    el.addEventListener('paysg-redirect', (e) => e.preventDefault(), { once: true });
    const redirect = oneEvent(el, 'paysg-redirect');
    button(el, 'pay-button').click();
    await redirect;
    expect(
      (bff.callsTo('POST /paysg/checkouts')[0]!.body as { payer: unknown }).payer,
    ).to.deep.equal({ name: 'Tan Ah Kow', email: 'tan@example.com' });
  });

  it('lets the payer choose the amount of a variable item, within its bounds', async () => {
    bff.on('GET /paysg/quote', () =>
      json({
        item: 'donation',
        description: 'Community fund',
        currency: 'SGD',
        minAmountInCents: 500,
        maxAmountInCents: 100000,
      }),
    );
    bff.on('POST /paysg/checkouts', () =>
      json({ checkoutId: CHECKOUT_ID, status: 'unpaid', paymentUrl: PAYMENT_URL }, 201),
    );
    const ready = oneEvent(document, 'paysg-ready');
    const el = await fixture<PaysgCheckout>(
      html`<paysg-checkout item="donation" payer-name="Tan"></paysg-checkout>`,
    );
    expect((await ready).detail.amountInCents).to.equal(null);
    await el.updateComplete;
    expect(text(el)).to.contain('You choose the amount');
    const amount = shadow(el).querySelector<HTMLInputElement>('#amount')!;
    amount.value = '2';
    amount.dispatchEvent(new Event('input'));
    button(el, 'pay-button').click();
    await el.updateComplete;
    expect(text(el)).to.match(/Enter an amount from SGD\s5\.00 to SGD\s1,000\.00\./);
    amount.value = '25.50';
    amount.dispatchEvent(new Event('input'));
    await el.updateComplete;
    expect(button(el, 'pay-button').textContent).to.match(/Pay SGD\s25\.50/);
    el.addEventListener('paysg-redirect', (e) => e.preventDefault(), { once: true });
    const submit = oneEvent(el, 'paysg-submit');
    button(el, 'pay-button').click();
    expect((await submit).detail.amountInCents).to.equal(2550);
    await waitUntil(() => el.state === 'awaiting');
    expect(
      (bff.callsTo('POST /paysg/checkouts')[0]!.body as { chosenAmountInCents: number })
        .chosenAmountInCents,
    ).to.equal(2550);
  });

  it('popup mode: PaySG opens in a window while the page follows the status live', async () => {
    let polls = 0;
    bff.on('POST /paysg/checkouts', () =>
      json({ checkoutId: CHECKOUT_ID, status: 'unpaid', paymentUrl: PAYMENT_URL }, 201),
    );
    bff.on(`GET /paysg/checkouts/${CHECKOUT_ID}`, () =>
      json(++polls < 2 ? UNPAID_VIEW : PAID_VIEW),
    );
    const realOpen = window.open;
    // A stand-in window, so the test page itself never navigates.
    const fakePopup = {
      closed: false,
      location: { href: '' },
      focus() {},
      close() {
        this.closed = true;
      },
    };
    window.open = (() => fakePopup) as unknown as typeof window.open;
    try {
      const ready = oneEvent(document, 'paysg-ready');
      const el = await fixture<PaysgCheckout>(
        html`<paysg-checkout item="licence-renewal" payer-name="Tan" mode="popup"></paysg-checkout>`,
      );
      await ready;
      await el.updateComplete;
      const paid = oneEvent(el, 'paysg-paid');
      button(el, 'pay-button').click();
      await waitUntil(() => el.state === 'awaiting');
      expect(fakePopup.location.href).to.equal(PAYMENT_URL);
      expect((bff.callsTo('POST /paysg/checkouts')[0]!.body as { mode: string }).mode).to.equal(
        'popup',
      );
      expect(text(el)).to.contain('Complete your payment in the PaySG window');
      await paid;
      expect(el.state).to.equal('paid');
    } finally {
      window.open = realOpen;
    }
  });

  it('popup mode falls back to a redirect when the popup is blocked', async () => {
    bff.on('POST /paysg/checkouts', () =>
      json({ checkoutId: CHECKOUT_ID, status: 'unpaid', paymentUrl: PAYMENT_URL }, 201),
    );
    const realOpen = window.open;
    window.open = (() => null) as typeof window.open;
    try {
      const ready = oneEvent(document, 'paysg-ready');
      const el = await fixture<PaysgCheckout>(
        html`<paysg-checkout item="licence-renewal" payer-name="Tan" mode="popup"></paysg-checkout>`,
      );
      await ready;
      await el.updateComplete;
      el.addEventListener('paysg-redirect', (e) => e.preventDefault(), { once: true });
      const redirect = oneEvent(el, 'paysg-redirect');
      button(el, 'pay-button').click();
      await redirect;
      expect((bff.callsTo('POST /paysg/checkouts')[0]!.body as { mode?: string }).mode).to.equal(
        undefined,
      );
    } finally {
      window.open = realOpen;
    }
  });

  it('moves focus to the outcome when the payer comes back', async () => {
    history.replaceState(null, '', `${location.pathname}?paysg_checkout=${CHECKOUT_ID}`);
    bff.on(`GET /paysg/checkouts/${CHECKOUT_ID}`, () => json(PAID_VIEW));
    const paid = oneEvent(document, 'paysg-paid');
    const el = await mount();
    await paid;
    await waitUntil(() => shadow(el).activeElement?.classList.contains('title'));
    expect(shadow(el).activeElement!.textContent).to.equal('Payment received');
  });

  it('says it is not set up when it has neither item nor order-token', async () => {
    const error = oneEvent(document, 'paysg-error');
    const el = await fixture<PaysgCheckout>(html`<paysg-checkout></paysg-checkout>`);
    expect((await error).detail).to.include({ code: 'invalid_request', retryable: false });
    await el.updateComplete;
    expect(text(el)).to.contain('not set up correctly');
    expect(button(el, 'retry-button')).to.equal(null);
    expect(bff.calls).to.have.length(0);
  });

  it('never says paid or failed when the status cannot be checked', async () => {
    sessionStorage.setItem('paysg-checkout:pending:/paysg|licence-renewal|', CHECKOUT_ID);
    let calls = 0;
    bff.on(`GET /paysg/checkouts/${CHECKOUT_ID}`, () =>
      ++calls === 1 ? bffError('upstream_unavailable', 503) : json(PAID_VIEW),
    );
    const error = oneEvent(document, 'paysg-error');
    const el = await mount();
    const detail = (await error).detail;
    expect(detail.retryable).to.be.true;
    await el.updateComplete;
    expect(el.state).to.equal('error');
    expect(text(el)).to.contain('could not confirm your payment yet');
    expect(text(el)).not.to.contain('Payment received');
    const paid = oneEvent(el, 'paysg-paid');
    button(el, 'retry-button').click();
    await paid;
  });

  it('reports a network failure with a retryable network_error, and recovers on retry', async () => {
    let calls = 0;
    bff.on('GET /paysg/quote', () => {
      if (++calls === 1) throw new TypeError('Failed to fetch');
      return json(QUOTE);
    });
    const error = oneEvent(document, 'paysg-error');
    const el = await mount();
    expect((await error).detail).to.include({ code: 'network_error', retryable: true });
    await el.updateComplete;
    const ready = oneEvent(el, 'paysg-ready');
    button(el, 'retry-button').click();
    await ready;
  });

  it('offers no retry for a definite refusal', async () => {
    bff.on('GET /paysg/quote', () => bffError('unknown_item', 404));
    const error = oneEvent(document, 'paysg-error');
    const el = await mount();
    expect((await error).detail).to.include({ code: 'unknown_item', retryable: false });
    await el.updateComplete;
    expect(button(el, 'retry-button')).to.equal(null);
    expect(text(el)).to.contain('Please contact the agency');
  });

  it('does nothing when disabled', async () => {
    const el = await mountReady();
    el.disabled = true;
    await el.updateComplete;
    button(el, 'pay-button').click();
    await el.updateComplete;
    expect(el.state).to.equal('ready');
    expect(button(el, 'pay-button').getAttribute('aria-disabled')).to.equal('true');
    expect(bff.callsTo('POST /paysg/checkouts')).to.have.length(0);
  });

  it('speaks the language of its lang attribute, else of the page', async () => {
    const ready = oneEvent(document, 'paysg-ready');
    const el = await fixture<PaysgCheckout>(
      html`<paysg-checkout item="licence-renewal" lang="zh"></paysg-checkout>`,
    );
    await ready;
    await el.updateComplete;
    expect(button(el, 'pay-button').textContent).to.contain('支付');
    el.setAttribute('lang', 'ms');
    // Malay is fetched on demand; until it arrives the widget keeps speaking Chinese.
    await waitUntil(
      () => button(el, 'pay-button').textContent!.includes('Bayar'),
      'Malay never arrived',
    );

    const wrapper = await fixture<HTMLDivElement>(
      html`<div lang="ta"><paysg-checkout item="licence-renewal"></paysg-checkout></div>`,
    );
    const inner = wrapper.querySelector('paysg-checkout')!;
    await waitUntil(() => inner.state === 'ready');
    await inner.updateComplete;
    expect(button(inner, 'pay-button').textContent).to.contain('செலுத்து');
  });

  it('shows what is paid for in the payer’s language when the agency translated it, else as given', async () => {
    const lineItems = [
      { description: 'Permit fee', amountInCents: 7000 },
      { description: 'Processing fee', amountInCents: 5000 },
    ];
    const translations = {
      zh: { description: '小贩摊位执照更新', lineItems: ['执照费', '手续费'] },
    };
    bff.on('GET /paysg/quote', () => json({ ...QUOTE, lineItems, translations }));
    const ready = oneEvent(document, 'paysg-ready');
    const el = await fixture<PaysgCheckout>(
      html`<paysg-checkout item="licence-renewal" lang="zh"></paysg-checkout>`,
    );
    const event = await ready;
    await el.updateComplete;
    expect(part(el, 'description').textContent).to.equal('小贩摊位执照更新');
    expect(part(el, 'line-items').textContent).to.contain('执照费').and.contain('手续费');
    expect(event.detail.description).to.equal(QUOTE.description);
    el.setAttribute('lang', 'ms');
    await waitUntil(
      () => part(el, 'amount').textContent!.includes('Jumlah'),
      'Malay never arrived',
    );
    expect(part(el, 'description').textContent).to.equal(QUOTE.description);
    expect(part(el, 'line-items').textContent).to.contain('Permit fee');
  });

  it('confirms a payment in the payer’s language when the agency translated what was paid for', async () => {
    history.replaceState(null, '', `${location.pathname}?paysg_checkout=${CHECKOUT_ID}`);
    bff.on(`GET /paysg/checkouts/${CHECKOUT_ID}`, () =>
      json({
        ...PAID_VIEW,
        translations: { ta: { description: 'உணவங்காடிக் கடை உரிமப் புதுப்பித்தல்' } },
      }),
    );
    const paid = oneEvent(document, 'paysg-paid');
    const el = await fixture<PaysgCheckout>(
      html`<paysg-checkout item="licence-renewal" lang="ta"></paysg-checkout>`,
    );
    await paid;
    await el.updateComplete;
    expect(part(el, 'description').textContent).to.equal('உணவங்காடிக் கடை உரிமப் புதுப்பித்தல்');
  });

  it('tolerates being defined twice', () => {
    expect(() => define()).not.to.throw();
    expect(customElements.get('paysg-checkout')).to.exist;
  });

  describe('accessibility (axe)', () => {
    it('ready', async () => {
      await expect(await mountReady()).to.be.accessible();
    });
    it('paid', async () => {
      history.replaceState(null, '', `${location.pathname}?paysg_checkout=${CHECKOUT_ID}`);
      bff.on(`GET /paysg/checkouts/${CHECKOUT_ID}`, () => json(PAID_VIEW));
      const paid = oneEvent(document, 'paysg-paid');
      const el = await mount();
      await paid;
      await el.updateComplete;
      await expect(el).to.be.accessible();
    });
    it('unpaid', async () => {
      sessionStorage.setItem('paysg-checkout:pending:/paysg|licence-renewal|', CHECKOUT_ID);
      bff.on(`GET /paysg/checkouts/${CHECKOUT_ID}`, () => json(UNPAID_VIEW));
      const pending = oneEvent(document, 'paysg-pending');
      const el = await mount();
      await pending;
      await el.updateComplete;
      await expect(el).to.be.accessible();
    });
    it('error', async () => {
      bff.on('GET /paysg/quote', () => bffError('upstream_unavailable', 503));
      const error = oneEvent(document, 'paysg-error');
      const el = await mount();
      await error;
      await el.updateComplete;
      await expect(el).to.be.accessible();
    });
  });
});

describe('<paysg-checkout> on any host page', () => {
  it('takes the host’s theme through custom properties and ::part()', async () => {
    const style = document.createElement('style');
    style.textContent = `
      .themed { --paysg-color-primary: rgb(0, 95, 115); --paysg-radius: 2px; }
      .themed::part(pay-button) { text-transform: uppercase; }
    `;
    document.head.append(style);
    try {
      const ready = oneEvent(document, 'paysg-ready');
      const el = await fixture<PaysgCheckout>(
        html`<paysg-checkout class="themed" item="licence-renewal" payer-name="Tan"></paysg-checkout>`,
      );
      await ready;
      await el.updateComplete;
      const pay = getComputedStyle(button(el, 'pay-button'));
      expect(pay.backgroundColor).to.equal('rgb(0, 95, 115)');
      expect(pay.borderTopLeftRadius).to.equal('2px');
      expect(pay.textTransform).to.equal('uppercase');
    } finally {
      style.remove();
    }
  });

  it('lets the host replace the Pay label and add to the confirmation through slots', async () => {
    history.replaceState(null, '', `${location.pathname}?paysg_checkout=${CHECKOUT_ID}`);
    bff.on(`GET /paysg/checkouts/${CHECKOUT_ID}`, () => json(PAID_VIEW));
    const paid = oneEvent(document, 'paysg-paid');
    const el = await fixture<PaysgCheckout>(
      html`<paysg-checkout item="licence-renewal"><a slot="success" href="/licences">View your licence</a></paysg-checkout>`,
    );
    await paid;
    await el.updateComplete;
    const slot = shadow(el).querySelector<HTMLSlotElement>('slot[name="success"]')!;
    expect(slot.assignedElements()[0]!.textContent).to.equal('View your licence');
  });

  it('can be used with the keyboard alone', async () => {
    bff.on('POST /paysg/checkouts', () =>
      json({ checkoutId: CHECKOUT_ID, status: 'unpaid', paymentUrl: PAYMENT_URL }, 201),
    );
    const el = await mountReady();
    el.addEventListener('paysg-redirect', (e) => e.preventDefault(), { once: true });
    button(el, 'pay-button').focus();
    expect(shadow(el).activeElement).to.equal(button(el, 'pay-button'));
    const submit = oneEvent(el, 'paysg-submit');
    await sendKeys({ press: 'Enter' });
    await submit;
    await waitUntil(() => el.state === 'awaiting');
  });

  const LANGUAGES = [
    { lang: 'en', pay: /^Pay SGD\s120\.00$/, secured: 'Payments are processed securely by PaySG.' },
    { lang: 'zh', pay: /^支付 SGD\s120\.00$/, secured: '付款由 PaySG 安全处理。' },
    {
      lang: 'ms',
      pay: /^Bayar SGD\s120\.00$/,
      secured: 'Pembayaran diproses dengan selamat oleh PaySG.',
    },
    {
      lang: 'ta',
      pay: /^SGD\s120\.00 செலுத்து$/,
      secured: 'கட்டணங்கள் PaySG மூலம் பாதுகாப்பாகச் செயலாக்கப்படுகின்றன.',
    },
  ];
  for (const { lang, pay, secured } of LANGUAGES) {
    it(`speaks ${lang}, error messages included`, async () => {
      const ready = oneEvent(document, 'paysg-ready');
      const el = await fixture<PaysgCheckout>(
        html`<paysg-checkout item="licence-renewal" payer-name="Tan" lang=${lang}></paysg-checkout>`,
      );
      await ready;
      await el.updateComplete;
      expect(button(el, 'pay-button').textContent!.trim()).to.match(pay);
      expect(text(el)).to.contain(secured);
      bff.on('GET /paysg/quote', () => bffError('upstream_unavailable', 503));
      const error = oneEvent(document, 'paysg-error');
      const broken = await fixture<PaysgCheckout>(
        html`<paysg-checkout item="licence-renewal" lang=${lang}></paysg-checkout>`,
      );
      const detail = (await error).detail;
      await broken.updateComplete;
      expect(text(broken)).to.contain(detail.message);
      if (lang !== 'en') expect(detail.message).not.to.contain('PaySG is not responding');
      await expect(broken).to.be.accessible();
    });
  }
});
