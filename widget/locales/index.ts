/**
 * Singapore's four official languages. The widget picks its `lang` attribute, else the nearest
 * `lang` on the page, else the browser's language, else English.
 */
import { en } from './en.js';
import type { Lang, Messages } from './messages.js';
import { ms } from './ms.js';
import { ta } from './ta.js';
import { zh } from './zh.js';

export type { Lang, Messages } from './messages.js';

const MESSAGES: Record<Lang, Messages> = { en, zh, ms, ta };

/** `zh-Hans-SG` → `zh`; anything not one of the four → undefined. */
export function toLang(tag: string | null | undefined): Lang | undefined {
  const primary = tag?.trim().toLowerCase().split(/[-_]/)[0];
  return primary && primary in MESSAGES ? (primary as Lang) : undefined;
}

export function resolveLang(element: Element): Lang {
  return (
    toLang(element.getAttribute('lang')) ??
    toLang(element.parentElement?.closest('[lang]')?.getAttribute('lang')) ??
    toLang(globalThis.navigator?.language) ??
    'en'
  );
}

export function messagesFor(lang: Lang): Messages {
  return MESSAGES[lang];
}
