import { rulesOf } from '../config/partnership-profile.ts';
import type { Service } from '../service.ts';
import type { CaseTaskPayload, CollateReportResult } from '../workflow/contracts.ts';
import { collatedReportPdf } from '../workflow/papers.ts';
import { advanceCase, caseDocumentKeys, hasReached, stopIfClosed, workflowActor } from '../workflow/steps.ts';

/**
 * Day 11: the collated report (PDF) listing each agency's return (on time, late or missing),
 * stored with the case; the case moves to collating. A case already collated (a retry after the
 * write) is left as it is, so the papers the group reads do not change under it.
 */
export async function collateReport(
  service: Pick<Service, 'cases' | 'clock' | 'documents' | 'profile'>,
  payload: CaseTaskPayload,
): Promise<CollateReportResult> {
  const file = await service.cases.getCaseWithAgencies(payload.caseId);
  stopIfClosed(file.case);
  const record = file.case;
  const documentKey = caseDocumentKeys.collatedReport(record.caseId);
  const received = file.agencies.filter((agency) => agency.status === 'received').length;
  // A removed agency (issue 10 part 3) was not asked in the end: neither received nor missing.
  const asked = file.agencies.filter((agency) => agency.status !== 'removed').length;
  const counts = { documentKey, received, missing: asked - received };
  if (hasReached(record.status, 'collating')) return counts;

  const profile = service.profile;
  const now = service.clock.now();
  const pdf = await collatedReportPdf(record, file.agencies, {
    partnershipName: profile.partnershipName,
    timeZone: rulesOf(profile).timeZone,
    now,
  });
  await service.documents.put(documentKey, pdf, 'application/pdf');
  await advanceCase(
    service.cases,
    record,
    { status: 'collating', currentStep: 'CollateReport' },
    {
      actor: workflowActor,
      at: now.toISOString(),
      action: 'report.collated',
      reason: `Day 11: ${received} of ${asked} agency summaries received`,
      details: { documentKey, received, missing: counts.missing },
      eventId: `${record.caseId}:CollateReport`,
    },
  );
  return counts;
}
