/**
 * A payer's browser in WebKitGTK (Safari's engine), over WebDriver classic: Debian's WebKit
 * speaks only that, so Playwright cannot drive it (toolchain.md §6b). One WebDriver session is
 * one MiniBrowser with its own, empty storage: a new payer, as a Playwright context is.
 *
 * What WebKitWebDriver does differently, and how this copes:
 * - Elements inside a shadow root have no text for `getText()`: the widget is read through
 *   `textContent` (Payer.widgetText), and its buttons found by a script and clicked by reference
 *   (a real click, which counts as the payer's gesture).
 * - After Back between pages whose Cross-Origin-Opener-Policy differs (the demo's pages send
 *   `same-origin-allow-popups`, PaySG's page none), the driver stops answering. A session that
 *   will go Back starts MiniBrowser with that feature off (`goesBack`); `back()` refuses
 *   otherwise, rather than hang the run.
 */
import { remote } from 'webdriverio';
import { webKitCapabilities } from '../helpers/browser-engines.mjs';
import { Payer, WAIT_MS, type Where } from './payer.js';

/** The key under which WebDriver returns an element reference (W3C WebDriver §6.4). */
const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';
type ElementReference = { [ELEMENT]: string };

/** Finds a button by accessible name (its `aria-label`, else its text) in the widget's shadow root or the page. */
const FIND_BUTTON = `
  const [where, source, flags] = arguments;
  const name = new RegExp(source, flags);
  const root = where === 'widget' ? document.querySelector('paysg-checkout')?.shadowRoot : document;
  if (!root) return null;
  const label = (el) => (el.getAttribute('aria-label') ?? el.textContent ?? '').replace(/\\s+/g, ' ').trim();
  const buttons = [...root.querySelectorAll('button, [role="button"], input[type="submit"], input[type="button"]')];
  return buttons.find((el) => name.test(label(el)) && !el.disabled && el.getClientRects().length > 0) ?? null;`;

/** Finds a form control by the text of its `<label>`; with a value, that option of the select. */
const FIND_LABELLED = `
  const [source, flags, value] = arguments;
  const name = new RegExp(source, flags);
  const label = [...document.querySelectorAll('label')].find((l) => name.test((l.textContent ?? '').replace(/\\s+/g, ' ').trim()));
  const control = label?.control ?? null;
  if (!control || value === undefined) return control;
  return [...control.options].find((o) => o.value === value) ?? null;`;

export interface WebKitPayerOptions {
  /** Where WebKitWebDriver listens (startWebKitDriver). */
  hostname: string;
  port: number;
  /** The demo's origin, which `goto` paths are relative to. */
  baseURL: string;
  /** The flow presses Back: start MiniBrowser without Cross-Origin-Opener-Policy (see above). */
  goesBack?: boolean;
}

/** What the windows of one session share: the browser, and which window WebDriver is on. */
interface Session {
  browser: WebdriverIO.Browser;
  baseURL: string;
  goesBack: boolean;
  current: string | undefined;
}

/** Opens a WebKit session (a new MiniBrowser) and returns its first window. */
export async function openWebKitPayer(options: WebKitPayerOptions): Promise<WebDriverPayer> {
  const goesBack = options.goesBack ?? false;
  const browser = await remote({
    hostname: options.hostname,
    port: options.port,
    path: '/',
    logLevel: 'silent',
    // A driver that stops answering fails the command in 20 s instead of webdriverio's 2 min.
    connectionRetryTimeout: 20_000,
    connectionRetryCount: 0,
    capabilities: webKitCapabilities(goesBack ? ['--features=-CrossOriginOpenerPolicy'] : []),
  });
  await browser.setTimeouts(0, 20_000, 10_000);
  const handle = await browser.getWindowHandle();
  return new WebDriverPayer(
    { browser, baseURL: options.baseURL, goesBack, current: handle },
    handle,
  );
}

export class WebDriverPayer extends Payer {
  readonly engine = 'webkit' as const;

  constructor(
    private readonly session: Session,
    private readonly handle: string,
  ) {
    super();
  }

  /** WebDriver acts on one window at a time: this one, before each command. */
  private async browser(): Promise<WebdriverIO.Browser> {
    const { browser } = this.session;
    if (this.session.current !== this.handle) {
      await browser.switchToWindow(this.handle);
      this.session.current = this.handle;
    }
    return browser;
  }

