import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { formatDate, formatInstant, isoDateOf } from '../../shared/workflow/london-time.ts';

describe('isoDateOf', () => {
  it('gives the London date of an instant, in winter and in summer time', () => {
    expect(isoDateOf('2026-01-15T23:30:00Z', 'Europe/London')).toBe('2026-01-15');
    expect(isoDateOf(new Date('2026-06-30T23:30:00Z'), 'Europe/London')).toBe('2026-07-01');
  });
});

describe('formatDate', () => {
  it('spells a date out with its weekday, or without when asked', () => {
    expect(formatDate('2026-03-04')).toBe('Wednesday 4 March 2026');
    expect(formatDate('2026-03-04', { weekday: false })).toBe('4 March 2026');
  });

  it('refuses a date that does not exist, as Temporal did, rather than spelling out nonsense', () => {
    expect(() => formatDate('2026-02-30')).toThrow(RangeError);
    expect(() => formatDate('2026-13-01')).toThrow(RangeError);
    expect(() => formatDate('4 March 2026')).toThrow(RangeError);
  });
});

describe('formatInstant', () => {
  it('refuses text that is not an instant with its offset, as Temporal did', () => {
    expect(formatInstant('2026-03-04T09:00:00+00:00', 'Europe/London')).toBe('9am on Wednesday 4 March 2026');
    expect(() => formatInstant('2026-03-04T09:00:00', 'Europe/London')).toThrow(RangeError);
    expect(() => formatInstant('March 4, 2026', 'Europe/London')).toThrow(RangeError);
  });
});

describe('London time, worked out with Intl, against Temporal', () => {
  it('gives the same date, weekday and time as Temporal for instants across clock changes and years', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2060, 11, 31) }),
        fc.constantFrom('Europe/London', 'UTC', 'America/New_York'),
        (epochMs, timeZone) => {
          const at = new Date(epochMs);
          const zoned = Temporal.Instant.fromEpochMilliseconds(epochMs).toZonedDateTimeISO(timeZone);
          const date = zoned.toPlainDate();
          const weekday = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'][
            date.dayOfWeek - 1
          ];
          expect(isoDateOf(at, timeZone)).toBe(date.toString());
          expect(formatDate(date.toString()).startsWith(`${weekday} ${date.day} `)).toBe(true);
          const twelve = zoned.hour % 12 === 0 ? 12 : zoned.hour % 12;
          const clock =
            zoned.minute === 0
              ? zoned.hour === 12
                ? 'midday'
                : zoned.hour === 0
                  ? 'midnight'
                  : `${twelve}${zoned.hour < 12 ? 'am' : 'pm'}`
              : `${twelve}:${String(zoned.minute).padStart(2, '0')}${zoned.hour < 12 ? 'am' : 'pm'}`;
          expect(formatInstant(at, timeZone).startsWith(`${clock} on ${weekday} ${date.day} `)).toBe(true);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('knows a British Summer Time evening from a winter one', () => {
    expect(formatInstant('2026-07-01T16:00:00Z', 'Europe/London')).toBe('5pm on Wednesday 1 July 2026');
    expect(formatInstant('2026-01-07T17:00:00Z', 'Europe/London')).toBe('5pm on Wednesday 7 January 2026');
    expect(formatInstant('2026-03-29T00:59:00Z', 'Europe/London')).toBe('12:59am on Sunday 29 March 2026');
    expect(formatInstant('2026-03-29T01:00:00Z', 'Europe/London')).toBe('2am on Sunday 29 March 2026');
  });
});

describe('formatInstant: one wording for times across the service', () => {
  it.each([
    ['5pm in winter (GMT)', '2026-03-17T17:00:00Z', '5pm on Tuesday 17 March 2026'],
    ['5pm in summer (BST)', '2026-06-16T16:00:00Z', '5pm on Tuesday 16 June 2026'],
    ['minutes when not on the hour', '2026-03-17T09:30:00Z', '9:30am on Tuesday 17 March 2026'],
    ['minutes in the afternoon, in summer', '2026-07-01T13:05:00Z', '2:05pm on Wednesday 1 July 2026'],
    ['12pm as midday', '2026-03-17T12:00:00Z', 'midday on Tuesday 17 March 2026'],
    ['12am as midnight, in summer', '2026-06-15T23:00:00Z', 'midnight on Tuesday 16 June 2026'],
    ['12am as midnight, in winter', '2026-03-17T00:00:00Z', 'midnight on Tuesday 17 March 2026'],
    ['a minute after midday', '2026-03-17T12:01:00Z', '12:01pm on Tuesday 17 March 2026'],
  ])('writes %s', (_, instant, words) => {
    expect(formatInstant(instant, 'Europe/London')).toBe(words);
    expect(formatInstant(new Date(instant), 'Europe/London')).toBe(words);
  });

  it('names a time zone other than London after the date', () => {
    expect(formatInstant('2026-03-17T17:00:00Z', 'America/New_York')).toBe(
      '1pm on Tuesday 17 March 2026 (America/New_York)',
    );
  });
});
