/**
 * Singapore's four official languages. The widget picks its `lang` attribute, else the nearest
 * `lang` on the page, else the browser's language, else English.
 */
import type { Lang } from './messages.js';

export { fill, type Lang, type Messages } from './messages.js';
export { loadMessages } from './load-messages.js';

const LANGS: readonly Lang[] = ['en', 'zh', 'ms', 'ta'];

/** `zh-Hans-SG` → `zh`; anything not one of the four → undefined. */
export function toLang(tag: string | null | undefined): Lang | undefined {
  const primary = tag?.trim().toLowerCase().split(/[-_]/)[0];
  return LANGS.find((lang) => lang === primary);
}

export function resolveLang(element: Element): Lang {
  return (
    toLang(element.getAttribute('lang')) ??
    toLang(element.parentElement?.closest('[lang]')?.getAttribute('lang')) ??
    toLang(globalThis.navigator?.language) ??
    'en'
  );
}
