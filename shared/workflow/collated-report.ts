import type { ByteSink } from '../documents/incremental-pdf-writer.ts';
import {
  type AgencyReturnFile,
  type AssembledReport,
  type AssembleReportOptions,
  assembleReport,
  assembleReportInto,
  type FileOutcome,
  type PlacedPart,
  type ReportPart,
  type WrittenReport,
  whatToDo,
} from '../documents/merge-returns.ts';
import { type PdfBlock, renderPdf } from '../documents/pdf.ts';
import type { AgencyRequest, CaseRecord } from '../schemas/case.ts';
import { milestone, planDayOf } from '../schemas/timetable.ts';
import {
  agencyStatusInWords,
  inCaseOrder,
  isRemoved,
  latestReturn,
  returnedDocumentKey,
  type WordFile,
  wordFilesOf,
} from './agency-returns-wording.ts';
import { clocksInWords, clocksOf, timelinessInWords } from './clocks-wording.ts';
import { fifteenWorkingDays } from './criteria.ts';
import { formatDate, formatInstant } from './london-time.ts';
import { type NotificationForPapers, notificationBlocks } from './notification-blocks.ts';
import type { PaperContext } from './papers.ts';
import { enteredByBlocks, structuredBlocks, versionFields } from './return-blocks.ts';
import { incidentKindLabel } from './wording.ts';

/**
 * The Day 11 collated report (issue 10 part 5): a cover, a contents page, the notification and
 * the local authority's notification to the Panel, then for each agency its status in words,
 * its latest structured return laid out with headings, and its uploaded PDF appended in full;
 * at the end the Word files received, which go to the group separately. Every agency and section
 * has its own bookmark. It names the child (the notification does): it goes only to the Rapid
 * Review Group and signed-in staff, and to the Panel only in place of a missing report.
 */

export type { NotificationForPapers } from './notification-blocks.ts';

export const COLLATED_REPORT_TITLE = 'Collated report';

/** Where the report's inputs come from; each file is fetched only when its turn comes. */
export interface CollatedReportSources {
  /** The notification's own fields; absent when its document could not be read. */
  notification?: NotificationForPapers;
  /** The local authority's notification to the Panel as it uploaded it (a PDF), when it did. */
  panelNotification?: { fileName: string; file: () => Promise<AgencyReturnFile> };
  /** Fetches an agency's uploaded PDF (a Word file is never fetched: it is listed and linked). */
  fetch?: (documentKey: string, agency: AgencyRequest) => Promise<AgencyReturnFile>;
}

/** What the agency section says of its file: included (how many pages follow), or why not and where to read it. */
function fileBlocks(
  agencyName: string,
  outcome: FileOutcome | undefined,
  word: WordFile | undefined,
): PdfBlock[] {
  if (word) {
    return [
      { kind: 'heading', text: 'Uploaded file' },
      {
        kind: 'paragraph',
        text: `${agencyName} sent a Word file (${word.fileName}). It is not in this PDF: it is attached separately (listed at the end).`,
      },
    ];
  }
  if (!outcome) return [];
  if (outcome.included) {
    return [
      { kind: 'heading', text: 'Uploaded file' },
      {
        kind: 'paragraph',
        text:
          outcome.pages === 1
            ? `The next page is the file as ${agencyName} sent it.`
            : `The next ${outcome.pages} pages are the file as ${agencyName} sent it.`,
      },
    ];
  }
  return [
    { kind: 'heading', text: 'Uploaded file' },
    { kind: 'paragraph', text: `The file ${agencyName} sent is not in this report. ${outcome.reason}` },
    { kind: 'paragraph', text: whatToDo(outcome.problem, agencyName) },
  ];
}

function agencyPart(
  agency: AgencyRequest,
  word: WordFile | undefined,
  sources: CollatedReportSources,
  render: (title: string, blocks: PdfBlock[]) => Promise<Uint8Array>,
  timeZone: string,
): ReportPart {
  const key = returnedDocumentKey(agency);
  const fetch = sources.fetch;
  const removed = isRemoved(agency);
  const file = !removed && key && !word && fetch ? () => fetch(key, agency) : undefined;
  const latest = removed ? undefined : latestReturn(agency);
  return {
    title: agency.agencyName,
    ...(file ? { file } : {}),
    render: (outcome) =>
      render(agency.agencyName, [
        {
          kind: 'fields',
          rows: [
            ['Status', agencyStatusInWords(agency, timeZone)],
            ...(latest ? versionFields(latest, timeZone) : []),
          ],
        },
        ...(latest ? enteredByBlocks(latest) : []),
        ...(agency.uploadedByTeam && !removed
          ? [
              {
                kind: 'paragraph' as const,
                text: `Its file was uploaded by the partnership team for the agency${agency.uploadedByTeam.byName ? ` (${agency.uploadedByTeam.byName})` : ''}.`,
              },
            ]
          : []),
        ...(latest
          ? structuredBlocks(latest)
          : removed
            ? [{ kind: 'paragraph' as const, text: 'The partnership team took this agency off the review.' }]
            : agency.status === 'received'
              ? [
                  {
                    kind: 'paragraph' as const,
                    text: 'The agency sent a file only, without a structured return.',
                  },
                ]
              : [{ kind: 'paragraph' as const, text: 'Nothing was received from this agency.' }]),
        ...fileBlocks(agency.agencyName, outcome, word),
      ]),
  };
}

