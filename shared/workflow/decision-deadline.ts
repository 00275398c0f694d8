import { instantAt, instantText, zonedDateTime } from '../calendar/dates.ts';
import { nextWorkingDay } from '../calendar/working-days.ts';
import type { RapidReviewRules } from '../rapid-review-rules.ts';
import type { CaseRecord } from '../schemas/case.ts';
import { milestone } from '../schemas/timetable.ts';

/**
 * When the decision is due for one wait. The first wait runs to the end of Day 15 (the
 * submitToPanel milestone); each wait after an escalation runs to the end of the next working
 * day after `now`, in the rules' time zone, so the chair always has a whole working day.
 */
export function decisionDueAt(
  record: CaseRecord,
  attempt: number,
  now: Date,
  rules: RapidReviewRules,
): string {
  if (attempt <= 1) return milestone(record.timetable, 'submitToPanel').dueAt;
  const today = zonedDateTime(now, rules.timeZone).date;
  return instantText(instantAt(nextWorkingDay(today), rules.workingDayEnd, rules.timeZone));
}

/** Whole seconds from now until the instant, at least 1 (Step Functions refuses a timeout of 0). */
export function secondsUntil(instant: string, now: Date): number {
  return Math.max(1, Math.ceil((Date.parse(instant) - now.getTime()) / 1000));
}
