/**
 * A fine letter as a PDF (pdfkit, an optional peer dependency): the agency, the offence, the
 * amount, the due date, and the PaySG link with its QR code, in English, Simplified Chinese or
 * Tamil. PaySG e-mails the link itself; the guide suggests putting the QR code "in a message or
 * letter" (paysg-api.md §17.6), and a letter reaches payers who do not read e-mail.
 *
 * The QR code is drawn here, as vector squares from `qrcode`'s matrix, rather than fetched from
 * PaySG's `payment_qr_code_url`: a letter never depends on a network call, and prints sharp at
 * any size. Text is set one run per font (`letter-fonts.ts`): each character in the first font
 * that has it, so the Latin in a Tamil letter (the amount, the link) and a Chinese name in an
 * English one are drawn, and shaping (Tamil's vowel signs and conjuncts) happens within each run.
 * @module
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type PdfKit from 'pdfkit';
import { formatMoney, localeForIntl } from '../../contract/money-format.js';
import { optionalPackage } from '../optional-package.js';
import type { FineLetterContent } from './fine-from-submission.js';
import { LETTER_TEXTS } from './fine-letter-texts.js';
import { FONT_ADVICE, type FontFile, fontChain, type LetterFontFiles } from './letter-fonts.js';

const require = createRequire(import.meta.url);

/** The document type of `@types/pdfkit`, whose constructor is its own `new` signature. */
type PdfDocument = typeof PdfKit;

interface Fontkit {
  create(buffer: Buffer, postscriptName?: string): { hasGlyphForCodePoint(cp: number): boolean };
}

interface QrCode {
  create(
    text: string,
    options: { errorCorrectionLevel: 'L' | 'M' | 'Q' | 'H' },
  ): {
    modules: { size: number; get(row: number, col: number): number | boolean };
  };
}

export class FineLetterError extends Error {
  override name = 'FineLetterError';
}

export interface FineLetterOptions {
  /** Font files by script; where a script has none, the fonts found are used (`letter-fonts.ts`). */
  fonts?: LetterFontFiles;
}

/** One font a run can be set in. */
interface LetterFont {
  /** The name registered with the document. */
  name: string;
  /** The same in bold, where the font has one (only PDF's built-in Helvetica here). */
  bold: string;
  has(codePoint: number): boolean;
}

/**
 * What PDF's built-in Helvetica can show: its WinAnsi encoding, i.e. Latin-1 and a few
 * typographic marks.
 */
const WIN_ANSI_EXTRA = new Set(
  [...'€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ'].map((ch) => ch.codePointAt(0) ?? 0),
);
const HELVETICA: LetterFont = {
  name: 'Helvetica',
  bold: 'Helvetica-Bold',
  has: (cp) => (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xff) || WIN_ANSI_EXTRA.has(cp),
};

const fontBytes = new Map<string, Buffer>();
function readFont(file: FontFile): Buffer {
  let bytes = fontBytes.get(file.path);
  if (!bytes) {
    try {
      bytes = readFileSync(file.path);
    } catch {
      throw new FineLetterError(`cannot read the font file ${file.path}`);
    }
    fontBytes.set(file.path, bytes);
  }
  return bytes;
}

const coverage = new Map<string, (cp: number) => boolean>();
function coverageOf(fontkit: Fontkit, file: FontFile): (cp: number) => boolean {
  const key = `${file.path}#${file.face ?? ''}`;
  let has = coverage.get(key);
  if (!has) {
    const bytes = readFont(file);
    let font: ReturnType<Fontkit['create']>;
    try {
      font = fontkit.create(bytes, file.face);
    } catch {
      throw new FineLetterError(
        `the font file ${file.path}${file.face ? `#${file.face}` : ''} is not a font fontkit reads (TTF, OTF, TTC, WOFF, WOFF2)`,
      );
    }
    const seen = new Map<number, boolean>();
    has = (cp) => {
      let answer = seen.get(cp);
      if (answer === undefined) {
        answer = font.hasGlyphForCodePoint(cp);
        seen.set(cp, answer);
      }
      return answer;
    };
    coverage.set(key, has);
  }
  return has;
}

