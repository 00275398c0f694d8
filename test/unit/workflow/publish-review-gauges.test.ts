import { describe, expect, it } from 'vitest';
import type { CaseRecord, CaseStatus } from '../../../shared/schemas/case.ts';
import {
  DEADLINES_DUE_WITHIN_FIVE_WORKING_DAYS,
  deadlineWindowEnd,
  embeddedMetricLines,
  METRICS_NAMESPACE,
  publishReviewGauges,
  REVIEWS_AT_STEP,
  reviewGauges,
} from '../../../shared/use-cases/publish-review-gauges.ts';
import { aCase, opened } from '../../support/case-store-contract.ts';
import { fakeService } from './workflow-fakes.ts';

/** An invented case at a step, whose timetable's milestones fall due at the given instants. */
function caseAt(status: CaseStatus, currentStep: string, dueAts: readonly string[]): CaseRecord {
  const { record } = aCase();
  const [template] = record.timetable.milestones;
  if (!template) throw new Error('The invented case has no milestones');
  return {
    ...record,
    status,
    currentStep,
    timetable: {
      ...record.timetable,
      milestones: dueAts.map((dueAt, index) => ({ ...template, day: index + 1, dueAt })),
    },
  };
}

// Friday 6 March 2026, 10am in London (GMT): the fifth working day after it is Friday 13 March.
const FRIDAY_MORNING = new Date('2026-03-06T10:00:00Z');

describe('the review gauges', () => {
  it('looks five working days ahead, to midnight at the end of the fifth', () => {
    expect(deadlineWindowEnd(FRIDAY_MORNING).toISOString()).toBe('2026-03-14T00:00:00.000Z');
    // Wednesday 1 April 2026 (BST): Good Friday and Easter Monday are not working days, so the
    // fifth is Friday 10 April, which ends at 11pm UTC.
    expect(deadlineWindowEnd(new Date('2026-04-01T11:00:00Z')).toISOString()).toBe(
      '2026-04-10T23:00:00.000Z',
    );
  });

  it('counts open reviews by step, and the deadlines still ahead of those not yet submitted', () => {
    const cases = [
      caseAt('awaiting-summaries', 'RequestAgencySummaries', [
        '2026-03-05T17:00:00Z', // already past: late, not due
        '2026-03-09T17:00:00Z', // due
        '2026-03-13T17:00:00Z', // due, on the fifth working day
        '2026-03-16T17:00:00Z', // beyond the window
      ]),
      caseAt('awaiting-summaries', 'RequestAgencySummaries', [
        '2026-03-13T23:59:00Z', // due, the last minute of the window
        '2026-03-14T00:00:00Z', // the window's end: beyond it
      ]),
      caseAt('failed', 'CollateReport', ['2026-03-06T17:00:00Z']), // due today: a failed review still has deadlines
      caseAt('submitted-to-panel', 'SubmitToPanel', ['2026-03-10T17:00:00Z']), // submitted: met
      caseAt('completed', 'NotifyOutcome', ['2026-03-10T17:00:00Z']), // not open at all
      caseAt('withdrawn', 'Withdrawn', ['2026-03-10T17:00:00Z']),
    ];

    const gauges = reviewGauges(cases, FRIDAY_MORNING);

    expect([...gauges.reviewsAtStep]).toEqual([
      ['CollateReport', 1],
      ['RequestAgencySummaries', 2],
      ['SubmitToPanel', 1],
    ]);
    expect(gauges.deadlinesDueWithinFiveWorkingDays).toBe(4);
  });

  it('writes one embedded metric line per step and one for the deadlines, in the service’s namespace', () => {
    const lines = embeddedMetricLines(
      {
        reviewsAtStep: new Map([
          ['CollateReport', 1],
          ['RequestAgencySummaries', 2],
        ]),
        deadlinesDueWithinFiveWorkingDays: 4,
      },
      FRIDAY_MORNING,
    ).map((line) => JSON.parse(line));

    expect(lines).toEqual([
      {
        _aws: {
          Timestamp: FRIDAY_MORNING.getTime(),
          CloudWatchMetrics: [
            {
              Namespace: METRICS_NAMESPACE,
              Dimensions: [['Step']],
              Metrics: [{ Name: REVIEWS_AT_STEP, Unit: 'Count' }],
            },
          ],
        },
        Step: 'CollateReport',
        ReviewsAtStep: 1,
      },
      expect.objectContaining({ Step: 'RequestAgencySummaries', ReviewsAtStep: 2 }),
      {
        _aws: {
          Timestamp: FRIDAY_MORNING.getTime(),
          CloudWatchMetrics: [
            {
              Namespace: 'SafeguardingReviews',
              Dimensions: [[]],
              Metrics: [{ Name: DEADLINES_DUE_WITHIN_FIVE_WORKING_DAYS, Unit: 'Count' }],
            },
          ],
        },
        DeadlinesDueWithinFiveWorkingDays: 4,
      },
    ]);
  });

  it('reads the open reviews from the case store and writes their gauges', async () => {
    const { service, cases } = fakeService(FRIDAY_MORNING.toISOString());
    const awaiting = caseAt('awaiting-summaries', 'RequestAgencySummaries', ['2026-03-09T17:00:00Z']);
    const completed = caseAt('completed', 'NotifyOutcome', ['2026-03-09T17:00:00Z']);
    for (const record of [awaiting, completed]) {
      await cases.createCase(record, [], opened());
    }
    const written: string[] = [];

    const gauges = await publishReviewGauges(service, (line) => written.push(line));

    expect([...gauges.reviewsAtStep]).toEqual([['RequestAgencySummaries', 1]]);
    expect(gauges.deadlinesDueWithinFiveWorkingDays).toBe(1);
    expect(written.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({ Step: 'RequestAgencySummaries', ReviewsAtStep: 1 }),
      expect.objectContaining({ DeadlinesDueWithinFiveWorkingDays: 1 }),
    ]);
  });
});
