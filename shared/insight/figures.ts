import { CalendarDate } from '../calendar/dates.ts';
import { workingDaysBetween } from '../calendar/working-days.ts';
import type { AgencyRequest, CaseRecord, CaseStatus } from '../schemas/case.ts';
import { isoDateOf } from '../workflow/london-time.ts';

/**
 * The figures of the scrutineer's six-monthly report and the partnership's dashboard (issue 14
 * parts 3 and 4), computed from the case records as the case store holds them: pure functions, no
 * store, no clock but the one passed in. Every figure counts cases and dates; none reads a child's
 * details or any free text but the decision's reasons.
 */

const LONDON = 'Europe/London';

/** A case with its agency requests: what the report and the dashboard read of each review. */
export interface ReviewFacts {
  case: CaseRecord;
  agencies: readonly AgencyRequest[];
}

// ── Periods ─────────────────────────────────────────────────────────────────────────────────────

/** A half-year: 1 January to 30 June (`H1`) or 1 July to 31 December (`H2`). */
export interface HalfYear {
  year: number;
  half: 1 | 2;
}

const HALF_YEAR_TEXT = /^(\d{4})-H([12])$/;

/** `2026-H1` → the first half of 2026; anything else undefined. */
export function parseHalfYear(value: string): HalfYear | undefined {
  const match = HALF_YEAR_TEXT.exec(value.trim().toUpperCase());
  if (!match) return undefined;
  const year = Number(match[1]);
  if (year < 2000 || year > 2100) return undefined;
  return { year, half: match[2] === '1' ? 1 : 2 };
}

export const halfYearKey = (period: HalfYear): string => `${period.year}-H${period.half}`;

/** The half-year's first and last London dates, YYYY-MM-DD. */
export function halfYearDates(period: HalfYear): { from: string; to: string } {
  return period.half === 1
    ? { from: `${period.year}-01-01`, to: `${period.year}-06-30` }
    : { from: `${period.year}-07-01`, to: `${period.year}-12-31` };
}

/** "1 January to 30 June 2026". */
export function halfYearInWords(period: HalfYear): string {
  return period.half === 1 ? `1 January to 30 June ${period.year}` : `1 July to 31 December ${period.year}`;
}

/** The months of the half-year, YYYY-MM: the keys the case store's month index is queried by. */
export function halfYearMonths(period: HalfYear): string[] {
  const first = period.half === 1 ? 1 : 7;
  return Array.from({ length: 6 }, (_, index) => `${period.year}-${String(first + index).padStart(2, '0')}`);
}

/** The last half-year that ended before today (London): the report's default period. */
export function lastCompleteHalfYear(now: Date): HalfYear {
  const today = isoDateOf(now, LONDON);
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  return month <= 6 ? { year: year - 1, half: 2 } : { year, half: 1 };
}

/** The half-year `now` falls in, and the ones before it, newest first: the choices of the period. */
export function recentHalfYears(now: Date, count: number): HalfYear[] {
  const today = isoDateOf(now, LONDON);
  let current: HalfYear = { year: Number(today.slice(0, 4)), half: Number(today.slice(5, 7)) <= 6 ? 1 : 2 };
  const periods: HalfYear[] = [];
  for (let index = 0; index < count; index++) {
    periods.push(current);
    current = current.half === 2 ? { year: current.year, half: 1 } : { year: current.year - 1, half: 2 };
  }
  return periods;
}

/** The twelve months ending with the month `now` falls in (London), oldest first, YYYY-MM. */
export function lastTwelveMonths(now: Date): string[] {
  const today = isoDateOf(now, LONDON);
  let year = Number(today.slice(0, 4));
  let month = Number(today.slice(5, 7));
  const months: string[] = [];
  for (let index = 0; index < 12; index++) {
    months.unshift(`${year}-${String(month).padStart(2, '0')}`);
    month -= 1;
    if (month === 0) {
      month = 12;
      year -= 1;
    }
  }
  return months;
}

/** The London month (YYYY-MM) an instant falls in: the month index's key of a case's notification. */
export const monthOf = (instant: string): string => isoDateOf(instant, LONDON).slice(0, 7);