function panelNotificationBlocks(
  record: CaseRecord,
  notification: NotificationForPapers | undefined,
  uploaded: { fileName: string } | undefined,
  outcome: FileOutcome | undefined,
  timeZone: string,
): PdfBlock[] {
  if (uploaded) {
    return [
      {
        kind: 'paragraph',
        text: `The local authority uploaded its notification to the Panel (${uploaded.fileName}).`,
      },
      ...fileBlocks(record.notifyingLocalAuthority, outcome, undefined),
    ];
  }
  const incident = notification?.incident;
  return [
    {
      kind: 'paragraph',
      text: "The local authority did not upload a copy of its notification to the Panel. What follows is what the notification's own fields say of it.",
    },
    {
      kind: 'fields',
      rows: [
        ['Notified by', record.notifyingLocalAuthority],
        [
          'Panel notified on',
          incident?.panelNotifiedOn ? formatDate(incident.panelNotifiedOn) : 'Not given in the notification',
        ],
        ['Panel reference', record.panelReference],
        ['Incident', incidentKindLabel(record.incidentKind)],
        ...(incident ? ([['Date of incident', formatDate(incident.occurredOn)]] as [string, string][]) : []),
        ['Partnership told', formatInstant(record.receivedAt, timeZone)],
      ],
    },
    { kind: 'paragraph', text: timelinessInWords(clocksOf(record.timetable)).panelNotified },
  ];
}

function coverBlocks(
  record: CaseRecord,
  agencies: readonly AgencyRequest[],
  context: PaperContext,
): PdfBlock[] {
  const clocks = clocksOf(record.timetable);
  const words = clocksInWords(clocks);
  const timeliness = timelinessInWords(clocks);
  const counted = agencies.filter((agency) => !isRemoved(agency));
  const received = counted.filter((agency) => agency.status === 'received');
  const noInvolvement = received.filter((agency) => latestReturn(agency)?.answers.kind === 'no-involvement');
  const removed = agencies.length - counted.length;
  return [
    {
      kind: 'fields',
      rows: [
        ['Case reference', record.reference],
        ['Panel reference', record.panelReference],
        ['Partnership', context.partnershipName],
        ['Notified by', record.notifyingLocalAuthority],
        ['Incident', incidentKindLabel(record.incidentKind)],
        ['Notification received', formatInstant(record.receivedAt, context.timeZone)],
        ['Collated', formatInstant(context.now, context.timeZone)],
      ],
    },
    {
      kind: 'paragraph',
      text: 'Confidential to the Rapid Review Group: this report names the child. Please do not forward it.',
    },
    { kind: 'heading', text: 'When the review is due' },
    {
      kind: 'fields',
      rows: [
        ['Panel expects review by', words.panelDate],
        ["Partnership's own Day 15", words.localDate],
      ],
    },
    ...[words.governs, timeliness.panelNotified, timeliness.partnershipTold, fifteenWorkingDays].map(
      (text): PdfBlock => ({ kind: 'paragraph', text }),
    ),
    { kind: 'heading', text: 'Timetable' },
    {
      kind: 'table',
      columns: [
        { header: 'Day', share: 0.8 },
        { header: 'Step', share: 4 },
        { header: 'Date', share: 3 },
      ],
      // No Day numbers beside dates the Panel's date pulled back: they would not be those Days.
      rows: record.timetable.milestones.map((step) => [
        String(planDayOf(record.timetable, step) ?? '–'),
        step.name,
        formatDate(step.date),
      ]),
    },
    { kind: 'heading', text: 'Agency summaries' },
    {
      kind: 'paragraph',
      text:
        `${received.length} of ${counted.length} agencies returned a summary` +
        (noInvolvement.length > 0
          ? ` (${noInvolvement.length} of them had no involvement with this child or family)`
          : '') +
        `. Summaries were due by ${formatInstant(milestone(record.timetable, 'agencySummariesDue').dueAt, context.timeZone)}.` +
        (removed > 0
          ? ` ${removed === 1 ? '1 agency was' : `${removed} agencies were`} removed from the review.`
          : ''),
    },
  ];
}

export interface CollatedReport extends AssembledReport {
  wordFiles: WordFile[];
}

