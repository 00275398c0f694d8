import { describe, expect, it } from 'vitest';
import {
  type ActionFacts,
  againstDate,
  agencyReturnRates,
  decisionFigures,
  halfYearDates,
  halfYearMonths,
  lastCompleteHalfYear,
  lastTwelveMonths,
  notificationCounts,
  notifiedWithin,
  openReviewPositions,
  overdueActions,
  overdueByAgency,
  panelReplyFigures,
  parseHalfYear,
  percentage,
  type ReviewFacts,
  recentHalfYears,
  themesMostSeen,
  timelinessAgainstLocalPlan,
  timelinessAgainstPanel,
  timelinessTrend,
  workingDaysLate,
} from '../../../shared/insight/figures.ts';
import type { AgencyRequest, CaseRecord } from '../../../shared/schemas/case.ts';

/**
 * Each figure of the scrutineer's report and the dashboard on small, invented data whose answers
 * were worked out by hand (the working-day calendar: Good Friday 3 April and Easter Monday
 * 6 April 2026 are bank holidays; British Summer Time starts on 29 March 2026).
 */

let serial = 0;
/** A case with only what the figures read; the rest of the record does not matter to them. */
function review(
  fields: Partial<CaseRecord> & {
    panelDueBy?: string | null;
    localDueDate?: string;
    governingDueDate?: string;
  },
  agencies: Partial<AgencyRequest>[] = [],
): ReviewFacts {
  serial += 1;
  const { panelDueBy = null, localDueDate, governingDueDate, ...rest } = fields;
  const record = {
    caseId: `case-${serial}`,
    reference: `RR-2026-${String(serial).padStart(4, '0')}`,
    status: 'completed',
    receivedAt: '2026-03-04T10:00:00.000Z',
    incidentKind: 'serious-harm',
    timetable: {
      panelDueBy,
      localDueDate,
      governingDueDate,
      governedBy: 'local',
      milestones: [
        { key: 'submitToPanel', date: localDueDate ?? '2026-03-24', dueAt: '2026-03-24T17:00:00Z' },
      ],
    },
    ...rest,
  } as unknown as CaseRecord;
  return {
    case: record,
    agencies: agencies.map(
      (agency, index) =>
        ({
          caseId: record.caseId,
          agencyId: `agency-${index}`,
          agencyName: 'Police (invented)',
          status: 'received',
          late: false,
          ...agency,
        }) as AgencyRequest,
    ),
  };
}

describe('the half-year a report covers', () => {
  it('reads 2026-H1 and 2025-h2, and refuses anything else', () => {
    expect(parseHalfYear('2026-H1')).toEqual({ year: 2026, half: 1 });
    expect(parseHalfYear(' 2025-h2 ')).toEqual({ year: 2025, half: 2 });
    expect(parseHalfYear('2026-H3')).toBeUndefined();
    expect(parseHalfYear('2026')).toBeUndefined();
    expect(parseHalfYear('<script>')).toBeUndefined();
  });

  it('spans January to June or July to December, six months', () => {
    expect(halfYearDates({ year: 2026, half: 1 })).toEqual({ from: '2026-01-01', to: '2026-06-30' });
    expect(halfYearDates({ year: 2026, half: 2 })).toEqual({ from: '2026-07-01', to: '2026-12-31' });
    expect(halfYearMonths({ year: 2026, half: 2 })).toEqual([
      '2026-07',
      '2026-08',
      '2026-09',
      '2026-10',
      '2026-11',
      '2026-12',
    ]);
  });

  it('is by default the last half-year that ended before today in London', () => {
    expect(lastCompleteHalfYear(new Date('2026-12-02T12:00:00Z'))).toEqual({ year: 2026, half: 1 });
    expect(lastCompleteHalfYear(new Date('2026-03-18T12:00:00Z'))).toEqual({ year: 2025, half: 2 });
    // 11:30pm on 30 June in UTC is already 1 July in London: the first half has ended.
    expect(lastCompleteHalfYear(new Date('2026-06-30T23:30:00Z'))).toEqual({ year: 2026, half: 1 });
    expect(recentHalfYears(new Date('2026-03-18T12:00:00Z'), 3)).toEqual([
      { year: 2026, half: 1 },
      { year: 2025, half: 2 },
      { year: 2025, half: 1 },
    ]);
  });

  it('gives the dashboard the twelve months up to this one, oldest first', () => {
    const months = lastTwelveMonths(new Date('2026-03-18T12:00:00Z'));
    expect(months).toHaveLength(12);
    expect(months[0]).toBe('2025-04');
    expect(months[11]).toBe('2026-03');
  });

  it('counts a notification on the London date it arrived', () => {
    const lateEvening = review({ receivedAt: '2026-06-30T23:30:00.000Z' }); // 1 July in London
    const inJune = review({ receivedAt: '2026-06-30T22:59:00.000Z' }); // 11:59pm on 30 June
    expect(notifiedWithin([lateEvening, inJune], '2026-01-01', '2026-06-30')).toEqual([inJune]);
  });
});

