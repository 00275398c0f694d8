import { PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from 'pdf-lib';

/** One piece of a simple document, laid out top to bottom. */
export type PdfBlock =
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; text: string }
  /** Label and value pairs, e.g. "Case reference: RR-2026-ABC123". */
  | { kind: 'fields'; rows: ReadonlyArray<readonly [label: string, value: string]> }
  /** A table; each column's width is a share of the text width (shares need not add up to 1). */
  | {
      kind: 'table';
      columns: ReadonlyArray<{ header: string; share: number }>;
      rows: ReadonlyArray<readonly string[]>;
    };

/** A document to render: its title (also the PDF's metadata title) and its blocks. */
export interface PdfDocumentSpec {
  title: string;
  /** Shown under the title and stored as the PDF's author, e.g. the partnership's name. */
  author: string;
  /** Stored as the creation date, so the same inputs give the same bytes. */
  createdAt: Date;
  blocks: readonly PdfBlock[];
  /** A line printed at the foot of every page, next to the page number. */
  footer?: string;
}

const PAGE = { width: 595.28, height: 841.89 }; // A4
const MARGIN = 56;
const TEXT_WIDTH = PAGE.width - 2 * MARGIN;
const SIZE = { title: 18, heading: 13, body: 10.5, small: 8.5 };
const LEADING = 1.35;
const CELL_PADDING = 4;
const INK = rgb(0.1, 0.1, 0.1);
const RULE = rgb(0.55, 0.55, 0.55);

/** The two standard fonts every page this module draws is set in. */
export interface PdfFonts {
  regular: PDFFont;
  bold: PDFFont;
}

/** Embeds the fonts the pages are drawn in; once per document, for every section added to it. */
export async function embedPdfFonts(document: PDFDocument): Promise<PdfFonts> {
  return {
    regular: await document.embedFont(StandardFonts.Helvetica),
    bold: await document.embedFont(StandardFonts.HelveticaBold),
  };
}

/**
 * The standard PDF fonts only encode Windows-1252; any other character (an emoji, a letter from
 * another alphabet) would make pdf-lib throw, so it is printed as "?" instead.
 */
const characterSets = new WeakMap<PDFFont, ReadonlySet<number>>();
function printable(font: PDFFont, value: string): string {
  let supported = characterSets.get(font);
  if (!supported) {
    supported = new Set(font.getCharacterSet());
    characterSets.set(font, supported);
  }
  return Array.from(value.replace(/\t/g, '    '))
    .map((character) => (supported!.has(character.codePointAt(0)!) ? character : '?'))
    .join('');
}

/** Breaks text into lines no wider than `width`, keeping the author's own line breaks. */
function wrap(font: PDFFont, size: number, value: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of value.split(/\r?\n/)) {
    let line = '';
    for (const word of printable(font, paragraph).split(/ +/)) {
      const candidate = line === '' ? word : `${line} ${word}`;
      if (font.widthOfTextAtSize(candidate, size) <= width) {
        line = candidate;
        continue;
      }
      if (line !== '') lines.push(line);
      // A word longer than the line (a long link) is cut wherever it must be.
      let rest = word;
      while (font.widthOfTextAtSize(rest, size) > width) {
        let cut = rest.length - 1;
        while (cut > 1 && font.widthOfTextAtSize(rest.slice(0, cut), size) > width) cut--;
        lines.push(rest.slice(0, cut));
        rest = rest.slice(cut);
      }
      line = rest;
    }
    lines.push(line);
  }
  return lines;
}

/** Lays blocks onto A4 pages, starting a new page whenever the next line would not fit. */
class Layout {
  readonly #document: PDFDocument;
  readonly #fonts: PdfFonts;
  #page: PDFPage;
  #y: number;

  constructor(document: PDFDocument, fonts: PdfFonts) {
    this.#document = document;
    this.#fonts = fonts;
    this.#page = document.addPage([PAGE.width, PAGE.height]);
    this.#y = PAGE.height - MARGIN;
  }

  #ensureRoom(height: number): void {
    if (this.#y - height >= MARGIN + SIZE.small * 2) return;
    this.#page = this.#document.addPage([PAGE.width, PAGE.height]);
    this.#y = PAGE.height - MARGIN;
  }

  gap(points: number): void {
    this.#y -= points;
  }

  text(value: string, options: { size: number; bold?: boolean; x?: number; width?: number }): void {
    const font = options.bold ? this.#fonts.bold : this.#fonts.regular;
    const lineHeight = options.size * LEADING;
    for (const line of wrap(font, options.size, value, options.width ?? TEXT_WIDTH)) {
      this.#ensureRoom(lineHeight);
      this.#y -= lineHeight;
      this.#page.drawText(line, { x: options.x ?? MARGIN, y: this.#y, size: options.size, font, color: INK });
    }
  }

  fields(rows: ReadonlyArray<readonly [string, string]>): void {
    const labelWidth = TEXT_WIDTH * 0.32;
    this.table(
      [
        { width: labelWidth, bold: true },
        { width: TEXT_WIDTH - labelWidth, bold: false },
      ],
      rows,
      false,
    );
  }

