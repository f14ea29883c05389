/**
 * What is being paid for is what the host says now: a change of `item` or `order-token` starts
 * over from the quote in every state, and the old order's checkout is found again on switching
 * back. A browser that paid an order sees its confirmation, not Pay; an error keeps what is
 * being paid for in sight, and the live region speaks the payer's punctuation.
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../widget/define.js';
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
  PENDING_KEY,
  shadow,
  text,
  UNPAID_VIEW,
} from '../helpers/widget-dom.js';

const CARD = {
  item: 'replacement-card',
  description: 'Replacement of lost identity card',
  amountInCents: 5000,
  currency: 'SGD',
};
const CARD_CHECKOUT_ID = 'cardCheckout_0123456789';
const CREATED = { checkoutId: CHECKOUT_ID, status: 'unpaid', paymentUrl: PAYMENT_URL };

let bff: FakeBff;
useFakeBff((created) => {
  bff = created;
  // Each catalog item is quoted as itself; the address says which (the fake BFF routes by path).
  bff.on('GET /paysg/quote', () => json(lastQuoted === 'replacement-card' ? CARD : QUOTE));
});

/** The item of the last quote asked for, read from its address. */
let lastQuoted = '';
/** Every address the widget asked for, with its query, and the headers it sent. */
let requests: { url: URL; headers: Headers }[] = [];
beforeEach(() => {
  requests = [];
  const answer = window.fetch;
  window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    requests.push({ url, headers: request.headers });
    if (url.pathname === '/paysg/quote') lastQuoted = url.searchParams.get('item') ?? '';
    return answer(input, init);
  };
});

const quotesOf = (item: string) =>
  requests.filter(
    (r) => r.url.pathname === '/paysg/quote' && r.url.searchParams.get('item') === item,
  );
const readyFor = (el: PaysgCheckout, description: string) =>
  waitUntil(
    () => el.state === 'ready' && part(el, 'description')?.textContent === description,
    `state ${el.state}: ${text(el)}`,
  );

/** The licence left unpaid at PaySG (this tab remembers it), shown as a page load would. */
async function mountUnpaid() {
  sessionStorage.setItem(PENDING_KEY, CHECKOUT_ID);
  bff.on(`GET /paysg/checkouts/${CHECKOUT_ID}`, () => json(UNPAID_VIEW));
  const pending = oneEvent(document, 'paysg-pending');
  const el = await mount();
  await pending;
  await el.updateComplete;
  return el;
}

/** The licence paid in this tab: the payer came back from PaySG. */
async function mountPaid() {
  history.replaceState(null, '', `${location.pathname}?paysg_checkout=${CHECKOUT_ID}`);
  bff.on(`GET /paysg/checkouts/${CHECKOUT_ID}`, () => json(PAID_VIEW));
  const paid = oneEvent(document, 'paysg-paid');
  const el = await mount();
  await paid;
  await el.updateComplete;
  return el;
}

/** Each state a payer can be left in, reached the way a payer reaches it. */
const SETTLED: Record<string, () => Promise<PaysgCheckout>> = {
  ready: mountReady,
  paid: mountPaid,
  unpaid: mountUnpaid,
  async cancelled() {
    const el = await mountUnpaid();
    bff.on(`POST /paysg/checkouts/${CHECKOUT_ID}/cancel`, () =>
      json({ ...UNPAID_VIEW, status: 'cancelled', paymentUrl: undefined }),
    );
    button(el, 'cancel-button').click();
    await waitUntil(() => el.state === 'cancelled');
    return el;
  },
  async error() {
    const el = await mountReady();
    bff.on('POST /paysg/checkouts', () => bffError('upstream_unavailable', 503));
    button(el, 'pay-button').click();
    await waitUntil(() => el.state === 'error');
    return el;
  },
  async 'error (status unknown)'() {
    sessionStorage.setItem(PENDING_KEY, CHECKOUT_ID);
    bff.on(`GET /paysg/checkouts/${CHECKOUT_ID}`, () => bffError('upstream_unavailable', 503));
    const el = await mount();
    await waitUntil(() => el.state === 'error');
    return el;
  },
  async awaiting() {
    const el = await mountReady();
    bff.on('POST /paysg/checkouts', () => json(CREATED, 201));
    bff.on(`GET /paysg/checkouts/${CHECKOUT_ID}`, () => json(UNPAID_VIEW));
    el.addEventListener('paysg-redirect', (e) => e.preventDefault(), { once: true });
    button(el, 'pay-button').click();
    await waitUntil(() => el.state === 'awaiting');
    return el;
  },
};

