import { randomUUID } from 'node:crypto';
import type { ReviewClient } from '../../../local/demo/review-client.ts';
import { agencyLinkIn } from '../../../local/demo/review-client.ts';
import { demoSummaryPdf } from '../../../local/demo/run-review.ts';
import type { SeriousIncidentNotification } from '../../../shared/schemas/notification.ts';

/**
 * Brings a newly notified case to the Rapid Review Group's decision wait (status
 * `awaiting-decision`), as runDemoReviewToDecision does before the meeting, the report and the
 * decision: every agency but the last uploads its summary, and the clock jumps from deadline to
 * deadline. Answers the case's id and reference.
 */
export async function bringToDecisionWait(
  client: ReviewClient,
  notification: SeriousIncidentNotification,
): Promise<{ caseId: string; reference: string }> {
  const { caseId, reference } = await client.submitNotification(notification, randomUUID());
  const spocs = new Set(notification.agencies.map((agency) => agency.spoc.email));
  const requests = await client.waitForEmails(
    'a summary request to every agency',
    (email) => email.subject.includes(reference) && email.destination.to.some((to) => spocs.has(to)),
    { count: spocs.size },
  );
  for (const agency of notification.agencies.slice(0, -1)) {
    const email = requests.find((request) => request.destination.to.includes(agency.spoc.email));
    if (!email) throw new Error(`No request email to ${agency.name}`);
    await client.uploadSummary(agencyLinkIn(email), {
      name: `${agency.name} summary (demo).pdf`,
      type: 'application/pdf',
      bytes: demoSummaryPdf(agency.name),
    });
  }
  await client.waitForCase(
    caseId,
    'the uploads recorded',
    (view) => view.agencies.filter((agency) => agency.status === 'received').length === spocs.size - 1,
  );
  for (let jumps = 0; ; jumps += 1) {
    if ((await client.getCase(caseId)).status === 'awaiting-decision') break;
    if (jumps > 12) throw new Error('The case never reached the decision');
    await client.advanceToNext();
  }
  return { caseId, reference };
}
