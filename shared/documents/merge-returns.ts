import {
  ParseSpeeds,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFObjectCopier,
  PDFPage,
  PDFRawStream,
  type PDFRef,
} from 'pdf-lib';
import { type ByteSink, IncrementalPdfWriter, MemorySink } from './incremental-pdf-writer.ts';
import { type PdfBlock, renderPdf } from './pdf.ts';

/** One agency's returned summary, as uploaded. */
export interface AgencyReturnFile {
  agencyName: string;
  /** The name the agency's file had, shown on its separator page so a reader can find the original. */
  fileName?: string;
  /** The media type the file was uploaded as, e.g. `application/pdf` (parameters are ignored). */
  contentType: string;
  bytes: Uint8Array;
}

/** Why a return's pages are not in the merged report; `reason` says the same in plain words. */
export type NotMergedProblem =
  | 'word-document'
  | 'unsupported-type'
  | 'empty'
  | 'not-a-pdf'
  | 'encrypted'
  | 'unreadable'
  | 'no-pages';

export interface NotMergedReturn {
  agencyName: string;
  problem: NotMergedProblem;
  /** One plain sentence for a person, also printed on the return's separator page. */
  reason: string;
  /** What the PDF library said, for the engineer on call; absent when there was no error. */
  detail?: string;
}

export interface MergedReport {
  pdf: Uint8Array;
  /** The agencies whose pages were copied in, in the order they appear. */
  merged: string[];
  /** The agencies whose file is not in the PDF (only their separator page is), in order. */
  notMerged: NotMergedReturn[];
  pageCount: number;
}

export interface MergeReturnsOptions {
  /**
   * Printed under each separator page's title and at its foot, as the report's own pages carry
   * the case, e.g. "Rapid Review RR-2026-0042". Without it, "Agency summary".
   */
  label?: string;
}

const PDF_TYPE = 'application/pdf';
const WORD_TYPES = new Set([
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/msword',
]);

/** Why, in plain words, for a reader of the report. */
const REASONS: Record<Exclude<NotMergedProblem, 'unsupported-type'>, string> = {
  'word-document': 'It is a Word document, and only PDF files can be added to this report.',
  empty: 'The file is empty.',
  'not-a-pdf': 'The file is labelled as a PDF but is not one.',
  encrypted:
    'The PDF is protected by a password or by restrictions on copying, so its pages cannot be copied into this report.',
  unreadable: 'The PDF is damaged and could not be read.',
  'no-pages': 'The PDF has no pages.',
};

export function whatToDo(problem: NotMergedProblem, agencyName: string): string {
  switch (problem) {
    case 'word-document':
    case 'unsupported-type':
      return "Read it on the case's page in the Rapid Review service, where each agency's summary is kept as it was sent.";
    case 'encrypted':
      return `Read it on the case's page in the Rapid Review service (it may ask for a password), or ask the partnership team to get a copy without protection from ${agencyName}.`;
    default:
      return `The file as sent is kept on the case's page in the Rapid Review service; the partnership team can ask ${agencyName} to send it again.`;
  }
}

/** The media type without parameters, lower case: "Application/PDF; x=y" → "application/pdf". */
function mediaTypeOf(contentType: string): string {
  return contentType.split(';')[0]!.trim().toLowerCase();
}

/** A Word document (.docx): a zip archive holding `word/document.xml` (zip keeps entry names in plain text). */
function looksLikeWordDocument(bytes: Uint8Array): boolean {
  const isZip = bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
  return isZip && Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes('word/document.xml');
}

/** A PDF's header may follow up to 1024 bytes of other data (ISO 32000-1, annex H). */
function hasPdfHeader(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1024 + 5));
  return head.includes('%PDF-', 0, 'latin1');
}

function mentionsEncryption(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes('/Encrypt', 0, 'latin1');
}

type Attempt =
  | { ok: true; pages: PDFPage[]; copiedStreams: PDFRef[] }
  | ({ ok: false } & Omit<NotMergedReturn, 'agencyName'>);

