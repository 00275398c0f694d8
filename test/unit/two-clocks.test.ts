import { describe, expect, it } from 'vitest';
import { runTimetableCommand } from '../../scripts/timetable.ts';
import { CalendarDate } from '../../shared/calendar/dates.ts';
import { previousWorkingDay, subtractWorkingDays } from '../../shared/calendar/working-days.ts';
import { governingPlan, panelExpectedBy } from '../../shared/rapid-review-rules.ts';
import { collationStartsAt, type Timetable } from '../../shared/schemas/timetable.ts';
import { planRapidReview } from '../../shared/timetable.ts';

const date = (text: string) => CalendarDate.from(text);
const datesOf = (timetable: Timetable) =>
  Object.fromEntries(timetable.milestones.map((step) => [step.key, step.date]));

describe('the Panel’s date: 15 working days from the day the Panel was notified', () => {
  it('counts the day after notification as working day 1, over Christmas and New Year', () => {
    // Tue 15 Dec 2026: Christmas Day, the Boxing Day substitute (Mon 28) and New Year's Day are not counted.
    expect(panelExpectedBy(date('2026-12-15'), 15).toString()).toBe('2027-01-08');
  });

  it('counts a notification on a weekend or bank holiday from the next working day', () => {
    // Sat 12 Dec 2026 counts as Mon 14 Dec: working day 1 is Tue 15 Dec.
    expect(panelExpectedBy(date('2026-12-12'), 15).toString()).toBe(
      panelExpectedBy(date('2026-12-14'), 15).toString(),
    );
    // Good Friday 2027 (26 March) counts from Tuesday 30 March, after Easter Monday.
    expect(panelExpectedBy(date('2027-03-26'), 1).toString()).toBe('2027-03-31');
  });

  it('skips a one-off bank holiday: the coronation on Mon 8 May 2023', () => {
    // Fri 28 Apr 2023: Early May (Mon 1 May) and the coronation (Mon 8 May) are not counted.
    expect(panelExpectedBy(date('2023-04-28'), 15).toString()).toBe('2023-05-23');
  });
});

