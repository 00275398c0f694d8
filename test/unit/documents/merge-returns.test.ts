import { PDFDocument, PDFObjectCopier, StandardFonts } from 'pdf-lib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sampleNotification } from '../../../local/sample-notification.ts';
import { openCase } from '../../../shared/cases/open-case.ts';
import { type AgencyReturnFile, mergeReturns } from '../../../shared/documents/merge-returns.ts';
import { collatedReportPdf } from '../../../shared/workflow/collated-report.ts';
import { pdfPageTexts } from '../workflow/pdf-text.ts';

const PDF = 'application/pdf';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** The Day 11 report of the invented case, as the workflow renders it. */
async function aReport(): Promise<Uint8Array> {
  const { record, agencies } = openCase({
    caseId: '0b7c1a52-5d1e-4c36-9a3e-6f0a2b9c8d11',
    notification: sampleNotification(),
    receivedAt: new Date('2026-03-04T10:00:00Z'),
    notificationDocumentKey: 'cases/0b7c1a52-5d1e-4c36-9a3e-6f0a2b9c8d11/notification.json',
  });
  return collatedReportPdf(record, agencies, {
    partnershipName: 'Exampleshire Safeguarding Children Partnership (test)',
    timeZone: 'Europe/London',
    now: new Date('2026-03-18T09:00:00Z'),
  });
}

/** An agency's summary as a PDF of `pages` pages, each saying whose page it is. */
async function aReturnPdf(agency: string, pages: number, options: { padding?: number } = {}) {
  const document = await PDFDocument.create();
  const font = await document.embedFont(StandardFonts.Helvetica);
  for (let page = 1; page <= pages; page++) {
    document.addPage([595.28, 841.89]).drawText(`${agency} summary page ${page}`, { x: 56, y: 780, font });
  }
  if (options.padding) {
    // An incompressible stream on the first page, to make the file (and anything copied from it) big.
    const noise = Uint8Array.from({ length: options.padding }, (_, index) => (index * 2654435761) >>> 24);
    const image = document.context.register(
      document.context.stream(noise, {
        Type: 'XObject',
        Subtype: 'Image',
        Width: options.padding,
        Height: 1,
        ColorSpace: 'DeviceGray',
        BitsPerComponent: 8,
      }),
    );
    document.getPage(0).node.newXObject('Noise', image);
  }
  return document.save();
}

function pdfReturn(agencyName: string, bytes: Uint8Array, fileName?: string): AgencyReturnFile {
  return { agencyName, contentType: PDF, bytes, ...(fileName ? { fileName } : {}) };
}

/**
 * A one-page PDF whose trailer names a standard security handler (RC4, 40-bit), as a PDF
 * "protected" in a desktop editor is. Its streams are not really encrypted; a reader only needs
 * the trailer to know it must decrypt, and pdf-lib refuses it for that alone.
 */
function anEncryptedPdf(): Uint8Array {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>',
    `<< /Filter /Standard /V 1 /R 2 /O <${'a1'.repeat(32)}> /U <${'b2'.repeat(32)}> /P -44 >>`,
  ];
  let text = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(text.length);
    text += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = text.length;
  text += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) text += `${String(offset).padStart(10, '0')} 00000 n \n`;
  text += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Encrypt 4 0 R /ID [<${'c3'.repeat(16)}> <${'c3'.repeat(16)}>] >>\n`;
  text += `startxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(text);
}

/** A zip archive whose entries are named (as a .docx's are); its contents do not matter here. */
function aZip(...entries: string[]): Uint8Array {
  return Uint8Array.from([0x50, 0x4b, 0x03, 0x04, ...new TextEncoder().encode(entries.join('\0'))]);
}
/** The start of a .docx file. */
const wordBytes = aZip('[Content_Types].xml', '_rels/.rels', 'word/document.xml');

/** Each page's text on one line: the separator pages wrap their sentences. */
async function pageLines(bytes: Uint8Array): Promise<string[]> {
  return (await pdfPageTexts(bytes)).map((text) => text.replace(/\s+/g, ' '));
}

