import { instantAt, instantText, zonedDateTime } from '../calendar/dates.ts';
import { addWorkingDays } from '../calendar/working-days.ts';
import type { RapidReviewRules } from '../rapid-review-rules.ts';
import type { CaseRecord } from '../schemas/case.ts';
import { milestone } from '../schemas/timetable.ts';
import { DAILY_LATE_WAITS } from './contracts.ts';

/** How many working days a wait after the governing date lasts: one for the first week late, then a week. */
export function lateWaitWorkingDays(attempt: number): number {
  return attempt <= 1 + DAILY_LATE_WAITS ? 1 : 5;
}

/**
 * When one wait for the submission ends. The first wait runs to the end of the governing date
 * (the submitToPanel milestone, the earlier of the Panel's date and the partnership's Day 15);
 * each wait after an escalation runs to the end of the next working day after `now` (a working
 * week once the review is more than a week late), in the rules' time zone, so whoever is chased
 * always has a whole working day.
 */
export function decisionDueAt(
  record: CaseRecord,
  attempt: number,
  now: Date,
  rules: RapidReviewRules,
): string {
  if (attempt <= 1) return milestone(record.timetable, 'submitToPanel').dueAt;
  const today = zonedDateTime(now, rules.timeZone).date;
  return instantText(
    instantAt(addWorkingDays(today, lateWaitWorkingDays(attempt)), rules.workingDayEnd, rules.timeZone),
  );
}

/** Whole seconds from now until the instant, at least 1 (Step Functions refuses a timeout of 0). */
export function secondsUntil(instant: string, now: Date): number {
  return Math.max(1, Math.ceil((Date.parse(instant) - now.getTime()) / 1000));
}
