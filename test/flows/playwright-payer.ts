/**
 * A payer's browser in Chromium or Firefox ESR: a Playwright page. Clicks go through Playwright's
 * role locators (which pierce the widget's open shadow root and wait for the button to be
 * actionable).
 */
import type { Page } from '@playwright/test';
import { Payer, type Engine, type Where } from './payer.js';

export class PlaywrightPayer extends Payer {
  constructor(
    readonly page: Page,
    readonly engine: Engine,
  ) {
    super();
  }

  override async goto(path: string): Promise<void> {
    await this.page.goto(path);
  }

  override async url(): Promise<URL> {
    return new URL(this.page.url());
  }

  override async back(): Promise<void> {
    // A page restored from the back/forward cache fires no load event: `at()` waits for the rest.
    await this.page.goBack({ waitUntil: 'commit' });
  }

  override async reload(): Promise<void> {
    await this.page.reload();
  }

  override evaluate<R, A = undefined>(fn: (arg: A) => R, arg?: A): Promise<R> {
    return this.page.evaluate(fn as (arg: unknown) => R, arg) as Promise<R>;
  }

  override async click(name: RegExp, where: Where = 'page'): Promise<void> {
    const root = where === 'widget' ? this.page.locator('paysg-checkout') : this.page;
    await root.getByRole('button', { name }).click();
  }

  override async check(label: RegExp, checked: boolean): Promise<void> {
    await this.page.getByLabel(label).setChecked(checked);
  }

  override async select(label: RegExp, value: string): Promise<void> {
    await this.page.getByLabel(label).selectOption(value);
  }

  override async popup(opener: () => Promise<void>): Promise<Payer> {
    const [popup] = await Promise.all([this.page.waitForEvent('popup'), opener()]);
    return new PlaywrightPayer(popup, this.engine);
  }

  override async closed(): Promise<void> {
    if (!this.page.isClosed()) await this.page.waitForEvent('close');
  }

  override async close(): Promise<void> {
    await this.page.close();
  }
}
