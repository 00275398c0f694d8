import { instantAt, zonedDateTime } from '../calendar/dates.ts';
import { addWorkingDays } from '../calendar/working-days.ts';
import { metricsNamespace } from '../metric-names.ts';
import { defaultRapidReviewRules } from '../rapid-review-rules.ts';
import type { CaseRecord, CaseStatus } from '../schemas/case.ts';
import type { Service } from '../service.ts';

/** The CloudWatch namespace of the service's own metrics (the business metrics share it). */
export const METRICS_NAMESPACE = metricsNamespace;
/** Open reviews at one step, by dimension `Step` (the case's `currentStep`, a state name such as `CollateReport`). */
export const REVIEWS_AT_STEP = 'ReviewsAtStep';
/** Deadlines of reviews not yet submitted that fall from now to the end of the fifth working day after today. */
export const DEADLINES_DUE_WITHIN_FIVE_WORKING_DAYS = 'DeadlinesDueWithinFiveWorkingDays';

/** How many working days ahead the deadline gauge looks. */
export const DEADLINE_WINDOW_WORKING_DAYS = 5;

/** A review is open until it is completed, closed as notification only or withdrawn. */
export const OPEN_STATUSES: readonly CaseStatus[] = [
  'notified',
  'awaiting-summaries',
  'collating',
  'awaiting-decision',
  'decided',
  'submitted-to-panel',
  'failed',
];
/** Once submitted to the Panel a review has met its deadlines; before, each milestone still ahead is one. */
const BEFORE_SUBMISSION: ReadonlySet<CaseStatus> = new Set(
  OPEN_STATUSES.filter((s) => s !== 'submitted-to-panel'),
);

/** What the gauges say at one moment. */
export interface ReviewGauges {
  /** Open reviews by the step they stand at, steps in name order; a step no review stands at is absent. */
  readonly reviewsAtStep: ReadonlyMap<string, number>;
  readonly deadlinesDueWithinFiveWorkingDays: number;
}

/**
 * The end of the window the deadline gauge counts: midnight (London) at the end of the fifth
 * working day after today. The rest of today counts too, whatever day it is: on a Friday the
 * window runs to the end of the next Friday (bank holidays pushing it later).
 */
export function deadlineWindowEnd(now: Date, timeZone = defaultRapidReviewRules.timeZone): Date {
  const today = zonedDateTime(now, timeZone).date;
  const lastDay = addWorkingDays(today, DEADLINE_WINDOW_WORKING_DAYS);
  return instantAt(lastDay.add({ days: 1 }), '00:00', timeZone);
}

/**
 * The gauges' figures from the open reviews: how many stand at each step, and how many of the
 * timetable's milestones of those not yet submitted fall due from `now` to the end of the fifth
 * working day after today (a review's milestone already past is not counted: it is late, not due).
 */
export function reviewGauges(openCases: readonly CaseRecord[], now: Date): ReviewGauges {
  const atStep = new Map<string, number>();
  let deadlines = 0;
  const windowEnd = deadlineWindowEnd(now).getTime();
  for (const record of openCases) {
    if (!OPEN_STATUSES.includes(record.status)) continue;
    atStep.set(record.currentStep, (atStep.get(record.currentStep) ?? 0) + 1);
    if (!BEFORE_SUBMISSION.has(record.status)) continue;
    for (const milestone of record.timetable.milestones) {
      const due = Date.parse(milestone.dueAt);
      if (due >= now.getTime() && due < windowEnd) deadlines += 1;
    }
  }
  return {
    reviewsAtStep: new Map([...atStep].sort(([a], [b]) => a.localeCompare(b))),
    deadlinesDueWithinFiveWorkingDays: deadlines,
  };
}

/**
 * The gauges as CloudWatch embedded metric format lines, one JSON object per line, which
 * CloudWatch Logs turns into metrics: one `ReviewsAtStep` per step (dimension `Step`), and one
 * `DeadlinesDueWithinFiveWorkingDays` without dimensions.
 */
export function embeddedMetricLines(gauges: ReviewGauges, at: Date): string[] {
  const line = (dimensions: Record<string, string>, name: string, value: number) =>
    JSON.stringify({
      _aws: {
        Timestamp: at.getTime(),
        CloudWatchMetrics: [
          {
            Namespace: METRICS_NAMESPACE,
            Dimensions: [Object.keys(dimensions)],
            Metrics: [{ Name: name, Unit: 'Count' }],
          },
        ],
      },
      ...dimensions,
      [name]: value,
    });
  return [
    ...[...gauges.reviewsAtStep].map(([step, count]) => line({ Step: step }, REVIEWS_AT_STEP, count)),
    line({}, DEADLINES_DUE_WITHIN_FIVE_WORKING_DAYS, gauges.deadlinesDueWithinFiveWorkingDays),
  ];
}

/**
 * Reads the open reviews (one query per open status), works out the gauges and writes them as
 * embedded metric lines through `write`. Changes nothing.
 */
export async function publishReviewGauges(
  service: Pick<Service, 'cases' | 'clock'>,
  write: (line: string) => void,
): Promise<ReviewGauges> {
  const now = service.clock.now();
  const pages = await Promise.all(OPEN_STATUSES.map((status) => service.cases.listCases({ status })));
  const gauges = reviewGauges(pages.flat(), now);
  for (const line of embeddedMetricLines(gauges, now)) write(line);
  return gauges;
}