describe('two clocks, one deadline', () => {
  it('works to the Panel’s date when it falls before the local Day 15, pulling the milestones back', () => {
    // The Panel was notified on Tue 15 Dec 2026; the partnership heard on Fri 18 Dec.
    const timetable = planRapidReview({
      receivedAt: '2026-12-18T10:00:00Z',
      awareOn: '2026-12-14',
      panelNotifiedOn: '2026-12-15',
    });

    expect(timetable).toMatchObject({
      panelDueBy: '2027-01-08',
      localDueDate: '2027-01-12',
      governingDueDate: '2027-01-08',
      governedBy: 'panel',
      workingDaysApart: 2,
    });
    // Each milestone keeps its working days before the submission: two working days earlier than
    // the local plan, except Day 1, which cannot move before receipt.
    expect(datesOf(timetable)).toEqual({
      requestAgencySummaries: '2026-12-18',
      remindAgencies: '2026-12-24',
      agencySummariesDue: '2026-12-31',
      collateReport: '2027-01-04',
      distributePapers: '2027-01-05',
      rapidReviewMeeting: '2027-01-07',
      submitToPanel: '2027-01-08',
    });
    expect(timetable.milestones.find((step) => step.key === 'submitToPanel')?.dueAt).toBe(
      '2027-01-08T17:00:00Z',
    );
  });

  it('keeps the local timetable, and says by how much, when the Panel’s date is later', () => {
    // The Panel was told a week after the partnership (over Easter 2027: Good Friday 26 March, Easter Monday 29 March).
    const timetable = planRapidReview({
      receivedAt: '2027-03-22T10:00:00Z',
      panelNotifiedOn: '2027-03-25',
    });
    const local = planRapidReview({ receivedAt: '2027-03-22T10:00:00Z' });

    expect(timetable.governedBy).toBe('local');
    expect(timetable.governingDueDate).toBe(timetable.localDueDate);
    expect(datesOf(timetable)).toEqual(datesOf(local));
    expect(timetable.localDueDate).toBe('2027-04-13');
    expect(timetable.panelDueBy).toBe('2027-04-19');
    expect(timetable.workingDaysApart).toBe(4);
  });

  it('says the Panel’s date governs when both fall on the same day, and moves nothing', () => {
    // Received on the day the Panel was notified, after the working day ended: Day 1 is the next working day.
    const timetable = planRapidReview({
      receivedAt: '2026-12-15T17:30:00Z',
      panelNotifiedOn: '2026-12-15',
    });

    expect(timetable.localDueDate).toBe('2027-01-08');
    expect(timetable).toMatchObject({
      governedBy: 'panel',
      governingDueDate: '2027-01-08',
      workingDaysApart: 0,
    });
    expect(datesOf(timetable)).toEqual(datesOf(planRapidReview({ receivedAt: '2026-12-15T17:30:00Z' })));
  });

  it('never pulls a milestone before the next working day after receipt', () => {
    // Told eleven working days after the Panel: the Panel's date is Fri 8 Jan 2027, receipt Tue 5 Jan.
    const timetable = planRapidReview({
      receivedAt: '2027-01-05T10:00:00Z',
      panelNotifiedOn: '2026-12-15',
    });

    expect(timetable.governedBy).toBe('panel');
    expect(datesOf(timetable)).toMatchObject({
      requestAgencySummaries: '2027-01-05',
      remindAgencies: '2027-01-06',
      agencySummariesDue: '2027-01-06',
      collateReport: '2027-01-06',
      distributePapers: '2027-01-06',
      rapidReviewMeeting: '2027-01-07',
      submitToPanel: '2027-01-08',
    });
  });

  it('works to the local Day 15 when the Panel’s date is not known', () => {
    const timetable = planRapidReview({ receivedAt: '2026-12-18T10:00:00Z' });

    expect(timetable).toMatchObject({
      panelDueBy: null,
      localDueDate: '2027-01-12',
      governingDueDate: '2027-01-12',
      governedBy: 'local',
      workingDaysApart: 0,
    });
  });

  it('says whether the Panel was notified, and the partnership told, within 5 working days of awareness', () => {
    // Aware on Mon 7 Dec 2026: both were due by Mon 14 Dec.
    const timetable = planRapidReview({
      receivedAt: '2026-12-16T10:00:00Z',
      awareOn: '2026-12-07',
      panelNotifiedOn: '2026-12-14',
    });

    expect(timetable).toMatchObject({
      notificationDueBy: '2026-12-14',
      panelNotifiedLate: false,
      partnershipToldLate: true,
      notificationLate: true,
    });
  });
});

describe('the timetable command, with --panel-notified', () => {
  function run(argv: string[]) {
    let stdout = '';
    let stderr = '';
    const status = runTimetableCommand(argv, {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
    });
    return { status, stdout, stderr };
  }

  it('carries the governing date, the clock that governs, the pulled-back milestones and both lateness flags', () => {
    const { status, stdout } = run([
      '--received',
      '2026-12-18T10:00:00Z',
      '--aware',
      '2026-12-14',
      '--panel-notified',
      '2026-12-15',
      '--json',
    ]);

    expect(status).toBe(0);
    const printed = JSON.parse(stdout);
    expect(printed).toMatchObject({
      day1: '2026-12-18',
      notificationDueBy: '2026-12-21',
      notificationLate: false,
      panelDueBy: '2027-01-08',
      governingDueDate: '2027-01-08',
      governedBy: 'panel',
      panelNotifiedLate: false,
      partnershipToldLate: false,
    });
    expect(printed.milestones.at(-1)).toMatchObject({ day: 15, date: '2027-01-08' });
    expect(printed.milestones.find((step: { day: number }) => step.day === 12).date).toBe('2027-01-05');
  });

  it('says in its table which date governs and by how many working days', () => {
    const { stdout } = run(['--received', '2026-12-18T10:00:00Z', '--panel-notified', '2026-12-15']);

    expect(stdout).toContain(
      "Works to the Panel's date, Fri 8 Jan 2027: 2 working days before the partnership's Day 15 (Tue 12 Jan 2027)",
    );
  });
});

