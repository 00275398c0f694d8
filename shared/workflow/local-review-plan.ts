import { CalendarDate, instantAt } from '../calendar/dates.ts';
import {
  addWorkingDays,
  CalendarRangeError,
  isWorkingDay,
  previousWorkingDay,
  subtractWorkingDays,
} from '../calendar/working-days.ts';
import type { LocalReviewRules } from '../local-review-rules.ts';
import type { RapidReviewRules } from '../rapid-review-rules.ts';
import type { LocalReview, ParallelProcess } from '../schemas/local-review.ts';
import { isoDateOf } from './london-time.ts';

/**
 * The dates a Local Child Safeguarding Practice Review runs to (issue 13), worked out from the
 * partnership profile's rules: calendar months for the completion target, the reminders and the
 * minimum period of publication; working days (the Rapid Review's calendar) for the notice
 * before publication and the chasing. Plain functions of the review and the time, no I/O.
 */

/** The rules a review's dates need: the local review's own, and the working hours and time zone. */
export interface LocalReviewCalendar {
  rules: LocalReviewRules;
  hours: Pick<RapidReviewRules, 'timeZone' | 'workingDayStart' | 'workingDayEnd'>;
}

/** `date` moved by whole calendar months; a day the month lacks becomes its last (31 Aug + 6 → 28 or 29 Feb). */
export function addCalendarMonths(date: string, months: number): string {
  const day = CalendarDate.from(date);
  const index = day.year * 12 + (day.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return CalendarDate.from({ year, month, day: Math.min(day.day, lastDay) }).toString();
}

/** The completion target: the profile's months (default six) from the decision to commission. */
export function completionDueOn(decidedOn: string, rules: LocalReviewRules): string {
  return addCalendarMonths(decidedOn, rules.completionMonths);
}

/**
 * The working day on or before `date`: a reminder or an alert that would fall on a weekend or a
 * bank holiday comes the working day before. A date beyond the vendored calendar stays as it is.
 */
export function workingDayOnOrBefore(date: string): string {
  try {
    const day = CalendarDate.from(date);
    return isWorkingDay(day) ? date : previousWorkingDay(day).toString();
  } catch (error) {
    if (error instanceof CalendarRangeError) return date;
    throw error;
  }
}

const startOf = (date: string, calendar: LocalReviewCalendar) =>
  instantAt(CalendarDate.from(date), calendar.hours.workingDayStart, calendar.hours.timeZone);
const endOf = (date: string, calendar: LocalReviewCalendar) =>
  instantAt(CalendarDate.from(date), calendar.hours.workingDayEnd, calendar.hours.timeZone);

/** When the completion target passes: the end of the working day it falls on. */
export function completionDueAt(
  review: Pick<LocalReview, 'completionDueOn'>,
  calendar: LocalReviewCalendar,
): Date {
  return endOf(review.completionDueOn, calendar);
}

/** One reminder before the completion target. */
export interface ReminderPoint {
  monthsBefore: number;
  on: string;
  at: Date;
}

/**
 * The reminders before the completion target still to come for this review: one for each of
 * the profile's months before it, at the start of that day, earliest first; none that fell
 * before the review was commissioned, none already sent.
 */
export function reminderPoints(
  review: Pick<LocalReview, 'completionDueOn' | 'commissionedAt' | 'remindersSent'>,
  calendar: LocalReviewCalendar,
): ReminderPoint[] {
  const sent = new Set(review.remindersSent.map((reminder) => reminder.monthsBefore));
  const commissioned = Date.parse(review.commissionedAt);
  return [...new Set(calendar.rules.reminderMonthsBefore)]
    .filter((months) => !sent.has(months))
    .map((monthsBefore) => {
      const on = workingDayOnOrBefore(addCalendarMonths(review.completionDueOn, -monthsBefore));
      return { monthsBefore, on, at: startOf(on, calendar) };
    })
    .filter((point) => point.at.getTime() > commissioned)
    .sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** The end of the working day `workingDays` after `now`'s date. */
export function workingDaysAfter(now: Date, workingDays: number, calendar: LocalReviewCalendar): Date {
  const today = CalendarDate.from(isoDateOf(now, calendar.hours.timeZone));
  return endOf(addWorkingDays(today, workingDays).toString(), calendar);
}

/**
 * When the wait for the final report ends: the next reminder point, else the completion
 * target, else (the review late) the profile's working days from now.
 */
export function completionWaitUntil(
  review: Pick<LocalReview, 'completionDueOn' | 'commissionedAt' | 'remindersSent'>,
  now: Date,
  calendar: LocalReviewCalendar,
): Date {
  const target = completionDueAt(review, calendar);
  const next = reminderPoints(review, calendar).find((point) => point.at.getTime() < target.getTime());
  if (next) return next.at;
  if (target.getTime() > now.getTime()) return target;
  return workingDaysAfter(now, calendar.rules.lateChaseWorkingDays, calendar);
}

/** The processes holding publication back now: open ones that hold it. */
export function processesHoldingPublication(
  review: Pick<LocalReview, 'parallelProcesses'>,
): ParallelProcess[] {
  return review.parallelProcesses.filter((process) => process.holdsPublication && !process.endedOn);
}

/** The day the notice before publication is due: the profile's working days (default 7) before the planned date. */
export function prePublicationNoticeOn(plannedOn: string, rules: LocalReviewRules): string {
  return subtractWorkingDays(CalendarDate.from(plannedOn), rules.prePublicationNoticeWorkingDays).toString();
}

export function prePublicationNoticeAt(plannedOn: string, calendar: LocalReviewCalendar): Date {
  return startOf(prePublicationNoticeOn(plannedOn, calendar.rules), calendar);
}

/** When the first wait for publication ends: the end of the planned publication date. */
export function publicationDueAt(plannedOn: string, calendar: LocalReviewCalendar): Date {
  return endOf(plannedOn, calendar);
}

/** The day the report has been public for the profile's minimum period (default a year). */
export function minimumPeriodEndsOn(publishedOn: string, rules: LocalReviewRules): string {
  return addCalendarMonths(publishedOn, rules.minimumPublicationMonths);
}

/** When the team is alerted: the start of the working day on or before a month before the minimum period ends. */
export function minimumPeriodAlertAt(publishedOn: string, calendar: LocalReviewCalendar): Date {
  return startOf(
    workingDayOnOrBefore(addCalendarMonths(minimumPeriodEndsOn(publishedOn, calendar.rules), -1)),
    calendar,
  );
}

/** Whole seconds from `now` until `at`, at least 1 (a callback's timeout). */
export function secondsUntil(at: Date, now: Date): number {
  return Math.max(1, Math.ceil((at.getTime() - now.getTime()) / 1000));
}
