import { CalendarDate, instantAt, instantText, zonedDateTime } from './calendar/dates.ts';
import { addWorkingDays, isWorkingDay, nextWorkingDay } from './calendar/working-days.ts';
import {
  defaultRapidReviewRules,
  governingPlan,
  panelExpectedBy,
  type RapidReviewRules,
  rapidReviewRules,
} from './rapid-review-rules.ts';
import { isoInstant } from './schemas/primitives.ts';
import { type Timetable, timetable as timetableSchema } from './schemas/timetable.ts';

/** What the timetable is planned from. Dates are London calendar dates, YYYY-MM-DD. */
export interface RapidReviewPlanRequest {
  /** When the partnership received the notification: a Date, or an ISO 8601 instant with an offset or Z. */
  receivedAt: Date | string;
  /** When the local authority became aware of the incident. */
  awareOn?: string;
  /** When the local authority notified the Panel. */
  panelNotifiedOn?: string;
}

/** Thrown when a field of the plan request cannot be read; `field` names it and `problem` says why. */
export class TimetableInputError extends Error {
  override readonly name = 'TimetableInputError';
  readonly field: keyof RapidReviewPlanRequest;
  readonly problem: string;

  constructor(field: keyof RapidReviewPlanRequest, problem: string, options?: ErrorOptions) {
    super(`${field}: ${problem}`, options);
    this.field = field;
    this.problem = problem;
  }
}

function readReceivedAt(receivedAt: Date | string): Date {
  const instant =
    typeof receivedAt === 'string'
      ? isoInstant.safeParse(receivedAt).success
        ? new Date(receivedAt)
        : undefined
      : receivedAt;
  if (instant === undefined || Number.isNaN(instant.getTime())) {
    throw new TimetableInputError(
      'receivedAt',
      `expected an ISO 8601 instant with an offset or Z, like 2026-12-18T16:30:00Z, not ${String(receivedAt)}`,
    );
  }
  return instant;
}

function readDate(field: 'awareOn' | 'panelNotifiedOn', value: string): CalendarDate {
  // Only the form the rest of the service uses is allowed (not 20261218, not date-times).
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    try {
      return CalendarDate.from(value);
    } catch (error) {
      throw new TimetableInputError(field, `${value} is not a real date`, { cause: error });
    }
  }
  throw new TimetableInputError(field, `expected a date as YYYY-MM-DD, not ${value}`);
}

function instantOn(date: CalendarDate, time: string, timeZone: string): string {
  // The zone's rules, not a fixed offset, decide whether 09:00 is 09:00Z or 08:00Z (summer time).
  return instantText(instantAt(date, time, timeZone));
}

/**
 * Plans a Rapid Review from the moment its notification was received.
 *
 * Day 1 is the date of receipt (in the rules' time zone) when that is a working day and receipt was
 * before the end of the working day; otherwise the next working day. Day N is N-1 working days after
 * Day 1: the partnership's local timetable, whose submission milestone is `localDueDate`. The
 * Panel expects the review `panelExpectsReviewWithinWorkingDays` working days after
 * `panelNotifiedOn` (`panelExpectedBy`), and the review works to the earlier of the two: when
 * the Panel's date is earlier, the milestones are pulled back to meet it (`governingPlan`, the
 * rule stated once in the rules module). Each milestone starts at the start of the working day on
 * its date and is due at its end. The notification to the Panel, and to the partnership, is due
 * `notificationDueWithinWorkingDays` working days after `awareOn`; each is late when it came on a
 * later date. Fields that need a date not given are null.
 *
 * @throws TimetableInputError when a field cannot be read.
 * @throws CalendarRangeError when a date falls outside the vendored bank holiday calendar.
 * @throws a zod error ($ZodError) when the rules are invalid.
 */
