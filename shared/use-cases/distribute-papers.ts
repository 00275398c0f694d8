import { rapidReviewGroupPeople } from '../config/partnership-profile.ts';
import type { Service } from '../service.ts';
import { wordFilesOf } from '../workflow/agency-returns-wording.ts';
import type { CaseTaskPayload, DistributePapersResult } from '../workflow/contracts.ts';
import { emailContext, papersEmail } from '../workflow/emails.ts';
import { advanceCase, caseUrl, hasReached, stopIfClosed, workflowActor } from '../workflow/steps.ts';

/**
 * Day 12: each member of the Rapid Review Group and its chair is told the papers are ready, on
 * the case page: the collated report, and each Word file an agency sent (the report lists them but
 * cannot hold them), behind a sign-in, never a link that works for whoever holds it. The case then
 * awaits the decision. One email per person: whoever appears twice in the profile (a chair listed
 * as a member too) gets one.
 */
export async function distributePapers(
  service: Pick<Service, 'cases' | 'clock' | 'mailer' | 'profile' | 'publicBaseUrl'>,
  payload: CaseTaskPayload,
): Promise<DistributePapersResult> {
  const file = await service.cases.getCaseWithAgencies(payload.caseId);
  stopIfClosed(file.case);
  const record = file.case;
  if (hasReached(record.status, 'awaiting-decision')) return { recipients: 0 };
  const profile = service.profile;
  const context = emailContext(profile, record);
  const recipients = rapidReviewGroupPeople(profile);
  const wordFilesFrom = wordFilesOf(record, file.agencies).map((word) => word.agencyName);
  await service.mailer.sendEachOnce(
    recipients.map((person) => ({
      key: `${record.caseId}:DistributePapers:${person.email.toLowerCase()}`,
      message: papersEmail(context, person, {
        caseUrl: caseUrl(service.publicBaseUrl, record.caseId),
        wordFilesFrom,
      }),
    })),
  );

  await advanceCase(
    service.cases,
    record,
    { status: 'awaiting-decision', currentStep: 'DistributePapers' },
    {
      actor: workflowActor,
      at: service.clock.now().toISOString(),
      action: 'papers.distributed',
      reason: 'Day 12: papers sent to the Rapid Review Group',
      details: { recipients: recipients.length, wordFiles: wordFilesFrom.length },
      eventId: `${record.caseId}:DistributePapers`,
    },
  );
  return { recipients: recipients.length };
}
