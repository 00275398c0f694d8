import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { CalendarDate, instantAt, instantText, zonedDateTime } from '../../shared/calendar/dates.ts';

/** Time zones with summer time, none, and odd offsets: the rules may name any IANA zone. */
const zones = ['Europe/London', 'UTC', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata'];
const dates = fc
  .integer({ min: Date.UTC(1990, 0, 1) / 86_400_000, max: Date.UTC(2080, 11, 31) / 86_400_000 })
  .map((days) => CalendarDate.fromEpochDays(days));

describe('calendar dates and zoned time, against Temporal', () => {
  it('reads, prints, steps and orders dates as Temporal.PlainDate does', () => {
    fc.assert(
      fc.property(dates, fc.integer({ min: -400, max: 400 }), dates, (date, days, other) => {
        const temporal = Temporal.PlainDate.from(date.toString());
        expect(date.dayOfWeek).toBe(temporal.dayOfWeek);
        expect(date.add({ days }).toString()).toBe(temporal.add({ days }).toString());
        expect(CalendarDate.compare(date, other)).toBe(
          Temporal.PlainDate.compare(temporal, Temporal.PlainDate.from(other.toString())),
        );
        expect(CalendarDate.from(date.toString()).equals(date)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses what is not a real date, as Temporal does with overflow "reject"', () => {
    for (const text of ['2026-02-29', '2026-13-01', '2026-00-10', '2026-04-31', '26-1-1', '2026-1-01']) {
      expect(() => CalendarDate.from(text), text).toThrow(RangeError);
    }
    expect(CalendarDate.from('2028-02-29').toString()).toBe('2028-02-29');
    expect(() => CalendarDate.from({ year: 2026, month: 2, day: 30 })).toThrow(RangeError);
  });

  it('gives the date and time an instant shows in a zone, as Temporal does', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2080, 11, 31) }),
        fc.constantFrom(...zones),
        (epochMs, timeZone) => {
          const zoned = zonedDateTime(epochMs, timeZone);
          const temporal = Temporal.Instant.fromEpochMilliseconds(epochMs).toZonedDateTimeISO(timeZone);
          expect([zoned.date.toString(), zoned.hour, zoned.minute, zoned.second, zoned.millisecond]).toEqual([
            temporal.toPlainDate().toString(),
            temporal.hour,
            temporal.minute,
            temporal.second,
            temporal.millisecond,
          ]);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('finds the instant of a date and time in a zone as Temporal does, through clock changes too', () => {
    const times = fc
      .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
      .map(([hour, minute]) => `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`);
    fc.assert(
      fc.property(dates, times, fc.constantFrom(...zones), (date, time, timeZone) => {
        const expected = Temporal.PlainDate.from(date.toString())
          .toZonedDateTime({ timeZone, plainTime: Temporal.PlainTime.from(time) })
          .toInstant();
        expect(instantText(instantAt(date, time, timeZone))).toBe(expected.toString());
      }),
      { numRuns: 3000 },
    );
    // The hour London skips and the hour it repeats, in 2026.
    const london = (date: string, time: string) =>
      instantText(instantAt(CalendarDate.from(date), time, 'Europe/London'));
    expect(london('2026-03-29', '01:30')).toBe('2026-03-29T01:30:00Z');
    expect(london('2026-10-25', '01:30')).toBe('2026-10-25T00:30:00Z');
  });

  it('prints an instant as Temporal.Instant does', () => {
    expect(instantText(new Date('2026-12-18T09:00:00.000Z'))).toBe('2026-12-18T09:00:00Z');
    expect(instantText(new Date('2026-12-18T09:00:00.250Z'))).toBe('2026-12-18T09:00:00.25Z');
    expect(instantText(new Date('2026-12-18T09:00:00.007Z'))).toBe('2026-12-18T09:00:00.007Z');
  });
});
