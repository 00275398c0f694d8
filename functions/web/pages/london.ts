import { formatDateOf, formatInstant, isoDateOf } from '../../../shared/workflow/london-time.ts';

/** Every staff page writes dates and times in London, in the service's one wording. */
const timeZone = 'Europe/London';

/** A date in London as the service writes dates: "Wednesday 4 March 2026". */
export function londonDate(instant: string | Date): string {
  return formatDateOf(instant, timeZone);
}

/** A time in London as the service writes times: "10:05am on Wednesday 4 March 2026". */
export function londonDateTime(instant: string | Date): string {
  return formatInstant(instant, timeZone);
}

/** The London calendar date of an instant, YYYY-MM-DD (timetable milestones carry their dates so). */
export function londonIsoDate(instant: Date): string {
  return isoDateOf(instant, timeZone);
}
