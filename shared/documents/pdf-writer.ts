import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { helveticaBoldWidths, helveticaWidths } from './helvetica-metrics.ts';

/**
 * A small PDF writer for the service's own papers: A4 pages of text in the standard Helvetica
 * fonts and ruled lines, nothing else. The fonts are the PDF standard ones every reader has, so
 * nothing is embedded and the file stays small; the same input gives the same bytes. (Reading
 * or merging other people's PDFs is pdf-lib's job, in shared/documents/merge-returns.ts; this
 * keeps a 400 KB library out of the functions that only write papers.)
 */

/** The two fonts the papers use. */
export type PdfFontName = 'regular' | 'bold';

/** A colour as red, green and blue shares from 0 to 1. */
export type PdfColour = readonly [red: number, green: number, blue: number];

/** Windows-1252 codes 0x80–0x9F, by the Unicode character each stands for. */
const windows1252Specials: ReadonlyMap<number, number> = new Map([
  [0x20ac, 0x80],
  [0x201a, 0x82],
  [0x0192, 0x83],
  [0x201e, 0x84],
  [0x2026, 0x85],
  [0x2020, 0x86],
  [0x2021, 0x87],
  [0x02c6, 0x88],
  [0x2030, 0x89],
  [0x0160, 0x8a],
  [0x2039, 0x8b],
  [0x0152, 0x8c],
  [0x017d, 0x8e],
  [0x2018, 0x91],
  [0x2019, 0x92],
  [0x201c, 0x93],
  [0x201d, 0x94],
  [0x2022, 0x95],
  [0x2013, 0x96],
  [0x2014, 0x97],
  [0x02dc, 0x98],
  [0x2122, 0x99],
  [0x0161, 0x9a],
  [0x203a, 0x9b],
  [0x0153, 0x9c],
  [0x017e, 0x9e],
  [0x0178, 0x9f],
]);

const widthsOf: Record<PdfFontName, readonly number[]> = {
  regular: helveticaWidths,
  bold: helveticaBoldWidths,
};

/** The font's code for a character, or undefined when the standard fonts cannot print it. */
function codeOf(character: string): number | undefined {
  const point = character.codePointAt(0) ?? 0;
  // Latin-1's printable characters stand for themselves; its C1 controls (U+0080 to U+009F) are
  // not text, though Windows-1252 puts punctuation at those codes.
  const latin1 = (point >= 0x20 && point <= 0x7e) || (point >= 0xa0 && point <= 0xff);
  const code = windows1252Specials.get(point) ?? (latin1 ? point : undefined);
  if (code === undefined || (helveticaWidths[code - 32] ?? 0) === 0) return undefined;
  return code;
}

/**
 * The text as the standard fonts can print it: a tab as four spaces, and any character they
 * have no glyph for (an emoji, a letter of another alphabet) as "?".
 */
export function printable(value: string): string {
  return Array.from(value.replace(/\t/g, '    '))
    .map((character) => (codeOf(character) === undefined ? '?' : character))
    .join('');
}

/** How wide `text` (already printable) is in `font` at `size` points. */
export function widthOfText(font: PdfFontName, size: number, text: string): number {
  const widths = widthsOf[font];
  let total = 0;
  for (const character of text) total += widths[(codeOf(character) ?? 63) - 32] ?? 0;
  return (total * size) / 1000;
}

/** A number as PDF writes it: at most three decimals, no exponent. */
function num(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}

/** Printable text as a PDF hex string of Windows-1252 codes. */
function hexText(text: string): string {
  return `<${Array.from(text, (character) => (codeOf(character) ?? 63).toString(16).padStart(2, '0')).join('')}>`;
}

/** Any text as a PDF text string (UTF-16BE with its byte order mark), for the document's information. */
function textString(value: string): string {
  const bytes = Buffer.from(value, 'utf16le').swap16();
  return `<FEFF${bytes.toString('hex').toUpperCase()}>`;
}

/** A date as PDF writes it, in UTC: D:YYYYMMDDHHmmSSZ. */
function pdfDate(date: Date): string {
  return `(D:${date.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z)`;
}

/** One page being drawn on: the operators of its content stream. */
export class PdfPageDrawing {
  readonly width: number;
  readonly height: number;
  readonly #operators: string[] = [];

  constructor(width: number, height: number) {
    this.width = width;
    this.height = height;
  }