/** Only the reviews notified within the dates (London), both included. */
export function notifiedWithin(reviews: readonly ReviewFacts[], from: string, to: string): ReviewFacts[] {
  return reviews.filter((review) => {
    const received = isoDateOf(review.case.receivedAt, LONDON);
    return received >= from && received <= to;
  });
}

// ── Timeliness ──────────────────────────────────────────────────────────────────────────────────

/** Statuses in which the review has been sent to the Panel. */
const SENT: readonly CaseStatus[] = ['submitted-to-panel', 'completed'];

/** Whether the review was sent to the Panel (its status says so, or its sending is dated). */
export const wasSent = (record: CaseRecord): boolean =>
  SENT.includes(record.status) || record.submittedToPanelAt !== undefined;

/** The local plan's date: the partnership's own Day 15, or the submission milestone of an older plan. */
export function localPlanDate(record: CaseRecord): string | undefined {
  return (
    record.timetable.localDueDate ??
    record.timetable.milestones.find((milestone) => milestone.key === 'submitToPanel')?.date
  );
}

/**
 * How many working days after `dueDate` the review went (0 when on or before it), by the
 * working-day calendar (shared/calendar): sent on the day after a Friday due date, a Saturday,
 * is 0; on the Monday, 1.
 */
export function workingDaysLate(dueDate: string, sentOn: string): number {
  if (sentOn <= dueDate) return 0;
  return Math.max(0, workingDaysBetween(CalendarDate.from(dueDate), CalendarDate.from(sentOn)));
}

/** One review against one date: on time, late by so many working days, or that date unknown. */
export type AgainstDate = { kind: 'on-time' } | { kind: 'late'; workingDays: number } | { kind: 'unknown' };

/** A sent review against a due date (undefined: the date, or when it was sent, is not known). */
export function againstDate(dueDate: string | null | undefined, sentAt: string | undefined): AgainstDate {
  if (!dueDate || !sentAt) return { kind: 'unknown' };
  const days = workingDaysLate(dueDate, isoDateOf(sentAt, LONDON));
  return days === 0 ? { kind: 'on-time' } : { kind: 'late', workingDays: days };
}

/** Sent reviews counted against one date: on time, late (and by how much in all), date unknown. */
export interface TimelinessCount {
  sent: number;
  onTime: number;
  late: number;
  unknown: number;
  /** The working days late, added up over the late reviews. */
  workingDaysLateTotal: number;
  /** The most working days any review was late; 0 when none was. */
  workingDaysLateMost: number;
}

function countAgainst(results: readonly AgainstDate[]): TimelinessCount {
  const late = results.filter((result) => result.kind === 'late');
  const days = late.map((result) => (result.kind === 'late' ? result.workingDays : 0));
  return {
    sent: results.length,
    onTime: results.filter((result) => result.kind === 'on-time').length,
    late: late.length,
    unknown: results.filter((result) => result.kind === 'unknown').length,
    workingDaysLateTotal: days.reduce((sum, day) => sum + day, 0),
    workingDaysLateMost: days.reduce((most, day) => Math.max(most, day), 0),
  };
}

/** The sent reviews against the Panel's date (15 working days from its notification). */
export function timelinessAgainstPanel(reviews: readonly ReviewFacts[]): TimelinessCount {
  return countAgainst(
    reviews
      .filter((review) => wasSent(review.case))
      .map((review) => againstDate(review.case.timetable.panelDueBy, review.case.submittedToPanelAt)),
  );
}

/** The sent reviews against the local plan (the partnership's own Day 15). */
export function timelinessAgainstLocalPlan(reviews: readonly ReviewFacts[]): TimelinessCount {
  return countAgainst(
    reviews
      .filter((review) => wasSent(review.case))
      .map((review) => againstDate(localPlanDate(review.case), review.case.submittedToPanelAt)),
  );
}

/** The date a review works to: the governing date, else the Panel's, else the local plan's. */
export function governingDate(record: CaseRecord): string | undefined {
  return record.timetable.governingDueDate ?? record.timetable.panelDueBy ?? localPlanDate(record);
}

