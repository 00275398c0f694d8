import { documentsFromEnvironment } from '../../shared/adapters/documents.ts';
import { reviewWorkflowFromEnvironment } from '../../shared/adapters/review-workflow.ts';
import { NotSignedInError } from '../../shared/errors.ts';
import { apiHandler, type Endpoint } from '../../shared/http/api-handler.ts';
import { json } from '../../shared/http/problem.ts';
import { environmentService } from '../../shared/service.ts';
import { caseStoreFromEnvironment } from '../../shared/stores/case-store.ts';
import { type ShowCasePorts, showCase } from '../../shared/use-cases/show-case.ts';

/** GET /api/cases/{caseId} (GetCase): the case as JSON. */
export function getCaseEndpoints(service: ShowCasePorts): { GetCase: Endpoint } {
  return {
    async GetCase(request) {
      if (!request.caller) throw new NotSignedInError();
      const view = await showCase(service, {
        caseId: request.pathParameters.caseId ?? '',
        viewer: request.caller,
      });
      return json(200, view);
    },
  };
}

export const handler = apiHandler(
  'get-case',
  getCaseEndpoints(
    environmentService({
      cases: caseStoreFromEnvironment,
      documents: documentsFromEnvironment,
      workflow: reviewWorkflowFromEnvironment,
    }),
  ),
);
