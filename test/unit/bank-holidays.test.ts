import Holidays from 'date-holidays';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import vendored from '../../shared/calendar/bank-holidays.json' with { type: 'json' };
import { bankHolidayCalendarRange, bankHolidaysFile } from '../../shared/calendar/working-days.ts';

const events = bankHolidaysFile.parse(vendored)['england-and-wales'].events;
const { first, last } = bankHolidayCalendarRange();
const coveredYears = Array.from({ length: last.year - first.year + 1 }, (_, index) => first.year + index);

function vendoredDatesIn(year: number): string[] {
  return events.filter((event) => event.date.startsWith(`${year}-`)).map((event) => event.date);
}

/**
 * The one-off days date-holidays does not know, written out here by hand (not read from the
 * regeneration script), so the cross-check stays independent: 2011's royal wedding, and 2012's
 * spring bank holiday moved from 28 May to 4 June for the Diamond Jubilee.
 */
const dateHolidaysMisses = { added: ['2011-04-29', '2012-06-04'], removed: ['2012-05-28'] };

/** What date-holidays, an independent source, says England and Wales take off in the year. */
function dateHolidaysDatesIn(year: number): string[] {
  const dates = new Holidays('GB', 'ENG')
    .getHolidays(year)
    .filter((holiday) => holiday.type === 'public' || holiday.type === 'bank')
    .map((holiday) => holiday.date.slice(0, 10))
    .filter((date) => Temporal.PlainDate.from(date).dayOfWeek <= 5)
    .filter((date) => !dateHolidaysMisses.removed.includes(date));
  return [...dates, ...dateHolidaysMisses.added.filter((date) => date.startsWith(`${year}-`))].sort();
}

describe('the vendored bank holiday file', () => {
  it('is in gov.uk format, England and Wales division, and covers 2010 to 2028 at least', () => {
    expect(vendored['england-and-wales'].division).toBe('england-and-wales');
    expect(coveredYears[0]).toBeLessThanOrEqual(2010);
    expect(coveredYears.at(-1)).toBeGreaterThanOrEqual(2028);
  });

  it('lists each day once, in date order, and only weekdays, as gov.uk does', () => {
    const dates = events.map((event) => event.date);
    expect(dates).toEqual([...new Set(dates)].sort());
    for (const date of dates) expect(Temporal.PlainDate.from(date).dayOfWeek, date).toBeLessThanOrEqual(5);
  });

  it.each(coveredYears)('agrees with date-holidays for %i', (year) => {
    expect(vendoredDatesIn(year)).toEqual(dateHolidaysDatesIn(year));
  });

  it('has the one-off days of 2011, 2012, 2022 and 2023', () => {
    const titleOn = (date: string) => events.find((event) => event.date === date)?.title;
    expect(titleOn('2011-04-29')).toMatch(/Royal wedding/);
    expect(titleOn('2012-05-28')).toBeUndefined();
    expect(titleOn('2012-06-04')).toBe('Spring bank holiday');
    expect(titleOn('2012-06-05')).toMatch(/Diamond Jubilee/);
    expect(titleOn('2022-06-03')).toMatch(/Platinum Jubilee/);
    expect(titleOn('2022-09-19')).toMatch(/State Funeral of Queen Elizabeth II/);
    expect(titleOn('2023-05-08')).toMatch(/coronation of King Charles III/);
  });

  it('marks substitute days as gov.uk does', () => {
    const substitutes = events.filter((event) => event.notes === 'Substitute day').map((event) => event.date);
    expect(substitutes).toEqual(
      expect.arrayContaining(['2021-12-27', '2021-12-28', '2022-01-03', '2022-12-27']),
    );
  });

  // The published dates written out by hand, so a fault shared by the file and date-holidays would still show.
  it.each([
    [2010, ['01-01', '04-02', '04-05', '05-03', '05-31', '08-30', '12-27', '12-28']],
    [2011, ['01-03', '04-22', '04-25', '04-29', '05-02', '05-30', '08-29', '12-26', '12-27']],
    [2012, ['01-02', '04-06', '04-09', '05-07', '06-04', '06-05', '08-27', '12-25', '12-26']],
    [2016, ['01-01', '03-25', '03-28', '05-02', '05-30', '08-29', '12-26', '12-27']],
    [2017, ['01-02', '04-14', '04-17', '05-01', '05-29', '08-28', '12-25', '12-26']],
    [2020, ['01-01', '04-10', '04-13', '05-08', '05-25', '08-31', '12-25', '12-28']],
    [2022, ['01-03', '04-15', '04-18', '05-02', '06-02', '06-03', '08-29', '09-19', '12-26', '12-27']],
    [2023, ['01-02', '04-07', '04-10', '05-01', '05-08', '05-29', '08-28', '12-25', '12-26']],
    [2026, ['01-01', '04-03', '04-06', '05-04', '05-25', '08-31', '12-25', '12-28']],
    [2027, ['01-01', '03-26', '03-29', '05-03', '05-31', '08-30', '12-27', '12-28']],
  ])('lists exactly the published bank holidays of %i', (year, monthDays) => {
    expect(vendoredDatesIn(year)).toEqual(monthDays.map((monthDay) => `${year}-${monthDay}`));
  });
});