describe('working days late', () => {
  it('is 0 on or before the date, and counts only working days after it', () => {
    expect(workingDaysLate('2026-03-24', '2026-03-24')).toBe(0);
    expect(workingDaysLate('2026-03-24', '2026-03-20')).toBe(0);
    // Friday 20 March → Saturday 21 is no working day late; Monday 23 is one.
    expect(workingDaysLate('2026-03-20', '2026-03-21')).toBe(0);
    expect(workingDaysLate('2026-03-20', '2026-03-23')).toBe(1);
    // Thursday 2 April → Tuesday 7 April: Good Friday, the weekend and Easter Monday do not count.
    expect(workingDaysLate('2026-04-02', '2026-04-07')).toBe(1);
  });

  it('judges the day the review was sent in London, not in UTC', () => {
    // 11:30pm UTC on 31 March is 12:30am on 1 April in London: one working day after 31 March.
    expect(againstDate('2026-03-31', '2026-03-31T23:30:00.000Z')).toEqual({ kind: 'late', workingDays: 1 });
    expect(againstDate('2026-03-31', '2026-03-31T22:30:00.000Z')).toEqual({ kind: 'on-time' });
    expect(againstDate(null, '2026-03-31T22:30:00.000Z')).toEqual({ kind: 'unknown' });
    expect(againstDate('2026-03-31', undefined)).toEqual({ kind: 'unknown' });
  });
});

describe('timeliness against the Panel’s date and the local plan', () => {
  const reviews = [
    // On time against both.
    review({
      panelDueBy: '2026-03-25',
      localDueDate: '2026-03-24',
      submittedToPanelAt: '2026-03-24T15:00:00.000Z',
    }),
    // On time against the Panel's date, 2 working days late against the local plan (Tue 24 → Thu 26).
    review({
      panelDueBy: '2026-03-27',
      localDueDate: '2026-03-24',
      submittedToPanelAt: '2026-03-26T15:00:00.000Z',
    }),
    // Late against both: Panel's Thursday 2 April → Tuesday 7 April is 1; local Wed 1 April → 2.
    review({
      panelDueBy: '2026-04-02',
      localDueDate: '2026-04-01',
      submittedToPanelAt: '2026-04-07T09:00:00.000Z',
    }),
    // The Panel's date unknown (when it was notified is not known); on time locally.
    review({ panelDueBy: null, localDueDate: '2026-03-24', submittedToPanelAt: '2026-03-20T09:00:00.000Z' }),
    // Not sent yet: not counted.
    review({ status: 'awaiting-decision', panelDueBy: '2026-03-25', localDueDate: '2026-03-24' }),
  ];

  it('counts the sent reviews on time and late against the Panel’s date, with the working days late', () => {
    expect(timelinessAgainstPanel(reviews)).toEqual({
      sent: 4,
      onTime: 2,
      late: 1,
      unknown: 1,
      workingDaysLateTotal: 1,
      workingDaysLateMost: 1,
    });
  });

  it('counts them against the local plan, whose date is the partnership’s own Day 15', () => {
    expect(timelinessAgainstLocalPlan(reviews)).toEqual({
      sent: 4,
      onTime: 2,
      late: 2,
      unknown: 0,
      workingDaysLateTotal: 4,
      workingDaysLateMost: 2,
    });
  });

  it('reads an older plan’s submission milestone when it has no local date', () => {
    const older = review({ submittedToPanelAt: '2026-03-25T09:00:00.000Z' }); // milestone 24 March
    expect(timelinessAgainstLocalPlan([older])).toMatchObject({ late: 1, workingDaysLateTotal: 1 });
  });
});

