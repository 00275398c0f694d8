import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { isRealDate } from '../../shared/calendar/dates.ts';
import { isoDate } from '../../shared/schemas/primitives.ts';

/** Temporal's own answer: whether the date exists, refusing rather than clamping. */
function temporalSaysReal(value: string): boolean {
  try {
    Temporal.PlainDate.from(value, { overflow: 'reject' });
    return true;
  } catch {
    return false;
  }
}

describe('a real calendar date', () => {
  it('agrees with Temporal on every YYYY-MM-DD, real or not', () => {
    const twoDigits = (low: number, high: number) =>
      fc.integer({ min: low, max: high }).map((n) => String(n).padStart(2, '0'));
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9999 }).map((n) => String(n).padStart(4, '0')),
        twoDigits(0, 13),
        twoDigits(0, 32),
        (year, month, day) => {
          const value = `${year}-${month}-${day}`;
          expect(isRealDate(value), value).toBe(temporalSaysReal(value));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('knows the leap years and the month lengths', () => {
    expect(isRealDate('2028-02-29')).toBe(true);
    expect(isRealDate('2026-02-29')).toBe(false);
    expect(isRealDate('2000-02-29')).toBe(true);
    expect(isRealDate('2100-02-29')).toBe(false);
    expect(isRealDate('2026-04-31')).toBe(false);
    expect(isoDate.safeParse('2026-02-30').error?.issues[0]?.message).toBe('Enter a real date');
    expect(isoDate.safeParse('30/02/2026').error?.issues[0]?.message).toBe('Enter a date as YYYY-MM-DD');
  });
});
