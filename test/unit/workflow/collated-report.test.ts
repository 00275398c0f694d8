import {
  PDFArray,
  PDFDict,
  PDFDocument,
  type PDFHexString,
  PDFName,
  type PDFRef,
  type PDFString,
} from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { sampleNotification } from '../../../local/sample-notification.ts';
import { openCase } from '../../../shared/cases/open-case.ts';
import { renderPdf } from '../../../shared/documents/pdf.ts';
import type { ReturnVersion } from '../../../shared/schemas/agency-return.ts';
import type { AgencyRequest } from '../../../shared/schemas/case.ts';
import { collatedReport, type NotificationForPapers } from '../../../shared/workflow/collated-report.ts';
import { pdfPageTexts } from './pdf-text.ts';

const context = {
  partnershipName: 'Exampleshire Safeguarding Children Partnership (invented)',
  timeZone: 'Europe/London',
  now: new Date('2026-03-18T09:00:00Z'),
};

const involvement: ReturnVersion = {
  version: 2,
  submittedAt: '2026-03-16T10:15:00Z',
  by: 'partnership-team',
  byName: 'Casey Officer (invented)',
  answers: {
    kind: 'involvement',
    involvedFrom: '2025-06-02',
    involvedTo: '2026-02-27',
    rolesInvolved: 'Health visitor; school nurse',
    summary: 'Routine contacts with the family (invented).',
    episodes: [
      {
        date: '2025-11-04',
        whatHappened: 'A missed appointment was followed up (invented).',
        decidedAndWhy: 'A home visit was booked because the family had moved (invented).',
      },
    ],
    immediateActions: 'Records reviewed (invented).',
    earlyLearning: 'Information sharing on moves (invented).',
    protectedCharacteristics: 'None known (invented).',
  },
  documentKey: 'cases/x/agency-returns/u1/health-summary.pdf',
};

async function aReturnPdf(agency: string, lines: number): Promise<Uint8Array> {
  return renderPdf({
    title: `${agency}'s own summary (invented)`,
    author: agency,
    createdAt: new Date('2026-03-16T09:00:00Z'),
    blocks: Array.from({ length: lines }, (_, index) => ({
      kind: 'paragraph' as const,
      text: `Line ${index + 1} of ${agency}'s summary.`,
    })),
  });
}

function aCase() {
  const caseId = '0b7c9a1e-2f4d-4c3b-9a8e-7d6c5b4a3921';
  const notification = sampleNotification();
  const opened = openCase({
    caseId,
    notification,
    receivedAt: new Date('2026-03-04T10:00:00Z'),
    notificationDocumentKey: `cases/${caseId}/notification.json`,
  });
  const byName = (name: string) => opened.agencies.find((agency) => agency.agencyName === name)!;
  const agencies: AgencyRequest[] = [
    {
      ...byName("Children's Social Care"),
      status: 'escalated',
      remindedAt: '2026-03-13T09:00:00Z',
      escalatedAt: '2026-03-17T17:00:00Z',
    },
    {
      ...byName('Police'),
      status: 'received',
      late: true,
      receivedAt: '2026-03-18T08:15:00Z',
      returns: [
        {
          version: 1,
          submittedAt: '2026-03-18T08:15:00Z',
          by: 'agency',
          answers: { kind: 'no-involvement', confirmed: true },
        },
      ],
    },
    {
      ...byName('Health'),
      status: 'received',
      receivedAt: '2026-03-16T10:15:00Z',
      returns: [{ ...involvement, version: 1, by: 'agency' }, involvement],
    },
    {
      ...byName('Education'),
      status: 'received',
      receivedAt: '2026-03-16T11:00:00Z',
      documentKey: 'cases/x/agency-returns/u2/education-summary.docx',
    },
  ];
  const forPapers: NotificationForPapers = {
    notifyingLocalAuthority: notification.notifyingLocalAuthority,
    incident: notification.incident,
    children: notification.children,
    notifier: notification.notifier,
    parallelProcesses: notification.parallelProcesses,
    agencies: notification.agencies.map((agency) => agency.name),
  };
  return { record: opened.record, agencies, notification, forPapers };
}

async function aReport() {
  const { record, agencies, notification, forPapers } = aCase();
  const healthPdf = await aReturnPdf('Health', 120);
  const fetched: string[] = [];
  const report = await collatedReport(record, agencies, context, {
    notification: forPapers,
    fetch: async (key, agency) => {
      fetched.push(key);
      return { agencyName: agency.agencyName, contentType: 'application/pdf', bytes: healthPdf };
    },
  });
  return { report, record, notification, fetched, pages: await pdfPageTexts(report.pdf) };
}

