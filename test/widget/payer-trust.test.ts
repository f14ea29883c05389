/**
 * What a payer must be able to trust in every state: focus never lost, "we don't know yet" never
 * read as "failed", amounts whole, what is being paid always in sight, and an element that stops
 * when it is removed and follows whatever the host sets, as frameworks set it (properties).
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
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

const REPLACEMENT = {
  item: 'replacement-card',
  description: 'Replacement of lost identity card',
  amountInCents: 5000,
  currency: 'SGD',
};
const CREATED = { checkoutId: CHECKOUT_ID, status: 'unpaid', paymentUrl: PAYMENT_URL };

let bff: FakeBff;
useFakeBff((created) => (bff = created));

async function mountUnpaid() {
  sessionStorage.setItem(PENDING_KEY, CHECKOUT_ID);
  bff.on(`GET /paysg/checkouts/${CHECKOUT_ID}`, () => json(UNPAID_VIEW));
  const pending = oneEvent(document, 'paysg-pending');
  const el = await mount();
  await pending;
  await el.updateComplete;
  return el;
}

/** Pays with the host navigating itself (paysg-redirect cancelled), up to PaySG having the payer. */
async function payAndAwait(el: PaysgCheckout) {
  bff.on('POST /paysg/checkouts', () => json(CREATED, 201));
  el.addEventListener('paysg-redirect', (e) => e.preventDefault(), { once: true });
  button(el, 'pay-button').click();
  await waitUntil(() => el.state === 'awaiting');
}

/** The element in the shadow root that has focus, or null when focus fell to the page. */
const focused = (el: PaysgCheckout) => shadow(el).activeElement as HTMLElement | null;

describe('the order follows the host', () => {
  it('quotes again when the host changes the item after the quote, and pays the new item', async () => {
    let quotes = 0;
    bff.on('GET /paysg/quote', () => json(++quotes === 1 ? QUOTE : REPLACEMENT));
    const el = await mountReady();
    const requoted = oneEvent(el, 'paysg-ready');
    el.setAttribute('item', 'replacement-card');
    expect((await requoted).detail.description).to.equal(REPLACEMENT.description);
    await el.updateComplete;
    expect(part(el, 'description').textContent).to.equal(REPLACEMENT.description);
    bff.on('POST /paysg/checkouts', () => json(CREATED, 201));
    el.addEventListener('paysg-redirect', (e) => e.preventDefault(), { once: true });
    const submit = oneEvent(el, 'paysg-submit');
    button(el, 'pay-button').click();
    expect((await submit).detail).to.deep.equal({
      description: REPLACEMENT.description,
      amountInCents: 5000,
      currency: 'SGD',
    });
    await waitUntil(() => bff.callsTo('POST /paysg/checkouts').length === 1);
    expect((bff.callsTo('POST /paysg/checkouts')[0]!.body as { item: string }).item).to.equal(
      'replacement-card',
    );
  });

  it('remembers a pending checkout by the properties a framework set, not by attributes', async () => {
    sessionStorage.setItem(PENDING_KEY, CHECKOUT_ID);
    bff.on(`GET /paysg/checkouts/${CHECKOUT_ID}`, () => json(UNPAID_VIEW));
    const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
    // As React 19 and Vue 3 do: create, then set properties; no attribute is ever written.
    const [licence, card] = ['licence-renewal', 'replacement-card'].map((item) => {
      const el = document.createElement('paysg-checkout');
      el.item = item;
      el.payerName = 'Tan';
      wrapper.append(el);
      return el;
    });
    await waitUntil(
      () => licence!.state === 'unpaid' && card!.state === 'ready',
      `licence: ${licence!.state}, card: ${card!.state}`,
    );
    expect(licence!.hasAttribute('item')).to.be.false;
  });

  it('stops asking the BFF once it is removed from the page', async () => {
    bff.on(`GET /paysg/checkouts/${CHECKOUT_ID}`, () => json(UNPAID_VIEW));
    const el = await mountReady();
    await payAndAwait(el);
    el.remove();
    const before = bff.calls.length;
    // Long enough for the first two polls (after 1 s and 2 s more) had it kept going.
    await new Promise((resolve) => setTimeout(resolve, 3_200));
    expect(bff.calls.length).to.equal(before);
  }).timeout(6_000);

  it('abandons a check in flight when removed, and asks nothing after its answer', async () => {
    bff.on('POST /paysg/checkouts', () => json(CREATED, 201));
    const answer = deferred<Response>();
    bff.on(`GET /paysg/checkouts/${CHECKOUT_ID}`, () => answer.promise);
    const el = await mountReady();
    el.addEventListener('paysg-redirect', (e) => e.preventDefault(), { once: true });
    button(el, 'pay-button').click();
    await waitUntil(
      () => bff.callsTo(`GET /paysg/checkouts/${CHECKOUT_ID}`).length === 1,
      'first poll',
      { timeout: 3_000 },
    );
    el.remove();
    expect(bff.callsTo(`GET /paysg/checkouts/${CHECKOUT_ID}`)[0]!.signal.aborted).to.be.true;
    answer.resolve(json(UNPAID_VIEW));
    await new Promise((resolve) => setTimeout(resolve, 2_200));
    expect(bff.callsTo(`GET /paysg/checkouts/${CHECKOUT_ID}`)).to.have.length(1);
  }).timeout(8_000);

  it('checks again when the payer comes back through the back/forward cache', async () => {
    const el = await mountUnpaid();
    bff.on(`GET /paysg/checkouts/${CHECKOUT_ID}`, () => json(PAID_VIEW));
    const paid = oneEvent(el, 'paysg-paid');
    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
    await paid;
    expect(el.state).to.equal('paid');
  });
});

