import { isoDate, nonEmpty } from '../schemas/primitives.ts';
import * as z from '../schemas/zod.ts';
import vendoredBankHolidays from './bank-holidays.json' with { type: 'json' };
import { CalendarDate } from './dates.ts';

/** One bank holiday as gov.uk publishes it in https://www.gov.uk/bank-holidays.json. */
export const bankHolidayEvent = z.object({
  title: nonEmpty(),
  date: isoDate,
  notes: z.string(),
  bunting: z.boolean(),
});
export type BankHolidayEvent = z.infer<typeof bankHolidayEvent>;

/** gov.uk's bank-holidays.json, of which this service reads only the England and Wales division. */
export const bankHolidaysFile = z.object({
  'england-and-wales': z.object({
    division: z.literal('england-and-wales'),
    events: z.array(bankHolidayEvent).check(z.minLength(1)),
  }),
});
export type BankHolidaysFile = z.infer<typeof bankHolidaysFile>;

/** The first and last dates the vendored calendar can answer for: whole years. */
export interface CalendarRange {
  readonly first: CalendarDate;
  readonly last: CalendarDate;
}

/**
 * Thrown for a date the vendored bank holiday file does not cover. Treating such a date as an
 * ordinary day would silently move deadlines, so the calendar refuses instead.
 */
export class CalendarRangeError extends Error {
  override readonly name = 'CalendarRangeError';
  readonly date: string;
  readonly range: { readonly first: string; readonly last: string };

  constructor(date: CalendarDate, range: CalendarRange) {
    super(
      `${date} is outside the bank holiday calendar, which covers ${range.first} to ${range.last} ` +
        '(refresh shared/calendar/bank-holidays.json with npm run bank-holidays:regenerate)',
    );
    this.date = date.toString();
    this.range = { first: range.first.toString(), last: range.last.toString() };
  }
}

interface BankHolidayCalendar {
  readonly range: CalendarRange;
  readonly holidays: ReadonlySet<string>;
}

let loadedCalendar: BankHolidayCalendar | undefined;

/**
 * Reads the vendored file on first use rather than at import, so the regeneration script (which
 * imports the file's schema from here) still runs when the vendored file is being repaired.
 */
function calendar(): BankHolidayCalendar {
  if (loadedCalendar !== undefined) return loadedCalendar;
  const dates = bankHolidaysFile
    .parse(vendoredBankHolidays)
    ['england-and-wales'].events.map((event) => event.date);
  const years = dates.map((date) => Number(date.slice(0, 4)));
  const firstYear = Math.min(...years);
  const lastYear = Math.max(...years);
  // Coverage is inferred from the years present, so a missing year in the middle would read as
  // "no bank holidays that year"; refuse such a file outright.
  for (let year = firstYear; year <= lastYear; year++) {
    if (!years.includes(year)) throw new Error(`bank-holidays.json has no bank holidays in ${year}`);
  }
  loadedCalendar = {
    range: {
      first: CalendarDate.from({ year: firstYear, month: 1, day: 1 }),
      last: CalendarDate.from({ year: lastYear, month: 12, day: 31 }),
    },
    holidays: new Set(dates),
  };
  return loadedCalendar;
}

/** The dates the vendored calendar covers (1 January of its first year to 31 December of its last). */
export function bankHolidayCalendarRange(): CalendarRange {
  return calendar().range;
}

function coveredHolidays(date: CalendarDate): ReadonlySet<string> {
  const { range, holidays } = calendar();
  if (CalendarDate.compare(date, range.first) < 0 || CalendarDate.compare(date, range.last) > 0) {
    throw new CalendarRangeError(date, range);
  }
  return holidays;
}

/**
 * Whether the date is an England and Wales bank holiday (substitute days included).
 * @throws CalendarRangeError when the date is outside the vendored calendar.
 */
export function isBankHoliday(date: CalendarDate): boolean {
  return coveredHolidays(date).has(date.toString());
}

/**
 * Whether the date is a working day: Monday to Friday and not a bank holiday.
 * @throws CalendarRangeError when the date is outside the vendored calendar.
 */
export function isWorkingDay(date: CalendarDate): boolean {
  const holidays = coveredHolidays(date);
  return date.dayOfWeek <= 5 && !holidays.has(date.toString());
}

/**
 * The first working day strictly after the date.
 * @throws CalendarRangeError when the date, or any day up to the answer, is outside the calendar.
 */
export function nextWorkingDay(date: CalendarDate): CalendarDate {
  coveredHolidays(date);
  let candidate = date.add({ days: 1 });
  while (!isWorkingDay(candidate)) candidate = candidate.add({ days: 1 });
  return candidate;
}

/**
 * The last working day strictly before the date.
 * @throws CalendarRangeError when the date, or any day back to the answer, is outside the calendar.
 */
export function previousWorkingDay(date: CalendarDate): CalendarDate {
  coveredHolidays(date);
  let candidate = date.add({ days: -1 });
  while (!isWorkingDay(candidate)) candidate = candidate.add({ days: -1 });
  return candidate;
}

/**
 * The date `workingDays` working days before `date`; the date itself when `workingDays` is 0.
 * The start need not be a working day: 1 working day before a Sunday is the Friday before (or
 * earlier, if that is a bank holiday).
 * @throws RangeError when `workingDays` is not a whole number of 0 or more.
 * @throws CalendarRangeError when the date, or any day back to the answer, is outside the calendar.
 */
export function subtractWorkingDays(date: CalendarDate, workingDays: number): CalendarDate {
  if (!Number.isSafeInteger(workingDays) || workingDays < 0) {
    throw new RangeError(`workingDays must be a whole number of 0 or more, not ${workingDays}`);
  }
  coveredHolidays(date);
  let result = date;
  for (let counted = 0; counted < workingDays; counted++) result = previousWorkingDay(result);
  return result;
}

/**
 * The date `workingDays` working days after `date`; the date itself when `workingDays` is 0.
 * The start need not be a working day: 1 working day after a Saturday is the following Monday
 * (or later, if that is a bank holiday).
 * @throws RangeError when `workingDays` is not a whole number of 0 or more.
 * @throws CalendarRangeError when the date, or any day up to the answer, is outside the calendar.
 */
export function addWorkingDays(date: CalendarDate, workingDays: number): CalendarDate {
  if (!Number.isSafeInteger(workingDays) || workingDays < 0) {
    throw new RangeError(`workingDays must be a whole number of 0 or more, not ${workingDays}`);
  }
  coveredHolidays(date);
  let result = date;
  for (let counted = 0; counted < workingDays; counted++) result = nextWorkingDay(result);
  return result;
}

/**
 * How many working days fall after `from`, up to and including `to`; negative when `to` is before
 * `from`. For a working day `to`, `addWorkingDays(from, workingDaysBetween(from, to))` is `to`.
 * @throws CalendarRangeError when any day between them is outside the calendar.
 */
export function workingDaysBetween(from: CalendarDate, to: CalendarDate): number {
  if (CalendarDate.compare(to, from) < 0) return -workingDaysBetween(to, from);
  coveredHolidays(from);
  let count = 0;
  for (let day = from.add({ days: 1 }); CalendarDate.compare(day, to) <= 0; day = day.add({ days: 1 })) {
    if (isWorkingDay(day)) count++;
  }
  return count;
}