  table(
    columns: ReadonlyArray<{ width: number; bold: boolean }>,
    rows: ReadonlyArray<readonly string[]>,
    ruled: boolean,
    header?: readonly string[],
  ): void {
    const size = SIZE.body;
    const lineHeight = size * LEADING;
    const drawRow = (cells: readonly string[], bold: boolean) => {
      const wrapped = columns.map((column, index) =>
        wrap(
          bold || column.bold ? this.#fonts.bold : this.#fonts.regular,
          size,
          cells[index] ?? '',
          column.width - 2 * CELL_PADDING,
        ),
      );
      const height = Math.max(...wrapped.map((lines) => lines.length)) * lineHeight + 2 * CELL_PADDING;
      const startsPage = this.#y - height < MARGIN + SIZE.small * 2;
      this.#ensureRoom(height);
      if (startsPage && header && !bold) drawRow(header, true);
      let x = MARGIN;
      wrapped.forEach((lines, index) => {
        const column = columns[index]!;
        lines.forEach((line, lineIndex) => {
          this.#page.drawText(line, {
            x: x + CELL_PADDING,
            y: this.#y - CELL_PADDING - (lineIndex + 1) * lineHeight + (lineHeight - size) / 2,
            size,
            font: bold || column.bold ? this.#fonts.bold : this.#fonts.regular,
            color: INK,
          });
        });
        x += column.width;
      });
      this.#y -= height;
      if (ruled) {
        this.#page.drawLine({
          start: { x: MARGIN, y: this.#y },
          end: { x: MARGIN + TEXT_WIDTH, y: this.#y },
          thickness: bold ? 1 : 0.4,
          color: RULE,
        });
      }
    };
    if (header) drawRow(header, true);
    for (const row of rows) drawRow(row, false);
  }
}

/** A run of pages in this module's look: a title, a line under it, then the blocks. */
export interface PdfSection {
  title: string;
  /** The line under the title, e.g. the partnership's name. */
  subtitle: string;
  blocks: readonly PdfBlock[];
}

/**
 * Lays a section onto new A4 pages added at the end of `document`, in the same look as
 * `renderPdf` (which is made of one section), and answers the pages it added. It draws no
 * footer: see `drawPdfFooter`.
 */
export function appendPdfSection(document: PDFDocument, fonts: PdfFonts, section: PdfSection): PDFPage[] {
  const firstNewPage = document.getPageCount();
  const layout = new Layout(document, fonts);
  layout.text(section.title, { size: SIZE.title, bold: true });
  layout.text(section.subtitle, { size: SIZE.body });
  layout.gap(SIZE.body);
  for (const block of section.blocks) {
    switch (block.kind) {
      case 'heading':
        layout.gap(SIZE.heading * 0.6);
        layout.text(block.text, { size: SIZE.heading, bold: true });
        layout.gap(SIZE.body * 0.3);
        break;
      case 'paragraph':
        layout.text(block.text, { size: SIZE.body });
        layout.gap(SIZE.body * 0.6);
        break;
      case 'fields':
        layout.fields(block.rows);
        layout.gap(SIZE.body * 0.6);
        break;
      case 'table': {
        const shares = block.columns.reduce((total, column) => total + column.share, 0);
        layout.table(
          block.columns.map((column) => ({ width: (TEXT_WIDTH * column.share) / shares, bold: false })),
          block.rows,
          true,
          block.columns.map((column) => column.header),
        );
        layout.gap(SIZE.body * 0.6);
        break;
      }
    }
  }
  return document.getPages().slice(firstNewPage);
}

/** Prints a line at the foot of a page, small and grey, as on every page of the service's documents. */
export function drawPdfFooter(page: PDFPage, fonts: PdfFonts, text: string): void {
  page.drawText(printable(fonts.regular, text), {
    x: MARGIN,
    y: MARGIN / 2,
    size: SIZE.small,
    font: fonts.regular,
    color: RULE,
  });
}

/** Renders a simple, accessible-to-read document (title, headings, paragraphs, fields, tables) as a PDF. */
export async function renderPdf(spec: PdfDocumentSpec): Promise<Uint8Array> {
  const document = await PDFDocument.create();
  const fonts = await embedPdfFonts(document);
  document.setTitle(printable(fonts.regular, spec.title), { showInWindowTitleBar: true });
  document.setAuthor(printable(fonts.regular, spec.author));
  document.setLanguage('en-GB');
  document.setCreator('safeguarding-practice-reviews');
  document.setProducer('pdf-lib');
  document.setCreationDate(spec.createdAt);
  document.setModificationDate(spec.createdAt);

  const pages = appendPdfSection(document, fonts, {
    title: spec.title,
    subtitle: spec.author,
    blocks: spec.blocks,
  });
  pages.forEach((page, index) => {
    drawPdfFooter(
      page,
      fonts,
      `${spec.footer ? `${spec.footer}   ` : ''}Page ${index + 1} of ${pages.length}`,
    );
  });
  return document.save();
}