describe('a change of item starts over from the quote', () => {
  for (const [state, reach] of Object.entries(SETTLED)) {
    it(`when ${state}: the new item is quoted and payable, and nothing of the old one is shown`, async () => {
      const el = await reach();
      expect(el.state).to.equal(state.split(' ')[0]);
      const ready = oneEvent(el, 'paysg-ready');
      // As React, Vue and Angular do: the property, no attribute.
      el.item = 'replacement-card';
      expect((await ready).detail).to.deep.equal({
        description: CARD.description,
        amountInCents: 5000,
        currency: 'SGD',
      });
      await readyFor(el, CARD.description);
      expect(button(el, 'pay-button').textContent).to.match(/Pay SGD\s50\.00/);
      expect(text(el)).not.to.contain(QUOTE.description);
      expect(quotesOf('replacement-card')).to.have.length(1);
      bff.on('POST /paysg/checkouts', () =>
        json({ ...CREATED, checkoutId: CARD_CHECKOUT_ID }, 201),
      );
      el.addEventListener('paysg-redirect', (e) => e.preventDefault(), { once: true });
      const redirect = oneEvent(el, 'paysg-redirect');
      button(el, 'pay-button').click();
      expect((await redirect).detail.checkoutId).to.equal(CARD_CHECKOUT_ID);
      expect((bff.callsTo('POST /paysg/checkouts').at(-1)!.body as { item: string }).item).to.equal(
        'replacement-card',
      );
    });
  }

  it('paid, then another item, then back: the paid confirmation again, with paysg-paid', async () => {
    const el = await mountPaid();
    el.item = 'replacement-card';
    await readyFor(el, CARD.description);
    const paid = oneEvent(el, 'paysg-paid');
    el.item = 'licence-renewal';
    expect((await paid).detail.checkoutId).to.equal(CHECKOUT_ID);
    await el.updateComplete;
    expect(el.state).to.equal('paid');
    expect(text(el)).to.contain('Payment received').and.contain(PAID_VIEW.referenceId);
  });

  it('unpaid, then another item, then back: the same payment offered again to resume', async () => {
    const el = await mountUnpaid();
    el.item = 'replacement-card';
    await readyFor(el, CARD.description);
    expect(part(el, 'resume-button')).to.equal(null);
    const pending = oneEvent(el, 'paysg-pending');
    el.item = 'licence-renewal';
    expect((await pending).detail).to.deep.equal({
      checkoutId: CHECKOUT_ID,
      paymentUrl: PAYMENT_URL,
    });
    await el.updateComplete;
    expect(button(el, 'resume-button').textContent).to.contain('Resume payment');
    expect(part(el, 'description').textContent).to.equal(QUOTE.description);
  });

  for (const [outcome, answer] of [
    ['made', () => json(CREATED, 201)],
    ['refused', () => bffError('upstream_unavailable', 503)],
  ] as const) {
    it(`while the checkout is being created: that request is abandoned, its answer (${outcome}) ignored, the new item quoted`, async () => {
      const held = deferred<Response>();
      bff.on('POST /paysg/checkouts', () => held.promise);
      const el = await mountReady();
      const heard: Event[] = [];
      for (const type of ['paysg-redirect', 'paysg-error'] as const)
        el.addEventListener(type, (e) => {
          heard.push(e);
          e.preventDefault();
        });
      button(el, 'pay-button').click();
      await waitUntil(() => bff.callsTo('POST /paysg/checkouts').length === 1);
      expect(el.state).to.equal('submitting');
      // The new item's quote is on its way when the old answer comes.
      const quote = deferred<Response>();
      bff.on('GET /paysg/quote', () => quote.promise);
      el.item = 'replacement-card';
      await waitUntil(() => quotesOf('replacement-card').length === 1);
      expect(el.state).to.equal('loading');
      expect(bff.callsTo('POST /paysg/checkouts')[0]!.signal.aborted).to.be.true;
      // The fake BFF answers even an aborted request, as a slow network may have.
      held.resolve(answer());
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(el.state).to.equal('loading');
      quote.resolve(json(CARD));
      await readyFor(el, CARD.description);
      expect(heard).to.have.length(0);
      expect(sessionStorage.getItem(PENDING_KEY)).to.equal(null);
      expect(sessionStorage.getItem('paysg-checkout:pending:/paysg|replacement-card|')).to.equal(
        null,
      );
    });
  }

  it('while the status is being checked: the old answer is never taken for the new order’s', async () => {
    sessionStorage.setItem(PENDING_KEY, CHECKOUT_ID);
    sessionStorage.setItem('paysg-checkout:pending:/paysg|replacement-card|', CARD_CHECKOUT_ID);
    const licence = deferred<Response>();
    const card = deferred<Response>();
    bff.on(`GET /paysg/checkouts/${CHECKOUT_ID}`, () => licence.promise);
    bff.on(`GET /paysg/checkouts/${CARD_CHECKOUT_ID}`, () => card.promise);
    const el = await mount();
    await waitUntil(() => el.state === 'verifying');
    const paid: Event[] = [];
    el.addEventListener('paysg-paid', (e) => paid.push(e));
    el.item = 'replacement-card';
    await waitUntil(() => bff.callsTo(`GET /paysg/checkouts/${CARD_CHECKOUT_ID}`).length === 1);
    expect(el.state).to.equal('verifying');
    licence.resolve(json(PAID_VIEW));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(el.state).to.equal('verifying');
    expect(paid).to.have.length(0);
    const pending = oneEvent(el, 'paysg-pending');
    card.resolve(
      json({
        ...UNPAID_VIEW,
        checkoutId: CARD_CHECKOUT_ID,
        description: CARD.description,
        amountInCents: 5000,
      }),
    );
    expect((await pending).detail.checkoutId).to.equal(CARD_CHECKOUT_ID);
    await el.updateComplete;
    expect(part(el, 'description').textContent).to.equal(CARD.description);
    expect(paid).to.have.length(0);
  });

  it('while PaySG is open in a popup: the popup is closed, and no longer followed', async () => {
    bff.on('POST /paysg/checkouts', () => json(CREATED, 201));
    bff.on(`GET /paysg/checkouts/${CHECKOUT_ID}`, () => json(UNPAID_VIEW));
    const realOpen = window.open;
    const popup = {
      closed: false,
      location: { href: '' },
      focus() {},
      close() {
        this.closed = true;
      },
    };
    window.open = (() => popup) as unknown as typeof window.open;
    try {
      const ready = oneEvent(document, 'paysg-ready');
      const el = await fixture<PaysgCheckout>(
        html`<paysg-checkout item="licence-renewal" payer-name="Tan" mode="popup"></paysg-checkout>`,
      );
      await ready;
      await el.updateComplete;
      button(el, 'pay-button').click();
      await waitUntil(() => el.state === 'awaiting');
      el.item = 'replacement-card';
      await readyFor(el, CARD.description);
      expect(popup.closed).to.be.true;
      const checks = bff.callsTo(`GET /paysg/checkouts/${CHECKOUT_ID}`).length;
      await new Promise((resolve) => setTimeout(resolve, 1_300));
      expect(bff.callsTo(`GET /paysg/checkouts/${CHECKOUT_ID}`)).to.have.length(checks);
    } finally {
      window.open = realOpen;
    }
  });

  it('a new order token while unpaid: the new order is quoted; the old token’s checkout is found again with it', async () => {
    const PERMIT = {
      description: 'Permit application',
      amountInCents: 4550,
      currency: 'SGD',
      referenceId: 'INV-1',
      lineItems: [],
      payerNameRequired: false,
    };
    const OTHER = {
      ...PERMIT,
      description: 'Another permit',
      amountInCents: 9900,
      referenceId: 'INV-2',
    };
    bff.on('POST /paysg/quote', (call) =>
      json((call.body as { orderToken: string }).orderToken === 'a.token.sig' ? PERMIT : OTHER),
    );
    bff.on('POST /paysg/checkouts', () => json(CREATED, 201));
    bff.on(`GET /paysg/checkouts/${CHECKOUT_ID}`, () =>
      json({ ...UNPAID_VIEW, description: PERMIT.description, amountInCents: 4550 }),
    );
    const ready = oneEvent(document, 'paysg-ready');
    const el = await fixture<PaysgCheckout>(
      html`<paysg-checkout order-token="a.token.sig"></paysg-checkout>`,
    );
    await ready;
    await el.updateComplete;
    el.addEventListener('paysg-redirect', (e) => e.preventDefault(), { once: true });
    button(el, 'pay-button').click();
    await waitUntil(() => el.state === 'awaiting');
    el.orderToken = 'b.token.sig';
    await readyFor(el, OTHER.description);
    expect(button(el, 'pay-button').textContent).to.match(/SGD\s99\.00/);
    const pending = oneEvent(el, 'paysg-pending');
    el.orderToken = 'a.token.sig';
    expect((await pending).detail.checkoutId).to.equal(CHECKOUT_ID);
  });
});

