import type { LocalReview } from '../schemas/local-review.ts';
import type { CaseStore } from '../stores/case-store.ts';
import type { LearningStore } from '../stores/learning-store.ts';
import type { LocalReviewStore } from '../stores/local-review-store.ts';
import { formatDate, formatDateOf, isoDateOf } from '../workflow/london-time.ts';
import {
  agencyReturnRates,
  commissioningLocalReviews,
  decisionFigures,
  type HalfYear,
  halfYearDates,
  halfYearInWords,
  halfYearMonths,
  notificationCounts,
  notifiedWithin,
  type OverdueAction,
  overdueActions,
  overdueByAgency,
  panelReplyFigures,
  percentage,
  type ReviewFacts,
  type TimelinessCount,
  timelinessAgainstLocalPlan,
  timelinessAgainstPanel,
} from './figures.ts';

/**
 * The scrutineer's six-monthly report (issue 14 part 3) as words and tables, the same for the
 * page and the PDF: the figures of shared/insight/figures.ts over the reviews notified in the
 * half-year, read through the case store's month index (one query a month). It names no child:
 * a review is its reference; the one free text is the decision's reasons, as the chair gave them.
 */

export type ReportRow = readonly [label: string, value: string];
export interface ReportTable {
  caption: string;
  columns: readonly string[];
  rows: readonly (readonly string[])[];
}
export interface ReportSection {
  id: string;
  heading: string;
  rows: readonly ReportRow[];
  tables: readonly ReportTable[];
  /** A sentence when the section has nothing to count. */
  empty?: string;
}
export interface ScrutinyReport {
  period: HalfYear;
  periodInWords: string;
  sections: ReportSection[];
  /** The reviews notified in the period, for the list of cases under the report. */
  reviews: ReviewFacts[];
}

const LONDON = 'Europe/London';
const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;
const yesNo = (value: boolean) => (value ? 'Yes' : 'No');
const percent = (value: number | undefined) => (value === undefined ? 'None' : `${value}%`);

/** "3 of 4 (75%)". */
const share = (part: number, whole: number) =>
  whole === 0 ? 'None' : `${part} of ${whole} (${percent(percentage(part, whole))})`;

function timelinessRows(count: TimelinessCount, unknownWording: string): ReportRow[] {
  const known = count.onTime + count.late;
  return [
    ['On time', share(count.onTime, known)],
    ['Late', share(count.late, known)],
    [
      'Working days late',
      count.late === 0
        ? 'None'
        : `${plural(count.workingDaysLateTotal, 'working day')} in all; on average ${(count.workingDaysLateTotal / count.late).toFixed(1)} a late review; at most ${count.workingDaysLateMost}`,
    ],
    ...(count.unknown > 0 ? [[unknownWording, String(count.unknown)] as ReportRow] : []),
  ];
}

/** Where a local review stands, in a few words. */
export function localReviewProgress(review: LocalReview | undefined, now: Date): string {
  if (!review) return 'Not started yet';
  if (review.status === 'published' && review.publication)
    return `Published on ${formatDate(review.publication.publishedOn, { weekday: false })}`;
  if (review.status === 'published') return 'Published';
  if (review.status === 'awaiting-publication') return 'Final report ready; publication planned';
  if (review.status === 'failed') return 'Stopped by a fault the partnership team is fixing';
  const steps = [
    review.termsOfReference ? 'terms of reference agreed' : 'terms of reference not yet agreed',
    review.reviewer ? 'reviewer appointed' : 'no reviewer yet',
  ];
  const due = formatDate(review.completionDueOn, { weekday: false });
  const overdue = review.completionDueOn < formatDateIso(now);
  return `In progress: ${steps.join(', ')}; ${overdue ? 'was due' : 'due'} by ${due}${overdue ? ' (late)' : ''}`;
}

const formatDateIso = (now: Date) => isoDateOf(now, LONDON);