describe('governingPlan, the rule itself, on calendar edges', () => {
  const d = (text: string) => CalendarDate.from(text);
  const plan = (local: string[], panel: string, receivedOn: string) =>
    governingPlan({
      localDates: local.map(d),
      submissionIndex: local.length - 1,
      panelDate: d(panel),
      receivedOn: d(receivedOn),
    }).milestoneDates.map(String);

  it('keeps each milestone’s working days before the submission over Easter', () => {
    // Local: papers Thu 15 Apr 2027, three working days before the submission on Tue 20 Apr; the
    // Panel's date is Fri 16 Apr, so the papers go three working days before it, on Tue 13 Apr.
    expect(plan(['2027-03-22', '2027-04-15', '2027-04-20'], '2027-04-16', '2027-03-22')).toEqual([
      '2027-03-22',
      '2027-04-13',
      '2027-04-16',
    ]);
    // Across Easter Monday (29 March) and Good Friday (26 March) 2027: 3 working days before
    // Wed 31 March is Wed 24 March.
    expect(plan(['2027-03-22', '2027-04-01', '2027-04-06'], '2027-03-31', '2027-03-22')).toEqual([
      '2027-03-22',
      '2027-03-24',
      '2027-03-31',
    ]);
  });

  it('skips a one-off bank holiday when counting back: the coronation, Mon 8 May 2023', () => {
    // Local: papers Thu 11 May, submission Fri 12 May; the Panel's date Tue 9 May: papers back to Fri 5 May.
    expect(plan(['2023-04-27', '2023-05-11', '2023-05-12'], '2023-05-09', '2023-04-27')).toEqual([
      '2023-04-27',
      '2023-05-05',
      '2023-05-09',
    ]);
  });

  it('never plans the submission before the milestones before it, when the Panel’s date had already passed', () => {
    // Told after 17:00 on Fri 18 Dec 2026, the Panel notified on 27 Nov (its date: Fri 18 Dec).
    const timetable = planRapidReview({ receivedAt: '2026-12-18T17:30:00Z', panelNotifiedOn: '2026-11-27' });
    const dates = timetable.milestones.map((step) => step.date);

    expect(timetable.governingDueDate).toBe('2026-12-18');
    expect(timetable.governedBy).toBe('panel');
    expect([...dates].sort()).toEqual(dates);
    expect(dates.at(-1)).toBe('2026-12-21');
    expect(dates[0]).toBe('2026-12-21');
  });

  it('keeps a milestone after the submission as far after it, under custom rules', () => {
    // Submission on local Day 13 (Fri 8 Jan 2027), a meeting after it on Day 15 (Tue 12 Jan).
    const dates = governingPlan({
      localDates: ['2026-12-18', '2027-01-08', '2027-01-12'].map(d),
      submissionIndex: 1,
      panelDate: d('2027-01-06'),
      receivedOn: d('2026-12-18'),
    }).milestoneDates.map(String);

    expect(dates).toEqual(['2026-12-18', '2027-01-06', '2027-01-08']);
  });

  it('counts working days back over Christmas, and forwards after a weekend', () => {
    expect(subtractWorkingDays(d('2026-12-29'), 2).toString()).toBe('2026-12-23');
    expect(previousWorkingDay(d('2027-01-04')).toString()).toBe('2026-12-31');
    expect(subtractWorkingDays(d('2026-12-27'), 1).toString()).toBe('2026-12-24');
  });
});

describe('collation never starts before the summaries are due', () => {
  it('waits for the summaries’ deadline when the Panel’s date pulls both onto one day', () => {
    const timetable = planRapidReview({ receivedAt: '2027-01-05T10:00:00Z', panelNotifiedOn: '2026-12-15' });

    expect(datesOf(timetable).agencySummariesDue).toBe(datesOf(timetable).collateReport);
    expect(collationStartsAt(timetable)).toBe('2027-01-06T17:00:00Z');
  });

  it('starts at the start of the collation day otherwise', () => {
    const timetable = planRapidReview({ receivedAt: '2026-12-18T10:00:00Z' });

    // Day 11, Wed 6 Jan 2027, at 09:00 (GMT).
    expect(collationStartsAt(timetable)).toBe('2027-01-06T09:00:00Z');
  });
});
