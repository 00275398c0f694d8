import type { Service } from '../service.ts';
import type { CaseTaskPayload, ChaseMissingSummariesResult } from '../workflow/contracts.ts';
import { agencyReminderEmail, emailContext } from '../workflow/emails.ts';
import { workflowActor, writeOnce } from '../workflow/steps.ts';

/**
 * Reminder day: each agency asked for a summary that has not returned it gets a reminder and is
 * marked reminded. Agencies already reminded (a retry) or further on are left alone.
 */
export async function chaseMissingSummaries(
  service: Pick<Service, 'cases' | 'clock' | 'mailer' | 'profile'>,
  payload: CaseTaskPayload,
): Promise<ChaseMissingSummariesResult> {
  const file = await service.cases.getCaseFile(payload.caseId);
  const context = emailContext(service.profile, file.case);
  const remindedAgencyIds: string[] = [];

  for (const agency of file.agencies) {
    if (agency.status !== 'requested') continue;
    const step = `${file.case.caseId}:ChaseMissingSummaries:${agency.agencyId}`;
    await service.mailer.sendOnce(step, agencyReminderEmail(context, agency));
    const at = service.clock.now().toISOString();
    await writeOnce(() =>
      service.cases.updateAgencyRequest(
        agency,
        { status: 'reminded', remindedAt: at },
        {
          actor: workflowActor,
          at,
          action: 'agency.reminded',
          reason: `Reminder sent: no summary from ${agency.agencyName} yet`,
          details: { agencyId: agency.agencyId },
          eventId: step,
        },
      ),
    );
    remindedAgencyIds.push(agency.agencyId);
  }
  return { remindedAgencyIds };
}
