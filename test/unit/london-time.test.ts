import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import {
  formatDate,
  formatInstant,
  formatInstantCompact,
  isoDateOf,
} from '../../shared/workflow/london-time.ts';

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
    expect(formatInstant('2026-03-04T09:00:00+00:00', 'Europe/London')).toBe(
      '09:00 on Wednesday 4 March 2026 (UK time)',
    );
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
          expect(formatInstant(at, timeZone).slice(0, 5)).toBe(
            `${String(zoned.hour).padStart(2, '0')}:${String(zoned.minute).padStart(2, '0')}`,
          );
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('knows a British Summer Time evening from a winter one', () => {
    expect(formatInstant('2026-07-01T16:00:00Z', 'Europe/London')).toBe(
      '17:00 on Wednesday 1 July 2026 (UK time)',
    );
    expect(formatInstant('2026-01-07T17:00:00Z', 'Europe/London')).toBe(
      '17:00 on Wednesday 7 January 2026 (UK time)',
    );
    expect(formatInstantCompact('2026-03-29T00:59:00Z', 'Europe/London')).toBe('29 March 2026, 00:59');
    expect(formatInstantCompact('2026-03-29T01:00:00Z', 'Europe/London')).toBe('29 March 2026, 02:00');
  });
});