/** Whole percentage, rounded half up; none of none is undefined (shown as "None"). */
export function percentage(part: number, whole: number): number | undefined {
  return whole === 0 ? undefined : Math.round((part * 100) / whole);
}

// ── Counts ──────────────────────────────────────────────────────────────────────────────────────

/** Notifications received, and what became of them. */
export interface NotificationCounts {
  notifications: number;
  deaths: number;
  seriousHarm: number;
  /** Sent to the Panel: the rapid reviews done. */
  reviewsDone: number;
  notificationOnly: number;
  withdrawn: number;
  inProgress: number;
}

export function notificationCounts(reviews: readonly ReviewFacts[]): NotificationCounts {
  const cases = reviews.map((review) => review.case);
  const done = cases.filter(wasSent).length;
  const closed = cases.filter((record) => record.status === 'closed').length;
  const withdrawn = cases.filter((record) => record.status === 'withdrawn').length;
  return {
    notifications: cases.length,
    deaths: cases.filter((record) => record.incidentKind === 'death').length,
    seriousHarm: cases.filter((record) => record.incidentKind === 'serious-harm').length,
    reviewsDone: done,
    notificationOnly: closed,
    withdrawn,
    inProgress: cases.length - done - closed - withdrawn,
  };
}

/** The safeguarding partners' decisions: how many recommended each thing, and each one's reasons. */
export interface DecisionFigures {
  decided: number;
  localReview: number;
  nationalReview: number;
  neither: number;
  decisions: {
    reference: string;
    decidedAt: string;
    commissionLocalReview: boolean;
    localReviewReason: string;
    recommendNationalReview: boolean;
    nationalReviewReason: string;
  }[];
}

export function decisionFigures(reviews: readonly ReviewFacts[]): DecisionFigures {
  const decided = reviews.flatMap((review) =>
    review.case.decision ? [{ reference: review.case.reference, decision: review.case.decision }] : [],
  );
  return {
    decided: decided.length,
    localReview: decided.filter(({ decision }) => decision.commissionLocalReview).length,
    nationalReview: decided.filter(({ decision }) => decision.recommendNationalReview).length,
    neither: decided.filter(
      ({ decision }) => !decision.commissionLocalReview && !decision.recommendNationalReview,
    ).length,
    decisions: decided
      .map(({ reference, decision }) => ({
        reference,
        decidedAt: decision.decidedAt,
        commissionLocalReview: decision.commissionLocalReview,
        localReviewReason: decision.localReviewReason,
        recommendNationalReview: decision.recommendNationalReview,
        nationalReviewReason: decision.nationalReviewReason,
      }))
      .sort((a, b) => a.decidedAt.localeCompare(b.decidedAt)),
  };
}

/** One agency's returns over the reviews: asked (not removed), returned, returned by Day 10. */
export interface AgencyReturnRate {
  agencyName: string;
  asked: number;
  returned: number;
  onTime: number;
  /** Returned, as a whole percentage of asked. */
  returnRate: number | undefined;
  /** Returned by the deadline, as a whole percentage of returned. */
  onTimeRate: number | undefined;
}

/**
 * Each agency's return rate and timeliness, by the agency's name as the review asked it (an
 * agency is the same agency on every review it is named alike), the most asked first.
 */
export function agencyReturnRates(reviews: readonly ReviewFacts[]): AgencyReturnRate[] {
  const byAgency = new Map<string, { asked: number; returned: number; onTime: number }>();
  for (const review of reviews) {
    for (const agency of review.agencies) {
      if (agency.status === 'removed') continue;
      const counts = byAgency.get(agency.agencyName) ?? { asked: 0, returned: 0, onTime: 0 };
      counts.asked += 1;
      if (agency.status === 'received') {
        counts.returned += 1;
        if (!agency.late) counts.onTime += 1;
      }
      byAgency.set(agency.agencyName, counts);
    }
  }
  return [...byAgency.entries()]
    .map(([agencyName, counts]) => ({
      agencyName,
      ...counts,
      returnRate: percentage(counts.returned, counts.asked),
      onTimeRate: percentage(counts.onTime, counts.returned),
    }))
    .sort((a, b) => b.asked - a.asked || a.agencyName.localeCompare(b.agencyName));
}