describe('an order is its item and its reference', () => {
  it('does not show one reference’s pending checkout for another reference of the same item', async () => {
    // The first stall's licence is started, and left at PaySG (the page navigates itself).
    const started = oneEvent(document, 'paysg-ready');
    const first = await fixture<PaysgCheckout>(
      html`<paysg-checkout item="licence-renewal" reference="HS-01-23-2027" payer-name="Tan"></paysg-checkout>`,
    );
    await started;
    await first.updateComplete;
    await payAndAwait(first);
    first.remove();
    bff.on(`GET /paysg/checkouts/${CHECKOUT_ID}`, () => json(UNPAID_VIEW));
    const ready = oneEvent(document, 'paysg-ready');
    const other = await fixture<PaysgCheckout>(
      html`<paysg-checkout item="licence-renewal" reference="HS-02-45-2027" payer-name="Tan"></paysg-checkout>`,
    );
    await ready;
    expect(other.state).to.equal('ready');
    expect(bff.callsTo(`GET /paysg/checkouts/${CHECKOUT_ID}`)).to.have.length(0);
  });

  it('reads an order already paid as received, not as an error, with nothing to retry', async () => {
    const el = await mountReady();
    bff.on('POST /paysg/checkouts', () => bffError('order_already_paid', 409));
    button(el, 'pay-button').click();
    await waitUntil(() => el.state === 'error');
    await el.updateComplete;
    expect(shadow(el).querySelector('.title.paid')?.textContent?.trim()).to.equal(
      'Payment received',
    );
    expect(text(el)).to.contain('This has already been paid. You have not been charged again.');
    expect(text(el)).not.to.contain('Something went wrong');
    expect(part(el, 'retry-button')).to.equal(null);
    expect(part(el, 'error-reference')).to.equal(null);
  });
});

describe('resuming', () => {
  it('announces paysg-redirect as a first payment does, so a host that navigates itself can', async () => {
    const el = await mountUnpaid();
    const redirect = oneEvent(el, 'paysg-redirect');
    el.addEventListener('paysg-redirect', (e) => e.preventDefault(), { once: true });
    button(el, 'resume-button').click();
    expect((await redirect).detail).to.deep.equal({
      checkoutId: CHECKOUT_ID,
      paymentUrl: PAYMENT_URL,
    });
    expect(el.state).to.equal('unpaid');
  });
});

