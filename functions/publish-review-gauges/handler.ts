import { environmentService } from '../../shared/service.ts';
import { caseStoreFromEnvironment } from '../../shared/stores/case-store.ts';
import { publishReviewGauges } from '../../shared/use-cases/publish-review-gauges.ts';
import { parseScheduledEvent } from '../../shared/use-cases/sweep-orphans.ts';

const service = environmentService({ cases: caseStoreFromEnvironment });

/**
 * Hourly, from an EventBridge schedule: the dashboard's gauges (open reviews by step, deadlines in
 * the next five working days) as embedded metric lines on standard output, which Lambda sends to
 * CloudWatch Logs as they are, and CloudWatch turns into metrics.
 */
export async function handler(event: unknown): Promise<{ openReviews: number; deadlines: number }> {
  parseScheduledEvent(event);
  const gauges = await publishReviewGauges(service, (line) => process.stdout.write(`${line}\n`));
  return {
    openReviews: [...gauges.reviewsAtStep.values()].reduce((sum, count) => sum + count, 0),
    deadlines: gauges.deadlinesDueWithinFiveWorkingDays,
  };
}
