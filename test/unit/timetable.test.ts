import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { CalendarDate } from '../../shared/calendar/dates.ts';
import {
  bankHolidayCalendarRange,
  CalendarRangeError,
  isWorkingDay,
  workingDaysBetween,
} from '../../shared/calendar/working-days.ts';
import {
  defaultRapidReviewRules,
  type RapidReviewRules,
  rapidReviewRules,
} from '../../shared/rapid-review-rules.ts';
import {
  MilestoneNotFoundError,
  milestone,
  timetable as timetableSchema,
} from '../../shared/schemas/timetable.ts';
import * as z from '../../shared/schemas/zod.ts';
import { planRapidReview, TimetableInputError } from '../../shared/timetable.ts';

const datesOf = (receivedAt: string) =>
  planRapidReview({ receivedAt }).milestones.map((step) => [step.day, step.date]);

describe('planRapidReview', () => {
  it('plans the worked example through Christmas and New Year 2026', () => {
    const timetable = planRapidReview({ receivedAt: '2026-12-18T16:30:00Z' });

    expect(timetable.day1).toBe('2026-12-18');
    expect(timetable.milestones).toEqual([
      {
        day: 1,
        key: 'requestAgencySummaries',
        name: 'Requests sent to agencies',
        date: '2026-12-18',
        startsAt: '2026-12-18T09:00:00Z',
        dueAt: '2026-12-18T17:00:00Z',
      },
      {
        day: 7,
        key: 'remindAgencies',
        name: 'Reminder to agencies',
        date: '2026-12-30',
        startsAt: '2026-12-30T09:00:00Z',
        dueAt: '2026-12-30T17:00:00Z',
      },
      {
        day: 10,
        key: 'agencySummariesDue',
        name: 'Agency summaries due',
        date: '2027-01-05',
        startsAt: '2027-01-05T09:00:00Z',
        dueAt: '2027-01-05T17:00:00Z',
      },
      {
        day: 11,
        key: 'collateReport',
        name: 'Summaries collated',
        date: '2027-01-06',
        startsAt: '2027-01-06T09:00:00Z',
        dueAt: '2027-01-06T17:00:00Z',
      },
      {
        day: 12,
        key: 'distributePapers',
        name: 'Papers to the Rapid Review Group',
        date: '2027-01-07',
        startsAt: '2027-01-07T09:00:00Z',
        dueAt: '2027-01-07T17:00:00Z',
      },
      {
        day: 14,
        key: 'rapidReviewMeeting',
        name: 'Rapid Review Group meeting and decision',
        date: '2027-01-11',
        startsAt: '2027-01-11T09:00:00Z',
        dueAt: '2027-01-11T17:00:00Z',
      },
      {
        day: 15,
        key: 'submitToPanel',
        name: 'Outcome to the Panel',
        date: '2027-01-12',
        startsAt: '2027-01-12T09:00:00Z',
        dueAt: '2027-01-12T17:00:00Z',
      },
    ]);
  });

  it('produces a timetable the shared schema accepts, with the receipt instant in UTC', () => {
    const timetable = planRapidReview({
      receivedAt: new Date('2026-06-17T10:15:30.250+01:00'),
      awareOn: '2026-06-15',
      panelNotifiedOn: '2026-06-16',
    });
    expect(() => timetableSchema.parse(timetable)).not.toThrow();
    expect(timetable.receivedAt).toBe('2026-06-17T09:15:30.25Z');
  });

  describe('chooses Day 1 by the London date and time of receipt', () => {
    it.each([
      ['2026-12-16T16:59:59Z', '2026-12-16', 'one second before 17:00 in winter time'],
      ['2026-12-16T17:00:00Z', '2026-12-17', 'at 17:00 in winter time'],
      ['2026-06-17T15:59:59Z', '2026-06-17', 'one second before 17:00 in summer time'],
      ['2026-06-17T16:00:00Z', '2026-06-18', 'at 17:00 in summer time (16:00 UTC)'],
      ['2026-06-17T16:30:00Z', '2026-06-18', 'at 17:30 in summer time, still before 17:00 UTC'],
      ['2026-06-18T23:30:00Z', '2026-06-19', 'at 00:30 on Friday in London, still Thursday in UTC'],
      ['2026-06-17T05:00:00Z', '2026-06-17', 'before the working day starts'],
      ['2026-06-19T17:30:00+01:00', '2026-06-22', 'on a Friday evening'],
      ['2026-06-20T11:00:00+01:00', '2026-06-22', 'on a Saturday'],
      ['2026-06-21T11:00:00+01:00', '2026-06-22', 'on a Sunday'],
      [
        '2026-12-25T10:00:00Z',
        '2026-12-29',
        'on Christmas Day, with the Boxing Day substitute after the weekend',
      ],
      ['2026-04-03T10:00:00+01:00', '2026-04-07', 'on Good Friday'],
      ['2026-05-25T10:00:00+01:00', '2026-05-26', 'on the Spring bank holiday'],
    ])('received %s gives Day 1 %s (%s)', (receivedAt, day1) => {
      expect(planRapidReview({ receivedAt }).day1).toBe(day1);
    });
  });

  it('moves 09:00 and 17:00 from GMT to BST when the clocks go forward on 29 March 2026', () => {
    const { milestones } = planRapidReview({ receivedAt: '2026-03-27T10:00:00Z' });

    expect(milestones[0]).toMatchObject({
      date: '2026-03-27',
      startsAt: '2026-03-27T09:00:00Z',
      dueAt: '2026-03-27T17:00:00Z',
    });
    // Day 7 comes after Easter (3 and 6 April) as well as the clock change.
    expect(milestones[1]).toMatchObject({
      date: '2026-04-08',
      startsAt: '2026-04-08T08:00:00Z',
      dueAt: '2026-04-08T16:00:00Z',
    });
    expect(milestones.at(-1)).toMatchObject({ date: '2026-04-20', startsAt: '2026-04-20T08:00:00Z' });
  });

  it('moves 09:00 and 17:00 from BST to GMT when the clocks go back on 25 October 2026', () => {
    const { milestones } = planRapidReview({ receivedAt: '2026-10-23T10:00:00Z' });

    expect(milestones[0]).toMatchObject({
      date: '2026-10-23',
      startsAt: '2026-10-23T08:00:00Z',
      dueAt: '2026-10-23T16:00:00Z',
    });
    expect(milestones[1]).toMatchObject({
      date: '2026-11-02',
      startsAt: '2026-11-02T09:00:00Z',
      dueAt: '2026-11-02T17:00:00Z',
    });
    expect(milestones.at(-1)).toMatchObject({ date: '2026-11-12', dueAt: '2026-11-12T17:00:00Z' });
  });

  it('skips the Platinum Jubilee and both substitute Christmas days of 2021', () => {
    expect(datesOf('2022-05-27T10:00:00+01:00')).toEqual([
      [1, '2022-05-27'],
      [7, '2022-06-08'],
      [10, '2022-06-13'],
      [11, '2022-06-14'],
      [12, '2022-06-15'],
      [14, '2022-06-17'],
      [15, '2022-06-20'],
    ]);
    expect(datesOf('2021-12-20T10:00:00Z').slice(0, 2)).toEqual([
      [1, '2021-12-20'],
      [7, '2021-12-30'],
    ]);
  });

  describe('the notification deadline', () => {
    it('is five working days after the local authority became aware, and met when received by then', () => {
      const timetable = planRapidReview({ receivedAt: '2026-12-18T16:30:00Z', awareOn: '2026-12-14' });
      expect(timetable.notificationDueBy).toBe('2026-12-21');
      expect(timetable.notificationLate).toBe(false);
    });

    it('is met when received on the due date itself', () => {
      const timetable = planRapidReview({ receivedAt: '2026-12-17T22:00:00Z', awareOn: '2026-12-10' });
      expect(timetable.notificationDueBy).toBe('2026-12-17');
      expect(timetable.notificationLate).toBe(false);
    });

    it('is missed when received on a later London date', () => {
      const timetable = planRapidReview({ receivedAt: '2026-12-18T09:00:00Z', awareOn: '2026-12-10' });
      expect(timetable.notificationLate).toBe(true);
    });

    it('is judged by the London date, not the UTC date', () => {
      // 23:30 UTC on Wednesday 17 June is 00:30 on Thursday 18 June in London.
      const timetable = planRapidReview({ receivedAt: '2026-06-17T23:30:00Z', awareOn: '2026-06-10' });
      expect(timetable.notificationDueBy).toBe('2026-06-17');
      expect(timetable.notificationLate).toBe(true);
    });

    it('skips bank holidays when counting from awareness', () => {
      expect(
        planRapidReview({ receivedAt: '2026-06-01T10:00:00Z', awareOn: '2026-05-20' }).notificationDueBy,
      ).toBe('2026-05-28');
    });

    it('is unknown when the date of awareness is not given', () => {
      const timetable = planRapidReview({ receivedAt: '2026-12-18T16:30:00Z' });
      expect(timetable.notificationDueBy).toBeNull();
      expect(timetable.notificationLate).toBeNull();
    });
  });

  describe('the date the Panel expects the rapid review', () => {
    it('is fifteen working days after the Panel was notified', () => {
      expect(
        planRapidReview({ receivedAt: '2026-12-18T16:30:00Z', panelNotifiedOn: '2026-12-18' }).panelDueBy,
      ).toBe('2027-01-13');
    });

    it('is unknown when the date the Panel was notified is not given', () => {
      expect(planRapidReview({ receivedAt: '2026-12-18T16:30:00Z' }).panelDueBy).toBeNull();
    });
  });

  describe('refuses input it cannot use', () => {
    it.each([
      [{ receivedAt: '2026-12-18T16:30:00' }, 'receivedAt'],
      [{ receivedAt: 'yesterday' }, 'receivedAt'],
      [{ receivedAt: new Date(Number.NaN) }, 'receivedAt'],
      [{ receivedAt: '2026-12-18T16:30:00Z', awareOn: '2026-02-30' }, 'awareOn'],
      [{ receivedAt: '2026-12-18T16:30:00Z', awareOn: '20261214' }, 'awareOn'],
      [{ receivedAt: '2026-12-18T16:30:00Z', panelNotifiedOn: '18/12/2026' }, 'panelNotifiedOn'],
    ])('%o is refused, naming %s', (request, field) => {
      expect(() => planRapidReview(request)).toThrow(
        expect.objectContaining({ name: 'TimetableInputError', field }),
      );
      expect(() => planRapidReview(request)).toThrow(TimetableInputError);
    });

    it('refuses a receipt outside the bank holiday calendar', () => {
      expect(() => planRapidReview({ receivedAt: '2009-06-01T10:00:00Z' })).toThrow(CalendarRangeError);
      expect(() => planRapidReview({ receivedAt: '2040-06-01T10:00:00Z' })).toThrow(CalendarRangeError);
    });

    it('refuses a receipt whose Day 15 would fall beyond the calendar', () => {
      const lastCovered = bankHolidayCalendarRange().last;
      const receivedAt = Temporal.PlainDate.from(lastCovered.toString())
        .subtract({ days: 7 })
        .toZonedDateTime('Europe/London')
        .toInstant()
        .toString();
      expect(() => planRapidReview({ receivedAt })).toThrow(CalendarRangeError);
    });
  });
});

