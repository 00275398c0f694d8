import { zonedDateTime } from '../calendar/dates.ts';

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

/** A calendar date's parts. */
interface DateParts {
  year: number;
  month: number;
  day: number;
}

/** A date's weekday name; 1 January 1970 (day 0) was a Thursday. */
function weekdayOf({ year, month, day }: DateParts): string {
  const daysSinceEpoch = Math.floor(Date.UTC(year, month - 1, day) / 86_400_000);
  return WEEKDAYS[(((daysSinceEpoch + 3) % 7) + 7) % 7] as string;
}

function describeDate(date: DateParts): string {
  return `${weekdayOf(date)} ${date.day} ${MONTHS[date.month - 1]} ${date.year}`;
}

function isoDateText({ year, month, day }: DateParts): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** An instant's wall-clock date, hour and minute in a time zone. */
function inZone(instant: string | Date, timeZone: string): DateParts & { hour: number; minute: number } {
  const at = typeof instant === 'string' ? new Date(instant) : instant;
  if (Number.isNaN(at.getTime())) throw new RangeError(`Not an instant: ${String(instant)}`);
  const { date, hour, minute } = zonedDateTime(at, timeZone);
  return { year: date.year, month: date.month, day: date.day, hour, minute };
}

/**
 * An instant as people in the partnership read it, in the rules' time zone:
 * "17:00 on Friday 13 March 2026 (UK time)".
 */
export function formatInstant(instant: string | Date, timeZone: string): string {
  const at = inZone(instant, timeZone);
  const time = `${String(at.hour).padStart(2, '0')}:${String(at.minute).padStart(2, '0')}`;
  return `${time} on ${describeDate(at)} (${zoneLabel(timeZone)})`;
}

/** A calendar date written YYYY-MM-DD, spelled out: "Friday 13 March 2026", or "13 March 2026" without the weekday. */
export function formatDate(isoDate: string, options: { weekday?: boolean } = {}): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!match) throw new RangeError(`Not a date written YYYY-MM-DD: ${isoDate}`);
  const date = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  return options.weekday === false
    ? `${date.day} ${MONTHS[date.month - 1]} ${date.year}`
    : describeDate(date);
}

/** The calendar date of an instant in the time zone, as YYYY-MM-DD (how milestones carry their dates). */
export function isoDateOf(instant: string | Date, timeZone: string): string {
  return isoDateText(inZone(instant, timeZone));
}

/** The calendar date of an instant in the time zone, spelled out: "Friday 13 March 2026". */
export function formatDateOf(instant: string | Date, timeZone: string): string {
  return describeDate(inZone(instant, timeZone));
}

/** An instant in few words, for tables: "16 March 2026, 09:30". */
export function formatInstantCompact(instant: string | Date, timeZone: string): string {
  const at = inZone(instant, timeZone);
  return `${at.day} ${MONTHS[at.month - 1]} ${at.year}, ${String(at.hour).padStart(2, '0')}:${String(at.minute).padStart(2, '0')}`;
}
