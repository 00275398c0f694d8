import {
  PDFCrossRefSection,
  type PDFDocument,
  PDFHeader,
  type PDFObject,
  type PDFRef,
  PDFTrailer,
  PDFTrailerDict,
} from 'pdf-lib';

/** The output would pass the writer's limit: a document far beyond what a Lambda can hold anyway. */
export class PdfTooLargeError extends Error {
  override readonly name = 'PdfTooLargeError';
}

const NEWLINE = 0x0a;
const ENDOBJ = new TextEncoder().encode('\nendobj\n\n');

/**
 * Writes a pdf-lib document as it is built, so its large objects need not be held twice.
 *
 * pdf-lib's `save()` sizes the whole file, allocates it and copies every object in: at that
 * moment each page image lives both in the document and in the output. This writer lets a
 * caller write objects that will not change again (say, the streams just copied from another
 * PDF) straight into the output and drop them from the document; `finish` then writes the rest,
 * the cross-reference table and the trailer, as pdf-lib's own writer does without object
 * streams.
 *
 * The output grows inside one resizable ArrayBuffer: its maximum is reserved address space,
 * not memory, so only what has been written is resident, and the answer is a view on it, not a
 * copy.
 */
export class IncrementalPdfWriter {
  readonly #buffer: ArrayBuffer;
  readonly #bytes: Uint8Array;
  readonly #offsets = new Map<number, { ref: PDFRef; offset: number }>();
  #finished = false;

  /** @param maxBytes the largest output allowed (reserved, not allocated); 2 GiB unless given */
  constructor(maxBytes = 2 ** 31) {
    this.#buffer = new ArrayBuffer(0, { maxByteLength: maxBytes });
    this.#bytes = new Uint8Array(this.#buffer);
    const header = PDFHeader.forVersion(1, 7);
    const at = this.#reserve(header.sizeInBytes() + 2);
    header.copyBytesInto(this.#bytes, at);
    this.#bytes[this.#buffer.byteLength - 2] = NEWLINE;
    this.#bytes[this.#buffer.byteLength - 1] = NEWLINE;
  }

  /** Bytes written so far. */
  get size(): number {
    return this.#buffer.byteLength;
  }

  /** Grows the output by `size` bytes and answers where they start. */
  #reserve(size: number): number {
    const at = this.#buffer.byteLength;
    if (at + size > this.#buffer.maxByteLength) {
      throw new PdfTooLargeError(`The PDF would be over ${this.#buffer.maxByteLength} bytes`);
    }
    this.#buffer.resize(at + size);
    return at;
  }

  #writeObject(ref: PDFRef, object: PDFObject): void {
    const opening = new TextEncoder().encode(`${ref.objectNumber} ${ref.generationNumber} obj\n`);
    const at = this.#reserve(opening.length + object.sizeInBytes() + ENDOBJ.length);
    this.#bytes.set(opening, at);
    const written = object.copyBytesInto(this.#bytes, at + opening.length);
    this.#bytes.set(ENDOBJ, at + opening.length + written);
    this.#offsets.set(ref.objectNumber, { ref, offset: at });
  }

  /**
   * Writes these objects of `document` now and removes them from it. Only for objects nothing
   * will change again: a later change would not reach the output.
   */
  writeNow(document: PDFDocument, refs: Iterable<PDFRef>): void {
    if (this.#finished) throw new Error('The PDF is already finished');
    for (const ref of refs) {
      const object = document.context.lookup(ref);
      if (object === undefined) continue;
      this.#writeObject(ref, object);
      document.context.delete(ref);
    }
  }

  /**
   * Writes every object still in `document` (after embedding its pending fonts and images), the
   * cross-reference table and the trailer; answers the whole file. The document is not usable
   * after this.
   */
  async finish(document: PDFDocument): Promise<Uint8Array> {
    if (this.#finished) throw new Error('The PDF is already finished');
    await document.flush();
    for (const [ref, object] of document.context.enumerateIndirectObjects()) this.#writeObject(ref, object);
    this.#finished = true;

    // The table lists objects in number order, whenever each was written.
    const xref = PDFCrossRefSection.create();
    for (const { ref, offset } of [...this.#offsets.values()].sort(
      (a, b) => a.ref.objectNumber - b.ref.objectNumber,
    )) {
      xref.addEntry(ref, offset);
    }
    const xrefOffset = this.#buffer.byteLength;
    const { context } = document;
    const trailerDict = PDFTrailerDict.of(
      context.obj({
        Size: context.largestObjectNumber + 1,
        Root: context.trailerInfo.Root,
        Encrypt: context.trailerInfo.Encrypt,
        Info: context.trailerInfo.Info,
        ID: context.trailerInfo.ID,
      }),
    );
    const trailer = PDFTrailer.forLastCrossRefSectionOffset(xrefOffset);
    let at = this.#reserve(xref.sizeInBytes() + 1 + trailerDict.sizeInBytes() + 2 + trailer.sizeInBytes());
    at += xref.copyBytesInto(this.#bytes, at);
    this.#bytes[at++] = NEWLINE;
    at += trailerDict.copyBytesInto(this.#bytes, at);
    this.#bytes[at++] = NEWLINE;
    this.#bytes[at++] = NEWLINE;
    trailer.copyBytesInto(this.#bytes, at);
    return new Uint8Array(this.#buffer, 0, this.#buffer.byteLength);
  }
}