async function pageCountOf(bytes: Uint8Array): Promise<number> {
  return (await PDFDocument.load(bytes)).getPageCount();
}

describe('mergeReturns', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('puts each return after the report, in order, each after its own separator page', async () => {
    const report = await aReport();
    const reportPages = await pageCountOf(report);

    const result = await mergeReturns(
      report,
      [
        pdfReturn('Police', await aReturnPdf('Police', 3), 'police-summary.pdf'),
        pdfReturn('Health', await aReturnPdf('Health', 2)),
      ],
      { label: 'Rapid Review RR-2026-0B7C1A' },
    );

    expect(result.merged).toEqual(['Police', 'Health']);
    expect(result.notMerged).toEqual([]);
    expect(result.pageCount).toBe(reportPages + (1 + 3) + (1 + 2));
    const pages = await pdfPageTexts(result.pdf);
    expect(pages).toHaveLength(result.pageCount);
    expect(pages.slice(0, reportPages)).toEqual(await pdfPageTexts(report));
    const after = pages.slice(reportPages);
    expect(after[0]).toContain('Summary from Police');
    expect(after[0]).toContain('police-summary.pdf');
    expect(after[0]).toContain('The next 3 pages are the summary as Police sent it.');
    expect(after[0]).toContain('Rapid Review RR-2026-0B7C1A');
    expect(after.slice(1, 4)).toEqual([1, 2, 3].map((page) => `Police summary page ${page}`));
    expect(after[4]).toContain('Summary from Health');
    expect(after[4]).toContain('The next 2 pages are the summary as Health sent it.');
    expect(after.slice(5)).toEqual([1, 2].map((page) => `Health summary page ${page}`));
  });

  it("keeps the report's own title and dates", async () => {
    const report = await aReport();

    const result = await mergeReturns(report, [pdfReturn('Police', await aReturnPdf('Police', 1))]);

    const merged = await PDFDocument.load(result.pdf, { updateMetadata: false });
    const original = await PDFDocument.load(report, { updateMetadata: false });
    expect(merged.getTitle()).toBe('Collated report');
    expect(merged.getCreationDate()).toEqual(original.getCreationDate());
    expect(merged.getModificationDate()).toEqual(original.getModificationDate());
  });

  it('gives the same bytes for the same inputs, so a retried collation stores the same report', async () => {
    const report = await aReport();
    const police = await aReturnPdf('Police', 2);

    const first = await mergeReturns(report, [pdfReturn('Police', police)]);
    const second = await mergeReturns(report, [pdfReturn('Police', police)]);

    expect(Buffer.from(second.pdf).equals(Buffer.from(first.pdf))).toBe(true);
  });

  it('does not merge a Word document: its separator page says where to read it', async () => {
    const report = await aReport();
    const reportPages = await pageCountOf(report);

    const result = await mergeReturns(report, [
      { agencyName: 'Education', fileName: 'education-summary.docx', contentType: DOCX, bytes: wordBytes },
      pdfReturn('Police', await aReturnPdf('Police', 1)),
    ]);

    expect(result.merged).toEqual(['Police']);
    expect(result.notMerged).toEqual([
      {
        agencyName: 'Education',
        problem: 'word-document',
        reason: 'It is a Word document, and only PDF files can be added to this report.',
      },
    ]);
    expect(result.pageCount).toBe(reportPages + 1 + (1 + 1));
    const separator = (await pageLines(result.pdf))[reportPages]!;
    expect(separator).toContain('Summary from Education');
    expect(separator).toContain('education-summary.docx');
    expect(separator).toContain('This summary is not in this report.');
    expect(separator).toContain('It is a Word document');
    expect(separator).toContain("Read it on the case's page in the Rapid Review service");
  });

  it('treats a Word document labelled as a PDF as the Word document it is', async () => {
    const result = await mergeReturns(await aReport(), [pdfReturn('Education', wordBytes, 'summary.pdf')]);

    expect(result.notMerged).toEqual([
      expect.objectContaining({ agencyName: 'Education', problem: 'word-document' }),
    ]);
  });

  it('merges a PDF labelled as a Word document (the upload form lets a person pick either)', async () => {
    const report = await aReport();

    const result = await mergeReturns(report, [
      { agencyName: 'Health', contentType: DOCX, bytes: await aReturnPdf('Health', 2) },
    ]);

    expect(result.merged).toEqual(['Health']);
    expect(result.pageCount).toBe((await pageCountOf(report)) + 1 + 2);
  });

  it.each([
    {
      file: 'random bytes',
      bytes: Uint8Array.from({ length: 4000 }, (_, i) => (i * 7919) % 256),
      problem: 'not-a-pdf',
      reason: 'The file is labelled as a PDF but is not one.',
    },
    {
      file: 'a zip file',
      bytes: aZip('[Content_Types].xml', 'xl/workbook.xml'),
      problem: 'not-a-pdf',
      reason: 'The file is labelled as a PDF but is not one.',
    },
    { file: 'an empty file', bytes: new Uint8Array(0), problem: 'empty' },
    {
      file: 'a PDF header then nonsense',
      bytes: new TextEncoder().encode(`%PDF-1.7\n${'nonsense '.repeat(200)}`),
      problem: 'unreadable',
    },
    { file: 'the first half of a PDF', bytes: 'truncated', problem: 'unreadable' },
  ] as const)('reports $file labelled as a PDF as not merged ($problem) and carries on', async (example) => {
    const { bytes, problem } = example;
    const report = await aReport();
    const reportPages = await pageCountOf(report);
    const whole = await aReturnPdf('Police', 4);
    const damaged = bytes === 'truncated' ? whole.slice(0, whole.length / 2) : bytes;

    const result = await mergeReturns(report, [
      pdfReturn('Police', damaged, 'police.pdf'),
      pdfReturn('Health', await aReturnPdf('Health', 2)),
    ]);

    expect(result.merged).toEqual(['Health']);
    expect(result.notMerged).toEqual([expect.objectContaining({ agencyName: 'Police', problem })]);
    if ('reason' in example) expect(result.notMerged[0]!.reason).toBe(example.reason);
    expect(result.pageCount).toBe(reportPages + 1 + (1 + 2));
    const pages = await pageLines(result.pdf);
    expect(pages[reportPages]).toContain('Summary from Police');
    expect(pages[reportPages]).toContain(
      `This summary is not in this report. ${result.notMerged[0]!.reason}`,
    );
    expect(pages[reportPages]).toContain('the partnership team can ask Police to send it again');
    expect(pages[reportPages + 1]).toContain('Summary from Health');
  });

  it('does not merge an encrypted PDF, even one that opens without a password', async () => {
    const report = await aReport();
    const reportPages = await pageCountOf(report);
    const encrypted = anEncryptedPdf();
    // The fixture is what pdf-lib takes for encrypted, and it would load it if told to ignore that.
    await expect(PDFDocument.load(encrypted)).rejects.toThrow(/is encrypted/);
    expect((await PDFDocument.load(encrypted, { ignoreEncryption: true })).getPageCount()).toBe(1);

    const result = await mergeReturns(report, [pdfReturn('Health', encrypted)]);

    expect(result.merged).toEqual([]);
    expect(result.notMerged).toEqual([
      expect.objectContaining({ agencyName: 'Health', problem: 'encrypted' }),
    ]);
    expect(result.pageCount).toBe(reportPages + 1);
    const separator = (await pageLines(result.pdf))[reportPages]!;
    expect(separator).toContain('The PDF is protected by a password or by restrictions on copying');
    expect(separator).toContain('ask the partnership team to get a copy without protection from Health');
  });

  it('says an encrypted PDF that pdf-lib cannot even parse is protected, not damaged', async () => {
    const encrypted = anEncryptedPdf();
    // A later object cut short, as an encrypted object stream reads to a parser that cannot decrypt.
    const unparsable = Buffer.concat([encrypted, Buffer.from('5 0 obj\n<< /Length 900 >>\nstream\nx')]);
    await expect(PDFDocument.load(unparsable, { ignoreEncryption: true })).rejects.toThrow();

    const result = await mergeReturns(await aReport(), [pdfReturn('Health', unparsable)]);

    expect(result.notMerged).toEqual([
      expect.objectContaining({ agencyName: 'Health', problem: 'encrypted' }),
    ]);
  });

  it('does not merge a PDF with no pages', async () => {
    const empty = await (await PDFDocument.create()).save({ addDefaultPage: false });

    const result = await mergeReturns(await aReport(), [pdfReturn('Police', empty)]);

    expect(result.notMerged).toEqual([
      { agencyName: 'Police', problem: 'no-pages', reason: 'The PDF has no pages.' },
    ]);
  });

  it('does not merge a file of another type, and says which type it was', async () => {
    const result = await mergeReturns(await aReport(), [
      {
        agencyName: 'Police',
        contentType: 'text/plain; charset=utf-8',
        bytes: new TextEncoder().encode('hi'),
      },
      { agencyName: 'Health', contentType: '', bytes: new TextEncoder().encode('hello') },
    ]);

    expect(result.notMerged).toEqual([
      {
        agencyName: 'Police',
        problem: 'unsupported-type',
        reason: 'It is a file of a type (text/plain) that cannot be added to this report.',
      },
      {
        agencyName: 'Health',
        problem: 'unsupported-type',
        reason: 'It is a file of a type (not stated) that cannot be added to this report.',
      },
    ]);
  });

  it('reads the media type without its parameters or case', async () => {
    const result = await mergeReturns(await aReport(), [
      { agencyName: 'Police', contentType: 'Application/PDF; name=x', bytes: await aReturnPdf('Police', 1) },
    ]);

    expect(result.merged).toEqual(['Police']);
  });

  it('leaves nothing of a return whose copy fails part way', async () => {
    const report = await aReport();
    const big = await aReturnPdf('Police', 2, { padding: 300_000 });
    // The first page (with its big stream) is copied in, then the second page's copy fails.
    const makeCopier = PDFObjectCopier.for;
    let copies = 0;
    const spy = vi.spyOn(PDFObjectCopier, 'for').mockImplementation((source, destination) => {
      const copier = makeCopier(source, destination);
      const copy = copier.copy;
      return Object.assign(copier, {
        copy: ((object) => {
          copies += 1;
          if (copies === 2) throw new Error('copy failed part way');
          return copy(object);
        }) as typeof copy,
      });
    });

    const result = await mergeReturns(report, [pdfReturn('Police', big)]);

    expect(result.notMerged).toEqual([
      expect.objectContaining({ problem: 'unreadable', detail: 'Error: copy failed part way' }),
    ]);
    expect(result.pdf.byteLength).toBeLessThan(100_000);
    spy.mockRestore();
    // The same merge without the failure does carry the big stream: the size check can fail.
    expect((await mergeReturns(report, [pdfReturn('Police', big)])).pdf.byteLength).toBeGreaterThan(300_000);
  });

  it('takes the returns one at a time from an async iterable, as they are fetched', async () => {
    const report = await aReport();
    const reportPages = await pageCountOf(report);
    const fetched: string[] = [];
    async function* fetchEach() {
      for (const agency of ['Police', 'Health', 'Education']) {
        fetched.push(agency);
        yield pdfReturn(agency, await aReturnPdf(agency, 1));
      }
    }

    const result = await mergeReturns(report, fetchEach());

    expect(fetched).toEqual(['Police', 'Health', 'Education']);
    expect(result.merged).toEqual(['Police', 'Health', 'Education']);
    expect(result.pageCount).toBe(reportPages + 3 * 2);
  });

  it('prints an agency name outside the standard fonts with "?" instead of failing', async () => {
    const result = await mergeReturns(await aReport(), [
      pdfReturn('Heddlu 🚓 Police', new TextEncoder().encode('not a PDF'), 'x.pdf'),
    ]);

    expect(result.notMerged).toEqual([expect.objectContaining({ agencyName: 'Heddlu 🚓 Police' })]);
    expect((await pdfPageTexts(result.pdf)).join('\n')).toContain('Summary from Heddlu ? Police');
  });
});