/** The Panel's replies: how many, how many agreed, and each one that disagreed. */
export interface PanelReplyFigures {
  /** Reviews sent to the Panel. */
  sent: number;
  replies: number;
  agreed: number;
  disagreed: number;
  nationalReviews: number;
  localReviewsAsked: number;
  /** The replies that did not agree with the partners' decision, or asked for a local review they had not commissioned. */
  disagreements: {
    reference: string;
    repliedOn: string;
    agreesWithDecision: boolean;
    asksForLocalReview: boolean;
    localReviewCommissioned: boolean;
    nationalReview: boolean;
  }[];
}

export function panelReplyFigures(reviews: readonly ReviewFacts[]): PanelReplyFigures {
  const replied = reviews.filter((review) => review.case.panelReply);
  const disagreements = replied
    .filter((review) => {
      const reply = review.case.panelReply;
      if (!reply) return false;
      const commissioned = review.case.decision?.commissionLocalReview ?? false;
      return !reply.agreesWithDecision || (reply.asksForLocalReview && !commissioned);
    })
    .map((review) => {
      const reply = review.case.panelReply as NonNullable<CaseRecord['panelReply']>;
      return {
        reference: review.case.reference,
        repliedOn: reply.repliedOn,
        agreesWithDecision: reply.agreesWithDecision,
        asksForLocalReview: reply.asksForLocalReview,
        localReviewCommissioned: review.case.decision?.commissionLocalReview ?? false,
        nationalReview: reply.nationalReview,
      };
    })
    .sort((a, b) => a.repliedOn.localeCompare(b.repliedOn));
  return {
    sent: reviews.filter((review) => wasSent(review.case)).length,
    replies: replied.length,
    agreed: replied.filter((review) => review.case.panelReply?.agreesWithDecision).length,
    disagreed: replied.filter((review) => !review.case.panelReply?.agreesWithDecision).length,
    nationalReviews: replied.filter((review) => review.case.panelReply?.nationalReview).length,
    localReviewsAsked: replied.filter((review) => review.case.panelReply?.asksForLocalReview).length,
    disagreements,
  };
}

/** The reviews whose decision or Panel reply commissions a local review. */
export function commissioningLocalReviews(reviews: readonly ReviewFacts[]): ReviewFacts[] {
  return reviews.filter(
    (review) =>
      review.case.decision?.commissionLocalReview === true ||
      review.case.panelReply?.asksForLocalReview === true,
  );
}

// ── The dashboard ───────────────────────────────────────────────────────────────────────────────

/** Statuses of a review still running towards the Panel. */
export const OPEN_STATUSES: readonly CaseStatus[] = [
  'notified',
  'awaiting-summaries',
  'collating',
  'awaiting-decision',
  'decided',
  'failed',
];

/** An open review against its governing date: working days left (negative: overdue by). */
export interface OpenReviewPosition {
  reference: string;
  status: CaseStatus;
  governingDate: string | undefined;
  governedBy: 'panel' | 'local';
  /** Working days from today to the governing date; negative when it has passed. */
  workingDaysLeft: number | undefined;
}

export function openReviewPositions(records: readonly CaseRecord[], now: Date): OpenReviewPosition[] {
  const today = isoDateOf(now, LONDON);
  return records
    .filter((record) => OPEN_STATUSES.includes(record.status))
    .map((record) => {
      const date = governingDate(record);
      return {
        reference: record.reference,
        status: record.status,
        governingDate: date,
        governedBy: record.timetable.governedBy ?? 'local',
        workingDaysLeft: date
          ? workingDaysBetween(CalendarDate.from(today), CalendarDate.from(date))
          : undefined,
      };
    })
    .sort(
      (a, b) =>
        (a.workingDaysLeft ?? Number.POSITIVE_INFINITY) - (b.workingDaysLeft ?? Number.POSITIVE_INFINITY) ||
        a.reference.localeCompare(b.reference),
    );
}