/**
 * Reads one return and copies its pages into `report` without adding them to its page tree
 * yet, so its separator page can go first. Nothing of a return that fails is left in `report`.
 */
async function copyReturn(report: PDFDocument, file: AgencyReturnFile): Promise<Attempt> {
  const mediaType = mediaTypeOf(file.contentType);
  const refuse = (problem: NotMergedProblem, detail?: string): Attempt => ({
    ok: false,
    problem,
    reason:
      problem === 'unsupported-type'
        ? `It is a file of a type (${mediaType || 'not stated'}) that cannot be added to this report.`
        : REASONS[problem],
    ...(detail === undefined ? {} : { detail }),
  });
  // The bytes decide before the label: the agency page's form lets a person pick "PDF" or
  // "Word" whatever the file is, and nothing checked the bytes on upload.
  if (file.bytes.byteLength === 0) return refuse('empty');
  if (!hasPdfHeader(file.bytes)) {
    if (WORD_TYPES.has(mediaType) || looksLikeWordDocument(file.bytes)) return refuse('word-document');
    return refuse(mediaType === PDF_TYPE ? 'not-a-pdf' : 'unsupported-type');
  }

  let source: PDFDocument;
  try {
    // Loaded despite encryption only to say so: pdf-lib cannot decrypt, so an encrypted file's
    // copied pages would be unreadable, even one that opens without a password (restrictions
    // only). (pdf-lib's EncryptedPDFError cannot be told apart with instanceof.)
    source = await PDFDocument.load(file.bytes, {
      ignoreEncryption: true,
      updateMetadata: false,
      parseSpeed: ParseSpeeds.Fastest,
    });
  } catch (error) {
    // An encrypted file may fail to parse at all (its object streams are encrypted too); its
    // trailer or cross-reference stream still names the /Encrypt dictionary in plain text.
    return refuse(mentionsEncryption(file.bytes) ? 'encrypted' : 'unreadable', messageOf(error));
  }
  if (source.isEncrypted) return refuse('encrypted');
  const objectsBefore = report.context.largestObjectNumber;
  try {
    const count = source.getPageCount();
    if (count === 0) return refuse('no-pages');
    const pages = await copyEveryPage(report, source);
    return { ok: true, pages, copiedStreams: streamsAfter(report, objectsBefore) };
  } catch (error) {
    removeObjectsAfter(report, objectsBefore);
    return refuse('unreadable', messageOf(error));
  }
}

/**
 * `report.copyPages(source, every page)`, but each copied stream shares its bytes with the
 * source instead of copying them (pdf-lib's PDFRawStream.clone slices): nothing here changes a
 * stream's bytes, and a scanned return's images are nearly all of it, so this halves what a
 * return costs while it is copied. One copier for every page, so resources the pages share
 * (fonts, images) are copied once. The swap of `clone` lasts only for the synchronous copy.
 */
async function copyEveryPage(report: PDFDocument, source: PDFDocument): Promise<PDFPage[]> {
  await source.flush();
  const copier = PDFObjectCopier.for(source.context, report.context);
  const slicingClone = PDFRawStream.prototype.clone;
  PDFRawStream.prototype.clone = function sharingClone(this: PDFRawStream, context) {
    return PDFRawStream.of(this.dict.clone(context), this.contents);
  };
  try {
    return source.getPages().map((page) => {
      const node = copier.copy(page.node);
      return PDFPage.of(node, report.context.register(node), report);
    });
  } finally {
    PDFRawStream.prototype.clone = slicingClone;
  }
}

/** The streams (page contents, images, fonts) added to `document` after object number `largestObjectNumber`. */
function streamsAfter(document: PDFDocument, largestObjectNumber: number): PDFRef[] {
  return document.context
    .enumerateIndirectObjects()
    .filter(([ref, object]) => ref.objectNumber > largestObjectNumber && object instanceof PDFRawStream)
    .map(([ref]) => ref);
}

/** pdf-lib writes every object its context holds, reachable or not: drop a failed copy's objects. */
function removeObjectsAfter(document: PDFDocument, largestObjectNumber: number): void {
  for (const [ref] of document.context.enumerateIndirectObjects()) {
    if (ref.objectNumber > largestObjectNumber) document.context.delete(ref);
  }
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 300);
}

