import { safeguardingPartner, safeguardingPartnerNames } from '../config/partnership-profile.ts';
import { renderPdf } from '../documents/pdf.ts';
import type { AgencyRequest, CaseRecord, SignOff, SignOffResolution } from '../schemas/case.ts';
import { milestone, planDayOf } from '../schemas/timetable.ts';
import { clocksInWords, clocksOf, timelinessInWords } from './clocks-wording.ts';
import { fifteenWorkingDays } from './criteria.ts';
import { lateInWords } from './late-wording.ts';
import { formatDate, formatDateOf, formatInstant } from './london-time.ts';
import { meetingRecordPdf } from './meeting-record.ts';
import { partnersDecision } from './readiness.ts';
import { decisionSentences, decisionSummary, incidentKindLabel } from './wording.ts';

/**
 * The Rapid Review's papers as PDFs. They are built from the case record only, which holds no
 * child's name or narrative: the children's details stay in the notification document, and reach
 * the Panel in the rapid review report (shared/workflow/rapid-review-report.ts), not here.
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
  if (agency.status === 'removed') return ['Removed from the review', '-'];
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
        text: `${received} of ${sorted.filter((agency) => agency.status !== 'removed').length} agencies returned a summary. Summaries were due by ${formatInstant(
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

/** A case with the chair's decision recorded: what the papers to the Panel are built from. */
export type Decided = CaseRecord & { decision: NonNullable<CaseRecord['decision']> };

/** What the papers to the Panel print for the chair: their name, never an internal id. */
export interface ChairNamed {
  /** The chair's name: the decision's `decidedByName`, else the profile's Rapid Review Group chair. */
  chairName: string;
}

const resolutionOutcomeWords: Record<SignOffResolution['outcome'], string> = {
  'decision-stands': "The chair's decision stands",
  'decision-varied': 'The Executive Board varies the decision',
};

/** Where the partners' sign-off stands, in one or two sentences. */
export function partnersDecisionInWords(record: Pick<CaseRecord, 'signOffs' | 'signOffResolution'>): string {
  const state = partnersDecision(record);
  if (state.completedBy === 'all-partners-agreed') {
    return 'All three safeguarding partners signed off the decision and agree with it.';
  }
  if (state.completedBy === 'executive-board') {
    return `A safeguarding partner disagreed with the decision, and the chair of the Executive Board resolved it: ${resolutionOutcomeWords[
      record.signOffResolution!.outcome
    ].replace(/^The/, 'the')}.`;
  }
  const awaiting = state.awaiting.map((partner) => safeguardingPartnerNames[partner].toLowerCase());
  const notSigned =
    awaiting.length > 0
      ? ` Not yet signed off by the ${joinedWithAnd(awaiting)} safeguarding partner${awaiting.length === 1 ? '' : 's'}.`
      : '';
  const unresolved = state.awaitingResolution
    ? ' A safeguarding partner disagrees, and the chair of the Executive Board has not yet resolved it.'
    : '';
  return `The safeguarding partners' sign-off was not complete when these papers were sent.${notSigned}${unresolved}`;
}

function joinedWithAnd(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/**
 * The chair's covering letter to the Panel: the chair by name, what is attached (`enclosures`, one
 * line each), and, for a late review, the date it was due, how many working days late it goes and
 * the partnership's reason.
 */
export async function coveringLetterPdf(
  record: Decided,
  context: PaperContext & ChairNamed & { enclosures: readonly string[] },
): Promise<Uint8Array> {
  const meeting = milestone(record.timetable, 'rapidReviewMeeting');
  const due = dueInWords(record);
  const late = record.late ? lateInWords(record.late, context.now, context.timeZone) : undefined;
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
          ['Decided by', `${context.chairName}, chair of the Rapid Review Group`],
        ],
      },
      { kind: 'paragraph', text: 'Dear Child Safeguarding Practice Review Panel,' },
      {
        kind: 'paragraph',
        text: `${context.partnershipName} has completed its Rapid Review of the serious incident notified to you under the Panel reference above. ${decisionSummary(record.decision)} ${partnersDecisionInWords(record)}`,
      },
      ...(late ? [{ kind: 'paragraph' as const, text: `${late.statement} ${late.reason}` }] : []),
      { kind: 'paragraph', text: due.lines.join(' ') },
      {
        kind: 'paragraph',
        text: `Attached:\n${context.enclosures.map((enclosure) => `- ${enclosure}`).join('\n')}`,
      },
      {
        kind: 'paragraph',
        text: `Yours faithfully,\n\n${context.chairName}\nChair, Rapid Review Group\n${context.partnershipName}`,
      },
    ],
  });
}