describe('the rules', () => {
  it('can end the working day earlier, which moves the Day 1 cut-off and the due times', () => {
    const rules: RapidReviewRules = { ...defaultRapidReviewRules, workingDayEnd: '16:00' };
    const timetable = planRapidReview({ receivedAt: '2026-12-16T16:30:00Z' }, rules);
    expect(timetable.day1).toBe('2026-12-17');
    expect(timetable.milestones[0]?.dueAt).toBe('2026-12-17T16:00:00Z');
  });

  it('default to the statutory timetable: 09:00 to 17:00 in London, reminder on Day 7, 5 and 15 working days', () => {
    expect(defaultRapidReviewRules).toMatchObject({
      timeZone: 'Europe/London',
      workingDayStart: '09:00',
      workingDayEnd: '17:00',
      reminderDay: 7,
      notificationDueWithinWorkingDays: 5,
      panelExpectsReviewWithinWorkingDays: 15,
    });
    expect(defaultRapidReviewRules.milestones.map((step) => [step.day, step.key])).toEqual([
      [1, 'requestAgencySummaries'],
      [7, 'remindAgencies'],
      [10, 'agencySummariesDue'],
      [11, 'collateReport'],
      [12, 'distributePapers'],
      [14, 'rapidReviewMeeting'],
      [15, 'submitToPanel'],
    ]);
  });

  it('written out are the same rules as parsing an empty profile gives', () => {
    expect(defaultRapidReviewRules).toEqual(rapidReviewRules.parse({}));
  });

  it('take their defaults for whatever a partnership does not set, the reminder milestone following the reminder day', () => {
    const rules = rapidReviewRules.parse({ reminderDay: 6, workingDayEnd: '17:30' });
    expect(rules).toMatchObject({ workingDayStart: '09:00', workingDayEnd: '17:30', reminderDay: 6 });
    const timetable = planRapidReview({ receivedAt: '2026-12-18T16:30:00Z' }, rules);
    expect(milestone(timetable, 'remindAgencies').date).toBe('2026-12-29');
    expect(milestone(timetable, 'submitToPanel').dueAt).toBe('2027-01-12T17:30:00Z');
  });

  it.each<[string, Partial<RapidReviewRules>]>([
    ['a reminder day its milestone does not fall on', { reminderDay: 8 }],
    ['a working day that ends before it starts', { workingDayStart: '17:00', workingDayEnd: '09:00' }],
    ['a time zone that does not exist', { timeZone: 'Europe/Londinium' }],
    ['milestones out of order', { milestones: [...defaultRapidReviewRules.milestones].reverse() }],
    ['a missing milestone', { milestones: defaultRapidReviewRules.milestones.slice(1) }],
  ])('are refused with %s', (_, change) => {
    expect(() =>
      planRapidReview({ receivedAt: '2026-12-18T16:30:00Z' }, { ...defaultRapidReviewRules, ...change }),
    ).toThrow(z.core.$ZodError);
  });

  it('cannot be changed for everyone through the shared defaults', () => {
    expect(() => {
      (defaultRapidReviewRules as { reminderDay: number }).reminderDay = 3;
    }).toThrow(TypeError);
  });
});