/** The report's words and tables from the period's reviews and their local reviews. */
export function scrutinyReportOf(
  period: HalfYear,
  periodReviews: readonly ReviewFacts[],
  localReviews: ReadonlyMap<string, LocalReview | undefined>,
  now: Date,
  overdue: readonly OverdueAction[] = [],
): ScrutinyReport {
  const { from, to } = halfYearDates(period);
  const reviews = notifiedWithin(periodReviews, from, to);
  const counts = notificationCounts(reviews);
  const decisions = decisionFigures(reviews);
  const againstPanel = timelinessAgainstPanel(reviews);
  const againstLocal = timelinessAgainstLocalPlan(reviews);
  const agencies = agencyReturnRates(reviews);
  const replies = panelReplyFigures(reviews);
  const commissioning = commissioningLocalReviews(reviews);

  const sections: ReportSection[] = [
    {
      id: 'notifications',
      heading: 'Notifications and rapid reviews',
      rows: [
        ['Notifications received', String(counts.notifications)],
        ['Deaths of a child', String(counts.deaths)],
        ['Serious harm to a child', String(counts.seriousHarm)],
        ['Rapid reviews done (sent to the Panel)', String(counts.reviewsDone)],
        ['Closed as notification only', String(counts.notificationOnly)],
        ['Withdrawn', String(counts.withdrawn)],
        ['Still in progress', String(counts.inProgress)],
      ],
      tables: [],
    },
    {
      id: 'decisions',
      heading: 'Decisions and their reasons',
      rows: [
        ['Decisions recorded', String(decisions.decided)],
        ['Local review commissioned', String(decisions.localReview)],
        ['National review recommended', String(decisions.nationalReview)],
        ['Neither', String(decisions.neither)],
      ],
      tables:
        decisions.decisions.length === 0
          ? []
          : [
              {
                caption: 'Each decision and its reasons, as the chair recorded them',
                columns: ['Review', 'Decided', 'Local review', 'National review', 'Reasons'],
                rows: decisions.decisions.map((decision) => [
                  decision.reference,
                  formatDateOf(decision.decidedAt, LONDON),
                  yesNo(decision.commissionLocalReview),
                  yesNo(decision.recommendNationalReview),
                  `Local review: ${decision.localReviewReason} National review: ${decision.nationalReviewReason}`,
                ]),
              },
            ],
    },
    {
      id: 'timeliness-panel',
      heading: 'On time against the Panel’s date',
      rows: [
        ['Rapid reviews sent', String(againstPanel.sent)],
        ...timelinessRows(againstPanel, 'The Panel’s date not known (when it was notified is not known)'),
      ],
      tables: [],
    },
    {
      id: 'timeliness-local',
      heading: 'On time against the local plan',
      rows: [
        ['Rapid reviews sent', String(againstLocal.sent)],
        ...timelinessRows(againstLocal, 'When it was sent is not known'),
      ],
      tables: [],
    },
    {
      id: 'agencies',
      heading: 'Agencies’ returns',
      rows: [],
      tables:
        agencies.length === 0
          ? []
          : [
              {
                caption: 'Each agency’s summaries: asked for, returned, and returned by the deadline',
                columns: ['Agency', 'Asked', 'Returned', 'Return rate', 'Returned on time'],
                rows: agencies.map((agency) => [
                  agency.agencyName,
                  String(agency.asked),
                  String(agency.returned),
                  percent(agency.returnRate),
                  share(agency.onTime, agency.returned),
                ]),
              },
            ],
      ...(agencies.length === 0 ? { empty: 'No agency was asked for a summary in this period.' } : {}),
    },
    {
      id: 'panel',
      heading: 'The Panel’s replies',
      rows: [
        ['Rapid reviews sent to the Panel', String(replies.sent)],
        ['Replies recorded', String(replies.replies)],
        ['Agreed with the decision', String(replies.agreed)],
        ['Disagreed with the decision', String(replies.disagreed)],
        ['Asked for a local review', String(replies.localReviewsAsked)],
        ['Will carry out a national review', String(replies.nationalReviews)],
      ],
      tables:
        replies.disagreements.length === 0
          ? []
          : [
              {
                caption: 'Where the Panel disagreed',
                columns: [
                  'Review',
                  'Replied',
                  'Agreed with the decision',
                  'Asked for a local review',
                  'Local review commissioned',
                ],
                rows: replies.disagreements.map((entry) => [
                  entry.reference,
                  formatDate(entry.repliedOn, { weekday: false }),
                  yesNo(entry.agreesWithDecision),
                  yesNo(entry.asksForLocalReview),
                  yesNo(entry.localReviewCommissioned),
                ]),
              },
            ],
    },
    {
      id: 'local-reviews',
      heading: 'Local reviews commissioned',
      rows: [['Local reviews commissioned or asked for', String(commissioning.length)]],
      tables:
        commissioning.length === 0
          ? []
          : [
              {
                caption: 'Each local review and its progress',
                columns: ['Rapid Review', 'How it came', 'Progress'],
                rows: commissioning.map((review) => [
                  review.case.reference,
                  review.case.decision?.commissionLocalReview
                    ? 'The safeguarding partners’ decision'
                    : 'The Panel asked for it',
                  localReviewProgress(localReviews.get(review.case.caseId), now),
                ]),
              },
            ],
    },
    {
      id: 'actions-overdue',
      heading: 'Actions overdue',
      rows: [
        ['Actions overdue today, from every review', String(overdue.length)],
        ...overdueByAgency(overdue).map(
          (agency) => [`Owned by ${agency.agencyName}`, String(agency.count)] as ReportRow,
        ),
      ],
      tables:
        overdue.length === 0
          ? []
          : [
              {
                caption: 'Each action overdue today, the longest overdue first',
                columns: ['Action', 'Owning agency', 'Owner', 'Was due', 'Overdue by'],
                rows: overdue.map((action) => [
                  `${action.reviewReference} A${action.number}`,
                  action.owningAgencyName,
                  action.ownerRole,
                  formatDate(action.dueOn, { weekday: false }),
                  plural(action.workingDaysOverdue, 'working day'),
                ]),
              },
            ],
    },
  ];
  return { period, periodInWords: halfYearInWords(period), sections, reviews };
}

