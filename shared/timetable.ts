import { Temporal } from 'temporal-polyfill';
import { addWorkingDays, isWorkingDay, nextWorkingDay } from './calendar/working-days.ts';
import {
  defaultRapidReviewRules,
  type MilestoneKey,
  type RapidReviewRules,
  rapidReviewRules,
} from './rapid-review-rules.ts';
import {
  type Timetable,
  type TimetableMilestone,
  timetable as timetableSchema,
} from './schemas/timetable.ts';

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

function readReceivedAt(receivedAt: Date | string): Temporal.Instant {
  try {
    return typeof receivedAt === 'string'
      ? Temporal.Instant.from(receivedAt)
      : Temporal.Instant.fromEpochMilliseconds(receivedAt.getTime());
  } catch (error) {
    throw new TimetableInputError(
      'receivedAt',
      `expected an ISO 8601 instant with an offset or Z, like 2026-12-18T16:30:00Z, not ${String(receivedAt)}`,
      { cause: error },
    );
  }
}

function readDate(field: 'awareOn' | 'panelNotifiedOn', value: string): Temporal.PlainDate {
  // Temporal also accepts 20261218 and date-times; only the form the rest of the service uses is allowed.
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    try {
      return Temporal.PlainDate.from(value);
    } catch (error) {
      throw new TimetableInputError(field, `${value} is not a real date`, { cause: error });
    }
  }
  throw new TimetableInputError(field, `expected a date as YYYY-MM-DD, not ${value}`);
}

function instantOn(date: Temporal.PlainDate, time: string, timeZone: string): string {
  // The zone's rules, not a fixed offset, decide whether 09:00 is 09:00Z or 08:00Z (summer time).
  return date
    .toZonedDateTime({ timeZone, plainTime: Temporal.PlainTime.from(time) })
    .toInstant()
    .toString();
}

/**
 * Plans a Rapid Review from the moment its notification was received.
 *
 * Day 1 is the date of receipt (in the rules' time zone) when that is a working day and receipt was
 * before the end of the working day; otherwise the next working day. Day N is N-1 working days after
 * Day 1. Each milestone starts at the start of the working day on its date and is due at its end.
 * The notification is due `notificationDueWithinWorkingDays` working days after `awareOn` and is late
 * when received on a later date; the Panel expects the review `panelExpectsReviewWithinWorkingDays`
 * working days after `panelNotifiedOn`. Those three are null when their input is not given.
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
    notificationDueWithinWorkingDays,
    panelExpectsReviewWithinWorkingDays,
  } = rapidReviewRules.parse(rules);
  const receivedAt = readReceivedAt(request.receivedAt);
  const awareOn = request.awareOn === undefined ? undefined : readDate('awareOn', request.awareOn);
  const panelNotifiedOn =
    request.panelNotifiedOn === undefined ? undefined : readDate('panelNotifiedOn', request.panelNotifiedOn);

  const received = receivedAt.toZonedDateTimeISO(timeZone);
  const receivedOn = received.toPlainDate();
  const receivedBeforeEndOfWorkingDay =
    Temporal.PlainTime.compare(received.toPlainTime(), Temporal.PlainTime.from(workingDayEnd)) < 0;
  const day1 =
    isWorkingDay(receivedOn) && receivedBeforeEndOfWorkingDay ? receivedOn : nextWorkingDay(receivedOn);

  const milestones = milestoneRules.map(({ day, key, name }) => {
    const date = addWorkingDays(day1, day - 1);
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
  const panelDueBy =
    panelNotifiedOn === undefined
      ? null
      : addWorkingDays(panelNotifiedOn, panelExpectsReviewWithinWorkingDays);

  return timetableSchema.parse({
    receivedAt: receivedAt.toString(),
    day1: day1.toString(),
    milestones,
    notificationDueBy: notificationDueBy?.toString() ?? null,
    notificationLate:
      notificationDueBy === null ? null : Temporal.PlainDate.compare(receivedOn, notificationDueBy) > 0,
    panelDueBy: panelDueBy?.toString() ?? null,
  });
}

export { MilestoneNotFoundError, milestone } from './schemas/timetable.ts';