export function planRapidReview(
  request: RapidReviewPlanRequest,
  rules: RapidReviewRules = defaultRapidReviewRules,
): Timetable {
  const {
    timeZone,
    workingDayStart,
    workingDayEnd,
    milestones: milestoneRules,
    escalationLadder,
    notificationDueWithinWorkingDays,
    panelExpectsReviewWithinWorkingDays,
  } = rapidReviewRules.parse(rules);
  const receivedAt = readReceivedAt(request.receivedAt);
  const awareOn = request.awareOn === undefined ? undefined : readDate('awareOn', request.awareOn);
  const panelNotifiedOn =
    request.panelNotifiedOn === undefined ? undefined : readDate('panelNotifiedOn', request.panelNotifiedOn);

  const received = zonedDateTime(receivedAt, timeZone);
  const receivedOn = received.date;
  const receivedBeforeEndOfWorkingDay =
    receivedAt.getTime() < instantAt(receivedOn, workingDayEnd, timeZone).getTime();
  const day1 =
    isWorkingDay(receivedOn) && receivedBeforeEndOfWorkingDay ? receivedOn : nextWorkingDay(receivedOn);

  // The ladder's rungs are planned with the milestones, in Day order (a milestone before a rung
  // of the same Day), so that pulling back moves them together and keeps their order.
  // (A stable sort: the milestones come first.)
  const steps: { day: number; milestone?: number; rung?: number }[] = [
    ...milestoneRules.map((rule, index) => ({ day: rule.day, milestone: index })),
    ...escalationLadder.map((rung, index) => ({ day: rung.day, rung: index })),
  ].sort((a, b) => a.day - b.day);
  const stepDates = steps.map(({ day }) => addWorkingDays(day1, day - 1));
  const localDates = milestoneRules.map(({ day }) => addWorkingDays(day1, day - 1));
  const submissionIndex = milestoneRules.findIndex(({ key }) => key === 'submitToPanel');
  const panelDueBy =
    panelNotifiedOn === undefined
      ? undefined
      : panelExpectedBy(panelNotifiedOn, panelExpectsReviewWithinWorkingDays);
  const stepPlan = governingPlan({
    localDates: stepDates,
    submissionIndex: steps.findIndex((step) => step.milestone === submissionIndex),
    panelDate: panelDueBy,
    receivedOn,
  });
  const plan = {
    ...stepPlan,
    milestoneDates: milestoneRules.map(
      (_, index) =>
        stepPlan.milestoneDates[steps.findIndex((step) => step.milestone === index)] as CalendarDate,
    ),
  };
  const ladder = escalationLadder.map(({ kind, day }, index) => {
    const date = stepPlan.milestoneDates[steps.findIndex((step) => step.rung === index)] as CalendarDate;
    return {
      kind,
      day,
      date: date.toString(),
      at: instantOn(date, kind === 'reminder' ? workingDayStart : workingDayEnd, timeZone),
    };
  });

  const milestones = milestoneRules.map(({ day, key, name }, index) => {
    const date = plan.milestoneDates[index] as CalendarDate;
    return {
      day,
      key,
      name,
      date: date.toString(),
      startsAt: instantOn(date, workingDayStart, timeZone),
      dueAt: instantOn(date, workingDayEnd, timeZone),
    };
  });

  const notificationDueBy =
    awareOn === undefined ? null : addWorkingDays(awareOn, notificationDueWithinWorkingDays);
  const lateAgainstDue = (on: CalendarDate | undefined) =>
    notificationDueBy === null || on === undefined ? null : CalendarDate.compare(on, notificationDueBy) > 0;

  return timetableSchema.parse({
    receivedAt: instantText(receivedAt),
    day1: day1.toString(),
    milestones,
    notificationDueBy: notificationDueBy?.toString() ?? null,
    notificationLate: lateAgainstDue(receivedOn),
    panelDueBy: panelDueBy?.toString() ?? null,
    localDueDate: (localDates[submissionIndex] as CalendarDate).toString(),
    governingDueDate: plan.dueDate.toString(),
    governedBy: plan.governedBy,
    workingDaysApart: plan.workingDaysApart,
    panelNotifiedLate: lateAgainstDue(panelNotifiedOn),
    partnershipToldLate: lateAgainstDue(receivedOn),
    ladder,
  });
}
