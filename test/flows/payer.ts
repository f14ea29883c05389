/**
 * A payer's browser, as the payer flows see it: the same few things in every engine. Chromium and
 * Firefox ESR are driven by Playwright (playwright-payer.ts), WebKitGTK over WebDriver
 * (webdriver-payer.ts), as Playwright cannot drive Debian's WebKit. A flow written against this
 * class runs unchanged in all three.
 *
 * Each engine implements the primitives (go to a page, click a button by its name, run a
 * function in the page); the waits are written once here, on top of them, so a flow waits the
 * same way in every engine and a failure says what the page showed instead.
 */
export type Engine = 'chromium' | 'firefox' | 'webkit';

/** Where a button is: inside `<paysg-checkout>`'s shadow root, or anywhere in the page's own DOM. */
export type Where = 'widget' | 'page';

/** A `paysg-*` event as the demo pages record it in `window.paysgEvents`. */
export interface RecordedEvent {
  type: string;
  detail: Record<string, unknown>;
}

/** How long a flow waits for the page to show something: the slowest engine (WebKit, on a virtual display) included. */
export const WAIT_MS = 15_000;
const POLL_MS = 100;

export abstract class Payer {
  abstract readonly engine: Engine;

  /** Loads `path` (relative to the demo) and waits for its load event. */
  abstract goto(path: string): Promise<void>;
  abstract url(): Promise<URL>;
  /** The browser's Back button. */
  abstract back(): Promise<void>;
  abstract reload(): Promise<void>;
  /** Runs `fn` in the page and returns its (JSON) result. `fn` must not close over anything but `arg`. */
  abstract evaluate<R, A = undefined>(fn: (arg: A) => R, arg?: A): Promise<R>;
  /**
   * Clicks the enabled, visible button whose accessible name (its text, or its `aria-label`)
   * matches `name`, as a pointer would: a real click, which counts as the payer's gesture (a
   * popup needs one). Waits for the button to appear.
   */
  abstract click(name: RegExp, where?: Where): Promise<void>;
  /** Ticks or clears the checkbox whose label matches `label`. */
  abstract check(label: RegExp, checked: boolean): Promise<void>;
  /** Chooses the option with `value` in the select whose label matches `label`. */
  abstract select(label: RegExp, value: string): Promise<void>;
  /** Runs `opener` (which clicks something) and returns the window it opened. */
  abstract popup(opener: () => Promise<void>): Promise<Payer>;
  /** Waits until this window has closed itself. */
  abstract closed(): Promise<void>;
  /** Closes this window, as the payer would. */
  abstract close(): Promise<void>;

  /** The text in `<paysg-checkout>`'s shadow root, white space collapsed ('' before it renders). */
  widgetText(): Promise<string> {
    return this.evaluate(() =>
      (document.querySelector('paysg-checkout')?.shadowRoot?.textContent ?? '')
        .replace(/\s+/g, ' ')
        .trim(),
    );
  }

  /** The text of the first element matching `selector` (default the body), white space collapsed. */
  text(selector = 'body'): Promise<string> {
    return this.evaluate(
      (s) => (document.querySelector(s)?.textContent ?? '').replace(/\s+/g, ' ').trim(),
      selector,
    );
  }

  /** The `paysg-*` events of `type` the demo page has recorded. */
  async events(type: string): Promise<RecordedEvent[]> {
    const all = await this.evaluate(
      () => (window as unknown as { paysgEvents?: RecordedEvent[] }).paysgEvents ?? [],
    );
    return all.filter((e) => e.type === type);
  }

  /**
   * Waits until `read()` gives a value `ok` accepts, and returns it. A read that throws (the page
   * is between documents) is tried again; at the deadline the error names what was last read.
   */
  async until<T>(
    what: string,
    read: () => Promise<T>,
    ok: (value: T) => boolean,
    timeoutMs = WAIT_MS,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last: string = 'nothing yet';
    for (;;) {
      try {
        const value = await read();
        if (ok(value)) return value;
        last = JSON.stringify(value);
      } catch (err) {
        last = `an error: ${(err as Error).message.split('\n')[0]}`;
      }
      if (Date.now() > deadline)
        throw new Error(
          `${this.engine}: waited ${timeoutMs / 1000} s for ${what}; last read ${last.slice(0, 600)}`,
        );
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  /** Waits until the widget's text contains `text`, and returns all of it. */
  widgetSays(text: string | RegExp): Promise<string> {
    return this.until(
      `the checkout to say ${text}`,
      () => this.widgetText(),
      (t) => matches(t, text),
    );
  }

  /** Waits until the page's text (or that of `selector`) contains `text`. */
  pageSays(text: string | RegExp, selector = 'body'): Promise<string> {
    return this.until(
      `${selector} to say ${text}`,
      () => this.text(selector),
      (t) => matches(t, text),
    );
  }

  /** Waits until the address matches and the document there has loaded. */
  async at(where: RegExp | ((url: URL) => boolean)): Promise<URL> {
    const test = typeof where === 'function' ? where : (url: URL) => where.test(url.href);
    await this.until(`the address to match ${where}`, () => this.url(), test);
    await this.until(
      'the page to load',
      () => this.evaluate(() => document.readyState),
      (state) => state === 'complete',
    );
    return this.url();
  }

  /** Waits for `count` events of `type` (at least), and returns them. */
  eventsArrive(type: string, count = 1): Promise<RecordedEvent[]> {
    return this.until(
      `${count} ${type} event(s)`,
      () => this.events(type),
      (e) => e.length >= count,
    );
  }
}

function matches(text: string, expected: string | RegExp): boolean {
  return typeof expected === 'string' ? text.includes(expected) : expected.test(text);
}
