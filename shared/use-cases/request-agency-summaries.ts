import { agencyLinkUrl, mintAgencyToken } from '../agency-links.ts';
import type { AgencyRequest, CaseRecord } from '../schemas/case.ts';
import { collationStartsAt } from '../schemas/timetable.ts';
import type { Service } from '../service.ts';
import type { CaseTaskPayload, RequestAgencySummariesResult } from '../workflow/contracts.ts';
import { agencySummaryRequestEmail, caseOpenedEmail, emailContext } from '../workflow/emails.ts';
import { caseUrl, hasReached, stopIfClosed, workflowActor, writeOnce } from '../workflow/steps.ts';

/** One agency's request to send: the agency (its contact as it is to be written) and its email's key. */
export interface AgencyRequestToSend {
  agency: AgencyRequest;
  /** The email's key for `sendEachOnce`: the same key never sends twice. */
  key: string;
}

/**
 * For each agency, a fresh capability link to its request, valid until collation, stored by its
 * hash; then each request emailed to the agency's single point of contact, at most once under its
 * key. Answers each link's hash, in order, and when the links stop working. Used by the workflow's
 * Day 1 step and by the partnership team when it adds an agency, replaces a contact or resends a
 * link (shared/use-cases/steer-agencies.ts), which write the hash on the agency first.
 */
export async function issueAgencyLinks(
  service: Pick<Service, 'cases' | 'profile' | 'publicBaseUrl'>,
  record: CaseRecord,
  requests: readonly AgencyRequestToSend[],
): Promise<{ expiresAt: string; sent: (AgencyRequestToSend & { token: string; tokenHash: string })[] }> {
  const expiresAt = collationStartsAt(record.timetable);
  const sent = requests.map((request) => ({ ...request, ...mintAgencyToken() }));
  await service.cases.putAgencyLinks(
    sent.map(({ agency, tokenHash }) => ({
      tokenHash,
      caseId: record.caseId,
      agencyId: agency.agencyId,
      expiresAt,
    })),
  );
  return { expiresAt, sent };
}

/** Emails each agency its request with the link `issueAgencyLinks` made for it, at most once per key. */
export async function emailAgencyRequests(
  service: Pick<Service, 'mailer' | 'profile' | 'publicBaseUrl'>,
  record: CaseRecord,
  issued: Awaited<ReturnType<typeof issueAgencyLinks>>,
): Promise<void> {
  const context = emailContext(service.profile, record);
  await service.mailer.sendEachOnce(
    issued.sent.map(({ agency, token, key }) => ({
      key,
      message: agencySummaryRequestEmail(context, agency, {
        url: agencyLinkUrl(service.publicBaseUrl, token),
        expiresAt: issued.expiresAt,
      }),
    })),
  );
}

/**
 * Day 1, as soon as the case opens: the partnership team is told the case opened (once), and for
 * each agency, a capability link (valid until collation) emailed to its single point
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
  await service.mailer.sendOnce(
    `${record.caseId}:CaseOpened:partnership-team`,
    caseOpenedEmail(emailContext(service.profile, record), caseUrl(service.publicBaseUrl, record.caseId)),
  );
  const issued = await issueAgencyLinks(
    service,
    record,
    file.agencies
      .filter((agency) => agency.status === 'pending')
      .map((agency) => ({ agency, key: `${record.caseId}:RequestAgencySummaries:${agency.agencyId}` })),
  );
  await emailAgencyRequests(service, record, issued);
  const { expiresAt } = issued;
  const pending = issued.sent.map(({ agency, key }) => ({ agency, step: key }));

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