describe('focus is never lost to the page', () => {
  it('after Cancel, and after Start a new payment', async () => {
    bff.on(`POST /paysg/checkouts/${CHECKOUT_ID}/cancel`, () =>
      json({ ...UNPAID_VIEW, status: 'cancelled', paymentUrl: undefined }),
    );
    const el = await mountUnpaid();
    button(el, 'cancel-button').focus();
    button(el, 'cancel-button').click();
    await waitUntil(() => el.state === 'cancelled');
    await el.updateComplete;
    expect(focused(el)?.textContent).to.equal('Payment cancelled');
    const ready = oneEvent(el, 'paysg-ready');
    button(el, 'start-again-button').click();
    await ready;
    await el.updateComplete;
    expect(focused(el)).to.equal(button(el, 'pay-button'));
  });

  it('after a failed Pay, and on entering the popup’s waiting state and its success', async () => {
    let creates = 0;
    bff.on('POST /paysg/checkouts', () =>
      ++creates === 1 ? bffError('upstream_unavailable', 503) : json(CREATED, 201),
    );
    let paid = false;
    bff.on(`GET /paysg/checkouts/${CHECKOUT_ID}`, () => json(paid ? PAID_VIEW : UNPAID_VIEW));
    const realOpen = window.open;
    const fakePopup = { closed: false, location: { href: '' }, focus() {}, close() {} };
    window.open = (() => fakePopup) as unknown as typeof window.open;
    try {
      const ready = oneEvent(document, 'paysg-ready');
      const el = await fixture<PaysgCheckout>(
        html`<paysg-checkout item="licence-renewal" payer-name="Tan" mode="popup"></paysg-checkout>`,
      );
      await ready;
      await el.updateComplete;
      button(el, 'pay-button').focus();
      button(el, 'pay-button').click();
      await waitUntil(() => el.state === 'error');
      await el.updateComplete;
      expect(focused(el)?.textContent).to.equal('Something went wrong');
      button(el, 'retry-button').click();
      await waitUntil(() => el.state === 'awaiting');
      await el.updateComplete;
      expect(focused(el)?.textContent).to.equal('Complete your payment in the PaySG window');
      paid = true;
      await waitUntil(() => el.state === 'paid', 'paid', { timeout: 4_000 });
      await el.updateComplete;
      expect(focused(el)?.textContent).to.equal('Payment received');
    } finally {
      window.open = realOpen;
    }
  });

  it('shows the outcome heading’s focus ring to keyboard users only', async () => {
    history.replaceState(null, '', `${location.pathname}?paysg_checkout=${CHECKOUT_ID}`);
    bff.on(`GET /paysg/checkouts/${CHECKOUT_ID}`, () => json(PAID_VIEW));
    const el = await mount();
    await waitUntil(() => focused(el)?.classList.contains('title'));
    // Focus moved by script after a page load, not by a key: no ring.
    expect(getComputedStyle(focused(el)!).outlineStyle).to.equal('none');
  });

  it('shows the focus ring on the new state’s heading when the payer uses the keyboard', async () => {
    bff.on(`POST /paysg/checkouts/${CHECKOUT_ID}/cancel`, () =>
      json({ ...UNPAID_VIEW, status: 'cancelled', paymentUrl: undefined }),
    );
    const el = await mountUnpaid();
    button(el, 'cancel-button').focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => el.state === 'cancelled');
    await el.updateComplete;
    expect(focused(el)?.textContent).to.equal('Payment cancelled');
    expect(getComputedStyle(focused(el)!).outlineStyle).to.equal('solid');
  });

  it('does not take focus on a page that just loaded', async () => {
    const el = await mountReady();
    expect(focused(el)).to.equal(null);
  });
});

