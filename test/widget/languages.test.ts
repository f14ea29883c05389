/**
 * Chinese, Malay and Tamil are fetched on demand: never a flash of English while they come, and
 * English (with a console warning saying why) when one cannot be had. Then every state of the
 * widget, in each language, passes axe.
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../widget/define.js';
import type { PaysgCheckout } from '../../widget/paysg-checkout.js';
import { bffError, deferred, type FakeBff, json, useFakeBff } from '../helpers/fake-bff.js';
import {
  button,
  CHECKOUT_ID,
  PAID_VIEW,
  PAYMENT_URL,
  PENDING_KEY,
  shadow,
  text,
  UNPAID_VIEW,
} from '../helpers/widget-dom.js';

let bff: FakeBff;
useFakeBff((created) => (bff = created));

describe('languages fetched on demand', () => {
  // First in this file, so Tamil has not been loaded yet in this page.
  it('shows nothing in English while Tamil is on its way', async () => {
    const tamil = deferred<void>();
    bff.on('GET /widget/locales/ta.json', async () => {
      await tamil.promise;
      bff.restore();
      return window.fetch('/widget/locales/ta.json');
    });
    const el = await fixture<PaysgCheckout>(
      html`<paysg-checkout item="licence-renewal" payer-name="Tan" lang="ta"></paysg-checkout>`,
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(text(el).trim()).to.equal('');
    expect(el.state).to.equal('loading');
    tamil.resolve();
    await waitUntil(() => el.state === 'ready');
    await el.updateComplete;
    expect(button(el, 'pay-button').textContent).to.contain('செலுத்து');
  });

  it('speaks English and says why in the console when a language cannot be loaded', async () => {
    bff.on('GET /widget/locales/zh.json', () => new Response('Not found', { status: 404 }));
    const warn = console.warn;
    const warnings: string[] = [];
    console.warn = (message: string) => warnings.push(message);
    try {
      const ready = oneEvent(document, 'paysg-ready');
      const el = await fixture<PaysgCheckout>(
        html`<paysg-checkout item="licence-renewal" payer-name="Tan" lang="zh"></paysg-checkout>`,
      );
      await ready;
      await el.updateComplete;
      expect(button(el, 'pay-button').textContent).to.match(/Pay SGD\s120\.00/);
      expect(warnings.join('\n')).to.contain('zh').and.contain('HTTP 404').and.contain('English');
    } finally {
      console.warn = warn;
    }
  });

  it('tries again for the next widget, once the file is there', async () => {
    const ready = oneEvent(document, 'paysg-ready');
    const el = await fixture<PaysgCheckout>(
      html`<paysg-checkout item="licence-renewal" payer-name="Tan" lang="zh"></paysg-checkout>`,
    );
    await ready;
    await el.updateComplete;
    expect(button(el, 'pay-button').textContent).to.contain('支付');
  });
});

/** Brings a widget to each state, with the BFF holding or answering as that state needs. */
const STATES: Record<
  string,
  (bff: FakeBff) => {
    attrs?: string;
    until: (el: PaysgCheckout) => boolean;
    act?: (el: PaysgCheckout) => void;
  }
> = {
  loading: (b) => {
    b.on('GET /paysg/quote', () => new Promise(() => {}));
    return { until: (el) => !!shadow(el).querySelector('.busy') };
  },
  ready: () => ({ until: (el) => el.state === 'ready' }),
  'ready, asking for the name': () => ({ attrs: 'no-name', until: (el) => el.state === 'ready' }),
  submitting: (b) => {
    b.on('POST /paysg/checkouts', () => new Promise(() => {}));
    return {
      until: (el) => el.state === 'submitting',
      act: (el) => el.state === 'ready' && button(el, 'pay-button').click(),
    };
  },
  awaiting: (b) => {
    b.on('POST /paysg/checkouts', () =>
      json({ checkoutId: CHECKOUT_ID, status: 'unpaid', paymentUrl: PAYMENT_URL }, 201),
    );
    b.on(`GET /paysg/checkouts/${CHECKOUT_ID}`, () => json(UNPAID_VIEW));
    return {
      until: (el) => el.state === 'awaiting',
      act: (el) => {
        if (el.state !== 'ready') return;
        el.addEventListener('paysg-redirect', (e) => e.preventDefault(), { once: true });
        button(el, 'pay-button').click();
      },
    };
  },
  verifying: (b) => {
    sessionStorage.setItem(PENDING_KEY, CHECKOUT_ID);
    b.on(`GET /paysg/checkouts/${CHECKOUT_ID}`, () => new Promise(() => {}));
    return { until: (el) => !!shadow(el).querySelector('.busy') && el.state === 'verifying' };
  },
  paid: (b) => {
    sessionStorage.setItem(PENDING_KEY, CHECKOUT_ID);
    b.on(`GET /paysg/checkouts/${CHECKOUT_ID}`, () => json(PAID_VIEW));
    return { until: (el) => el.state === 'paid' };
  },
  unpaid: (b) => {
    sessionStorage.setItem(PENDING_KEY, CHECKOUT_ID);
    b.on(`GET /paysg/checkouts/${CHECKOUT_ID}`, () => json(UNPAID_VIEW));
    return { until: (el) => el.state === 'unpaid' };
  },
  cancelling: (b) => {
    sessionStorage.setItem(PENDING_KEY, CHECKOUT_ID);
    b.on(`GET /paysg/checkouts/${CHECKOUT_ID}`, () => json(UNPAID_VIEW));
    b.on(`POST /paysg/checkouts/${CHECKOUT_ID}/cancel`, () => new Promise(() => {}));
    return {
      until: (el) => el.state === 'cancelling',
      act: (el) => el.state === 'unpaid' && button(el, 'cancel-button').click(),
    };
  },
  cancelled: (b) => {
    sessionStorage.setItem(PENDING_KEY, CHECKOUT_ID);
    b.on(`GET /paysg/checkouts/${CHECKOUT_ID}`, () =>
      json({ ...UNPAID_VIEW, status: 'cancelled', paymentUrl: undefined }),
    );
    return { until: (el) => el.state === 'cancelled' };
  },
  error: (b) => {
    b.on('GET /paysg/quote', () => bffError('unknown_item', 404));
    return { until: (el) => el.state === 'error' };
  },
  'status unknown': (b) => {
    sessionStorage.setItem(PENDING_KEY, CHECKOUT_ID);
    b.on(`GET /paysg/checkouts/${CHECKOUT_ID}`, () => bffError('upstream_unavailable', 503));
    return { until: (el) => el.state === 'error' };
  },
  disabled: () => ({ attrs: 'disabled', until: (el) => el.state === 'ready' }),
};

describe('accessibility (axe) in every state and language', () => {
  for (const lang of ['en', 'zh', 'ms', 'ta']) {
    for (const [name, setUp] of Object.entries(STATES)) {
      it(`${name}, ${lang}`, async () => {
        const { attrs, until, act } = setUp(bff);
        const el = await fixture<PaysgCheckout>(
          attrs === 'no-name'
            ? html`<paysg-checkout item="licence-renewal" lang=${lang}></paysg-checkout>`
            : html`<paysg-checkout item="licence-renewal" payer-name="Tan" lang=${lang} ?disabled=${attrs === 'disabled'}></paysg-checkout>`,
        );
        await waitUntil(
          () => {
            act?.(el);
            return until(el);
          },
          `never reached ${name}`,
          { timeout: 3_000 },
        );
        await el.updateComplete;
        await expect(el).to.be.accessible();
      });
    }
  }
});
