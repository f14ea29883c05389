/**
 * The smallest base class for an element that renders Lit templates (`lit-html`): reactive
 * properties mirrored from attributes, batched re-renders, `updateComplete`, and styles in a
 * constructed stylesheet (so strict Content-Security-Policies need no `style-src` for them).
 *
 * It stands in for `LitElement`, whose reactive layer (about 2.8 KB gzip) does not fit the
 * widget's 12 KB budget beside four languages. It keeps LitElement's names (`properties`,
 * `styles`, `render`, `requestUpdate`, `updateComplete`, `renderRoot`) so moving back is a
 * change of imports. What it leaves out: controllers, `willUpdate`/`updated` hooks, custom
 * attribute converters and reflection of anything but booleans.
 */
import { render } from 'lit/html.js';

export interface PropertyDeclaration {
  /** The attribute that sets it: defaults to the property name in lower case; `false` for none. */
  attribute?: string | false;
  /** `Boolean`: present attribute → `true`. Otherwise the attribute's string is the value. */
  type?: BooleanConstructor;
  /** Boolean properties only: kept in step with their attribute, for `:host([disabled])`. */
  reflect?: boolean;
}

/** Tags CSS text, so editors highlight it and the build can minify it. */
export const css = String.raw;

/** Where there is no DOM (server-side rendering) there is nothing to extend, and nothing throws. */
const HTMLElementOrNothing = (globalThis.HTMLElement ?? class {}) as typeof HTMLElement;

/** Per element class (kept outside it: the build renames `_private` members, not strings). */
const sheets = new WeakMap<object, CSSStyleSheet>();
const classesWithAccessors = new WeakSet<object>();

export abstract class LitHtmlElement extends HTMLElementOrNothing {
  static properties: Record<string, PropertyDeclaration> = {};
  static styles = '';

  static get observedAttributes(): string[] {
    return Object.keys(this.properties).flatMap((name) => this._attributeOf(name) || []);
  }

  private static _attributeOf(name: string): string | false {
    const attribute = this.properties[name]!.attribute;
    return attribute ?? name.toLowerCase();
  }

  /** Once per class: an accessor per property that re-renders when the value changes. */
  private static _defineAccessors(): void {
    if (classesWithAccessors.has(this)) return;
    classesWithAccessors.add(this);
    for (const name of Object.keys(this.properties)) {
      Object.defineProperty(this.prototype, name, {
        get(this: LitHtmlElement) {
          return this._values.get(name);
        },
        set(this: LitHtmlElement, value: unknown) {
          if (Object.is(this._values.get(name), value)) return;
          this._values.set(name, value);
          this.requestUpdate();
        },
        configurable: true,
      });
    }
  }

  readonly renderRoot: ShadowRoot;
  private _values = new Map<string, unknown>();
  /** Values set on the element before its class was defined; they win over the defaults. */
  private _early?: [string, unknown][];
  private _pending = false;
  private _updated: Promise<void> = Promise.resolve();

  constructor() {
    super();
    const type = this.constructor as typeof LitHtmlElement;
    type._defineAccessors();
    this._early = Object.keys(type.properties)
      .filter((name) => Object.hasOwn(this, name))
      .map((name) => {
        const value = this._own[name];
        delete this._own[name];
        return [name, value];
      });
    this.renderRoot = this.attachShadow({ mode: 'open' });
    let sheet = sheets.get(type);
    if (!sheet) {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(type.styles);
      sheets.set(type, sheet);
    }
    this.renderRoot.adoptedStyleSheets = [sheet];
  }

  connectedCallback(): void {
    this.requestUpdate();
  }

  disconnectedCallback(): void {}

  attributeChangedCallback(attribute: string, _old: string | null, value: string | null): void {
    const type = this.constructor as typeof LitHtmlElement;
    const name = Object.keys(type.properties).find((p) => type._attributeOf(p) === attribute);
    if (!name) return this.requestUpdate();
    this._own[name] = type.properties[name]!.type === Boolean ? value !== null : value;
  }

  /** Renders again before the next task; several changes in a row render once. */
  requestUpdate(): void {
    if (this._pending) return;
    this._pending = true;
    this._updated = Promise.resolve().then(() => this._update());
  }

  /** Settles once the changes made so far are on screen. */
  get updateComplete(): Promise<void> {
    return this._updated;
  }

  /** The element as a bag of properties, for setting one by name. */
  private get _own(): Record<string, unknown> {
    return this as unknown as Record<string, unknown>;
  }

  private _update(): void {
    const early = this._early;
    this._early = undefined;
    for (const [name, value] of early ?? []) this._own[name] = value;
    this._pending = false;
    const type = this.constructor as typeof LitHtmlElement;
    for (const [name, declaration] of Object.entries(type.properties)) {
      if (declaration.reflect) this.toggleAttribute(type._attributeOf(name) as string, Boolean(this._values.get(name)));
    }
    render(this.render(), this.renderRoot, { host: this });
    this.updated();
  }

  protected abstract render(): unknown;

  /** After each render, as LitElement's `updated`: react to properties the host changed. */
  protected updated(): void {}
}
