import {
  type PdfColour,
  type PdfFontName,
  type PdfPageDrawing,
  PdfWriter,
  printable,
  widthOfText,
} from './pdf-writer.ts';

/** One piece of a simple document, laid out top to bottom. */
export type PdfBlock =
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; text: string }
  /** Label and value pairs, e.g. "Case reference: RR-2026-0042". */
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
  /** Whether the foot of each page says "Page n of N"; yes unless the pages go into another document. */
  pageNumbers?: boolean;
}

const PAGE = { width: 595.28, height: 841.89 }; // A4
const MARGIN = 56;
const TEXT_WIDTH = PAGE.width - 2 * MARGIN;
const SIZE = { title: 18, heading: 13, body: 10.5, small: 8.5 };
const LEADING = 1.35;
const CELL_PADDING = 4;
const INK: PdfColour = [0.1, 0.1, 0.1];
const RULE: PdfColour = [0.55, 0.55, 0.55];

/**
 * Breaks text into lines no wider than `width`, keeping the author's own line breaks. The
 * standard PDF fonts only encode Windows-1252; any other character (an emoji, a letter from
 * another alphabet) is printed as "?".
 */
function wrap(font: PdfFontName, size: number, value: string, width: number): string[] {
  const lines: string[] = [];
  const fits = (text: string) => widthOfText(font, size, text) <= width;
  for (const paragraph of value.split(/\r?\n/)) {
    let line = '';
    for (const word of printable(paragraph).split(/ +/)) {
      const candidate = line === '' ? word : `${line} ${word}`;
      if (fits(candidate)) {
        line = candidate;
        continue;
      }
      if (line !== '') lines.push(line);
      // A word longer than the line (a long link) is cut wherever it must be.
      let rest = word;
      while (!fits(rest)) {
        let cut = rest.length - 1;
        while (cut > 1 && !fits(rest.slice(0, cut))) cut--;
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
  readonly #document: PdfWriter;
  #page: PdfPageDrawing;
  #y: number;

  constructor(document: PdfWriter) {
    this.#document = document;
    this.#page = document.addPage(PAGE.width, PAGE.height);
    this.#y = PAGE.height - MARGIN;
  }

  #ensureRoom(height: number): void {
    if (this.#y - height >= MARGIN + SIZE.small * 2) return;
    this.#page = this.#document.addPage(PAGE.width, PAGE.height);
    this.#y = PAGE.height - MARGIN;
  }

  /** Starts a new page unless `height` more points fit on this one: a heading then stays with what follows it. */
  keepTogether(height: number): void {
    this.#ensureRoom(height);
  }

  gap(points: number): void {
    this.#y -= points;
  }

  text(value: string, options: { size: number; bold?: boolean; x?: number; width?: number }): void {
    const font: PdfFontName = options.bold ? 'bold' : 'regular';
    const lineHeight = options.size * LEADING;
    for (const line of wrap(font, options.size, value, options.width ?? TEXT_WIDTH)) {
      this.#ensureRoom(lineHeight);
      this.#y -= lineHeight;
      this.#page.drawText(line, {
        x: options.x ?? MARGIN,
        y: this.#y,
        size: options.size,
        font,
        colour: INK,
      });
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
          bold || column.bold ? 'bold' : 'regular',
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
            font: bold || column.bold ? 'bold' : 'regular',
            colour: INK,
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
          colour: RULE,
        });
      }
    };
    if (header) drawRow(header, true);
    for (const row of rows) drawRow(row, false);
  }
}

/** Renders a simple, accessible-to-read document (title, headings, paragraphs, fields, tables) as a PDF. */
export async function renderPdf(spec: PdfDocumentSpec): Promise<Uint8Array> {
  const document = new PdfWriter();
  const layout = new Layout(document);
  layout.text(spec.title, { size: SIZE.title, bold: true });
  layout.text(spec.author, { size: SIZE.body });
  layout.gap(SIZE.body);
  for (const block of spec.blocks) {
    switch (block.kind) {
      case 'heading':
        layout.gap(SIZE.heading * 0.6);
        // Never a heading alone at the foot of a page: room for it and three lines after it.
        layout.keepTogether(SIZE.heading * LEADING + SIZE.body * 0.3 + 3 * SIZE.body * LEADING);
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

  const pages = document.pages;
  pages.forEach((page, index) => {
    const pageNumber = spec.pageNumbers === false ? '' : `Page ${index + 1} of ${pages.length}`;
    const label = [spec.footer, pageNumber].filter(Boolean).join('   ');
    page.drawText(label, { x: MARGIN, y: MARGIN / 2, size: SIZE.small, font: 'regular', colour: RULE });
  });
  return document.save({
    title: spec.title,
    author: spec.author,
    createdAt: spec.createdAt,
    creator: 'safeguarding-practice-reviews',
    language: 'en-GB',
  });
}