describe('an order this browser already paid', () => {
  it('shows its confirmation on load, with paysg-paid as after a return, and no Pay', async () => {
    bff.on('GET /paysg/quote', () => json({ ...QUOTE, paidCheckoutId: CHECKOUT_ID }));
    bff.on(`GET /paysg/checkouts/${CHECKOUT_ID}`, () => json(PAID_VIEW));
    const paid = oneEvent(document, 'paysg-paid');
    const ready: Event[] = [];
    document.addEventListener('paysg-ready', (e) => ready.push(e), { once: true });
    const el = await fixture<PaysgCheckout>(
      html`<paysg-checkout item="licence-renewal" reference="HS-01-23-2027" payer-name="Tan"></paysg-checkout>`,
    );
    expect((await paid).detail).to.deep.equal({
      checkoutId: CHECKOUT_ID,
      paymentId: PAID_VIEW.paymentId,
      referenceId: PAID_VIEW.referenceId,
      amountInCents: 12000,
      currency: 'SGD',
      paidAt: PAID_VIEW.paidAt,
    });
    await el.updateComplete;
    expect(el.state).to.equal('paid');
    expect(part(el, 'pay-button')).to.equal(null);
    expect(part(el, 'confirmation').textContent).to.contain(PAID_VIEW.referenceId);
    expect(ready).to.have.length(0);
    // The quote named the order and proved which browser asks; the page just loaded: focus stays where it was.
    const [quote] = requests.filter((r) => r.url.pathname === '/paysg/quote');
    expect(quote!.url.searchParams.get('reference')).to.equal('HS-01-23-2027');
    expect(quote!.headers.get('X-PaySG-Browser')).to.equal(
      localStorage.getItem('paysg-checkout:browser'),
    );
    expect(shadow(el).activeElement).to.equal(null);
  });

  it('an order without a reference is quoted as before: no secret, so no preflight', async () => {
    await mountReady();
    const [quote] = requests.filter((r) => r.url.pathname === '/paysg/quote');
    expect([...quote!.url.searchParams.keys()]).to.deep.equal(['item']);
    expect(quote!.headers.get('X-PaySG-Browser')).to.equal(null);
  });

  it('paid in another tab after this one was quoted: Pay shows the confirmation, not an error', async () => {
    let paidMeanwhile = false;
    bff.on('GET /paysg/quote', () =>
      json({ ...QUOTE, ...(paidMeanwhile && { paidCheckoutId: CHECKOUT_ID }) }),
    );
    bff.on('POST /paysg/checkouts', () => bffError('order_already_paid', 409));
    bff.on(`GET /paysg/checkouts/${CHECKOUT_ID}`, () => json(PAID_VIEW));
    const ready = oneEvent(document, 'paysg-ready');
    const el = await fixture<PaysgCheckout>(
      html`<paysg-checkout item="licence-renewal" reference="HS-01-23-2027" payer-name="Tan"></paysg-checkout>`,
    );
    await ready;
    await el.updateComplete;
    paidMeanwhile = true;
    const errors: Event[] = [];
    el.addEventListener('paysg-error', (e) => errors.push(e));
    const paid = oneEvent(el, 'paysg-paid');
    button(el, 'pay-button').click();
    expect((await paid).detail.referenceId).to.equal(PAID_VIEW.referenceId);
    await el.updateComplete;
    expect(el.state).to.equal('paid');
    expect(part(el, 'confirmation').textContent).to.contain(PAID_VIEW.referenceId);
    expect(errors).to.have.length(0);
  });

  it('paid by someone else: Pay says so as an error, with what is paid for but nothing of the payment', async () => {
    bff.on('POST /paysg/checkouts', () => bffError('order_already_paid', 409));
    const el = await mountReady();
    const error = oneEvent(el, 'paysg-error');
    button(el, 'pay-button').click();
    expect((await error).detail).to.include({ code: 'order_already_paid', retryable: false });
    await el.updateComplete;
    expect(el.state).to.equal('error');
    expect(text(el)).to.contain('This has already been paid');
    expect(part(el, 'description').textContent).to.equal(QUOTE.description);
    expect(part(el, 'amount').textContent).to.match(/SGD\s120\.00/);
    expect(part(el, 'confirmation')).to.equal(null);
    expect(text(el)).not.to.contain('Paid on');
  });
});