describe('notifications, reviews done and decisions', () => {
  it('counts notifications by kind and what became of them', () => {
    const counts = notificationCounts([
      review({ incidentKind: 'death', status: 'completed' }),
      review({ status: 'submitted-to-panel' }),
      review({ status: 'closed' }),
      review({ status: 'withdrawn' }),
      review({ status: 'awaiting-summaries' }),
    ]);
    expect(counts).toEqual({
      notifications: 5,
      deaths: 1,
      seriousHarm: 4,
      reviewsDone: 2,
      notificationOnly: 1,
      withdrawn: 1,
      inProgress: 1,
    });
  });

  it('counts the decisions by what they recommend, with each one’s reasons in order', () => {
    const decided = (at: string, local: boolean, national: boolean) =>
      ({
        decidedAt: at,
        commissionLocalReview: local,
        localReviewReason: `Local reason ${at} (invented)`,
        recommendNationalReview: national,
        nationalReviewReason: `National reason ${at} (invented)`,
        decidedBy: 'chair',
      }) as CaseRecord['decision'];
    const figures = decisionFigures([
      review({ decision: decided('2026-03-20T10:00:00.000Z', true, false) }),
      review({ decision: decided('2026-03-18T10:00:00.000Z', true, true) }),
      review({ decision: decided('2026-03-19T10:00:00.000Z', false, false) }),
      review({ status: 'awaiting-decision' }),
    ]);
    expect(figures).toMatchObject({ decided: 3, localReview: 2, nationalReview: 1, neither: 1 });
    expect(figures.decisions.map((decision) => decision.localReviewReason)).toEqual([
      'Local reason 2026-03-18T10:00:00.000Z (invented)',
      'Local reason 2026-03-19T10:00:00.000Z (invented)',
      'Local reason 2026-03-20T10:00:00.000Z (invented)',
    ]);
  });
});

describe('agencies’ return rates and timeliness', () => {
  it('counts each agency’s requests (not removed), returns, and returns on time, as percentages', () => {
    const rates = agencyReturnRates([
      review({}, [
        { agencyName: 'Police (invented)', status: 'received', late: false },
        { agencyName: 'Health (invented)', status: 'received', late: true },
      ]),
      review({}, [
        { agencyName: 'Police (invented)', status: 'received', late: true },
        { agencyName: 'Health (invented)', status: 'escalated' },
      ]),
      review({}, [
        { agencyName: 'Police (invented)', status: 'reminded' },
        { agencyName: 'Health (invented)', status: 'removed' },
      ]),
    ]);
    expect(rates).toEqual([
      { agencyName: 'Police (invented)', asked: 3, returned: 2, onTime: 1, returnRate: 67, onTimeRate: 50 },
      { agencyName: 'Health (invented)', asked: 2, returned: 1, onTime: 0, returnRate: 50, onTimeRate: 0 },
    ]);
  });

  it('gives no percentage of nothing', () => {
    expect(percentage(0, 0)).toBeUndefined();
    expect(percentage(1, 3)).toBe(33);
    expect(percentage(2, 3)).toBe(67);
  });
});

describe('the Panel’s replies', () => {
  it('counts the replies and lists where the Panel disagreed or asked for a review not commissioned', () => {
    const reply = (repliedOn: string, agrees: boolean, asksLocal: boolean) =>
      ({
        repliedOn,
        agreesWithDecision: agrees,
        nationalReview: false,
        asksForLocalReview: asksLocal,
        comments: 'Invented',
        recordedAt: '2026-04-01T10:00:00.000Z',
        recordedBy: 'team',
      }) as CaseRecord['panelReply'];
    const noLocal = { commissionLocalReview: false } as CaseRecord['decision'];
    const local = { commissionLocalReview: true } as CaseRecord['decision'];
    const reviews = [
      review({ panelReply: reply('2026-04-01', true, false), decision: noLocal }),
      review({ panelReply: reply('2026-04-03', false, false), decision: noLocal }),
      // Agrees, but asks for a local review the partners did not commission: a disagreement.
      review({ panelReply: reply('2026-04-02', true, true), decision: noLocal }),
      // Asks for the local review the partners commissioned: agreement.
      review({ panelReply: reply('2026-04-04', true, true), decision: local }),
      review({ status: 'submitted-to-panel' }),
    ];
    const figures = panelReplyFigures(reviews);
    expect(figures).toMatchObject({
      sent: 5,
      replies: 4,
      agreed: 3,
      disagreed: 1,
      localReviewsAsked: 2,
      nationalReviews: 0,
    });
    expect(figures.disagreements.map((entry) => [entry.repliedOn, entry.agreesWithDecision])).toEqual([
      ['2026-04-02', true],
      ['2026-04-03', false],
    ]);
  });
});

