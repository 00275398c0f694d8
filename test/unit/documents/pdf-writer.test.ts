import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { renderPdf } from '../../../shared/documents/pdf.ts';
import { PdfWriter, printable, widthOfText } from '../../../shared/documents/pdf-writer.ts';
import { pdfText } from '../workflow/pdf-text.ts';

const information = {
  title: 'Decision – Rapid Review RR-2026-DEMO01 (invented)',
  author: 'Exampleshire Safeguarding Children Partnership (demo)',
  createdAt: new Date('2026-03-24T15:30:00Z'),
  creator: 'safeguarding-practice-reviews',
  language: 'en-GB',
};

/** The file's cross-reference table: each object's number and the byte offset it says the object starts at. */
function crossReferences(bytes: Uint8Array): { object: number; offset: number }[] {
  const text = Buffer.from(bytes).toString('latin1');
  const start = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(text)?.[1]);
  const [, first, count] = /^xref\n(\d+) (\d+)\n/.exec(text.slice(start)) ?? [];
  const entries = text
    .slice(start)
    .split('\n')
    .slice(2, 2 + Number(count));
  return entries.flatMap((entry, index) =>
    entry.endsWith(' n ') ? [{ object: Number(first) + index, offset: Number(entry.slice(0, 10)) }] : [],
  );
}

describe('the PDF writer', () => {
  it('writes a file whose cross-reference table points at every object it holds', () => {
    const writer = new PdfWriter();
    writer
      .addPage(595.28, 841.89)
      .drawText('Page one', { x: 56, y: 780, size: 12, font: 'bold', colour: [0, 0, 0] });
    writer.addPage(595.28, 841.89).drawLine({
      start: { x: 56, y: 400 },
      end: { x: 539, y: 400 },
      thickness: 1,
      colour: [0.5, 0.5, 0.5],
    });

    const bytes = writer.save(information);

    const text = Buffer.from(bytes).toString('latin1');
    const references = crossReferences(bytes);
    expect(references.length).toBeGreaterThan(6);
    for (const { object, offset } of references) {
      expect(text.slice(offset, offset + `${object} 0 obj`.length)).toBe(`${object} 0 obj`);
    }
    expect(text.startsWith('%PDF-1.7\n')).toBe(true);
  });

  it('is read by another PDF library: pages, title, author, language and dates', async () => {
    const bytes = await renderPdf({
      title: information.title,
      author: information.author,
      createdAt: information.createdAt,
      blocks: [{ kind: 'paragraph', text: 'Invented text. '.repeat(400) }],
    });

    const document = await PDFDocument.load(bytes, { updateMetadata: false });

    expect(document.getPageCount()).toBeGreaterThan(1);
    expect(document.getPage(0).getSize()).toEqual({ width: 595.28, height: 841.89 });
    expect(document.getTitle()).toBe(information.title);
    expect(document.getAuthor()).toBe(information.author);
    expect(document.getCreationDate()?.toISOString()).toBe('2026-03-24T15:30:00.000Z');
    expect(String(document.catalog.get(document.catalog.context.obj('Lang') as never))).toContain('FEFF');
  });

  it('gives the same bytes for the same inputs', async () => {
    const spec = {
      title: information.title,
      author: information.author,
      createdAt: information.createdAt,
      footer: 'RR-2026-DEMO01',
      blocks: [{ kind: 'heading' as const, text: 'The decision' }],
    };

    const [first, second] = [await renderPdf(spec), await renderPdf(spec)];

    expect(Buffer.from(first).equals(Buffer.from(second))).toBe(true);
  });

  it('prints Windows-1252 punctuation as itself and a character the fonts lack as a question mark', async () => {
    const bytes = await renderPdf({
      title: 'Characters',
      author: 'Test (demo)',
      createdAt: information.createdAt,
      blocks: [{ kind: 'paragraph', text: '“Quoted” – £5 € é … emoji 😀 and Ωmega' }],
    });

    const windows1252 = new TextDecoder('windows-1252').decode(Buffer.from(await pdfText(bytes), 'latin1'));
    expect(windows1252).toContain('“Quoted” – £5 € é … emoji ? and ?mega');
    expect(printable('tab\there')).toBe('tab    here');
  });

  it('prints the invisible C1 control characters as a question mark, not as the punctuation Windows-1252 puts at their codes', () => {
    expect(printable('a\u0085b\u0092c\u009fd')).toBe('a?b?c?d');
    expect(printable('\u2026\u2019\u0178')).toBe('\u2026\u2019\u0178');
  });

  it('measures text with the fonts’ own widths: bold is wider, and width grows with the size', () => {
    // Helvetica's AFM widths: R 722, a 556, p 556, i 222, d 556, space 278, e 556, v 500, w 722.
    expect(widthOfText('regular', 10, 'Rapid Review')).toBeCloseTo(61.68, 2);
    expect(widthOfText('bold', 10, 'Rapid Review')).toBeGreaterThan(
      widthOfText('regular', 10, 'Rapid Review'),
    );
    expect(widthOfText('regular', 20, 'Rapid Review')).toBeCloseTo(
      2 * widthOfText('regular', 10, 'Rapid Review'),
    );
  });
});
