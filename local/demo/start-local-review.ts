import { commissionDemoLocalReviewFromCase } from './local-review.ts';
import { demoNotification } from './notification.ts';
import type { ReviewClient } from './review-client.ts';
import { runDemoReview } from './run-review.ts';

/**
 * The local controls page's "Start a demo local review" (issue 13): the demo's Rapid Review,
 * through the API, to the partners' decision to commission a local review and the Panel's reply,
 * then the local review commissioned from it through the team's pages, ready for a person to walk
 * by hand with the pages and the clock buttons. Answers the review's id and reference.
 */
export async function startDemoLocalReview(
  client: ReviewClient,
): Promise<{ reviewId: string; reference: string }> {
  const { now } = await client.clock();
  const { caseId } = await runDemoReview(client, demoNotification(new Date(now)));
  const { reviewId, reference } = await commissionDemoLocalReviewFromCase(client, caseId);
  return { reviewId, reference };
}
