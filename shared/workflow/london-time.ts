import { CalendarDate, type ZonedDateTime, zonedDateTime } from '../calendar/dates.ts';

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const MONTHS = [
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

/** How the partnership names the rules' time zone: "UK time" for Europe/London. */
export function zoneLabel(timeZone: string): string {
  return timeZone === 'Europe/London' ? 'UK time' : timeZone;
}

function describeDate(date: CalendarDate): string {
  return `${WEEKDAYS[date.dayOfWeek - 1]} ${date.day} ${MONTHS[date.month - 1]} ${date.year}`;
}

/** An instant written as the case record keeps them: ISO 8601 with Z or an offset. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;

/** An instant's wall-clock date and time in a time zone. */
function inZone(instant: string | Date, timeZone: string): ZonedDateTime {
  const at =
    typeof instant === 'string' ? new Date(ISO_INSTANT.test(instant) ? instant : Number.NaN) : instant;
  if (Number.isNaN(at.getTime())) throw new RangeError(`Not an instant: ${String(instant)}`);
  return zonedDateTime(at, timeZone);
}

const hourAndMinute = ({ hour, minute }: ZonedDateTime) =>
  `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;

/**
 * An instant as people in the partnership read it, in the rules' time zone:
 * "17:00 on Friday 13 March 2026 (UK time)".
 */
export function formatInstant(instant: string | Date, timeZone: string): string {
  const at = inZone(instant, timeZone);
  return `${hourAndMinute(at)} on ${describeDate(at.date)} (${zoneLabel(timeZone)})`;
}

/** A calendar date written YYYY-MM-DD, spelled out: "Friday 13 March 2026", or "13 March 2026" without the weekday. */
export function formatDate(isoDate: string, options: { weekday?: boolean } = {}): string {
  const date = CalendarDate.from(isoDate);
  return options.weekday === false
    ? `${date.day} ${MONTHS[date.month - 1]} ${date.year}`
    : describeDate(date);
}

/** The calendar date of an instant in the time zone, as YYYY-MM-DD (how milestones carry their dates). */
export function isoDateOf(instant: string | Date, timeZone: string): string {
  return inZone(instant, timeZone).date.toString();
}

/** The calendar date of an instant in the time zone, spelled out: "Friday 13 March 2026". */
export function formatDateOf(instant: string | Date, timeZone: string): string {
  return describeDate(inZone(instant, timeZone).date);
}

/** An instant in few words, for tables: "16 March 2026, 09:30". */
export function formatInstantCompact(instant: string | Date, timeZone: string): string {
  const at = inZone(instant, timeZone);
  return `${at.date.day} ${MONTHS[at.date.month - 1]} ${at.date.year}, ${hourAndMinute(at)}`;
}
