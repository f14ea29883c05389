import { expect } from '@open-wc/testing';
import { html } from 'lit/html.js';
import { css, LitHtmlElement, type PropertyDeclaration } from '../../widget/internal/lit-html-element.js';

/** A small element on the same base as `<paysg-checkout>`, to pin down the base's contract. */
class TestGreeting extends LitHtmlElement {
  static override styles = css`
    p {
      color: rgb(1, 2, 3);
    }
  `;
  static override properties: Record<string, PropertyDeclaration> = {
    name: {},
    fullName: { attribute: 'full-name' },
    shouting: { type: Boolean, reflect: true },
    _clicks: { attribute: false },
  };
  name = 'world';
  fullName?: string;
  shouting = false;
  private _clicks = 0;
  renders = 0;

  get clicks(): number {
    return this._clicks;
  }

  protected override render() {
    this.renders++;
    const text = `Hello, ${this.fullName ?? this.name}${this.shouting ? '!' : '.'}`;
    return html`<p>${text}</p>
      <button @click=${this._onClick}>${this._clicks}</button>`;
  }

  private _onClick(): void {
    this._clicks++;
  }
}

const TAG = 'test-greeting';

async function make(markup: string): Promise<TestGreeting> {
  const template = document.createElement('template');
  template.innerHTML = markup;
  const el = template.content.firstElementChild as TestGreeting;
  document.body.append(el);
  await el.updateComplete;
  return el;
}

const rendered = (el: TestGreeting) => el.shadowRoot!.querySelector('p')!.textContent;

afterEach(() => document.querySelectorAll(TAG).forEach((el) => el.remove()));

describe('LitHtmlElement (the base of <paysg-checkout>)', () => {
  it('keeps a property set before its class was defined, over the default', async () => {
    const early = document.createElement(TAG) as TestGreeting;
    document.body.append(early);
    early.name = 'early bird';
    customElements.define(TAG, TestGreeting);
    await early.updateComplete;
    expect(rendered(early)).to.equal('Hello, early bird.');
    early.name = 'later';
    await early.updateComplete;
    expect(rendered(early)).to.equal('Hello, later.');
  });

  it('renders attributes as properties, in a shadow root with its styles', async () => {
    const el = await make(`<test-greeting name="Ah Kow"></test-greeting>`);
    expect(el.renderRoot).to.equal(el.shadowRoot);
    expect(rendered(el)).to.equal('Hello, Ah Kow.');
    expect(getComputedStyle(el.shadowRoot!.querySelector('p')!).color).to.equal('rgb(1, 2, 3)');
  });

  it('maps dashed attributes, turns boolean attributes on and off, and reflects them', async () => {
    const el = await make(`<test-greeting full-name="Tan Ah Kow" shouting></test-greeting>`);
    expect(el.fullName).to.equal('Tan Ah Kow');
    expect(rendered(el)).to.equal('Hello, Tan Ah Kow!');
    el.removeAttribute('shouting');
    await el.updateComplete;
    expect(el.shouting).to.equal(false);
    expect(rendered(el)).to.equal('Hello, Tan Ah Kow.');
    el.shouting = true;
    await el.updateComplete;
    expect(el.hasAttribute('shouting')).to.equal(true);
  });

  it('renders once for several changes in a row, and not at all for an unchanged value', async () => {
    const el = await make(`<test-greeting></test-greeting>`);
    const before = el.renders;
    el.name = 'a';
    el.name = 'b';
    el.shouting = true;
    await el.updateComplete;
    expect(el.renders).to.equal(before + 1);
    el.name = 'b';
    await el.updateComplete;
    expect(el.renders).to.equal(before + 1);
    expect(rendered(el)).to.equal('Hello, b!');
  });

  it('calls event listeners with the element as `this`, and re-renders on internal state', async () => {
    const el = await make(`<test-greeting></test-greeting>`);
    const button = el.shadowRoot!.querySelector('button')!;
    button.click();
    await el.updateComplete;
    expect(el.clicks).to.equal(1);
    expect(button.textContent).to.equal('1');
    expect(el.hasAttribute('_clicks')).to.equal(false);
  });
});
