/**
 * The texts of a language. English is built in; Chinese, Malay and Tamil are fetched the first
 * time a widget on the page needs them (in the script-tag build with the integrity hash the build
 * pinned; from npm, from where the app's bundler put them), so a payer who reads English downloads
 * none of them and every text shown is one the agency shipped.
 *
 * When a language cannot be loaded (a blocked fetch, a file the CSP or CORS refuses, a hash that
 * does not match), the widget speaks English and the console says why, with what to check for the
 * build it came from (locale-files.ts): a payer can still pay.
 */
import { en } from './en.js';
import { localeFile, type LoadedLang } from './locale-files.js';
import type { Lang, Messages } from './messages.js';

const loading = new Map<LoadedLang, Promise<Messages>>();

export function loadMessages(lang: Lang): Promise<Messages> {
  if (lang === 'en') return Promise.resolve(en);
  let messages = loading.get(lang);
  if (!messages) {
    messages = fetchMessages(lang);
    loading.set(lang, messages);
  }
  return messages;
}

async function fetchMessages(lang: LoadedLang): Promise<Messages> {
  const { href, integrity, advice, read } = localeFile(lang);
  try {
    // No cookies: the texts are public, and a credentialed fetch would need more of the BFF's CORS.
    const response = await (read?.() ?? fetch(href, { integrity, credentials: 'omit' }));
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const messages: unknown = await response.json();
    const missing = missingTexts(messages);
    if (missing) throw new Error(`no "${missing}" text`);
    return messages as Messages;
  } catch (err) {
    // Forgotten, so a widget that asks later tries again.
    loading.delete(lang);
    // A refused fetch says only "Failed to fetch": the browser's own error, just before this one,
    // names the directive, the CORS header or the hash. `advice` says where this build's files go.
    console.warn(
      `<paysg-checkout>: showing English, because the ${lang} texts could not be loaded from ${href} (${(err as Error).message}). ${advice}`,
    );
    return en;
  }
}

/** The first text English has and `value` lacks: a partial file would mix two languages. */
function missingTexts(value: unknown): string | undefined {
  const texts = value as Record<string, unknown> | null;
  return Object.keys(en).find(
    (key) => typeof texts?.[key] !== (key === 'errors' ? 'object' : 'string'),
  );
}
