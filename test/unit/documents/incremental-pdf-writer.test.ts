import { PDFDocument, PDFRawStream, type PDFRef, PDFStream, StandardFonts } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import {
  type ByteSink,
  IncrementalPdfWriter,
  MemorySink,
  PdfTooLargeError,
} from '../../../shared/documents/incremental-pdf-writer.ts';
import { pdfPageTexts } from '../workflow/pdf-text.ts';

async function aDocument(pages: number): Promise<PDFDocument> {
  const document = await PDFDocument.create({ updateMetadata: false });
  document.setTitle('Writer test (invented)');
  const font = await document.embedFont(StandardFonts.Helvetica);
  for (let page = 1; page <= pages; page++)
    document.addPage().drawText(`Page ${page}`, { x: 50, y: 700, font });
  return document;
}

/** The document's streams (here its pages' contents), which nothing changes once drawn. */
function streamRefs(document: PDFDocument): PDFRef[] {
  return document.context
    .enumerateIndirectObjects()
    .filter(([, object]) => object instanceof PDFStream)
    .map(([ref]) => ref);
}

/** Every "n g n" entry of the classic cross-reference table: object number and byte offset. */
function xrefEntries(pdf: Uint8Array): { objectNumber: number; offset: number }[] {
  const text = Buffer.from(pdf).toString('latin1');
  const startxref = Number(/startxref\n(\d+)\n%%EOF$/.exec(text)![1]);
  const table = text.slice(startxref, text.indexOf('trailer', startxref)).split('\n');
  expect(table[0]).toBe('xref');
  const entries: { objectNumber: number; offset: number }[] = [];
  let objectNumber = 0;
  for (const line of table.slice(1)) {
    const subsection = /^(\d+) (\d+)$/.exec(line);
    if (subsection) {
      objectNumber = Number(subsection[1]);
      continue;
    }
    const entry = /^(\d{10}) (\d{5}) ([nf]) ?$/.exec(line);
    if (!entry) continue;
    if (entry[3] === 'n') entries.push({ objectNumber, offset: Number(entry[1]) });
    objectNumber++;
  }
  return entries;
}

/** Writes `document` with the writer through a memory sink, `early` written first. */
async function written(document: PDFDocument, early: PDFRef[] = []): Promise<Uint8Array> {
  const sink = new MemorySink();
  const writer = new IncrementalPdfWriter(sink);
  await writer.writeNow(document, early);
  await writer.finish(document);
  return sink.bytes();
}

describe('IncrementalPdfWriter', () => {
  it('writes a PDF that reads back with the same pages and title', async () => {
    const document = await aDocument(3);

    const pdf = await written(document);

    const reread = await PDFDocument.load(pdf, { updateMetadata: false });
    expect(reread.getTitle()).toBe('Writer test (invented)');
    expect(await pdfPageTexts(pdf)).toEqual(['Page 1', 'Page 2', 'Page 3']);
  });

  it('writes objects early and drops them from the document, and the file still reads the same', async () => {
    const document = await aDocument(2);
    const sink = new MemorySink();
    const writer = new IncrementalPdfWriter(sink);
    const streams = streamRefs(document);
    expect(streams).toHaveLength(2);

    await writer.writeNow(document, streams);

    for (const ref of streams) expect(document.context.lookup(ref)).toBeUndefined();
    expect(await writer.finish(document)).toBe(sink.bytes().byteLength);
    const pdf = sink.bytes();
    expect(await pdfPageTexts(pdf)).toEqual(['Page 1', 'Page 2']);
    const reread = await PDFDocument.load(pdf);
    for (const ref of streams) expect(reread.context.lookup(ref)).toBeInstanceOf(PDFRawStream);
  });

  it('lists every object in the cross-reference table at the byte where it starts, whenever it was written', async () => {
    const document = await aDocument(2);
    const firstPageContents = streamRefs(document)[0]!;

    const pdf = await written(document, [firstPageContents]);

    const entries = xrefEntries(pdf);
    const text = Buffer.from(pdf).toString('latin1');
    const objectCount = [...text.matchAll(/^\d+ 0 obj$/gm)].length;
    expect(entries).toHaveLength(objectCount);
    expect(entries.map((entry) => entry.objectNumber)).toEqual(
      [...entries.map((entry) => entry.objectNumber)].sort((a, b) => a - b),
    );
    for (const { objectNumber, offset } of entries) {
      expect(text.slice(offset, offset + `${objectNumber} 0 obj`.length)).toBe(`${objectNumber} 0 obj`);
    }
    expect(entries.map((entry) => entry.objectNumber)).toContain(firstPageContents.objectNumber);
  });

  it('refuses to grow past its limit', async () => {
    const document = await aDocument(1);

    await expect(new IncrementalPdfWriter(new MemorySink(200)).finish(document)).rejects.toBeInstanceOf(
      PdfTooLargeError,
    );
  });

  it('hands the sink the file in order, the streams written early before the rest, as they are written', async () => {
    const document = await aDocument(2);
    const chunks: Uint8Array[] = [];
    const sink: ByteSink = {
      write: async (bytes) => {
        chunks.push(bytes.slice());
      },
    };
    const writer = new IncrementalPdfWriter(sink);
    const streams = streamRefs(document);

    await writer.writeNow(document, streams);
    const beforeFinish = chunks.length;
    const size = await writer.finish(document);

    // The header and the two page streams had reached the sink before the document was finished.
    expect(beforeFinish).toBe(3);
    const pdf = Buffer.concat(chunks);
    expect(pdf.byteLength).toBe(size);
    expect(pdf.subarray(0, 8).toString('latin1')).toBe('%PDF-1.7');
    expect(await pdfPageTexts(new Uint8Array(pdf))).toEqual(['Page 1', 'Page 2']);
  });
});
