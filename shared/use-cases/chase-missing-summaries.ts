import type { Service } from '../service.ts';
import type { CaseTaskPayload, ChaseMissingSummariesResult } from '../workflow/contracts.ts';
import { agencyReminderEmail, emailContext } from '../workflow/emails.ts';
import { stopIfClosed, workflowActor, writeOnce } from '../workflow/steps.ts';

/**
 * Reminder day: each agency asked for a summary that has not returned it gets a reminder and is
 * marked reminded (the emails together, the marks together). Agencies already reminded (a
 * retry) or further on are left alone.
 */
export async function chaseMissingSummaries(
  service: Pick<Service, 'cases' | 'clock' | 'mailer' | 'profile'>,
  payload: CaseTaskPayload,
): Promise<ChaseMissingSummariesResult> {
  const file = await service.cases.getCaseWithAgencies(payload.caseId);
  stopIfClosed(file.case);
  const context = emailContext(service.profile, file.case);
  const missing = file.agencies
    .filter((agency) => agency.status === 'requested')
    .map((agency) => ({ agency, step: `${file.case.caseId}:ChaseMissingSummaries:${agency.agencyId}` }));

  await service.mailer.sendEachOnce(
    missing.map(({ agency, step }) => ({ key: step, message: agencyReminderEmail(context, agency) })),
  );
  const at = service.clock.now().toISOString();
  if (missing.length > 0) {
    await writeOnce(() =>
      service.cases.updateAgencyRequests(
        missing.map(({ agency, step }) => ({
          current: agency,
          changes: { status: 'reminded', remindedAt: at },
          audit: {
            actor: workflowActor,
            at,
            action: 'agency.reminded',
            reason: `Reminder sent: no summary from ${agency.agencyName} yet`,
            details: { agencyId: agency.agencyId },
            eventId: step,
          },
        })),
      ),
    );
  }
  return { remindedAgencyIds: missing.map(({ agency }) => agency.agencyId) };
}
