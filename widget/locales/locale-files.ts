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

/** A language's file: where it is, the hash it must have, and what to check when it cannot be had. */
export interface LocaleFile {
  href: string;
  integrity?: string;
  /** Said in the console after the cause, when the file cannot be loaded. */
  advice: string;
  /** Reads the file without `fetch`, when there is nothing to fetch (its texts came inside the script). */
  read?: () => Promise<Response>;
}

/**
 * Each URL is written out in full, `new URL('./zh.json?no-inline', import.meta.url)`, the form an
 * app's bundler (Vite, webpack) follows: it copies the file into the app's build and rewrites the
 * URL. `?no-inline` keeps Vite from inlining a file under 4 KiB (`assetsInlineLimit`) as a `data:`
 * URL, which would put the language inside the app's script, downloaded by every payer, and which
 * the page's `connect-src` refuses to fetch; webpack writes the file without the query, and a
 * server ignores it.
 */
const FILES: Record<LoadedLang, () => URL> = {
  zh: () => new URL('./zh.json?no-inline', import.meta.url),
  ms: () => new URL('./ms.json?no-inline', import.meta.url),
  ta: () => new URL('./ta.json?no-inline', import.meta.url),
};

const COPY_FOR_ESBUILD =
  "copy paysg-checkout's dist/lib/widget/locales/*.json beside the bundle (see the package's docs/widget.md)";

export function localeFile(lang: LoadedLang): LocaleFile {
  let href: string;
  try {
    href = FILES[lang]().href;
  } catch {
    // esbuild's `iife` and `cjs` formats leave `import.meta` empty: nothing to find the file by.
    return {
      href: `./${lang}.json`,
      advice: `The script holding the widget is not an ES module: bundle it as one (esbuild: --format=esm) and ${COPY_FOR_ESBUILD}.`,
      read: () => Promise.reject(new Error('no import.meta.url')),
    };
  }
  // A bundler set to inline files (webpack's `asset/inline`, a single-file build) hands over a
  // data: URL. Its texts are part of the app's script, trusted as that script is, so they are read
  // here: fetching a data: URL needs `connect-src data:`, which no policy we recommend allows.
  const read = href.startsWith('data:')
    ? () => Promise.resolve(new Response(readDataUrl(href)))
    : undefined;
  return {
    href: read ? 'a data: URL' : href,
    read,
    advice: `The app's bundler copies the file beside the app's scripts and rewrites its URL: Vite and webpack do; with esbuild, ${COPY_FOR_ESBUILD}. The page's connect-src must allow where it is served from.`,
  };
}

/** `data:[type][;base64],…` (RFC 2397), as UTF-8 text. */
function readDataUrl(href: string): string {
  const comma = href.indexOf(',');
  const data = decodeURIComponent(href.slice(comma + 1));
  if (!/;base64$/i.test(href.slice(0, comma))) return data;
  return new TextDecoder().decode(Uint8Array.from(atob(data), (c) => c.charCodeAt(0)));
}
