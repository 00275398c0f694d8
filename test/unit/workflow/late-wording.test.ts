import { describe, expect, it } from 'vitest';
import { lateInWords } from '../../../shared/workflow/late-wording.ts';

describe('a late review in words', () => {
  it('counts the working days after the due date, skipping weekends and bank holidays', () => {
    // Invented: due Thursday 24 December 2026; Christmas Day and Boxing Day (substitute Monday 28) are bank holidays.
    const words = lateInWords(
      { dueDate: '2026-12-24', reason: 'Invented reason (demo).' },
      new Date('2026-12-30T10:00:00Z'),
      'Europe/London',
    );

    expect(words).toEqual({
      dueDate: 'Thursday 24 December 2026',
      workingDaysLate: 2,
      statement:
        'This rapid review is late. It was due on Thursday 24 December 2026 and is sent 2 working days late.',
      reason: "The partnership's reason: Invented reason (demo).",
    });
  });

  it('says one working day, and that no reason is recorded when there is none', () => {
    const words = lateInWords({ dueDate: '2027-01-08' }, new Date('2027-01-11T09:00:00Z'), 'Europe/London');

    expect(words.statement).toBe(
      'This rapid review is late. It was due on Friday 8 January 2027 and is sent 1 working day late.',
    );
    expect(words.reason).toBe('The partnership has not recorded a reason.');
  });

  it('counts the day in London, and says only "after that date" when sent on the weekend straight after', () => {
    // 23:30 UTC on Friday 8 January is still Friday in London; Saturday 9 January is no working day.
    expect(
      lateInWords({ dueDate: '2027-01-07' }, new Date('2027-01-08T23:30:00Z'), 'Europe/London')
        .workingDaysLate,
    ).toBe(1);
    expect(
      lateInWords({ dueDate: '2027-01-08' }, new Date('2027-01-09T10:00:00Z'), 'Europe/London').statement,
    ).toBe('This rapid review is late. It was due on Friday 8 January 2027 and is sent after that date.');
  });
});