/** The PDF's outline read back: each entry's title and the index of the page it opens. */
async function outlineOf(bytes: Uint8Array): Promise<{ title: string; pageIndex: number }[]> {
  const document = await PDFDocument.load(bytes);
  const pageRefs = document.getPages().map((page) => page.ref);
  const outlines = document.catalog.lookup(PDFName.of('Outlines'), PDFDict);
  const entries: { title: string; pageIndex: number }[] = [];
  let ref = outlines.get(PDFName.of('First')) as PDFRef | undefined;
  while (ref) {
    const entry = document.context.lookup(ref, PDFDict);
    const title = entry.lookup(PDFName.of('Title')) as PDFHexString | PDFString;
    const destination = entry.lookup(PDFName.of('Dest'), PDFArray);
    entries.push({ title: title.decodeText(), pageIndex: pageRefs.indexOf(destination.get(0) as PDFRef) });
    ref = entry.get(PDFName.of('Next')) as PDFRef | undefined;
  }
  return entries;
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ');

describe('the collated report', () => {
  it('starts with a cover, then a contents page giving the page each section starts on', async () => {
    const { report, pages } = await aReport();

    expect(oneLine(pages[0]!)).toContain('Collated report');
    expect(oneLine(pages[0]!)).toContain('3 of 4 agencies returned a summary (1 of them had no involvement');
    const contents = oneLine(pages[1]!);
    expect(contents).toContain('Contents');
    const titles = [
      'The notification',
      "The local authority's notification to the Panel",
      "Children's Social Care",
      'Police',
      'Health',
      'Education',
      'Word files received',
    ];
    for (const title of titles) {
      const part = report.placed.find((placed) => placed.title === title)!;
      expect(part, title).toBeDefined();
      // Each section's first page carries its title, at the page the contents gives.
      expect(pages[part.firstPage - 1]!.split('\n')[0]).toBe(title);
      expect(contents).toMatch(new RegExp(`${title.replace(/[()']/g, '.')}.* ${part.firstPage}( |$)`));
    }
    // In this order, one after another.
    const starts = titles.map((title) => report.placed.find((placed) => placed.title === title)!.firstPage);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(report.pageCount).toBe(pages.length);
  });

  it('writes one bookmark per agency and section, each opening its first page', async () => {
    const { report } = await aReport();

    const outline = await outlineOf(report.pdf);

    expect(outline.map((entry) => entry.title)).toEqual([
      'Cover',
      'Contents',
      'The notification',
      "The local authority's notification to the Panel",
      "Children's Social Care",
      'Police',
      'Health',
      'Education',
      'Word files received',
    ]);
    for (const entry of outline) {
      const part = report.placed.find((placed) => placed.title === entry.title)!;
      expect(entry.pageIndex, entry.title).toBe(part.firstPage - 1);
    }
  });

  it("lays out an agency's latest structured return with headings, and appends its PDF in full", async () => {
    const { report, pages, fetched } = await aReport();
    const health = report.placed.find((placed) => placed.title === 'Health')!;

    const section = oneLine(
      pages.slice(health.firstPage - 1, health.firstPage + health.pages - 1).join('\n'),
    );

    for (const expected of [
      'Returned on time at 10:15am on Monday 16 March 2026',
      'Version 2, corrected',
      'Entered by the partnership team for the agency (Casey Officer (invented))',
      'Period of involvement From 2 June 2025 to 27 February 2026',
      'Roles involved Health visitor; school nurse',
      'Summary of involvement Routine contacts with the family (invented).',
      'Key practice episode 1: Tuesday 4 November 2025',
      'What happened: A missed appointment was followed up (invented).',
      'What was decided, and why: A home visit was booked because the family had moved (invented).',
      'Immediate actions Records reviewed (invented).',
      'Early learning Information sharing on moves (invented).',
      'Protected characteristics None known (invented).',
      'The next 4 pages are the file as Health sent it.',
      "Health's own summary (invented)",
      'Line 1 of Health',
    ]) {
      expect(section).toContain(expected);
    }
    expect(fetched).toEqual(['cases/x/agency-returns/u1/health-summary.pdf']);
    expect(report.notMerged).toEqual([]);
  });

  it('says "no involvement", and "not returned" with when it was reminded and escalated', async () => {
    const { report, pages } = await aReport();
    const sectionOf = (title: string) => {
      const part = report.placed.find((placed) => placed.title === title)!;
      return oneLine(pages.slice(part.firstPage - 1, part.firstPage + part.pages - 1).join('\n'));
    };

    expect(sectionOf('Police')).toContain(
      'No involvement with this child or family (returned late at 8:15am on Wednesday 18 March 2026)',
    );
    expect(sectionOf('Police')).toContain('The agency confirmed that it has had no involvement');
    expect(sectionOf("Children's Social Care")).toContain(
      'Not returned: reminded at 9am on Friday 13 March 2026, escalated at 5pm on Tuesday 17 March 2026',
    );
  });

  it('lists the Word files at the end, attached separately, and never fetches them', async () => {
    const { report, pages, record, fetched } = await aReport();

    const last = oneLine(pages.at(-1)!);
    expect(last).toContain('Word files received');
    expect(last).toContain('attached separately');
    expect(last).toContain(`Education Education summary ${record.reference}.docx`);
    expect(report.wordFiles).toEqual([
      {
        agencyName: 'Education',
        documentKey: 'cases/x/agency-returns/u2/education-summary.docx',
        fileName: `Education summary ${record.reference}.docx`,
      },
    ]);
    expect(fetched).not.toContain('cases/x/agency-returns/u2/education-summary.docx');
  });

  it("holds the notification's own fields, naming the child, and says the notification to the Panel is from them", async () => {
    const { report, pages, notification } = await aReport();
    const notificationPart = report.placed.find((placed) => placed.title === 'The notification')!;
    const panelPart = report.placed.find(
      (placed) => placed.title === "The local authority's notification to the Panel",
    )!;

    const text = oneLine(pages[notificationPart.firstPage - 1]!);
    expect(text).toContain(notification.children[0]!.name!);
    expect(text).toContain(notification.incident.location);
    expect(oneLine(pages[panelPart.firstPage - 1]!)).toContain(
      "did not upload a copy of its notification to the Panel. What follows is what the notification's own fields say of it.",
    );
    expect(oneLine(pages[panelPart.firstPage - 1]!)).toContain(notification.incident.panelReference);
  });

  it("gives each child's ethnicity, disability, care and plans, and whether there is a coroner's inquest", async () => {
    const { report, pages } = await aReport();
    const notificationPart = report.placed.find((placed) => placed.title === 'The notification')!;

    const text = oneLine(pages[notificationPart.firstPage - 1]!);
    expect(text).toContain('Ethnicity Not known');
    expect(text).toContain('Disability Not known');
    expect(text).toContain('Looked after Never looked after');
    expect(text).toContain('Child protection plan Previously subject to a child protection plan');
    expect(text).toContain('Child in need A child in need now');
    expect(text).toContain("Coroner's inquest No");
  });

  it('says when the file was uploaded by the partnership team for the agency', async () => {
    const { record, agencies } = aCase();
    const changed = agencies.map((agency) =>
      agency.agencyName === 'Health'
        ? {
            ...agency,
            uploadedByTeam: { at: '2026-03-16T10:15:00.000Z', byName: 'Casey Officer (invented)' },
          }
        : agency,
    );

    const report = await collatedReport(record, changed, context);
    const text = oneLine((await pdfPageTexts(report.pdf)).join('\n'));

    expect(text).toContain(
      'Its file was uploaded by the partnership team for the agency (Casey Officer (invented)).',
    );
  });

  it('shows removed agencies as removed, and an unknown status as not returned', async () => {
    const { record, agencies } = aCase();
    const changed = agencies.map((agency) =>
      agency.agencyName === 'Police'
        ? ({ ...agency, status: 'removed' } as unknown as AgencyRequest)
        : agency.agencyName === 'Health'
          ? ({ ...agency, status: 'something-new', returns: undefined } as unknown as AgencyRequest)
          : agency,
    );

    const report = await collatedReport(record, changed, context);
    const text = oneLine((await pdfPageTexts(report.pdf)).join('\n'));

    expect(text).toContain('Removed from the review');
    expect(text).toContain('1 agency was removed from the review');
    expect(text).toContain('Health Not returned');
  });

  it('prints no ISO instant, ISO date or internal id', async () => {
    const { report, record, agencies } = await aReport().then(async (made) => ({ ...made, ...aCase() }));

    const text = (await pdfPageTexts(report.pdf)).join('\n');

    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(text).not.toContain(record.caseId);
    for (const agency of agencies) expect(text).not.toContain(agency.agencyId);
    expect(text).not.toContain('agency-returns');
  });
});
