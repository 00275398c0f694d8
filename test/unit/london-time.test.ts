import { describe, expect, it } from 'vitest';
import { formatDate, isoDateOf } from '../../shared/workflow/london-time.ts';

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
});
