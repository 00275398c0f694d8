import {
  PDFCrossRefSection,
  type PDFDocument,
  PDFHeader,
  type PDFObject,
  PDFRawStream,
  type PDFRef,
  PDFTrailer,
  PDFTrailerDict,
} from 'pdf-lib';

/** The output would pass the writer's limit: a document far beyond what a Lambda can hold anyway. */
export class PdfTooLargeError extends Error {
  override readonly name = 'PdfTooLargeError';
}

/** Where a PDF's bytes go as they are written, in order: memory, or an object being uploaded. */
export interface ByteSink {
  write(bytes: Uint8Array): Promise<void>;
}

/**
 * A sink that keeps the bytes in memory, in one resizable ArrayBuffer: its maximum is reserved
 * address space, not memory, so only what has been written is resident, and `bytes()` is a
 * view on it, not a copy.
 */
export class MemorySink implements ByteSink {
  readonly #buffer: ArrayBuffer;

  /** @param maxBytes the largest output allowed (reserved, not allocated); 2 GiB unless given */
  constructor(maxBytes = 2 ** 31) {
    this.#buffer = new ArrayBuffer(0, { maxByteLength: maxBytes });
  }

  async write(bytes: Uint8Array): Promise<void> {
    const at = this.#buffer.byteLength;
    if (at + bytes.byteLength > this.#buffer.maxByteLength) {
      throw new PdfTooLargeError(`The PDF would be over ${this.#buffer.maxByteLength} bytes`);
    }
    this.#buffer.resize(at + bytes.byteLength);
    new Uint8Array(this.#buffer).set(bytes, at);
  }

  /** Everything written so far. */
  bytes(): Uint8Array {
    return new Uint8Array(this.#buffer, 0, this.#buffer.byteLength);
  }
}

const NEWLINE = 0x0a;
const ENDOBJ = new TextEncoder().encode('\nendobj\n\n');
const STREAM = new TextEncoder().encode('\nstream\n');
const ENDSTREAM_ENDOBJ = new TextEncoder().encode('\nendstream\nendobj\n\n');

/**
 * Writes a pdf-lib document as it is built, so its large objects need not be held at all once
 * they are in.
 *
 * pdf-lib's `save()` sizes the whole file, allocates it and copies every object in: at that
 * moment each page image lives both in the document and in the output. This writer lets a
 * caller write objects that will not change again (say, the streams just copied from another
 * PDF) straight to the sink and drop them from the document; `finish` then writes the rest,
 * the cross-reference table and the trailer, as pdf-lib's own writer does without object
 * streams. Given a sink that uploads as it goes (`DocumentStore.openWrite`), the whole output is
 * never in memory: the collated report of scanned returns is as large as the returns together.
 */
export class IncrementalPdfWriter {
  readonly #sink: ByteSink;
  readonly #offsets = new Map<number, { ref: PDFRef; offset: number }>();
  #position = 0;
  #finished = false;
  #started = false;

  constructor(sink: ByteSink) {
    this.#sink = sink;
  }

  async #write(bytes: Uint8Array): Promise<void> {
    await this.#sink.write(bytes);
    this.#position += bytes.byteLength;
  }

  async #start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    const header = PDFHeader.forVersion(1, 7);
    const bytes = new Uint8Array(header.sizeInBytes() + 2);
    const written = header.copyBytesInto(bytes, 0);
    bytes[written] = NEWLINE;
    bytes[written + 1] = NEWLINE;
    await this.#write(bytes);
  }

  async #writeObject(ref: PDFRef, object: PDFObject): Promise<void> {
    const opening = new TextEncoder().encode(`${ref.objectNumber} ${ref.generationNumber} obj\n`);
    if (object instanceof PDFRawStream) {
      // A copied stream (a scanned page's image) is written from its own bytes, not copied into
      // a buffer of its own first (pdf-lib's copyBytesInto copies byte by byte): the same bytes
      // as pdf-lib writes, at a fraction of the time and memory.
      object.updateDict();
      const head = new Uint8Array(opening.length + object.dict.sizeInBytes() + STREAM.length);
      head.set(opening, 0);
      const dictEnd = opening.length + object.dict.copyBytesInto(head, opening.length);
      head.set(STREAM, dictEnd);
      this.#offsets.set(ref.objectNumber, { ref, offset: this.#position });
      await this.#write(head);
      await this.#write(object.getContents());
      await this.#write(ENDSTREAM_ENDOBJ);
      return;
    }
    const bytes = new Uint8Array(opening.length + object.sizeInBytes() + ENDOBJ.length);
    bytes.set(opening, 0);
    const written = object.copyBytesInto(bytes, opening.length);
    bytes.set(ENDOBJ, opening.length + written);
    this.#offsets.set(ref.objectNumber, { ref, offset: this.#position });
    await this.#write(bytes);
  }

  /**
   * Writes these objects of `document` now and removes them from it. Only for objects nothing
   * will change again: a later change would not reach the output.
   */
  async writeNow(document: PDFDocument, refs: Iterable<PDFRef>): Promise<void> {
    if (this.#finished) throw new Error('The PDF is already finished');
    await this.#start();
    for (const ref of refs) {
      const object = document.context.lookup(ref);
      if (object === undefined) continue;
      await this.#writeObject(ref, object);
      document.context.delete(ref);
    }
  }

  /**
   * Writes every object still in `document` (after embedding its pending fonts and images), the
   * cross-reference table and the trailer; answers how many bytes the whole file has. The
   * document is not usable after this.
   */
  async finish(document: PDFDocument): Promise<number> {
    if (this.#finished) throw new Error('The PDF is already finished');
    await this.#start();
    await document.flush();
    for (const [ref, object] of document.context.enumerateIndirectObjects()) {
      await this.#writeObject(ref, object);
    }
    this.#finished = true;

    // The table lists objects in number order, whenever each was written.
    const xref = PDFCrossRefSection.create();
    for (const { ref, offset } of [...this.#offsets.values()].sort(
      (a, b) => a.ref.objectNumber - b.ref.objectNumber,
    )) {
      xref.addEntry(ref, offset);
    }
    const xrefOffset = this.#position;
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
    const bytes = new Uint8Array(
      xref.sizeInBytes() + 1 + trailerDict.sizeInBytes() + 2 + trailer.sizeInBytes(),
    );
    let at = xref.copyBytesInto(bytes, 0);
    bytes[at++] = NEWLINE;
    at += trailerDict.copyBytesInto(bytes, at);
    bytes[at++] = NEWLINE;
    bytes[at++] = NEWLINE;
    trailer.copyBytesInto(bytes, at);
    await this.#write(bytes);
    return this.#position;
  }
}
