import { mailerFromEnvironment } from '../../shared/adapters/mailer.ts';
import { reviewWorkflowFromEnvironment } from '../../shared/adapters/review-workflow.ts';
import { NotSignedInError } from '../../shared/errors.ts';
import { apiHandler, type Endpoint } from '../../shared/http/api-handler.ts';
import { json } from '../../shared/http/problem.ts';
import { environmentService } from '../../shared/service.ts';
import { caseStoreFromEnvironment } from '../../shared/stores/case-store.ts';
import { type RecordDecisionPorts, recordDecision } from '../../shared/use-cases/record-decision.ts';

/** POST /api/cases/{caseId}/decision (RecordDecision): answers 201 with the decision as recorded. */
export function recordDecisionEndpoints(service: RecordDecisionPorts): { RecordDecision: Endpoint } {
  return {
    async RecordDecision(request) {
      if (!request.caller) throw new NotSignedInError();
      const caseId = request.pathParameters.caseId ?? '';
      const decision = await recordDecision(service, {
        caseId,
        decision: request.body,
        chair: request.caller,
      });
      return json(201, decision, { location: `/api/cases/${caseId}` });
    },
  };
}

export const handler = apiHandler(
  'record-decision',
  recordDecisionEndpoints(
    environmentService({
      cases: caseStoreFromEnvironment,
      mailer: mailerFromEnvironment,
      workflow: reviewWorkflowFromEnvironment,
    }),
  ),
);