function separatorBlocks(file: AgencyReturnFile, attempt: Attempt): PdfBlock[] {
  const fileRow: [string, string][] = file.fileName ? [['File', file.fileName]] : [];
  if (attempt.ok) {
    const count = attempt.pages.length;
    return [
      {
        kind: 'fields',
        rows: [...fileRow, ['Included', count === 1 ? 'Yes: 1 page' : `Yes: ${count} pages`]],
      },
      {
        kind: 'paragraph',
        text:
          count === 1
            ? `The next page is the summary as ${file.agencyName} sent it.`
            : `The next ${count} pages are the summary as ${file.agencyName} sent it.`,
      },
    ];
  }
  return [
    { kind: 'fields', rows: [...fileRow, ['Included', 'No']] },
    {
      kind: 'paragraph',
      text: `This summary is not in this report. ${attempt.reason}`,
    },
    { kind: 'paragraph', text: whatToDo(attempt.problem, file.agencyName) },
  ];
}

/**
 * Adds the separator page(s) before a return: written the way every paper is (shared/documents/
 * pdf.ts, the same fonts and layout), then copied in.
 */
async function addSeparator(
  report: PDFDocument,
  file: AgencyReturnFile,
  attempt: Attempt,
  label: string,
  createdAt: Date,
): Promise<void> {
  const separator = await PDFDocument.load(
    await renderPdf({
      title: `Summary from ${file.agencyName}`,
      author: label,
      createdAt,
      footer: label,
      pageNumbers: false,
      blocks: separatorBlocks(file, attempt),
    }),
  );
  for (const page of await report.copyPages(separator, separator.getPageIndices())) report.addPage(page);
}

/**
 * Appends each agency's returned summary to the collated report: for each return, in order, a
 * separator page ("Summary from <agency>") and then the return's own pages, copied as they are.
 * A return that cannot be merged (a Word document, another type, a file that is not a PDF, is
 * damaged or encrypted) gets a separator page saying why and where to read it instead, and the
 * merge carries on. The report keeps its own pages, metadata and title.
 *
 * What a file is comes from its bytes first: a PDF is merged even when labelled as Word, and a
 * Word document labelled as PDF is treated as a Word document.
 *
 * Memory: each return's copied streams (its page contents and images, nearly all its bytes) are
 * written to the output as soon as its pages are in, and not kept twice, so the peak is about
 * the output's size plus one return being read (about three times that return's size while
 * pdf-lib parses and copies it). Pass the returns as an (async) iterable that fetches each when
 * asked (e.g. from S3) and only one return's bytes are held at a time; nothing here keeps a
 * return's bytes after its turn. The answer's `pdf` is a view on a resizable ArrayBuffer (see
 * `IncrementalPdfWriter`), not a copy.
 *
 * @param report the collated report as rendered (`collatedReportPdf`)
 */
export async function mergeReturns(
  report: Uint8Array,
  returns: Iterable<AgencyReturnFile> | AsyncIterable<AgencyReturnFile>,
  options: MergeReturnsOptions = {},
): Promise<MergedReport> {
  const label = options.label ?? 'Agency summary';
  // updateMetadata off: the report keeps its own producer and dates, so equal inputs give equal bytes.
  const merged = await PDFDocument.load(report, { updateMetadata: false, parseSpeed: ParseSpeeds.Fastest });
  // The separators are dated as the report is, so equal inputs give equal bytes.
  const createdAt = merged.getCreationDate() ?? new Date(0);
  const sink = new MemorySink();
  const output = new IncrementalPdfWriter(sink);
  const result: Omit<MergedReport, 'pdf' | 'pageCount'> = { merged: [], notMerged: [] };

  for await (const file of returns) {
    const attempt = await copyReturn(merged, file);
    await addSeparator(merged, file, attempt, label, createdAt);
    if (attempt.ok) {
      for (const page of attempt.pages) merged.addPage(page);
      await output.writeNow(merged, attempt.copiedStreams);
      result.merged.push(file.agencyName);
    } else {
      const { ok: _, ...notMerged } = attempt;
      result.notMerged.push({ agencyName: file.agencyName, ...notMerged });
    }
  }

  const pageCount = merged.getPageCount();
  await output.finish(merged);
  return { ...result, pageCount, pdf: sink.bytes() };
}

