import { milestone } from '../schemas/timetable.ts';
import type { Service } from '../service.ts';
import type { CaseTaskPayload, CheckReturnsResult } from '../workflow/contracts.ts';
import { agencyEscalationEmail, emailContext } from '../workflow/emails.ts';
import { formatInstant } from '../workflow/london-time.ts';
import { stopIfClosed, workflowActor, writeOnce } from '../workflow/steps.ts';

/**
 * The Day 10 deadline: each agency without a summary is escalated, by email to its single point
 * of contact copied to its strategic safeguarding lead (when the profile names one) and the
 * partnership team, and marked escalated (the emails together, the marks together). Agencies
 * already escalated (a retry) are left alone.
 */
export async function checkReturns(
  service: Pick<Service, 'cases' | 'clock' | 'mailer' | 'profile'>,
  payload: CaseTaskPayload,
): Promise<CheckReturnsResult> {
  const file = await service.cases.getCaseWithAgencies(payload.caseId);
  stopIfClosed(file.case);
  const profile = service.profile;
  const context = emailContext(profile, file.case);
  const dueAt = milestone(file.case.timetable, 'agencySummariesDue').dueAt;
  const overdue = file.agencies
    // A removed agency (issue 10 part 3) is never chased.
    .filter(
      (agency) =>
        agency.status !== 'received' && agency.status !== 'escalated' && agency.status !== 'removed',
    )
    .map((agency) => ({
      agency,
      strategicLead: profile.agencyStrategicLeads[agency.agencyName],
      step: `${file.case.caseId}:CheckReturns:${agency.agencyId}`,
    }));

  await service.mailer.sendEachOnce(
    overdue.map(({ agency, strategicLead, step }) => ({
      key: step,
      message: agencyEscalationEmail(context, agency, strategicLead),
    })),
  );
  const at = service.clock.now().toISOString();
  if (overdue.length > 0) {
    await writeOnce(() =>
      service.cases.updateAgencyRequests(
        overdue.map(({ agency, strategicLead, step }) => ({
          current: agency,
          changes: { status: 'escalated', escalatedAt: at },
          audit: {
            actor: workflowActor,
            at,
            action: 'agency.escalated',
            reason: `No summary from ${agency.agencyName} by the Day 10 deadline, ${formatInstant(dueAt, context.timeZone)}; escalated to the agency${
              strategicLead ? ' and its strategic safeguarding lead' : ''
            } and the partnership team`,
            details: { agencyId: agency.agencyId, strategicLeadCopied: strategicLead !== undefined },
            eventId: step,
          },
        })),
      ),
    );
  }
  return { escalatedAgencyIds: overdue.map(({ agency }) => agency.agencyId) };
}
