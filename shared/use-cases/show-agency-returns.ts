import { CaseNotFoundError, NotFoundError } from '../errors.ts';
import type { ReturnVersion } from '../schemas/agency-return.ts';
import { caseId as caseIdSchema } from '../schemas/primitives.ts';
import type { Service } from '../service.ts';
import { latestReturn, returnedDocumentKey } from '../workflow/agency-returns-wording.ts';

/**
 * What each agency returned, for the case page alone (issue 11 part 1): its latest structured
 * return and the key of its file. Never in the case's JSON: an agency's answers may name the child.
 */
export interface AgencyReturnView {
  agencyId: string;
  /** Its latest structured return, when it made one. */
  latest?: ReturnVersion;
  /** Its file (an upload, its own or the team's for it), when it has one. */
  documentKey?: string;
}

/**
 * Each agency's latest structured return and file, in no particular order (the page orders them
 * as the case view does).
 *
 * @throws NotFoundError for an unknown or malformed case id.
 */
export async function showAgencyReturns(
  service: Pick<Service, 'cases'>,
  query: { caseId: string },
): Promise<AgencyReturnView[]> {
  const parsedId = caseIdSchema.safeParse(query.caseId);
  if (!parsedId.success) throw new NotFoundError('There is no case with this id');
  try {
    const { agencies } = await service.cases.getCaseWithAgencies(parsedId.data);
    return agencies.map((agency) => {
      const latest = latestReturn(agency);
      const documentKey = returnedDocumentKey(agency);
      return {
        agencyId: agency.agencyId,
        ...(latest ? { latest } : {}),
        ...(documentKey ? { documentKey } : {}),
      };
    });
  } catch (error) {
    if (error instanceof CaseNotFoundError) throw new NotFoundError('There is no case with this id');
    throw error;
  }
}
