import { describe, expect, it } from 'vitest';
import { planRapidReview } from '../../shared/timetable.ts';
import { dayOneInWords } from '../../shared/workflow/day-one-wording.ts';

/** Why Day 1 falls when it does, for a notification received at `receivedAt` (the default rules: 5pm). */
const why = (receivedAt: string) =>
  dayOneInWords(receivedAt, planRapidReview({ receivedAt: new Date(receivedAt) }).milestones)?.why;

describe('why Day 1 falls when it does: the 5pm cut-off', () => {
  it('starts Day 1 the same day for a notification received before 5pm on a working day', () => {
    expect(why('2026-03-17T16:59:00Z')).toBe('before 5pm on a working day, so Day 1 is that day');
  });

  it('starts Day 1 the next working day after 5pm, in London time (5:30pm in summer time)', () => {
    expect(why('2026-03-17T17:00:00Z')).toBe(
      'after 5pm, so Day 1 is the next working day, Wednesday 18 March 2026',
    );
    expect(why('2026-07-17T16:30:00Z')).toBe(
      'after 5pm, so Day 1 is the next working day, Monday 20 July 2026',
    );
  });

  it('says a weekend or a bank holiday for a notification received on one', () => {
    expect(why('2026-03-21T10:00:00Z')).toBe(
      'at the weekend, so Day 1 is the next working day, Monday 23 March 2026',
    );
    // Good Friday, 3 April 2026.
    expect(why('2026-04-03T10:00:00Z')).toBe(
      'on a bank holiday, so Day 1 is the next working day, Tuesday 7 April 2026',
    );
  });

  it('says nothing for a timetable without a Day 1', () => {
    expect(dayOneInWords('2026-03-17T10:00:00Z', [])).toBeUndefined();
  });
});
