import { renderPdf } from '../documents/pdf.ts';
import type { AgencyRequest, CaseRecord } from '../schemas/case.ts';
import { milestone, planDayOf } from '../schemas/timetable.ts';
import { clocksInWords, clocksOf, timelinessInWords } from './clocks-wording.ts';
import { fifteenWorkingDays } from './criteria.ts';
import { formatDate, formatDateOf, formatInstant } from './london-time.ts';
import { decisionSentences, decisionSummary, incidentKindLabel } from './wording.ts';

/**
 * The Rapid Review's papers as PDFs. They are built from the case record only, which holds no
 * child's name or narrative: the children's details stay in the notification document. The
 * Panel receives those through its own notification, so this first version leaves them out.
 */

/** What every paper needs to know about where it comes from. */
export interface PaperContext {
  partnershipName: string;
  timeZone: string;
  /** When the paper is produced; it dates the paper and the PDF metadata. */
  now: Date;
}

function returnStatus(agency: AgencyRequest, timeZone: string): [status: string, received: string] {
  if (agency.status === 'received') {
    return [
      agency.late ? 'Received late' : 'Received on time',
      agency.receivedAt ? formatInstant(agency.receivedAt, timeZone) : 'Date not recorded',
    ];
  }
  const chased =
    agency.status === 'escalated' ? ' (escalated)' : agency.status === 'reminded' ? ' (reminded)' : '';
  return [`Missing${chased}`, '-'];
}

function caseFields(record: CaseRecord, context: PaperContext): [string, string][] {
  return [
    ['Case reference', record.reference],
    ['Panel reference', record.panelReference],
    ['Partnership', context.partnershipName],
    ['Notified by', record.notifyingLocalAuthority],
    ['Incident', incidentKindLabel(record.incidentKind)],
    ['Notification received', formatInstant(record.receivedAt, context.timeZone)],
  ];
}

/** The two clocks side by side, which one the review works to, and whether the notifications came on time. */
function dueInWords(record: CaseRecord) {
  const clocks = clocksOf(record.timetable);
  const words = clocksInWords(clocks);
  const timeliness = timelinessInWords(clocks);
  return {
    fields: [
      ['Panel expects review by', words.panelDate],
      ["Partnership's own Day 15", words.localDate],
    ] as [string, string][],
    lines: [words.governs, timeliness.panelNotified, timeliness.partnershipTold, fifteenWorkingDays],
  };
}

/** The Day 11 report: the case, its timetable, and which agencies returned a summary (on time or late) and which did not. */
export async function collatedReportPdf(
  record: CaseRecord,
  agencies: readonly AgencyRequest[],
  context: PaperContext,
): Promise<Uint8Array> {
  const order = new Map(record.agencyIds.map((agencyId, index) => [agencyId, index]));
  const sorted = [...agencies].sort(
    (a, b) =>
      (order.get(a.agencyId) ?? Number.MAX_SAFE_INTEGER) - (order.get(b.agencyId) ?? Number.MAX_SAFE_INTEGER),
  );
  const received = sorted.filter((agency) => agency.status === 'received').length;
  const due = dueInWords(record);
  return renderPdf({
    title: 'Collated report',
    author: context.partnershipName,
    createdAt: context.now,
    footer: `Rapid Review ${record.reference}`,
    blocks: [
      {
        kind: 'fields',
        rows: [...caseFields(record, context), ['Collated', formatInstant(context.now, context.timeZone)]],
      },
      { kind: 'heading', text: 'When the review is due' },
      { kind: 'fields', rows: due.fields },
      ...due.lines.map((text) => ({ kind: 'paragraph' as const, text })),
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
        text: `${received} of ${sorted.length} agencies returned a summary. Summaries were due by ${formatInstant(
          milestone(record.timetable, 'agencySummariesDue').dueAt,
          context.timeZone,
        )}.`,
      },
      {
        kind: 'table',
        columns: [
          { header: 'Agency', share: 3 },
          { header: 'Return', share: 2.2 },
          { header: 'Received', share: 2.6 },
        ],
        rows: sorted.map((agency) => [agency.agencyName, ...returnStatus(agency, context.timeZone)]),
      },
      {
        kind: 'paragraph',
        text: "The agencies' summaries are held in the service with this case. This report names no child; the notification holds the children's details.",
      },
    ],
  });
}

type Decided = CaseRecord & { decision: NonNullable<CaseRecord['decision']> };

/** The chair's covering letter to the Panel. */
export async function coveringLetterPdf(
  record: Decided,
  context: PaperContext & { chairName: string },
): Promise<Uint8Array> {
  const meeting = milestone(record.timetable, 'rapidReviewMeeting');
  const due = dueInWords(record);
  return renderPdf({
    title: 'Rapid Review: covering letter to the Child Safeguarding Practice Review Panel',
    author: context.partnershipName,
    createdAt: context.now,
    footer: `Rapid Review ${record.reference}`,
    blocks: [
      { kind: 'paragraph', text: formatDateOf(context.now, context.timeZone) },
      {
        kind: 'fields',
        rows: [
          ['Panel reference', record.panelReference],
          ['Case reference', record.reference],
          ['Notified by', record.notifyingLocalAuthority],
          ['Incident', incidentKindLabel(record.incidentKind)],
          ['Notification received', formatDateOf(record.receivedAt, context.timeZone)],
          ...due.fields,
          ['Rapid Review Group meeting', formatDate(meeting.date)],
          ['Decision recorded', formatInstant(record.decision.decidedAt, context.timeZone)],
        ],
      },
      { kind: 'paragraph', text: 'Dear Child Safeguarding Practice Review Panel,' },
      {
        kind: 'paragraph',
        text: `${context.partnershipName} has completed its Rapid Review of the serious incident notified to you under the Panel reference above. ${decisionSummary(record.decision)}`,
      },
      { kind: 'paragraph', text: due.lines.join(' ') },
      {
        kind: 'paragraph',
        text: 'Attached are the Rapid Review Group decision with its reasons, and the collated report of the agency summaries.',
      },
      {
        kind: 'paragraph',
        text: `Yours faithfully,\n\n${context.chairName}\nChair, Rapid Review Group\n${context.partnershipName}`,
      },
    ],
  });
}

/** The Rapid Review Group's decision, both parts with their reasons, and who recorded it when. */
export async function decisionPdf(record: Decided, context: PaperContext): Promise<Uint8Array> {
  const { decision } = record;
  const [local, national] = decisionSentences(decision);
  return renderPdf({
    title: 'Rapid Review Group decision',
    author: context.partnershipName,
    createdAt: context.now,
    footer: `Rapid Review ${record.reference}`,
    blocks: [
      {
        kind: 'fields',
        rows: [
          ['Case reference', record.reference],
          ['Panel reference', record.panelReference],
          ['Decided at', formatInstant(decision.decidedAt, context.timeZone)],
          ['Recorded by', decision.decidedByName ?? 'The chair of the Rapid Review Group'],
        ],
      },
      { kind: 'heading', text: 'Local Child Safeguarding Practice Review' },
      { kind: 'paragraph', text: local },
      { kind: 'paragraph', text: `Reasons: ${decision.localReviewReason}` },
      { kind: 'heading', text: 'National review' },
      { kind: 'paragraph', text: national },
      { kind: 'paragraph', text: `Reasons: ${decision.nationalReviewReason}` },
    ],
  });
}
