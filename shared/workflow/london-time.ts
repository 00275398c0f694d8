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

/**
 * A time of day the GOV.UK way: "5pm", "9:30am", "midday" for 12pm and "midnight" for 12am
 * (https://www.gov.uk/guidance/style-guide/a-to-z#times).
 */
function timeOfDay({ hour, minute }: ZonedDateTime): string {
  if (minute === 0 && hour === 12) return 'midday';
  if (minute === 0 && hour === 0) return 'midnight';
  const suffix = hour < 12 ? 'am' : 'pm';
  const twelve = hour % 12 === 0 ? 12 : hour % 12;
  return minute === 0 ? `${twelve}${suffix}` : `${twelve}:${String(minute).padStart(2, '0')}${suffix}`;
}

/** An instant's time of day in a time zone, the GOV.UK way: "5pm", "9:30am". */
export function formatTimeOf(instant: string | Date, timeZone: string): string {
  return timeOfDay(inZone(instant, timeZone));
}

/** A wall-clock time written HH:MM ("17:00", as the rules give the working day's end), the GOV.UK way: "5pm". */
export function formatWallClockTime(time: string): string {
  const match = /^(\d{2}):(\d{2})$/.exec(time);
  if (!match) throw new RangeError(`Not a wall-clock time: ${time}`);
  return timeOfDay({ hour: Number(match[1]), minute: Number(match[2]) } as ZonedDateTime);
}

/**
 * An instant as the service writes every time a person reads (pages, emails, papers): "5pm on
 * Tuesday 17 March 2026", "9:30am on …", "midday on …", in the rules' time zone. Times in
 * Europe/London need no label; any other zone is named after the date.
 */
export function formatInstant(instant: string | Date, timeZone: string): string {
  const at = inZone(instant, timeZone);
  const words = `${timeOfDay(at)} on ${describeDate(at.date)}`;
  return timeZone === 'Europe/London' ? words : `${words} (${timeZone})`;
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
