/**
 * Where the texts of each language other than English are, and the hash they must have.
 *
 * This is the source form, used by the widget tests and in development: the JSON files beside
 * this module, not pinned. The build (`pinLocaleFiles` in vite.config.ts) replaces this module
 * with one naming the files it emits, `locales/{lang}.{hash}.json` beside the widget's script,
 * each with its `sha384` integrity, so the browser refuses a changed file as it would a changed
 * script (the SRI chain: the page pins the script, the script pins its texts).
 */
import type { Lang } from './messages.js';

export type LoadedLang = Exclude<Lang, 'en'>;

const FILES: Record<LoadedLang, { path: string; integrity?: string }> = {
  zh: { path: './zh.json' },
  ms: { path: './ms.json' },
  ta: { path: './ta.json' },
};

export function localeFile(lang: LoadedLang): { href: string; integrity?: string } {
  const { path, integrity } = FILES[lang];
  return { href: new URL(path, import.meta.url).href, ...(integrity && { integrity }) };
}