/**
 * Reads the period's reviews through the month index (six queries) and the local reviews of those
 * that commissioned one (two reads each), and builds the report.
 */
/** The actions overdue today: a query of the action index for each status not yet done, due by today. */
export async function readOverdueActions(
  learning: Pick<LearningStore, 'listActionsByStatus'>,
  now: Date,
): Promise<OverdueAction[]> {
  const today = isoDateOf(now, LONDON);
  const open = await Promise.all(
    (['not-started', 'in-progress'] as const).map((status) =>
      learning.listActionsByStatus(status, { dueTo: today }),
    ),
  );
  return overdueActions(open.flat(), today);
}

export async function readScrutinyReport(
  ports: {
    cases: Pick<CaseStore, 'listReviewsNotifiedIn'>;
    localReviews: Pick<LocalReviewStore, 'findLocalReviewOfCase' | 'getLocalReview'>;
    learning: Pick<LearningStore, 'listActionsByStatus'>;
  },
  period: HalfYear,
  now: Date,
): Promise<ScrutinyReport> {
  const [reviews, overdue] = await Promise.all([
    ports.cases.listReviewsNotifiedIn(halfYearMonths(period)),
    readOverdueActions(ports.learning, now),
  ]);
  const localReviews = new Map<string, LocalReview | undefined>(
    await Promise.all(
      commissioningLocalReviews(reviews).map(async (review) => {
        const reviewId = await ports.localReviews.findLocalReviewOfCase(review.case.caseId);
        const found = reviewId ? await ports.localReviews.getLocalReview(reviewId) : undefined;
        return [review.case.caseId, found] as const;
      }),
    ),
  );
  return scrutinyReportOf(period, reviews, localReviews, now, overdue);
}