describe('the error state', () => {
  it('keeps what is being paid for, and its amount, in sight', async () => {
    bff.on('POST /paysg/checkouts', () => bffError('upstream_unavailable', 503));
    const el = await mountReady();
    button(el, 'pay-button').click();
    await waitUntil(() => el.state === 'error');
    await el.updateComplete;
    expect(text(el)).to.contain('PaySG is not responding');
    expect(part(el, 'description').textContent).to.equal(QUOTE.description);
    expect(part(el, 'amount').textContent).to.match(/SGD\s120\.00/);
    expect(button(el, 'retry-button')).not.to.equal(null);
  });

  it('shows no other order’s quote when the status of a returned payment cannot be checked', async () => {
    const el = await mountReady();
    sessionStorage.setItem('paysg-checkout:pending:/paysg|replacement-card|', CARD_CHECKOUT_ID);
    bff.on(`GET /paysg/checkouts/${CARD_CHECKOUT_ID}`, () => bffError('upstream_unavailable', 503));
    el.item = 'replacement-card';
    await waitUntil(() => el.state === 'error');
    await el.updateComplete;
    expect(text(el)).to.contain('We are checking your payment');
    expect(part(el, 'description')).to.equal(null);
  });
});

describe('the live region', () => {
  const CASES = [
    {
      lang: 'en',
      said: 'Something went wrong. PaySG is not responding right now. Please try again in a moment.',
    },
    { lang: 'zh', said: '出现问题。PaySG 目前没有响应。请稍后再试。' },
    { lang: 'ms', said: /^[^.。]+\. \S/ },
    { lang: 'ta', said: /^[^.。]+\. \S/ },
  ];
  for (const { lang, said } of CASES) {
    it(`joins an error's title and message as ${lang} ends a sentence`, async () => {
      bff.on('GET /paysg/quote', () => bffError('upstream_unavailable', 503));
      const el = await fixture<PaysgCheckout>(
        html`<paysg-checkout item="licence-renewal" lang=${lang}></paysg-checkout>`,
      );
      await waitUntil(() => el.state === 'error' && shadow(el).querySelector('.title'));
      await el.updateComplete;
      const region = shadow(el).querySelector('[role="status"]')!.textContent!;
      if (typeof said === 'string') expect(region).to.equal(said);
      else expect(region).to.match(said);
      if (lang !== 'en') expect(region).not.to.contain('went wrong');
      if (lang === 'zh') expect(region).not.to.match(/\.\s/);
    });
  }
});