  override async goto(path: string): Promise<void> {
    await (await this.browser()).navigateTo(new URL(path, this.session.baseURL).href);
  }

  override async url(): Promise<URL> {
    return new URL(await (await this.browser()).getUrl());
  }

  override async back(): Promise<void> {
    if (!this.session.goesBack) {
      throw new Error(
        'This flow goes Back: tag it @back-button, so WebKit starts without Cross-Origin-Opener-Policy (WebKitWebDriver stops answering after Back across a change of it)',
      );
    }
    await (await this.browser()).back();
  }

  override async reload(): Promise<void> {
    await (await this.browser()).refresh();
  }

  override async evaluate<R, A = undefined>(fn: (arg: A) => R, arg?: A): Promise<R> {
    const browser = await this.browser();
    // webdriverio's types follow its element-transforming overloads; a plain function with one JSON argument is all this needs.
    const execute = browser.execute.bind(browser) as (
      script: (arg: A) => R,
      arg?: A,
    ) => Promise<unknown>;
    return (await execute(fn, arg)) as R;
  }

  /** Finds an element by one of the scripts above, waiting for it, and clicks it. */
  private async clickFound(
    what: string,
    script: string,
    args: (string | undefined)[],
  ): Promise<void> {
    await this.until(
      what,
      async () => {
        const browser = await this.browser();
        const found = (await browser.executeScript(`${script}`, args)) as ElementReference | null;
        if (!found) return false;
        // Clicked through WebDriver: the engine's own pointer events, a user gesture.
        await browser.elementClick(found[ELEMENT]);
        return true;
      },
      (clicked) => clicked,
      WAIT_MS,
    );
  }

  override click(name: RegExp, where: Where = 'page'): Promise<void> {
    return this.clickFound(`a button named ${name} in the ${where}`, FIND_BUTTON, [
      where,
      name.source,
      name.flags,
    ]);
  }

  override async check(label: RegExp, checked: boolean): Promise<void> {
    const isChecked = () =>
      this.evaluate(
        ([source, flags]) => {
          const name = new RegExp(source, flags);
          const found = [...document.querySelectorAll('label')].find((l) =>
            name.test((l.textContent ?? '').replace(/\s+/g, ' ').trim()),
          );
          return (found?.control as HTMLInputElement | null | undefined)?.checked ?? null;
        },
        [label.source, label.flags] as const,
      );
    if ((await isChecked()) === checked) return;
    await this.clickFound(`a checkbox labelled ${label}`, FIND_LABELLED, [
      label.source,
      label.flags,
    ]);
    await this.until(
      `the checkbox labelled ${label} to be ${checked ? 'ticked' : 'clear'}`,
      isChecked,
      (now) => now === checked,
    );
  }

  override async select(label: RegExp, value: string): Promise<void> {
    // WebDriver selects an option by clicking it (W3C WebDriver §12.4.1), firing input and change.
    await this.clickFound(`option ${value} of the select labelled ${label}`, FIND_LABELLED, [
      label.source,
      label.flags,
      value,
    ]);
  }

  override async popup(opener: () => Promise<void>): Promise<Payer> {
    const browser = await this.browser();
    const before = await browser.getWindowHandles();
    await opener();
    const opened = await this.until(
      'a new window',
      async () => (await browser.getWindowHandles()).find((h) => !before.includes(h)),
      (handle) => handle !== undefined,
    );
    return new WebDriverPayer(this.session, opened!);
  }

  override async closed(): Promise<void> {
    await this.until(
      'the window to close',
      () => this.session.browser.getWindowHandles(),
      (handles) => !handles.includes(this.handle),
    );
    if (this.session.current === this.handle) this.session.current = undefined;
  }

  override async close(): Promise<void> {
    await (await this.browser()).closeWindow();
    this.session.current = undefined;
  }

  /** A PNG of this window, for a failed test's report. */
  async screenshot(): Promise<Buffer> {
    return Buffer.from(await (await this.browser()).takeScreenshot(), 'base64');
  }

  /** Ends the session (MiniBrowser quits); false when the driver did not answer within `timeoutMs`. */
  async end(timeoutMs = 10_000): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<false>(
      (resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)),
    );
    const ended = this.session.browser.deleteSession().then(
      () => true,
      () => false,
    );
    try {
      return await Promise.race([ended, gaveUp]);
    } finally {
      clearTimeout(timer);
    }
  }
}
