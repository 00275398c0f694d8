import { Temporal } from 'temporal-polyfill';

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

function describeDate(date: Temporal.PlainDate): string {
  return `${WEEKDAYS[date.dayOfWeek - 1]} ${date.day} ${MONTHS[date.month - 1]} ${date.year}`;
}

/**
 * An instant as people in the partnership read it, in the rules' time zone:
 * "17:00 on Friday 13 March 2026 (UK time)". Spelled out here rather than through Intl so every
 * runtime writes the same words.
 */
export function formatInstant(instant: string | Date, timeZone: string): string {
  const at = Temporal.Instant.from(
    typeof instant === 'string' ? instant : instant.toISOString(),
  ).toZonedDateTimeISO(timeZone);
  const time = `${String(at.hour).padStart(2, '0')}:${String(at.minute).padStart(2, '0')}`;
  return `${time} on ${describeDate(at.toPlainDate())} (${zoneLabel(timeZone)})`;
}

/** A calendar date written YYYY-MM-DD, spelled out: "Friday 13 March 2026", or "13 March 2026" without the weekday. */
export function formatDate(isoDate: string, options: { weekday?: boolean } = {}): string {
  const date = Temporal.PlainDate.from(isoDate);
  return options.weekday === false
    ? `${date.day} ${MONTHS[date.month - 1]} ${date.year}`
    : describeDate(date);
}

/** The calendar date of an instant in the time zone, as YYYY-MM-DD (how milestones carry their dates). */
export function isoDateOf(instant: string | Date, timeZone: string): string {
  const iso = typeof instant === 'string' ? instant : instant.toISOString();
  return Temporal.Instant.from(iso).toZonedDateTimeISO(timeZone).toPlainDate().toString();
}

/** The calendar date of an instant in the time zone, spelled out: "Friday 13 March 2026". */
export function formatDateOf(instant: string | Date, timeZone: string): string {
  const iso = typeof instant === 'string' ? instant : instant.toISOString();
  return describeDate(Temporal.Instant.from(iso).toZonedDateTimeISO(timeZone).toPlainDate());
}

/** An instant in few words, for tables: "16 March 2026, 09:30". */
export function formatInstantCompact(instant: string | Date, timeZone: string): string {
  const iso = typeof instant === 'string' ? instant : instant.toISOString();
  const at = Temporal.Instant.from(iso).toZonedDateTimeISO(timeZone);
  return `${at.day} ${MONTHS[at.month - 1]} ${at.year}, ${String(at.hour).padStart(2, '0')}:${String(at.minute).padStart(2, '0')}`;
}