describe('what the payer reads', () => {
  it('a status that cannot be checked is neutral: check again, and do not pay again', async () => {
    sessionStorage.setItem(PENDING_KEY, CHECKOUT_ID);
    bff.on(`GET /paysg/checkouts/${CHECKOUT_ID}`, () => bffError('upstream_unavailable', 503));
    const el = await mount();
    await waitUntil(() => el.state === 'error');
    await el.updateComplete;
    const title = shadow(el).querySelector('.title')!;
    expect(title.textContent).to.equal('We are checking your payment');
    expect(title.classList.contains('error')).to.be.false;
    expect(text(el)).to.contain('Do not pay again');
    expect(text(el)).not.to.contain('Something went wrong');
    expect(button(el, 'retry-button').textContent!.trim()).to.equal('Check again');
  });

  it('an error only the agency can fix shows a reference to quote', async () => {
    bff.on('GET /paysg/quote', () => bffError('unknown_item', 404));
    const el = await mount();
    await waitUntil(() => el.state === 'error');
    await el.updateComplete;
    expect(part(el, 'error-reference').textContent).to.contain('req-1');
    expect(button(el, 'retry-button')).to.equal(null);
  });

  it('the popup’s waiting state shows what is being paid and the amount', async () => {
    bff.on(`GET /paysg/checkouts/${CHECKOUT_ID}`, () => json(UNPAID_VIEW));
    const el = await mountReady();
    await payAndAwait(el);
    await el.updateComplete;
    expect(part(el, 'description').textContent).to.equal(QUOTE.description);
    expect(part(el, 'amount').textContent).to.match(/SGD\s120\.00/);
  });

  it('never breaks an amount or a reference across lines, in Tamil at 320 px', async () => {
    history.replaceState(null, '', `${location.pathname}?paysg_checkout=${CHECKOUT_ID}`);
    bff.on(`GET /paysg/checkouts/${CHECKOUT_ID}`, () => json(PAID_VIEW));
    const paid = oneEvent(document, 'paysg-paid');
    const el = await fixture<PaysgCheckout>(
      html`<paysg-checkout item="licence-renewal" lang="ta" style="width: 320px"></paysg-checkout>`,
    );
    await paid;
    await el.updateComplete;
    for (const token of shadow(el).querySelectorAll('.money, .ref'))
      expect(token.getClientRects()).to.have.length(1, token.textContent!);
    sessionStorage.clear();
    const pay = await fixture<PaysgCheckout>(
      html`<paysg-checkout item="licence-renewal" payer-name="Tan" lang="ta" style="width: 320px"></paysg-checkout>`,
    );
    await waitUntil(() => pay.state === 'ready' && part(pay, 'pay-button').querySelector('.money'));
    expect(part(pay, 'pay-button').querySelector('.money')!.getClientRects()).to.have.length(1);
  });

  it('a chosen amount: the first invalid field in visual order gets focus, Pay never shows an amount out of range', async () => {
    bff.on('GET /paysg/quote', () =>
      json({
        item: 'donation',
        description: 'Community fund',
        currency: 'SGD',
        minAmountInCents: 500,
        maxAmountInCents: 100000,
      }),
    );
    const ready = oneEvent(document, 'paysg-ready');
    const el = await fixture<PaysgCheckout>(
      html`<paysg-checkout item="donation"></paysg-checkout>`,
    );
    await ready;
    await el.updateComplete;
    // "You choose the amount" is an instruction, not a price.
    const choose = part(el, 'amount').querySelector('dd')!;
    expect(getComputedStyle(choose).fontWeight).to.equal('400');
    button(el, 'pay-button').click();
    await waitUntil(() => focused(el)?.id === 'amount', `focus on ${focused(el)?.id}`);
    const amount = shadow(el).querySelector<HTMLInputElement>('#amount')!;
    amount.value = '5000';
    amount.dispatchEvent(new Event('input'));
    await el.updateComplete;
    expect(button(el, 'pay-button').textContent).not.to.contain('5,000');
    amount.value = '50';
    amount.dispatchEvent(new Event('input'));
    await el.updateComplete;
    expect(button(el, 'pay-button').textContent).to.match(/SGD\s50\.00/);
  });

  it('a disabled widget says why, with no busy cursor', async () => {
    const el = await mountReady();
    el.disabled = true;
    await el.updateComplete;
    expect(text(el)).to.contain('Payment is not available right now.');
    expect(getComputedStyle(button(el, 'pay-button')).cursor).to.equal('not-allowed');
    const reason = document.createElement('span');
    reason.slot = 'disabled-reason';
    reason.textContent = 'Applications open on 1 December.';
    el.append(reason);
    const slot = shadow(el).querySelector<HTMLSlotElement>('slot[name="disabled-reason"]')!;
    expect(slot.assignedElements()[0]).to.equal(reason);
  });

  it('reserves the ready state’s height while loading, so nothing jumps', async () => {
    const answer = deferred<Response>();
    bff.on('GET /paysg/quote', () => answer.promise);
    const el = await mount();
    await waitUntil(() => shadow(el).querySelector('.busy'));
    const loading = part(el, 'card').getBoundingClientRect().height;
    answer.resolve(json(QUOTE));
    await waitUntil(() => el.state === 'ready');
    await el.updateComplete;
    const ready = part(el, 'card').getBoundingClientRect().height;
    expect(Math.abs(ready - loading), `loading ${loading}px, ready ${ready}px`).to.be.at.most(
      ready * 0.1,
    );
  });

  it('tells the developer to check ALLOWED_ORIGINS when a BFF on another origin cannot be reached', async () => {
    bff.restore();
    const realFetch = window.fetch;
    const realWarn = console.warn;
    const warnings: string[] = [];
    window.fetch = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof window.fetch;
    console.warn = (message: string) => warnings.push(message);
    try {
      const el = await fixture<PaysgCheckout>(
        html`<paysg-checkout endpoint="https://bff.agency.example/paysg" item="licence-renewal"></paysg-checkout>`,
      );
      await waitUntil(() => el.state === 'error');
      expect(warnings.join('\n')).to.contain('ALLOWED_ORIGINS').and.contain(location.origin);
    } finally {
      window.fetch = realFetch;
      console.warn = realWarn;
    }
  });
});
