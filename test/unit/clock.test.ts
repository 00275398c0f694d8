import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../shared/clock.ts';

describe('fixedClock', () => {
  it('always answers the instant it was given, as a fresh Date', () => {
    const clock = fixedClock('2026-01-05T10:00:00Z');
    const first = clock.now();
    first.setFullYear(1999);
    expect(clock.now().toISOString()).toBe('2026-01-05T10:00:00.000Z');
  });
});