/** The document's fonts in lookup order, registered with it. */
function registerFonts(
  doc: PdfDocument,
  fontkit: Fontkit,
  content: FineLetterContent,
  configured: LetterFontFiles,
): LetterFont[] {
  const fonts: LetterFont[] = [];
  for (const { script, files } of fontChain(content.lang, configured)) {
    if (script !== 'latin' && script === content.lang && files.length === 0)
      throw new FineLetterError(
        `a letter in ${script === 'zh' ? 'Chinese' : 'Tamil'} needs a font: ${FONT_ADVICE[script]}`,
      );
    for (const file of files) {
      const name = `f${fonts.length}`;
      const has = coverageOf(fontkit, file);
      if (file.face) doc.registerFont(name, readFont(file), file.face);
      else doc.registerFont(name, readFont(file));
      fonts.push({ name, bold: name, has });
    }
    // PDF's own Helvetica after any configured Latin font: Latin text needs no file at all.
    if (script === 'latin') fonts.push(HELVETICA);
  }
  return fonts;
}

/** Characters that steer layout rather than show (joiners, marks of direction): never a box. */
const FORMAT = /\p{Cf}/u;

/** The text cut into runs, each in the first font that has its characters. */
function runsOf(text: string, fonts: LetterFont[]): { font: LetterFont; text: string }[] {
  const runs: { font: LetterFont; text: string }[] = [];
  const missing = new Set<string>();
  for (const ch of text.replace(/[\p{Cc}]/gu, ' ')) {
    const cp = ch.codePointAt(0) ?? 0;
    const current = runs.at(-1);
    // Spaces and punctuation stay in the run they are in, so a word is never split across fonts.
    if (current?.font.has(cp)) {
      current.text += ch;
      continue;
    }
    const font = fonts.find((f) => f.has(cp));
    if (!font) {
      if (!FORMAT.test(ch)) missing.add(ch);
      continue;
    }
    runs.push({ font, text: ch });
  }
  if (missing.size > 0)
    throw new FineLetterError(
      `no font for ${[...missing].map((ch) => `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`).join(' ')}: configure a font that has them (FINE_LETTER_FONTS_ZH, _TA or _LATIN)`,
    );
  return runs;
}

interface WriteOptions {
  size: number;
  bold?: boolean;
  color?: string;
  width?: number;
  x?: number;
  y?: number;
  lineGap?: number;
}

/** Writes text in runs of fonts, wrapped as one paragraph. */
function write(doc: PdfDocument, fonts: LetterFont[], text: string, o: WriteOptions): void {
  const runs = runsOf(text, fonts);
  doc.fillColor(o.color ?? '#1a1a1a').fontSize(o.size);
  const options = { width: o.width, lineGap: o.lineGap ?? 2 };
  runs.forEach((run, i) => {
    doc.font(o.bold ? run.font.bold : run.font.name);
    const continued = i < runs.length - 1;
    if (i === 0 && o.x !== undefined && o.y !== undefined)
      doc.text(run.text, o.x, o.y, { ...options, continued });
    else doc.text(run.text, { ...options, continued });
  });
}

/** The QR code as filled squares, `size` points wide, quiet zone included. */
function drawQrCode(
  doc: PdfDocument,
  qrcode: QrCode,
  url: string,
  x: number,
  y: number,
  size: number,
) {
  const { modules } = qrcode.create(url, { errorCorrectionLevel: 'M' });
  const quiet = 2;
  const cell = size / (modules.size + quiet * 2);
  doc.save();
  doc.rect(x, y, size, size).fill('#ffffff');
  for (let row = 0; row < modules.size; row++)
    for (let col = 0; col < modules.size; col++)
      if (modules.get(row, col))
        doc.rect(x + (col + quiet) * cell, y + (row + quiet) * cell, cell, cell);
  doc.fill('#000000');
  doc.restore();
}

