/**
 * Where the texts of each language other than English are, and the hash they must have.
 *
 * This is the source form, used by the widget tests, in development, and by apps that import the
 * package's modules (their own build then vouches for the files): the JSON files beside this
 * module, not pinned. The build (`pinLocaleFiles` in vite.config.ts) replaces this module
 * with one naming the files it emits, `locales/{lang}.{hash}.json` beside the widget's script,
 * each with its `sha384` integrity, so the browser refuses a changed file as it would a changed
 * script (the SRI chain: the page pins the script, the script pins its texts).
 */
import type { Lang } from './messages.js';

export type LoadedLang = Exclude<Lang, 'en'>;

/**
 * Each URL is written out in full, `new URL('./zh.json', import.meta.url)`, so an app's bundler
 * (Vite, webpack) that imports the package's modules copies the files and rewrites the URLs.
 */
const FILES: Record<LoadedLang, () => URL> = {
  zh: () => new URL('./zh.json', import.meta.url),
  ms: () => new URL('./ms.json', import.meta.url),
  ta: () => new URL('./ta.json', import.meta.url),
};

export function localeFile(lang: LoadedLang): { href: string; integrity?: string } {
  return { href: FILES[lang]().href };
}