/** One month of the timeliness trend: the reviews sent that month, how many by the governing date. */
export interface MonthTimeliness {
  month: string;
  sent: number;
  onTime: number;
  late: number;
  onTimeRate: number | undefined;
}

/**
 * The timeliness trend: for each month, the reviews notified that month that went to the Panel,
 * and how many went by their governing date.
 */
export function timelinessTrend(
  reviews: readonly ReviewFacts[],
  months: readonly string[],
): MonthTimeliness[] {
  return months.map((month) => {
    const results = reviews
      .filter((review) => monthOf(review.case.receivedAt) === month && wasSent(review.case))
      .map((review) => againstDate(governingDate(review.case), review.case.submittedToPanelAt));
    const onTime = results.filter((result) => result.kind === 'on-time').length;
    const late = results.filter((result) => result.kind === 'late').length;
    return { month, sent: results.length, onTime, late, onTimeRate: percentage(onTime, onTime + late) };
  });
}

/** "March 2026" for 2026-03. */
export function monthInWords(month: string): string {
  const names = [
    'January',
    'February',
    'March',
    'April',
    'May',
    'June',
    'July',
    'August',
    'September',
    'October',
    'November',
    'December',
  ];
  return `${names[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;
}

// ── Themes and actions (issue 14 parts 1 and 2, from the learning store) ───────────────────────

/** An action as the figures read it. */
export interface ActionFacts {
  reviewReference: string;
  number: number;
  owningAgencyName: string;
  ownerRole: string;
  dueOn: string;
  status: 'not-started' | 'in-progress' | 'done' | 'verified';
  theme?: string;
}

/** One overdue action: due before today and not yet done. */
export interface OverdueAction {
  reviewReference: string;
  number: number;
  owningAgencyName: string;
  ownerRole: string;
  dueOn: string;
  status: ActionFacts['status'];
  /** Working days since it was due. */
  workingDaysOverdue: number;
}

/**
 * The actions overdue on `today` (London, YYYY-MM-DD): due before it and neither done nor
 * verified (an action done waits only for its verification, so it is not overdue), the longest
 * overdue first.
 */
export function overdueActions(actions: readonly ActionFacts[], today: string): OverdueAction[] {
  return actions
    .filter(
      (action) =>
        action.dueOn < today && (action.status === 'not-started' || action.status === 'in-progress'),
    )
    .map((action) => ({
      reviewReference: action.reviewReference,
      number: action.number,
      owningAgencyName: action.owningAgencyName,
      ownerRole: action.ownerRole,
      dueOn: action.dueOn,
      status: action.status,
      workingDaysOverdue: workingDaysLate(action.dueOn, today),
    }))
    .sort(
      (a, b) =>
        a.dueOn.localeCompare(b.dueOn) ||
        a.reviewReference.localeCompare(b.reviewReference) ||
        a.number - b.number,
    );
}

/** The overdue actions counted by owning agency, the most first. */
export function overdueByAgency(overdue: readonly OverdueAction[]): { agencyName: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const action of overdue)
    counts.set(action.owningAgencyName, (counts.get(action.owningAgencyName) ?? 0) + 1);
  return [...counts.entries()]
    .map(([agencyName, count]) => ({ agencyName, count }))
    .sort((a, b) => b.count - a.count || a.agencyName.localeCompare(b.agencyName));
}

/** The themes most seen: those tagged on at least one review, the most first (then by the profile's order), at most `limit`. */
export function themesMostSeen(
  counts: readonly { key: string; name: string; reviews: number }[],
  limit: number,
): { key: string; name: string; reviews: number }[] {
  return counts
    .map((theme, order) => ({ ...theme, order }))
    .filter((theme) => theme.reviews > 0)
    .sort((a, b) => b.reviews - a.reviews || a.order - b.order)
    .slice(0, limit)
    .map(({ order: _order, ...theme }) => theme);
}