  /** Draws printable text with its baseline starting at (x, y), from the bottom-left corner. */
  drawText(
    text: string,
    options: { x: number; y: number; size: number; font: PdfFontName; colour: PdfColour },
  ) {
    const font = options.font === 'bold' ? '/F2' : '/F1';
    const [red, green, blue] = options.colour;
    this.#operators.push(
      `BT ${font} ${num(options.size)} Tf ${num(red)} ${num(green)} ${num(blue)} rg ${num(options.x)} ${num(options.y)} Td ${hexText(printable(text))} Tj ET`,
    );
  }

  /** Draws a straight line. */
  drawLine(options: {
    start: { x: number; y: number };
    end: { x: number; y: number };
    thickness: number;
    colour: PdfColour;
  }) {
    const [red, green, blue] = options.colour;
    this.#operators.push(
      `${num(red)} ${num(green)} ${num(blue)} RG ${num(options.thickness)} w ${num(options.start.x)} ${num(options.start.y)} m ${num(options.end.x)} ${num(options.end.y)} l S`,
    );
  }

  /** The page's content stream. */
  content(): string {
    return this.#operators.join('\n');
  }
}

/** What the document says about itself (its information dictionary). */
export interface PdfInformation {
  title: string;
  author: string;
  /** Dates the document, so the same inputs give the same bytes. */
  createdAt: Date;
  creator: string;
  /** The language of its text, e.g. en-GB. */
  language: string;
}

/** A document of pages, written as a PDF 1.7 file. */
export class PdfWriter {
  readonly #pages: PdfPageDrawing[] = [];

  addPage(width: number, height: number): PdfPageDrawing {
    const page = new PdfPageDrawing(width, height);
    this.#pages.push(page);
    return page;
  }

  get pages(): readonly PdfPageDrawing[] {
    return this.#pages;
  }

  /** The whole file. Content streams are compressed; the information strings are UTF-16. */
  save(information: PdfInformation): Uint8Array {
    const objects: (string | { dictionary: string; stream: Buffer })[] = [];
    const add = (object: string | { dictionary: string; stream: Buffer }): number => {
      objects.push(object);
      return objects.length;
    };
    const catalog = add('');
    const pageTree = add('');
    const regular = add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
    const bold = add(
      '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>',
    );
    const info = add(
      `<< /Title ${textString(information.title)} /Author ${textString(information.author)} /Creator ${textString(information.creator)} /Producer ${textString(information.creator)} /CreationDate ${pdfDate(information.createdAt)} /ModDate ${pdfDate(information.createdAt)} >>`,
    );
    const kids = this.#pages.map((page) => {
      const stream = deflateSync(Buffer.from(page.content(), 'latin1'));
      const contents = add({ dictionary: `<< /Length ${stream.length} /Filter /FlateDecode >>`, stream });
      return add(
        `<< /Type /Page /Parent ${pageTree} 0 R /MediaBox [0 0 ${num(page.width)} ${num(page.height)}] /Resources << /Font << /F1 ${regular} 0 R /F2 ${bold} 0 R >> >> /Contents ${contents} 0 R >>`,
      );
    });
    objects[catalog - 1] =
      `<< /Type /Catalog /Pages ${pageTree} 0 R /Lang ${textString(information.language)} /ViewerPreferences << /DisplayDocTitle true >> >>`;
    objects[pageTree - 1] =
      `<< /Type /Pages /Kids [${kids.map((kid) => `${kid} 0 R`).join(' ')}] /Count ${kids.length} >>`;

    const chunks: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
    let length = chunks[0]!.length;
    const offsets: number[] = [];
    const push = (chunk: Buffer) => {
      chunks.push(chunk);
      length += chunk.length;
    };
    objects.forEach((object, index) => {
      offsets.push(length);
      if (typeof object === 'string') {
        push(Buffer.from(`${index + 1} 0 obj\n${object}\nendobj\n`, 'latin1'));
      } else {
        push(Buffer.from(`${index + 1} 0 obj\n${object.dictionary}\nstream\n`, 'latin1'));
        push(object.stream);
        push(Buffer.from('\nendstream\nendobj\n', 'latin1'));
      }
    });
    const body = Buffer.concat(chunks);
    // The file identifier is a digest of the content, so it too is the same for the same inputs.
    const id = createHash('md5').update(body).digest('hex').toUpperCase();
    const xref = [
      'xref',
      `0 ${objects.length + 1}`,
      '0000000000 65535 f ',
      ...offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n `),
      'trailer',
      `<< /Size ${objects.length + 1} /Root ${catalog} 0 R /Info ${info} 0 R /ID [<${id}> <${id}>] >>`,
      'startxref',
      String(length),
      '%%EOF',
      '',
    ].join('\n');
    return new Uint8Array(Buffer.concat([body, Buffer.from(xref, 'latin1')]));
  }
}