/** A day, `YYYY-MM-DD` or PaySG's `DD-MMM-YYYY`, written the payer's way (`7 December 2026`). */
function longDate(day: string, lang: FineLetterContent['lang']): string {
  const iso = /^\d{4}-\d\d-\d\d$/.test(day) ? `${day}T12:00:00+08:00` : `${day} 12:00 GMT+0800`;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return day;
  return new Intl.DateTimeFormat(localeForIntl(lang), {
    dateStyle: 'long',
    timeZone: 'Asia/Singapore',
  }).format(date);
}

/** The letter as PDF bytes. Throws `FineLetterError` when a language or a character has no font. */
export async function renderFineLetter(
  content: FineLetterContent,
  options: FineLetterOptions = {},
): Promise<Buffer> {
  const PDFDocument = optionalPackage<typeof PdfKit>('pdfkit', 'fine letters');
  const qrcode = optionalPackage<QrCode>('qrcode', 'fine letters');
  // fontkit is pdfkit's own font engine: the one that will draw the glyphs says which it has.
  const fontkit = createRequire(require.resolve('pdfkit'))('fontkit') as Fontkit;
  const texts = LETTER_TEXTS[content.lang];
  const paymentOrigin = new URL(content.paymentUrl).origin;

  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    lang: localeForIntl(content.lang),
    displayTitle: true,
    info: {
      Title: `${texts.title}: ${content.referenceId}`,
      Author: content.agencyName,
      CreationDate: new Date(`${content.issuedOn}T00:00:00+08:00`),
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  try {
    const fonts = registerFonts(doc, fontkit, content, options.fonts ?? {});
    const left = doc.page.margins.left;
    const width = doc.page.width - left - doc.page.margins.right;
    const say = (text: string, o: Omit<WriteOptions, 'width'> & { width?: number }) =>
      write(doc, fonts, text, { width, ...o });

    say(content.agencyName, { size: 13, bold: true, color: '#3d3d3d' });
    doc.moveDown(0.4);
    say(texts.title, { size: 24, bold: true });
    doc.moveDown(0.6);
    doc.rect(left, doc.y, width, 1.5).fill('#b00020');
    doc.moveDown(1);

    const row = (label: string, value: string, valueSize = 12) => {
      const y = doc.y;
      say(label, { size: 10, color: '#555555', x: left, y, width: 150 });
      const below = doc.y;
      say(value, { size: valueSize, x: left + 160, y, width: width - 160 });
      doc.y = Math.max(doc.y, below) + 8;
    };
    row(texts.to, content.payerName);
    row(texts.reference, content.referenceId);
    row(texts.dateOfNotice, longDate(content.issuedOn, content.lang));
    row(texts.offence, content.offence);
    // Letters recorded before details were kept have none.
    if (content.details) row(texts.details, content.details);
    row(texts.amount, formatMoney(content.amountInCents, content.currency, content.lang), 18);
    if (content.dueDate) row(texts.payBy, longDate(content.dueDate, content.lang), 14);

    doc.moveDown(0.8);
    say(texts.howToPay, { size: 11, x: left, y: doc.y, lineGap: 4 });
    doc.moveDown(1.2);

    const qrSize = 132;
    const top = doc.y;
    drawQrCode(doc, qrcode, content.paymentUrl, left, top, qrSize);
    const textLeft = left + qrSize + 20;
    const textWidth = width - qrSize - 20;
    say(texts.paymentLink, {
      size: 10,
      color: '#555555',
      x: textLeft,
      y: top + 6,
      width: textWidth,
    });
    doc.moveDown(0.3);
    say(content.paymentUrl, {
      size: 11,
      color: '#0b57d0',
      x: textLeft,
      y: doc.y,
      width: textWidth,
    });
    doc.link(textLeft, top + 20, textWidth, doc.y - top - 20, content.paymentUrl);
    doc.moveDown(0.6);
    say(texts.checkLink.replace('{origin}', `${paymentOrigin}/`), {
      size: 9,
      color: '#555555',
      x: textLeft,
      y: doc.y,
      width: textWidth,
    });
    doc.y = Math.max(doc.y, top + qrSize) + 24;

    say(texts.questions.replace('{agency}', content.agencyName), {
      size: 9,
      color: '#555555',
      x: left,
      y: doc.y,
    });
  } catch (err) {
    doc.end();
    throw err;
  }
  doc.end();
  return done;
}
