import { CalendarDate } from '../calendar/dates.ts';
import { isBankHoliday, isWorkingDay } from '../calendar/working-days.ts';
import type { TimetableMilestone } from '../schemas/timetable.ts';
import { formatDate, formatTimeOf, isoDateOf } from './london-time.ts';

/**
 * Why Day 1 of a Rapid Review falls when it does, in one wording for every page that shows it: a
 * notification received before the end of a working day (5pm, the rules' `workingDayEnd`) starts
 * Day 1 that day; one received after it, at the weekend or on a bank holiday starts Day 1 on the
 * next working day (shared/timetable.ts plans it so).
 */

const ruleAt = (cutOff: string) =>
  `A notification received after ${cutOff}, at the weekend or on a bank holiday starts Day 1 on the next working day.`;

/** Why a case's Day 1 falls when it does. */
export interface DayOneInWords {
  /** "after 5pm, so Day 1 is the next working day, Wednesday 18 March 2026" (to follow the time received). */
  why: string;
  /** The rule: after the cut-off, at the weekend or on a bank holiday, Day 1 is the next working day. */
  rule: string;
}

/**
 * Why this case's Day 1 falls when it does, from when it was received and its timetable (Day 1
 * is the date of its Day 1 milestone, due at the end of that working day: the cut-off). Undefined
 * for a timetable without a Day 1 milestone.
 */
export function dayOneInWords(
  receivedAt: string,
  milestones: readonly Pick<TimetableMilestone, 'day' | 'date' | 'dueAt'>[],
  timeZone = 'Europe/London',
): DayOneInWords | undefined {
  const dayOne = milestones.find((milestone) => milestone.day === 1);
  if (!dayOne) return undefined;
  const cutOff = formatTimeOf(dayOne.dueAt, timeZone);
  const rule = ruleAt(cutOff);
  const receivedOn = CalendarDate.from(isoDateOf(receivedAt, timeZone));
  const day1 = formatDate(dayOne.date, { weekday: true });
  if (receivedOn.toString() === dayOne.date) {
    return { why: `before ${cutOff} on a working day, so Day 1 is that day`, rule };
  }
  const when = isWorkingDay(receivedOn)
    ? `after ${cutOff}`
    : isBankHoliday(receivedOn)
      ? 'on a bank holiday'
      : 'at the weekend';
  return { why: `${when}, so Day 1 is the next working day, ${day1}`, rule };
}