describe('the dashboard', () => {
  it('places each open review against its governing date in working days, the most pressing first', () => {
    const now = new Date('2026-03-18T12:00:00Z'); // Wednesday
    const positions = openReviewPositions(
      [
        review({ status: 'awaiting-decision', governingDueDate: '2026-03-20' }).case, // 2 left
        review({ status: 'collating', governingDueDate: '2026-03-16' }).case, // Monday: 2 overdue
        review({ status: 'completed', governingDueDate: '2026-03-01' }).case, // not open
      ],
      now,
    );
    expect(positions.map((position) => position.workingDaysLeft)).toEqual([-2, 2]);
  });

  it('draws the trend by month notified: how many sent by their governing date', () => {
    const trend = timelinessTrend(
      [
        review({
          receivedAt: '2026-02-02T10:00:00.000Z',
          governingDueDate: '2026-02-20',
          submittedToPanelAt: '2026-02-19T10:00:00.000Z',
        }),
        review({
          receivedAt: '2026-02-10T10:00:00.000Z',
          governingDueDate: '2026-03-02',
          submittedToPanelAt: '2026-03-04T10:00:00.000Z',
        }),
        review({ receivedAt: '2026-03-02T10:00:00.000Z', status: 'awaiting-summaries' }),
      ],
      ['2026-02', '2026-03'],
    );
    expect(trend).toEqual([
      { month: '2026-02', sent: 2, onTime: 1, late: 1, onTimeRate: 50 },
      { month: '2026-03', sent: 0, onTime: 0, late: 0, onTimeRate: undefined },
    ]);
  });
});

describe('actions overdue and the themes most seen', () => {
  const action = (fields: Partial<ActionFacts>): ActionFacts => ({
    reviewReference: 'RR-2026-0001',
    number: 1,
    owningAgencyName: 'Police (invented)',
    ownerRole: 'Detective Inspector (invented)',
    dueOn: '2026-03-16',
    status: 'in-progress',
    ...fields,
  });

  it('counts an action overdue when its date has passed and it is not done, with working days overdue', () => {
    const overdue = overdueActions(
      [
        action({ number: 1, dueOn: '2026-03-16' }), // Monday: 2 working days before Wednesday 18
        action({ number: 2, dueOn: '2026-03-18' }), // due today: not overdue
        action({ number: 3, dueOn: '2026-03-02', status: 'done' }), // done: waits for verification only
        action({ number: 4, dueOn: '2026-03-02', status: 'verified' }),
        action({
          number: 5,
          dueOn: '2026-03-13',
          status: 'not-started',
          owningAgencyName: 'Health (invented)',
        }),
      ],
      '2026-03-18',
    );
    expect(overdue.map((entry) => [entry.number, entry.workingDaysOverdue])).toEqual([
      [5, 3],
      [1, 2],
    ]);
    expect(overdueByAgency(overdue)).toEqual([
      { agencyName: 'Health (invented)', count: 1 },
      { agencyName: 'Police (invented)', count: 1 },
    ]);
  });

  it('orders the themes by how many reviews share them, leaving out those none has', () => {
    expect(
      themesMostSeen(
        [
          { key: 'neglect', name: 'Neglect', reviews: 3 },
          { key: 'safe-sleep', name: 'Safe sleep', reviews: 0 },
          { key: 'domestic-abuse', name: 'Domestic abuse', reviews: 5 },
          { key: 'voice-of-the-child', name: 'Voice of the child', reviews: 3 },
        ],
        2,
      ).map((theme) => theme.name),
    ).toEqual(['Domestic abuse', 'Neglect']);
  });
});
