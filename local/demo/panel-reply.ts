import { isoDateOf } from '../../shared/workflow/london-time.ts';
import type { ReviewClient } from './review-client.ts';

/**
 * The demo's last step (issue 9 part 6): the partnership team records the Panel's invented reply,
 * dated today on the stack's clock, asking for a local review, so the case is marked as a local
 * review to commission and the Executive Board is emailed.
 */
export async function recordDemoPanelReply(client: ReviewClient, caseId: string): Promise<void> {
  const { now } = await client.clock();
  await client.recordPanelReply(caseId, {
    repliedOn: isoDateOf(now, 'Europe/London'),
    agreesWithDecision: true,
    nationalReview: false,
    asksForLocalReview: true,
    comments:
      'Invented demo reply: the Panel agrees with the partnership’s decision and asks it to commission the local review.',
    letterReference: 'Invented Panel letter (demo)',
  });
}
