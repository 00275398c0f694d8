import type { AgencyRequest, CaseRecord } from '../schemas/case.ts';
import type { Service } from '../service.ts';
import { emailContext, lateReturnEmail } from '../workflow/emails.ts';
import { caseUrl } from '../workflow/steps.ts';

/**
 * Tells the partnership team that an agency's own return came after the Day 10 deadline: once
 * per agency and case, whichever way it came (an upload or the structured return) and however
 * often this runs. A return the team entered for the agency is not announced to the team.
 */
export async function tellTeamOfLateReturn(
  service: Pick<Service, 'mailer' | 'profile' | 'publicBaseUrl'>,
  record: CaseRecord,
  agency: Pick<AgencyRequest, 'agencyId' | 'agencyName'>,
  receivedAt: string,
): Promise<void> {
  await service.mailer.sendOnce(
    `${record.caseId}:LateReturn:${agency.agencyId}`,
    lateReturnEmail(
      emailContext(service.profile, record),
      agency,
      receivedAt,
      caseUrl(service.publicBaseUrl, record.caseId),
    ),
  );
}
