import { agencyLinkUrl, mintAgencyToken } from '../agency-links.ts';
import { collationStartsAt } from '../schemas/timetable.ts';
import type { Service } from '../service.ts';
import type { CaseTaskPayload, RequestAgencySummariesResult } from '../workflow/contracts.ts';
import { agencySummaryRequestEmail, emailContext } from '../workflow/emails.ts';
import { hasReached, stopIfClosed, workflowActor, writeOnce } from '../workflow/steps.ts';

/**
 * Day 1: for each agency, a capability link (valid until collation) emailed to its single point
 * of contact, and the request marked on the agency; then the case awaits summaries. The links
 * are stored together, the emails sent together (each at most once) and the agencies marked
 * together with the case, each write with its audit events, so the step costs a handful of
 * requests however many agencies there are.
 *
 * Safe to run twice: an agency already requested is skipped, so its token is minted once. If an
 * attempt stopped after the emails but before marking the agencies, the retry mints second links
 * that are stored but never sent (the mailer finds the emails sent); the first links keep working.
 */
export async function requestAgencySummaries(
  service: Pick<Service, 'cases' | 'clock' | 'mailer' | 'profile' | 'publicBaseUrl'>,
  payload: CaseTaskPayload,
): Promise<RequestAgencySummariesResult> {
  const file = await service.cases.getCaseWithAgencies(payload.caseId);
  stopIfClosed(file.case);
  const record = file.case;
  const context = emailContext(service.profile, record);
  const expiresAt = collationStartsAt(record.timetable);
  const pending = file.agencies
    .filter((agency) => agency.status === 'pending')
    .map((agency) => ({
      agency,
      ...mintAgencyToken(),
      step: `${record.caseId}:RequestAgencySummaries:${agency.agencyId}`,
    }));

  await service.cases.putAgencyLinks(
    pending.map(({ agency, tokenHash }) => ({
      tokenHash,
      caseId: record.caseId,
      agencyId: agency.agencyId,
      expiresAt,
    })),
  );
  await service.mailer.sendEachOnce(
    pending.map(({ agency, token, step }) => ({
      key: step,
      message: agencySummaryRequestEmail(context, agency, {
        url: agencyLinkUrl(service.publicBaseUrl, token),
        expiresAt,
      }),
    })),
  );

  const at = service.clock.now().toISOString();
  const advance = !hasReached(record.status, 'awaiting-summaries');
  if (pending.length > 0 || advance) {
    await writeOnce(() =>
      service.cases.updateAgencyRequests(
        pending.map(({ agency, step }) => ({
          current: agency,
          changes: { status: 'requested', requestedAt: at },
          audit: {
            actor: workflowActor,
            at,
            action: 'agency.summary-requested',
            reason: `Summary requested from ${agency.agencyName} through its single point of contact`,
            details: { agencyId: agency.agencyId, linkExpiresAt: expiresAt },
            eventId: step,
          },
        })),
        advance
          ? {
              current: record,
              changes: { status: 'awaiting-summaries', currentStep: 'RequestAgencySummaries' },
              audit: {
                actor: workflowActor,
                at,
                action: 'summaries.requested',
                reason: 'Day 1: every agency asked for its summary',
                details: { agencies: file.agencies.length },
                eventId: `${record.caseId}:RequestAgencySummaries`,
              },
            }
          : undefined,
      ),
    );
  }
  return { requestedAgencyIds: pending.map(({ agency }) => agency.agencyId) };
}
