import { rapidReviewGroupPeople } from '../config/partnership-profile.ts';
import type { Service } from '../service.ts';
import { wordFilesOf } from '../workflow/agency-returns-wording.ts';
import type { CaseTaskPayload, DistributePapersResult } from '../workflow/contracts.ts';
import { emailContext, papersEmail } from '../workflow/emails.ts';
import {
  advanceCase,
  caseDocumentKeys,
  caseUrl,
  hasReached,
  stopIfClosed,
  workflowActor,
} from '../workflow/steps.ts';

/** How long the link to the papers works: past the Day 14 meeting, even across a bank holiday weekend. */
export const PAPERS_LINK_SECONDS = 7 * 24 * 60 * 60;

/**
 * Day 12: each member of the Rapid Review Group and its chair gets a link to the collated report,
 * and one to each Word file an agency sent (the report lists them but cannot hold them), each
 * stopping after seven days; the case then awaits the decision. One email per person,
 * whoever appears twice in the profile (a chair listed as a member too) gets one.
 */
export async function distributePapers(
  service: Pick<Service, 'cases' | 'clock' | 'documents' | 'mailer' | 'profile' | 'publicBaseUrl'>,
  payload: CaseTaskPayload,
): Promise<DistributePapersResult> {
  const file = await service.cases.getCaseWithAgencies(payload.caseId);
  stopIfClosed(file.case);
  const record = file.case;
  if (hasReached(record.status, 'awaiting-decision')) return { recipients: 0 };
  const profile = service.profile;
  const context = emailContext(profile, record);
  const recipients = rapidReviewGroupPeople(profile);

  const now = service.clock.now();
  const expiresAt = new Date(now.getTime() + PAPERS_LINK_SECONDS * 1000).toISOString();
  const url = await service.documents.downloadUrl(
    caseDocumentKeys.collatedReport(record.caseId),
    PAPERS_LINK_SECONDS,
    `collated-report-${record.reference}.pdf`,
  );
  // The Word files the report lists but cannot hold go as links of their own, as the report does.
  const wordFiles = await Promise.all(
    wordFilesOf(record, file.agencies).map(async (word) => ({
      agencyName: word.agencyName,
      fileName: word.fileName,
      url: await service.documents.downloadUrl(word.documentKey, PAPERS_LINK_SECONDS, word.fileName),
    })),
  );
  await service.mailer.sendEachOnce(
    recipients.map((person) => ({
      key: `${record.caseId}:DistributePapers:${person.email.toLowerCase()}`,
      message: papersEmail(context, person, {
        url,
        expiresAt,
        caseUrl: caseUrl(service.publicBaseUrl, record.caseId),
        wordFiles,
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
      details: { recipients: recipients.length, linkExpiresAt: expiresAt, wordFiles: wordFiles.length },
      eventId: `${record.caseId}:DistributePapers`,
    },
  );
  return { recipients: recipients.length };
}
