/**
 * A browser's part in an OpenID Connect sign-in, without a browser: follows the provider's
 * redirects with its cookies, types a login on its login page (oidc-provider's development page:
 * any password), and stops where the provider sends the browser back to the application.
 */
import assert from 'node:assert/strict';
import { cookiesOf } from './back-office.js';

/** The provider's cookies, as a browser keeps them for its origin. */
export class CookieJar {
  readonly #cookies = new Map<string, string>();
  take(response: Response): void {
    for (const [name, { value }] of Object.entries(cookiesOf(response)))
      this.#cookies.set(name, value);
  }
  get header(): string {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

/** From the provider's authorization URL to the URL it sends the browser back to (under `backTo`). */
export async function throughProvider(
  authorizeUrl: string,
  login: string,
  backTo: string,
): Promise<URL> {
  const jar = new CookieJar();
  let url = authorizeUrl;
  for (let step = 0; step < 10; step++) {
    const response = await fetch(url, { redirect: 'manual', headers: { Cookie: jar.header } });
    jar.take(response);
    if (response.status >= 300 && response.status < 400) {
      const next = new URL(response.headers.get('Location')!, url);
      if (next.href.startsWith(backTo)) return next;
      url = next.href;
      continue;
    }
    // The provider's login form: post the login (any password) to where it says.
    const page = await response.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(page)?.[1];
    assert.ok(action, `a login form at step ${step}: ${page.slice(0, 300)}`);
    const posted = await fetch(new URL(action.replaceAll('&amp;', '&'), url), {
      method: 'POST',
      redirect: 'manual',
      headers: { Cookie: jar.header, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ prompt: 'login', login, password: 'any' }),
    });
    jar.take(posted);
    url = new URL(posted.headers.get('Location')!, url).href;
  }
  throw new Error('the provider never sent the browser back');
}
