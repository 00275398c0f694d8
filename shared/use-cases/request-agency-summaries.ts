import { agencyLinkUrl, mintAgencyToken } from '../agency-links.ts';
import type { Service } from '../service.ts';
import { milestone } from '../timetable.ts';
import type { CaseTaskPayload, RequestAgencySummariesResult } from '../workflow/contracts.ts';
import { agencySummaryRequestEmail, emailContext } from '../workflow/emails.ts';
import { advanceCase, workflowActor, writeOnce } from '../workflow/steps.ts';

/**
 * Day 1: for each agency, a capability link (valid until collation) emailed to its single point
 * of contact, and the request marked on the agency; then the case awaits summaries.
 *
 * Safe to run twice: an agency already requested is skipped, so its token is minted once. If an
 * attempt stopped after the email but before marking the agency, the retry mints a second link
 * that is stored but never sent (sendOnce finds the email sent); the first link keeps working.
 */
export async function requestAgencySummaries(
  service: Pick<Service, 'cases' | 'clock' | 'mailer' | 'profile' | 'publicBaseUrl'>,
  payload: CaseTaskPayload,
): Promise<RequestAgencySummariesResult> {
  const file = await service.cases.getCaseFile(payload.caseId);
  const record = file.case;
  const context = emailContext(service.profile, record);
  const expiresAt = milestone(record.timetable, 'collateReport').startsAt;
  const requestedAgencyIds: string[] = [];

  for (const agency of file.agencies) {
    if (agency.status !== 'pending') continue;
    const { token, tokenHash } = mintAgencyToken();
    await service.cases.putAgencyLink({
      tokenHash,
      caseId: record.caseId,
      agencyId: agency.agencyId,
      expiresAt,
    });
    const step = `${record.caseId}:RequestAgencySummaries:${agency.agencyId}`;
    await service.mailer.sendOnce(
      step,
      agencySummaryRequestEmail(context, agency, {
        url: agencyLinkUrl(service.publicBaseUrl, token),
        expiresAt,
      }),
    );
    const at = service.clock.now().toISOString();
    await writeOnce(() =>
      service.cases.updateAgencyRequest(
        agency,
        { status: 'requested', requestedAt: at },
        {
          actor: workflowActor,
          at,
          action: 'agency.summary-requested',
          reason: `Summary requested from ${agency.agencyName} through its single point of contact`,
          details: { agencyId: agency.agencyId, linkExpiresAt: expiresAt },
          eventId: step,
        },
      ),
    );
    requestedAgencyIds.push(agency.agencyId);
  }

  const at = service.clock.now().toISOString();
  await advanceCase(
    service.cases,
    record,
    { status: 'awaiting-summaries', currentStep: 'RequestAgencySummaries' },
    {
      actor: workflowActor,
      at,
      action: 'summaries.requested',
      reason: 'Day 1: every agency asked for its summary',
      details: { agencies: file.agencies.length },
      eventId: `${record.caseId}:RequestAgencySummaries`,
    },
  );
  return { requestedAgencyIds };
}
