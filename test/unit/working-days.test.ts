import { describe, expect, it } from 'vitest';
import { CalendarDate } from '../../shared/calendar/dates.ts';
import {
  addWorkingDays,
  bankHolidayCalendarRange,
  CalendarRangeError,
  isBankHoliday,
  isWorkingDay,
  nextWorkingDay,
  workingDaysBetween,
} from '../../shared/calendar/working-days.ts';

const date = (iso: string) => CalendarDate.from(iso);

describe('isWorkingDay', () => {
  it('counts an ordinary Monday to Friday as working days', () => {
    for (const weekday of ['2026-06-15', '2026-06-16', '2026-06-17', '2026-06-18', '2026-06-19']) {
      expect(isWorkingDay(date(weekday)), weekday).toBe(true);
    }
  });

  it('does not count Saturday or Sunday', () => {
    expect(isWorkingDay(date('2026-06-20'))).toBe(false);
    expect(isWorkingDay(date('2026-06-21'))).toBe(false);
  });

  it.each([
    ['2026-01-01', "New Year's Day"],
    ['2022-01-03', "New Year's Day, substitute for a Saturday"],
    ['2023-01-02', "New Year's Day, substitute for a Sunday"],
    ['2026-04-03', 'Good Friday'],
    ['2026-04-06', 'Easter Monday'],
    ['2027-03-26', 'Good Friday in March'],
    ['2026-05-04', 'Early May bank holiday'],
    ['2020-05-08', 'Early May bank holiday moved to Friday for VE Day'],
    ['2026-05-25', 'Spring bank holiday'],
    ['2022-06-02', 'Spring bank holiday moved to Thursday for the Platinum Jubilee'],
    ['2022-06-03', 'Platinum Jubilee bank holiday'],
    ['2026-08-31', 'Summer bank holiday'],
    ['2022-09-19', 'State Funeral of Queen Elizabeth II'],
    ['2023-05-08', 'Coronation of King Charles III'],
    ['2026-12-25', 'Christmas Day'],
    ['2025-12-26', 'Boxing Day'],
    ['2021-12-27', 'Christmas Day, substitute for a Saturday'],
    ['2021-12-28', 'Boxing Day, substitute for a Sunday'],
    ['2022-12-27', 'Christmas Day, substitute for a Sunday'],
    ['2026-12-28', 'Boxing Day, substitute for a Saturday'],
  ])('does not count %s (%s), a bank holiday', (holiday) => {
    expect(isBankHoliday(date(holiday))).toBe(true);
    expect(isWorkingDay(date(holiday))).toBe(false);
  });

  it.each([
    ['2020-05-04', 'the first Monday of May 2020, whose holiday moved to VE Day'],
    ['2022-05-30', 'the last Monday of May 2022, whose holiday moved to 2 June'],
    ['2023-12-27', 'the day after Boxing Day when no substitute is needed'],
  ])('counts %s (%s) as an ordinary working day', (ordinary) => {
    expect(isBankHoliday(date(ordinary))).toBe(false);
    expect(isWorkingDay(date(ordinary))).toBe(true);
  });
});

describe('nextWorkingDay', () => {
  it('skips the weekend', () => {
    expect(nextWorkingDay(date('2026-06-19')).toString()).toBe('2026-06-22');
  });

  it('skips Christmas and the Boxing Day substitute in 2026', () => {
    expect(nextWorkingDay(date('2026-12-24')).toString()).toBe('2026-12-29');
  });

  it('skips both Christmas substitutes in 2021', () => {
    expect(nextWorkingDay(date('2021-12-24')).toString()).toBe('2021-12-29');
  });

  it('skips the weekend and the New Year substitute at the turn of 2022 and 2023', () => {
    expect(nextWorkingDay(date('2022-12-30')).toString()).toBe('2023-01-03');
  });

  it('skips Easter from Maundy Thursday to the Tuesday after', () => {
    expect(nextWorkingDay(date('2026-04-02')).toString()).toBe('2026-04-07');
  });

  it('starts from the day after a non-working day too', () => {
    expect(nextWorkingDay(date('2026-06-20')).toString()).toBe('2026-06-22');
  });
});

describe('addWorkingDays', () => {
  it('returns the same date for zero working days', () => {
    expect(addWorkingDays(date('2026-06-20'), 0).toString()).toBe('2026-06-20');
  });

  it('counts through Christmas and New Year 2026 without the holidays', () => {
    // 21, 22, 23, 24, 29, 30, 31 December, then 4 January: 25, 28 December and 1 January are holidays.
    expect(addWorkingDays(date('2026-12-18'), 8).toString()).toBe('2027-01-04');
  });

  it('counts from a weekend as from the Friday before', () => {
    expect(addWorkingDays(date('2026-06-20'), 1).toString()).toBe('2026-06-22');
    expect(addWorkingDays(date('2026-06-20'), 5).toString()).toBe('2026-06-26');
  });

  it('refuses a negative or fractional count', () => {
    expect(() => addWorkingDays(date('2026-06-15'), -1)).toThrow(RangeError);
    expect(() => addWorkingDays(date('2026-06-15'), 1.5)).toThrow(RangeError);
  });
});

describe('workingDaysBetween', () => {
  it('counts the working days after the first date up to and including the second', () => {
    expect(workingDaysBetween(date('2026-12-18'), date('2027-01-12'))).toBe(14);
  });

  it('is zero for the same date and negative when the dates are reversed', () => {
    expect(workingDaysBetween(date('2026-06-15'), date('2026-06-15'))).toBe(0);
    expect(workingDaysBetween(date('2027-01-12'), date('2026-12-18'))).toBe(-14);
  });

  it('undoes addWorkingDays', () => {
    const start = date('2026-03-27');
    for (let count = 0; count <= 20; count++) {
      expect(workingDaysBetween(start, addWorkingDays(start, count))).toBe(count);
    }
  });
});

describe('the edges of the calendar', () => {
  it('covers whole years from 2010 to at least 2028', () => {
    const { first, last } = bankHolidayCalendarRange();
    expect(first.toString()).toBe('2010-01-01');
    expect(CalendarDate.compare(last, date('2028-12-31'))).toBeGreaterThanOrEqual(0);
    expect(last.month === 12 && last.day === 31).toBe(true);
  });

  it('refuses a date before the calendar rather than treating it as an ordinary day', () => {
    const error = catchError(() => isWorkingDay(date('2009-12-31')));
    expect(error).toBeInstanceOf(CalendarRangeError);
    expect(error).toMatchObject({ name: 'CalendarRangeError', date: '2009-12-31' });
    expect((error as Error).message).toContain('2010-01-01');
  });

  it('refuses a date after the calendar', () => {
    const afterLast = bankHolidayCalendarRange().last.add({ days: 1 });
    expect(() => isBankHoliday(afterLast)).toThrow(CalendarRangeError);
    expect(() => nextWorkingDay(afterLast)).toThrow(CalendarRangeError);
  });

  it('refuses to count past the end of the calendar', () => {
    const nearTheEnd = bankHolidayCalendarRange().last.add({ days: -3 });
    expect(() => addWorkingDays(nearTheEnd, 10)).toThrow(CalendarRangeError);
  });

  it('answers for the first and last covered days', () => {
    const { first, last } = bankHolidayCalendarRange();
    expect(isBankHoliday(first)).toBe(true);
    expect(() => isWorkingDay(last)).not.toThrow();
  });
});

function catchError(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