/**
 * Builds the collated report: the cover and contents first, the notification and the local
 * authority's notification to the Panel, each agency's section (its status, its latest structured
 * return, then its uploaded PDF in full), and the Word files received. Each agency's file is
 * fetched when its turn comes (`sources.fetch`), so only one is held at a time.
 */
export async function collatedReport(
  record: CaseRecord,
  agencies: readonly AgencyRequest[],
  context: PaperContext,
  sources: CollatedReportSources = {},
): Promise<CollatedReport> {
  const { options, wordFiles } = collatedReportOptions(record, agencies, context, sources);
  return { ...(await assembleReport(options)), wordFiles };
}

/**
 * The collated report written to `sink` as it is built (collation uploads it as it goes, so a
 * report of scanned returns, as large as the returns together, is never held whole).
 */
export async function collatedReportInto(
  sink: ByteSink,
  record: CaseRecord,
  agencies: readonly AgencyRequest[],
  context: PaperContext,
  sources: CollatedReportSources = {},
): Promise<WrittenReport & { wordFiles: WordFile[] }> {
  const { options, wordFiles } = collatedReportOptions(record, agencies, context, sources);
  return { ...(await assembleReportInto(options, sink)), wordFiles };
}

function collatedReportOptions(
  record: CaseRecord,
  agencies: readonly AgencyRequest[],
  context: PaperContext,
  sources: CollatedReportSources,
): { options: AssembleReportOptions; wordFiles: WordFile[] } {
  const sorted = inCaseOrder(record, agencies);
  const wordFiles = wordFilesOf(record, sorted);
  const footer = `Rapid Review ${record.reference}`;
  const render = (title: string, blocks: PdfBlock[]) =>
    renderPdf({
      title,
      author: context.partnershipName,
      createdAt: context.now,
      footer,
      pageNumbers: false,
      blocks,
    });
  const panelUpload = sources.panelNotification;

  function* parts(): Generator<ReportPart> {
    yield {
      title: 'The notification',
      render: () =>
        render('The notification', notificationBlocks(record, sources.notification, context.timeZone)),
    };
    yield {
      title: "The local authority's notification to the Panel",
      ...(panelUpload ? { file: panelUpload.file } : {}),
      render: (outcome) =>
        render(
          "The local authority's notification to the Panel",
          panelNotificationBlocks(record, sources.notification, panelUpload, outcome, context.timeZone),
        ),
    };
    for (const agency of sorted) {
      const word = wordFiles.find((file) => file.agencyName === agency.agencyName);
      yield agencyPart(agency, word, sources, render, context.timeZone);
    }
    yield {
      title: 'Word files received',
      render: () =>
        render('Word files received', [
          {
            kind: 'paragraph',
            text:
              wordFiles.length === 0
                ? 'No agency sent a Word file.'
                : 'This service does not turn Word files into PDF, so these are not in this report: each is attached separately, with its own link in the email that brought this report, and on the case in the Rapid Review service.',
          },
          ...(wordFiles.length > 0
            ? ([
                {
                  kind: 'table',
                  columns: [
                    { header: 'Agency', share: 2 },
                    { header: 'File', share: 3 },
                  ],
                  rows: wordFiles.map((file) => [file.agencyName, file.fileName]),
                },
              ] as PdfBlock[])
            : []),
        ]),
    };
  }

  const options: AssembleReportOptions = {
    title: COLLATED_REPORT_TITLE,
    author: context.partnershipName,
    createdAt: context.now,
    parts: parts(),
    front: async (placed: readonly PlacedPart[], frontPages: number) => [
      { title: 'Cover', pdf: await render(COLLATED_REPORT_TITLE, coverBlocks(record, sorted, context)) },
      {
        title: 'Contents',
        pdf: await render('Contents', [
          {
            kind: 'paragraph',
            text: `Page numbers count every page of this PDF from the cover, as a PDF reader numbers them. The report has ${frontPages + placed.reduce((total, part) => total + part.pages, 0)} pages; each agency's section is also a bookmark.`,
          },
          {
            kind: 'table',
            columns: [
              { header: 'Section', share: 3 },
              { header: 'Status', share: 4 },
              { header: 'Page', share: 0.8 },
            ],
            rows: placed.map((part, index) => {
              const agency = index >= 2 ? sorted[index - 2] : undefined;
              return [
                part.title,
                agency ? agencyStatusInWords(agency, context.timeZone) : '',
                String(part.firstPage),
              ];
            }),
          },
        ]),
      },
    ],
  };
  return { options, wordFiles };
}

/**
 * The collated report as bytes, with no file fetched unless `sources` says how (each agency's
 * section says what it returned).
 */
export async function collatedReportPdf(
  record: CaseRecord,
  agencies: readonly AgencyRequest[],
  context: PaperContext,
  sources: CollatedReportSources = {},
): Promise<Uint8Array> {
  return (await collatedReport(record, agencies, context, sources)).pdf;
}
