/**
 * Calendar dates and wall-clock time in a time zone: the little of Temporal's API the service's
 * deadlines need (PlainDate arithmetic, an instant's date and time in a zone, the instant of a
 * date and time in a zone), written with Date arithmetic and Intl so the functions do not load a
 * 67 KB polyfill at every cold start. Checked against Temporal itself in the tests.
 */

const DAY_MS = 86_400_000;

/** Whether the year, month and day name a day of the proleptic Gregorian calendar. */
function exists(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const daysInMonth = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  return day <= daysInMonth;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether text is a date written YYYY-MM-DD that exists (2026-02-30 does not). */
export function isRealDate(value: string): boolean {
  const parts = ISO_DATE.exec(value);
  return parts !== null && exists(Number(parts[1]), Number(parts[2]), Number(parts[3]));
}

/** A calendar date, as Temporal.PlainDate: immutable, compared and printed as YYYY-MM-DD. */
export class CalendarDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;

  private constructor(year: number, month: number, day: number) {
    this.year = year;
    this.month = month;
    this.day = day;
  }

  /**
   * A date from YYYY-MM-DD or its parts.
   * @throws RangeError for text of another form, or a day that does not exist (2026-02-30).
   */
  static from(value: string | { year: number; month: number; day: number }): CalendarDate {
    const parts =
      typeof value === 'string'
        ? ISO_DATE.exec(value)?.slice(1).map(Number)
        : [value.year, value.month, value.day];
    const [year, month, day] = parts ?? [];
    if (year === undefined || month === undefined || day === undefined || !exists(year, month, day)) {
      throw new RangeError(`Not a real date: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
    }
    return new CalendarDate(year, month, day);
  }

  /** The date whose UTC midnight is `days` days after 1 January 1970. */
  static fromEpochDays(days: number): CalendarDate {
    const date = new Date(days * DAY_MS);
    return new CalendarDate(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
  }

  /** -1, 0 or 1 as `a` is before, the same as or after `b`. */
  static compare(a: CalendarDate, b: CalendarDate): -1 | 0 | 1 {
    const difference = a.epochDays - b.epochDays;
    return difference < 0 ? -1 : difference > 0 ? 1 : 0;
  }

  /** Days since 1 January 1970. */
  get epochDays(): number {
    return Math.floor(Date.UTC(this.year, this.month - 1, this.day) / DAY_MS);
  }

  /** 1 for Monday to 7 for Sunday, as Temporal counts. */
  get dayOfWeek(): number {
    // 1 January 1970 was a Thursday (4).
    return ((((this.epochDays + 3) % 7) + 7) % 7) + 1;
  }

  add(duration: { days: number }): CalendarDate {
    return CalendarDate.fromEpochDays(this.epochDays + duration.days);
  }

  equals(other: CalendarDate): boolean {
    return this.epochDays === other.epochDays;
  }

  toString(): string {
    return `${String(this.year).padStart(4, '0')}-${String(this.month).padStart(2, '0')}-${String(this.day).padStart(2, '0')}`;
  }

  toJSON(): string {
    return this.toString();
  }
}

const zoneFormats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let format = zoneFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      hourCycle: 'h23',
    });
    zoneFormats.set(timeZone, format);
  }
  return format;
}

/** An instant's date and wall-clock time in a time zone. */
export interface ZonedDateTime {
  date: CalendarDate;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

/** The date and wall-clock time an instant shows in a time zone (Intl knows every zone's rules). */
export function zonedDateTime(instant: Date | number, timeZone: string): ZonedDateTime {
  const epochMs = typeof instant === 'number' ? instant : instant.getTime();
  if (!Number.isFinite(epochMs)) throw new RangeError('Not an instant');
  const parts: Record<string, number> = {};
  for (const part of formatFor(timeZone).formatToParts(epochMs)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    date: CalendarDate.from({ year: parts.year ?? 0, month: parts.month ?? 0, day: parts.day ?? 0 }),
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
    millisecond: ((epochMs % 1000) + 1000) % 1000,
  };
}

/** How far the zone's wall clock is ahead of UTC at an instant, in milliseconds. */
function offsetAt(epochMs: number, timeZone: string): number {
  const { date, hour, minute, second, millisecond } = zonedDateTime(epochMs, timeZone);
  const wall = Date.UTC(date.year, date.month - 1, date.day, hour, minute, second, millisecond);
  return wall - epochMs;
}

/**
 * The instant at which the zone's wall clock shows `time` (HH:MM) on `date`. As Temporal's
 * "compatible" disambiguation: a time the clocks skip (spring forward) is read with the offset
 * before the change, so it lands as late as the skip; a time they repeat (autumn) is the earlier.
 */
export function instantAt(date: CalendarDate, time: string, timeZone: string): Date {
  const match = /^(\d{2}):(\d{2})$/.exec(time);
  if (!match) throw new RangeError(`Not a time written HH:MM: ${time}`);
  const wall = Date.UTC(date.year, date.month - 1, date.day, Number(match[1]), Number(match[2]));
  const before = offsetAt(wall - DAY_MS, timeZone);
  const after = offsetAt(wall + DAY_MS, timeZone);
  const candidates = [...new Set([wall - before, wall - after])]
    .filter((candidate) => offsetAt(candidate, timeZone) === wall - candidate)
    .sort((a, b) => a - b);
  return new Date(candidates[0] ?? wall - before);
}

/**
 * An instant as Temporal.Instant prints it: ISO 8601 in UTC ending Z, with a fraction of a second
 * only when there is one (2026-12-18T09:00:00Z, 2026-12-18T09:00:00.25Z).
 */
export function instantText(instant: Date): string {
  return instant
    .toISOString()
    .replace(/\.(\d*?)0*Z$/, (_, fraction: string) => (fraction ? `.${fraction}Z` : 'Z'));
}