describe('milestone', () => {
  it('finds a milestone by key', () => {
    const timetable = planRapidReview({ receivedAt: '2026-12-18T16:30:00Z' });
    expect(milestone(timetable, 'agencySummariesDue')).toMatchObject({ day: 10, date: '2027-01-05' });
  });

  it('throws when the timetable lacks the milestone', () => {
    const timetable = planRapidReview({ receivedAt: '2026-12-18T16:30:00Z' });
    const withoutMeeting = {
      ...timetable,
      milestones: timetable.milestones.filter((step) => step.key !== 'rapidReviewMeeting'),
    };
    expect(() => milestone(withoutMeeting, 'rapidReviewMeeting')).toThrow(MilestoneNotFoundError);
  });
});

describe('every timetable, for any receipt in the calendar', () => {
  const { first, last } = bankHolidayCalendarRange();
  // Leave room at the end for Day 15 (15 working days is at most about four weeks over Christmas).
  const receipts = fc.date({
    min: new Date(first.toString()),
    max: new Date(last.add({ days: -31 }).toString()),
    noInvalidDate: true,
  });

  it('puts each milestone on a working day, after the one before, on the working day its number says', () => {
    fc.assert(
      fc.property(receipts, (receivedAt) => {
        const timetable = planRapidReview({ receivedAt });
        const day1 = CalendarDate.from(timetable.day1);
        let previous: CalendarDate | undefined;
        for (const step of timetable.milestones) {
          const date = CalendarDate.from(step.date);
          expect(isWorkingDay(date)).toBe(true);
          if (previous !== undefined) expect(CalendarDate.compare(date, previous)).toBe(1);
          expect(workingDaysBetween(day1, date)).toBe(step.day - 1);
          expect(Date.parse(step.startsAt)).toBeLessThan(Date.parse(step.dueAt));
          previous = date;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('starts on the first working day that had not ended when the notification arrived', () => {
    fc.assert(
      fc.property(receipts, (receivedAt) => {
        const [day1] = planRapidReview({ receivedAt }).milestones;
        const day1Date = CalendarDate.from(day1?.date ?? '');
        // Temporal, independently, says on which London date the notification arrived.
        const receivedOnInLondon = Temporal.Instant.fromEpochMilliseconds(receivedAt.getTime())
          .toZonedDateTimeISO('Europe/London')
          .toPlainDate();
        const receivedOn = CalendarDate.from(receivedOnInLondon.toString());
        const endOfWorkingDayReceived = receivedOnInLondon.toZonedDateTime({
          timeZone: 'Europe/London',
          plainTime: '17:00',
        });

        expect(Date.parse(day1?.dueAt ?? '')).toBeGreaterThan(receivedAt.getTime());
        expect(CalendarDate.compare(day1Date, receivedOn)).toBeGreaterThanOrEqual(0);
        expect(workingDaysBetween(receivedOn, day1Date)).toBeLessThanOrEqual(1);
        if (!day1Date.equals(receivedOn) && isWorkingDay(receivedOn)) {
          expect(endOfWorkingDayReceived.epochMilliseconds).toBeLessThanOrEqual(receivedAt.getTime());
        }
      }),
      { numRuns: 300 },
    );
  });
});
