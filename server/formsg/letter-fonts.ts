/**
 * Where a fine letter's fonts come from. PDF's standard fonts (Helvetica and friends) cover Latin
 * text only: Chinese and Tamil need a font file embedded in the letter, and Tamil needs one with
 * OpenType shaping tables, which fontkit (pdfkit's font engine) applies: pre-base vowel signs
 * drawn before their consonant, the pulli, conjuncts such as க்ஷ and ஸ்ரீ.
 *
 * The trade, and the choice made here: the package ships no fonts. A complete Chinese font is
 * 8 to 20 MB per weight, and most agencies writing letters in English would carry it for nothing.
 * Instead each language's fonts are looked for, in order:
 * 1. files the agency configures (`FINE_LETTER_FONTS_ZH`, `FINE_LETTER_FONTS_TA`,
 *    `FINE_LETTER_FONTS_LATIN`: paths separated by `:`; `file.ttc#PostScriptName` picks one face
 *    of a collection);
 * 2. npm font packages, when the agency installs them (the registry is often the only thing a
 *    government server may reach): `@fontsource/noto-sans-tamil` (about 1 MB installed; the
 *    letter uses its Tamil and Latin subsets, 33 KB) and `@embedpdf/fonts-sc` (Noto Sans Hans,
 *    about 31,000 characters, far beyond GB 2312's 6,763 hanzi: 41 MB installed for five weights,
 *    of which the letter reads the 8.4 MB regular one). A web font split by `unicode-range` into
 *    a hundred files (`@fontsource/noto-sans-sc`) would not do: a name could need any of them;
 * 3. Debian's packages: `fonts-noto-cjk` (Noto Sans CJK SC in a collection), `fonts-noto-core`
 *    (Noto Sans Tamil) or `fonts-lohit-taml` (Lohit Tamil, which the BFF's CI already installs).
 * Only the glyphs a letter uses are embedded, so a letter stays small whichever font is used.
 *
 * Each language's fonts come first, then every other font found, then Helvetica: a Chinese name
 * in an English letter is still drawn. A character no font has stops the letter with the
 * characters named, rather than printing a box where a payer's name should be.
 * @module
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { LetterLanguage } from './fine-rules-schema.js';

const require = createRequire(import.meta.url);

/** A font file, and for a collection (`.ttc`) the PostScript name of the face to use. */
export interface FontFile {
  path: string;
  face?: string;
}

/** Font files by script, each list tried in order. */
export interface LetterFontFiles {
  zh?: FontFile[];
  ta?: FontFile[];
  latin?: FontFile[];
}

export type FontScript = keyof LetterFontFiles;

/** `a.ttf:b.ttc#Face` → files. */
export function parseFontList(value: string): FontFile[] {
  return value
    .split(':')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const hash = entry.lastIndexOf('#');
      return hash > 0
        ? { path: entry.slice(0, hash), face: entry.slice(hash + 1) }
        : { path: entry };
    });
}

/** The fonts an agency configured in the environment. */
export function fontFilesFromEnv(env: Record<string, string | undefined>): LetterFontFiles {
  const files: LetterFontFiles = {};
  for (const [script, name] of [
    ['zh', 'FINE_LETTER_FONTS_ZH'],
    ['ta', 'FINE_LETTER_FONTS_TA'],
    ['latin', 'FINE_LETTER_FONTS_LATIN'],
  ] as const) {
    const value = env[name]?.trim();
    if (value) files[script] = parseFontList(value);
  }
  return files;
}

/** A file inside an installed npm package, or `undefined` when the package is not installed. */
function packageFile(packageName: string, ...path: string[]): string | undefined {
  try {
    // The entry point is all these packages export; their font files sit beside it.
    const root = packageRoot(require.resolve(packageName), packageName);
    const file = join(root, ...path);
    return existsSync(file) ? file : undefined;
  } catch {
    return undefined;
  }
}

function packageRoot(entry: string, packageName: string): string {
  let dir = dirname(entry);
  while (!dir.replace(/\\/g, '/').endsWith(`node_modules/${packageName}`)) {
    const up = dirname(dir);
    if (up === dir) return dirname(entry);
    dir = up;
  }
  return dir;
}

function existing(files: (FontFile | undefined)[]): FontFile[] {
  return files.filter((f): f is FontFile => f !== undefined && existsSync(f.path));
}

const file = (path: string | undefined, face?: string): FontFile | undefined =>
  path === undefined ? undefined : face ? { path, face } : { path };

/** The fonts found for each script where no configuration names them (see the module comment). */
export function discoverFontFiles(): Required<LetterFontFiles> {
  return {
    zh: existing([
      file(packageFile('@embedpdf/fonts-sc', 'fonts', 'NotoSansHans-Regular.otf')),
      file('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', 'NotoSansCJKsc-Regular'),
      file('/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf'),
    ]),
    ta: existing([
      file(
        packageFile(
          '@fontsource/noto-sans-tamil',
          'files',
          'noto-sans-tamil-tamil-400-normal.woff',
        ),
      ),
      file(
        packageFile(
          '@fontsource/noto-sans-tamil',
          'files',
          'noto-sans-tamil-latin-400-normal.woff',
        ),
      ),
      file('/usr/share/fonts/truetype/noto/NotoSansTamil-Regular.ttf'),
      file('/usr/share/fonts/truetype/lohit-tamil/Lohit-Tamil.ttf'),
    ]),
    latin: [],
  };
}

/** What to install when a language has no font, in one line. */
export const FONT_ADVICE: Record<Exclude<LetterLanguage, 'en'>, string> = {
  zh: 'npm install @embedpdf/fonts-sc, or apt-get install fonts-noto-cjk, or set FINE_LETTER_FONTS_ZH',
  ta: 'npm install @fontsource/noto-sans-tamil, or apt-get install fonts-noto-core (or fonts-lohit-taml), or set FINE_LETTER_FONTS_TA',
};

/**
 * The fonts for a letter in `lang`, in the order characters are looked up: the configured ones
 * for its script, else those found; then every other script's; Latin last.
 */
export function fontChain(
  lang: LetterLanguage,
  configured: LetterFontFiles = {},
  found: Required<LetterFontFiles> = discoverFontFiles(),
): { script: FontScript; files: FontFile[] }[] {
  const pick = (script: FontScript) => ({
    script,
    files: configured[script]?.length ? (configured[script] ?? []) : found[script],
  });
  const order: FontScript[] =
    lang === 'zh'
      ? ['zh', 'ta', 'latin']
      : lang === 'ta'
        ? ['ta', 'zh', 'latin']
        : ['latin', 'zh', 'ta'];
  return order.map(pick);
}
