/**
 * A fine letter renders as a PDF in English, Chinese and Tamil, with the script's font embedded
 * (PDF's standard fonts have no Chinese or Tamil), the QR code drawn, and a clear refusal where a
 * language or a character has no font, rather than boxes where a payer's name should be.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { describe, it } from 'node:test';
import type { FineLetterContent } from '../../server/formsg/fine-from-submission.js';
import { FineLetterError, renderFineLetter } from '../../server/formsg/fine-letter.js';
import {
  discoverFontFiles,
  fontChain,
  fontFilesFromEnv,
  parseFontList,
} from '../../server/formsg/letter-fonts.js';

const base: Omit<FineLetterContent, 'lang' | 'agencyName' | 'offence'> = {
  payerName: 'Tan Ah Kow',
  referenceId: 'PF-6753ac00aaaaaaaaaaaaaaa1',
  amountInCents: 7000,
  currency: 'SGD',
  dueDate: '04-JAN-2027',
  issuedOn: '2026-12-07',
  paymentUrl: 'https://pay.gov.sg/payments/ZbzTvadjmP0wd7RRxhWtj',
  details: 'Parking fine P01: Parking without a valid parking coupon, vehicle SGX1234A',
};
const english: FineLetterContent = {
  ...base,
  lang: 'en',
  agencyName: 'Urban Parking Authority',
  offence: 'Parking without a valid parking coupon',
};
const chinese: FineLetterContent = {
  ...base,
  lang: 'zh',
  payerName: '陈伟明',
  agencyName: '城市停车管理局',
  offence: '未使用有效停车固本停车',
};
const tamil: FineLetterContent = {
  ...base,
  lang: 'ta',
  payerName: 'முத்துசாமி கிருஷ்ணன்',
  agencyName: 'நகர வாகன நிறுத்த ஆணையம்',
  offence: 'செல்லுபடியான வாகன நிறுத்தக் கூப்பன் இல்லாமல் நிறுத்தியது',
};

/** The PDF's text as a reader sees it: its objects, and its streams inflated. */
function pdfText(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  const parts = [raw];
  for (const match of raw.matchAll(/stream\r?\n/g)) {
    const start = (match.index ?? 0) + match[0].length;
    const end = raw.indexOf('endstream', start);
    try {
      parts.push(inflateSync(pdf.subarray(start, end)).toString('latin1'));
    } catch {
      // A stream that is not deflated (an image, a font) is read as it is.
    }
  }
  return parts.join('\n');
}

/**
 * The lines of text drawn in a standard font: pdfkit writes each as hex WinAnsi bytes in a `TJ`
 * array, split where it kerns; a no-break space reads as a space.
 */
function shownText(text: string): string[] {
  return [...text.matchAll(/\[(.*)\] TJ/g)].map((m) =>
    [...(m[1] ?? '').matchAll(/<([0-9a-f]*)>/g)]
      .map((h) => Buffer.from(h[1] ?? '', 'hex').toString('latin1'))
      .join('')
      .replace(/\u00a0/g, ' '),
  );
}

function assertPdf(pdf: Buffer) {
  assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
  assert.match(pdf.subarray(-8).toString('latin1'), /%%EOF\s*$/);
}

