import { CalendarDate } from '../calendar/dates.ts';
import { workingDaysBetween } from '../calendar/working-days.ts';
import type { LateReview } from '../schemas/case.ts';
import { formatDate, isoDateOf } from './london-time.ts';

/**
 * A late review in words, as the submission to the Panel states it: the date it was due, how many
 * working days late it goes, and the reason the partnership gave. One wording for the covering
 * letter and the Panel email.
 */
export interface LateInWords {
  /** "Friday 8 January 2027". */
  dueDate: string;
  /** Working days after the due date, up to and including the day it is sent (0 when sent on a weekend or bank holiday just after it). */
  workingDaysLate: number;
  /** "This rapid review is late. It was due on Friday 8 January 2027 and is sent 3 working days late." */
  statement: string;
  /** "The partnership's reason: …", or "The partnership has not recorded a reason." */
  reason: string;
}

/** The wording when no reason is on the case. */
export const noLateReason = 'The partnership has not recorded a reason.';

/** How late a review sent at `sentAt` is, in words, counted in working days in the rules' time zone. */
export function lateInWords(late: LateReview, sentAt: Date, timeZone: string): LateInWords {
  const dueDate = formatDate(late.dueDate);
  const workingDaysLate = workingDaysBetween(
    CalendarDate.from(late.dueDate),
    CalendarDate.from(isoDateOf(sentAt, timeZone)),
  );
  const howLate =
    workingDaysLate > 0
      ? `is sent ${workingDaysLate} working day${workingDaysLate === 1 ? '' : 's'} late`
      : 'is sent after that date';
  return {
    dueDate,
    workingDaysLate,
    statement: `This rapid review is late. It was due on ${dueDate} and ${howLate}.`,
    reason: late.reason ? `The partnership's reason: ${late.reason}` : noLateReason,
  };
}