// ── The collated report assembled part by part (issue 10 part 5) ───────────────────────────

/** Whether a part's file is in the report: its pages follow the part's own, or why not. */
export type FileOutcome =
  | { included: true; pages: number }
  | ({ included: false } & Omit<NotMergedReturn, 'agencyName'>);

/** One part of an assembled report: its own pages, then (when it has one) a PDF appended in full. */
export interface ReportPart {
  /** Its entry in the PDF's outline (bookmarks) and in the contents, e.g. the agency's name. */
  title: string;
  /** The file appended after the part's own pages, fetched only when its turn comes. */
  file?: () => Promise<AgencyReturnFile>;
  /** The part's own pages (a rendered PDF), once whether its file could be appended is known. */
  render(file: FileOutcome | undefined): Promise<Uint8Array>;
}

/** Where a part landed: its first page (1 for the first page of the whole PDF) and how many pages it has. */
export interface PlacedPart {
  title: string;
  firstPage: number;
  pages: number;
}

export interface AssembleReportOptions {
  /** The PDF's metadata: its title, author and creation date (equal inputs give equal bytes). */
  title: string;
  author: string;
  createdAt: Date;
  /** The parts, in order; fetched one at a time when an (async) iterable fetches lazily. */
  parts: Iterable<ReportPart> | AsyncIterable<ReportPart>;
  /**
   * The front pages (a cover, a contents page), rendered last and put first, since they must
   * say where every part starts. Called with each part's first page counted as though the front
   * had `frontPages` pages, and again while the front's own page count changes.
   */
  front(
    parts: readonly PlacedPart[],
    frontPages: number,
  ): Promise<readonly { title: string; pdf: Uint8Array }[]>;
}

export interface AssembledReport extends WrittenReport {
  pdf: Uint8Array;
}

/** What `assembleReportInto` wrote to its sink. */
export interface WrittenReport {
  /** The whole file's size. */
  bytes: number;
  pageCount: number;
  /** Every front document and part, in page order, with where it starts. */
  placed: PlacedPart[];
  /** The parts whose file is not in the PDF, with why. */
  notMerged: NotMergedReturn[];
}

async function appendRendered(report: PDFDocument, pdf: Uint8Array): Promise<number> {
  const source = await PDFDocument.load(pdf, { updateMetadata: false, parseSpeed: ParseSpeeds.Fastest });
  const pages = await report.copyPages(source, source.getPageIndices());
  for (const page of pages) report.addPage(page);
  return pages.length;
}

/**
 * Writes the PDF's outline (bookmarks): one entry per title, each opening its page whole. pdf-lib
 * has no helper for it, so the /Outlines dictionary (ISO 32000-1, 12.3.3) is built here.
 */
export function writeOutline(
  document: PDFDocument,
  entries: readonly { title: string; pageIndex: number }[],
) {
  if (entries.length === 0) return;
  const { context } = document;
  const outlineRef = context.nextRef();
  const refs = entries.map(() => context.nextRef());
  const pages = document.getPages();
  entries.forEach((entry, index) => {
    context.assign(
      refs[index]!,
      context.obj({
        Title: PDFHexString.fromText(entry.title),
        Parent: outlineRef,
        Dest: [pages[entry.pageIndex]!.ref, 'Fit'],
        ...(index > 0 ? { Prev: refs[index - 1]! } : {}),
        ...(index < entries.length - 1 ? { Next: refs[index + 1]! } : {}),
      }),
    );
  });
  context.assign(
    outlineRef,
    context.obj({ Type: 'Outlines', First: refs[0]!, Last: refs.at(-1)!, Count: entries.length }),
  );
  document.catalog.set(PDFName.of('Outlines'), outlineRef);
  document.catalog.set(PDFName.of('PageMode'), PDFName.of('UseOutlines'));
}

