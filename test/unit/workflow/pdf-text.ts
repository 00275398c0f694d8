import { decodePDFRawStream, PDFArray, PDFDocument, PDFRawStream, type PDFRef } from 'pdf-lib';

/**
 * The text drawn on each page of a PDF, one string per page, its lines joined by newlines. It
 * reads the `<hex> Tj` operators the papers' PDF writer (shared/documents/pdf-writer.ts) writes
 * for the standard fonts (Windows-1252, close enough to Latin-1 for assertions); it is not a
 * general PDF text extractor.
 */
export async function pdfPageTexts(bytes: Uint8Array): Promise<string[]> {
  const document = await PDFDocument.load(bytes);
  return document.getPages().map((page) => {
    const lines: string[] = [];
    const contents = page.node.Contents();
    const streams =
      contents instanceof PDFArray
        ? contents.asArray().map((ref) => document.context.lookup(ref as PDFRef))
        : [contents];
    for (const stream of streams) {
      if (!(stream instanceof PDFRawStream)) continue;
      const operators = new TextDecoder('latin1').decode(decodePDFRawStream(stream).decode());
      for (const match of operators.matchAll(/<([0-9A-Fa-f]*)> Tj/g)) {
        lines.push(Buffer.from(match[1]!, 'hex').toString('latin1'));
      }
    }
    return lines.join('\n');
  });
}

/** The text drawn on every page of a PDF this service made, joined by newlines (see `pdfPageTexts`). */
export async function pdfText(bytes: Uint8Array): Promise<string> {
  return (await pdfPageTexts(bytes)).filter((text) => text !== '').join('\n');
}