describe('fine letters', () => {
  it('in English: PDF’s own Helvetica, the amount, the due date, the link and its QR code', async () => {
    const pdf = await renderFineLetter(english);
    assertPdf(pdf);
    const text = pdfText(pdf);
    assert.match(text, /\/BaseFont \/Helvetica/);
    assert.doesNotMatch(text, /FontFile/, 'no font file embedded for an English letter');
    assert.match(text, /\/Lang \(en-SG\)/);
    assert.match(text, /\/URI \(https:\/\/pay\.gov\.sg\/payments\/ZbzTvadjmP0wd7RRxhWtj\)/);
    const shown = shownText(text);
    assert.ok(shown.includes('SGD 70.00'), 'the amount, formatted once, in SGD');
    assert.ok(shown.includes('4 January 2027'), 'the due date in words');
    assert.ok(shown.includes('Parking without a valid parking coupon'));
    assert.ok(shown.includes('Details'), 'the details line, labelled');
    assert.ok(
      shown.some((line) => line.includes('vehicle SGX1234A')),
      'what the fine is for, with its vehicle',
    );
    // The QR code: dozens of filled squares, not an image.
    assert.ok((text.match(/ re\n/g) ?? []).length > 200, 'the QR code is drawn as squares');
  });

  it('in Chinese: Noto Sans (Hans or CJK SC) embedded, subset to the glyphs used', async () => {
    const pdf = await renderFineLetter(chinese);
    assertPdf(pdf);
    const text = pdfText(pdf);
    assert.match(text, /\/BaseFont \/[A-Z]{6}\+NotoSans(Hans|CJKsc)-Regular/);
    assert.match(text, /\/Lang \(zh-SG\)/);
    assert.ok(pdf.length < 200_000, `a subset, not the whole 8 MB font: ${pdf.length} bytes`);
  });

  it('in Tamil: a Tamil font embedded, with a shaped Latin fallback for the amount and link', async () => {
    const pdf = await renderFineLetter(tamil);
    assertPdf(pdf);
    const text = pdfText(pdf);
    assert.match(text, /\/BaseFont \/[A-Z]{6}\+(NotoSansTamil-Regular|Lohit-Tamil)/);
    assert.match(text, /\/Lang \(ta-SG\)/);
  });

  it('Tamil with Debian’s Lohit Tamil, configured by path, when that is what the server has', async (t) => {
    const lohit = '/usr/share/fonts/truetype/lohit-tamil/Lohit-Tamil.ttf';
    if (!existsSync(lohit)) return t.skip('fonts-lohit-taml is not installed');
    const pdf = await renderFineLetter(tamil, {
      fonts: fontFilesFromEnv({ FINE_LETTER_FONTS_TA: lohit }),
    });
    assert.match(pdfText(pdf), /\/BaseFont \/[A-Z]{6}\+Lohit-Tamil/);
  });

  it('draws a Chinese name in an English letter with the Chinese font', async () => {
    const text = pdfText(
      await renderFineLetter({ ...english, payerName: '陈伟明 (Tan Wei Ming)' }),
    );
    assert.match(text, /\/BaseFont \/Helvetica/);
    assert.match(text, /\/BaseFont \/[A-Z]{6}\+NotoSans(Hans|CJKsc)-Regular/);
  });

  it('refuses a character no font has, naming it, and a language with no font', async () => {
    await assert.rejects(renderFineLetter({ ...english, payerName: 'Tan 🙂' }), (err: unknown) => {
      assert.ok(err instanceof FineLetterError);
      assert.match(err.message, /no font for U\+1F642/);
      return true;
    });
    await assert.rejects(
      renderFineLetter(tamil, { fonts: { ta: [{ path: '/nonexistent/tamil.ttf' }] } }),
      /cannot read the font file \/nonexistent\/tamil\.ttf/,
    );
    assert.deepEqual(
      fontChain('ta', {}, { zh: [], ta: [], latin: [] }).map((s) => [s.script, s.files.length]),
      [
        ['ta', 0],
        ['zh', 0],
        ['latin', 0],
      ],
    );
  });

  it('reads configured font lists, a face of a collection after #', () => {
    assert.deepEqual(parseFontList('/a/NotoSansCJK-Regular.ttc#NotoSansCJKsc-Regular:/b/x.ttf'), [
      { path: '/a/NotoSansCJK-Regular.ttc', face: 'NotoSansCJKsc-Regular' },
      { path: '/b/x.ttf' },
    ]);
    assert.deepEqual(fontFilesFromEnv({}), {});
    // The development fonts this repository installs are found without configuration.
    const found = discoverFontFiles();
    assert.ok(found.zh.length > 0, 'a Chinese font is found');
    assert.ok(found.ta.length > 0, 'a Tamil font is found');
  });
});