/**
 * Assembles a report part by part: each part's own pages, then its file (a PDF) appended in
 * full, or the part's pages saying why it could not be; then the front pages (which list where
 * each part starts) put before them all, and an outline entry for every front document and part.
 *
 * Memory, as `mergeReturns`: each part's streams are written to the output as soon as its pages
 * are in, and each part's file is fetched only when its turn comes and not kept after, so the
 * peak is about the output's size plus one file being read. This one keeps the output in memory
 * (`pdf`); `assembleReportInto` writes it elsewhere as it goes.
 */
export async function assembleReport(options: AssembleReportOptions): Promise<AssembledReport> {
  const sink = new MemorySink();
  const written = await assembleReportInto(options, sink);
  return { ...written, pdf: sink.bytes() };
}

/**
 * `assembleReport`, writing the PDF to `sink` as it goes: with a sink that uploads as it goes,
 * the peak is one part's file being read and copied, whatever the report's size.
 */
export async function assembleReportInto(
  options: AssembleReportOptions,
  sink: ByteSink,
): Promise<WrittenReport> {
  const report = await PDFDocument.create({ updateMetadata: false });
  report.setTitle(options.title, { showInWindowTitleBar: true });
  report.setAuthor(options.author);
  report.setCreator('safeguarding-practice-reviews');
  report.setProducer('safeguarding-practice-reviews');
  report.setCreationDate(options.createdAt);
  report.setModificationDate(options.createdAt);
  report.setLanguage('en-GB');
  const output = new IncrementalPdfWriter(sink);
  const placed: PlacedPart[] = [];
  const notMerged: NotMergedReturn[] = [];

  for await (const part of options.parts) {
    const objectsBefore = report.context.largestObjectNumber;
    const firstPage = report.getPageCount() + 1;
    let outcome: FileOutcome | undefined;
    let attempt: Attempt | undefined;
    if (part.file) {
      const file = await part.file();
      attempt = await copyReturn(report, file);
      if (attempt.ok) outcome = { included: true, pages: attempt.pages.length };
      else {
        const { ok: _, ...why } = attempt;
        outcome = { included: false, ...why };
        notMerged.push({ agencyName: part.title, ...why });
      }
    }
    await appendRendered(report, await part.render(outcome));
    if (attempt?.ok) for (const page of attempt.pages) report.addPage(page);
    placed.push({ title: part.title, firstPage, pages: report.getPageCount() - firstPage + 1 });
    await output.writeNow(report, streamsAfter(report, objectsBefore));
  }

  // The front goes first: render it until its page count stops changing (the contents' page
  // numbers depend on it), then insert its pages before everything else.
  let frontPages = 1;
  let front: readonly { title: string; pdf: Uint8Array }[] = [];
  let loaded: PDFDocument[] = [];
  for (let round = 0; round < 4; round++) {
    const shifted = placed.map((part) => ({ ...part, firstPage: part.firstPage + frontPages }));
    front = await options.front(shifted, frontPages);
    loaded = await Promise.all(
      front.map((document) => PDFDocument.load(document.pdf, { updateMetadata: false })),
    );
    const count = loaded.reduce((total, document) => total + document.getPageCount(), 0);
    if (count === frontPages) break;
    frontPages = count;
  }
  const frontPlaced: PlacedPart[] = [];
  let at = 0;
  for (const [index, document] of loaded.entries()) {
    const pages = await report.copyPages(document, document.getPageIndices());
    frontPlaced.push({ title: front[index]!.title, firstPage: at + 1, pages: pages.length });
    for (const page of pages) report.insertPage(at++, page);
  }
  const all = [...frontPlaced, ...placed.map((part) => ({ ...part, firstPage: part.firstPage + at }))];
  writeOutline(
    report,
    all
      .filter((part) => part.pages > 0)
      .map((part) => ({ title: part.title, pageIndex: part.firstPage - 1 })),
  );
  const pageCount = report.getPageCount();
  return { bytes: await output.finish(report), pageCount, placed: all, notMerged };
}