/** One partner's sign-off as the decision prints it: who signed, when, and their answer with any reasons. */
function signOffFields(signOff: SignOff | undefined, timeZone: string): [string, string][] {
  if (!signOff) return [['Signed off', 'Not signed off when these papers were sent']];
  return [
    ['Signed off by', signOff.signedByName],
    ['Signed off on', formatDateOf(signOff.signedAt, timeZone)],
    ['Answer', signOff.agrees ? 'Agrees with the decision' : 'Disagrees with the decision'],
    ...(signOff.agrees
      ? []
      : ([['Reasons for disagreeing', signOff.reasons ?? 'No reasons recorded']] as [string, string][])),
  ];
}

/**
 * The safeguarding partners' decision: the chair's decision with both reasons and the chair by
 * name, each partner's sign-off (who, when, agrees or disagrees, and the reasons for any dissent),
 * and the Executive Board chair's resolution of a disagreement when there is one. People are named
 * as their sign-in gave them, never by an internal id.
 */
export async function decisionPdf(record: Decided, context: PaperContext & ChairNamed): Promise<Uint8Array> {
  const { decision } = record;
  const [local, national] = decisionSentences(decision);
  const signOffs = record.signOffs ?? [];
  const resolution = record.signOffResolution;
  return renderPdf({
    title: "The safeguarding partners' decision",
    author: context.partnershipName,
    createdAt: context.now,
    footer: `Rapid Review ${record.reference}`,
    blocks: [
      {
        kind: 'fields',
        rows: [
          ['Case reference', record.reference],
          ['Panel reference', record.panelReference],
          ['Decided by', `${context.chairName}, chair of the Rapid Review Group`],
          ['Decided at', formatInstant(decision.decidedAt, context.timeZone)],
        ],
      },
      { kind: 'heading', text: 'Local Child Safeguarding Practice Review' },
      { kind: 'paragraph', text: local },
      { kind: 'paragraph', text: `Reasons: ${decision.localReviewReason}` },
      { kind: 'heading', text: 'National review' },
      { kind: 'paragraph', text: national },
      { kind: 'paragraph', text: `Reasons: ${decision.nationalReviewReason}` },
      { kind: 'heading', text: 'Sign-off by the safeguarding partners' },
      { kind: 'paragraph', text: partnersDecisionInWords(record) },
      ...safeguardingPartner.options.flatMap((partner) => [
        { kind: 'heading' as const, text: safeguardingPartnerNames[partner] },
        {
          kind: 'fields' as const,
          rows: signOffFields(
            signOffs.find((signOff) => signOff.partner === partner),
            context.timeZone,
          ),
        },
      ]),
      ...(resolution
        ? [
            { kind: 'heading' as const, text: "The Executive Board chair's resolution" },
            {
              kind: 'fields' as const,
              rows: [
                ['Outcome', resolutionOutcomeWords[resolution.outcome]],
                ['Resolved by', resolution.resolvedByName],
                ['Resolved on', formatDateOf(resolution.resolvedAt, context.timeZone)],
              ] as [string, string][],
            },
            { kind: 'paragraph' as const, text: `Reasons: ${resolution.reasons}` },
          ]
        : []),
    ],
  });
}

/**
 * The record of the Rapid Review Group meeting as a PDF to attach to the submission, when the case
 * has a meeting scheduled (shared/workflow/meeting-record.ts).
 */
export async function meetingRecordAttachment(
  record: Decided,
  context: PaperContext,
): Promise<Uint8Array | undefined> {
  return record.meeting ? meetingRecordPdf(record, context) : undefined;
}
