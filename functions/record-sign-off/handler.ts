import { mailerFromEnvironment } from '../../shared/adapters/mailer.ts';
import { reviewWorkflowFromEnvironment } from '../../shared/adapters/review-workflow.ts';
import { NotSignedInError } from '../../shared/errors.ts';
import { apiHandler, type Endpoint } from '../../shared/http/api-handler.ts';
import { json } from '../../shared/http/problem.ts';
import { environmentService } from '../../shared/service.ts';
import { caseStoreFromEnvironment } from '../../shared/stores/case-store.ts';
import { recordSignOff, resolveSignOffs, type SignOffPorts } from '../../shared/use-cases/sign-off.ts';

/**
 * POST /api/cases/{caseId}/sign-offs (RecordSignOff): a safeguarding partner's sign-off, 201;
 * POST /api/cases/{caseId}/sign-offs/resolution (ResolveSignOffs): the Executive Board chair's
 * resolution of a disagreement, 201. Each answers with what it recorded.
 */
export function recordSignOffEndpoints(service: SignOffPorts): {
  RecordSignOff: Endpoint;
  ResolveSignOffs: Endpoint;
} {
  return {
    async RecordSignOff(request) {
      if (!request.caller) throw new NotSignedInError();
      const caseId = request.pathParameters.caseId ?? '';
      const signOff = await recordSignOff(service, { caseId, answer: request.body, partner: request.caller });
      return json(201, signOff, { location: `/api/cases/${caseId}` });
    },
    async ResolveSignOffs(request) {
      if (!request.caller) throw new NotSignedInError();
      const caseId = request.pathParameters.caseId ?? '';
      const resolution = await resolveSignOffs(service, {
        caseId,
        answer: request.body,
        boardChair: request.caller,
      });
      return json(201, resolution, { location: `/api/cases/${caseId}` });
    },
  };
}

export const handler = apiHandler(
  'record-sign-off',
  recordSignOffEndpoints(
    environmentService({
      cases: caseStoreFromEnvironment,
      mailer: mailerFromEnvironment,
      workflow: reviewWorkflowFromEnvironment,
    }),
  ),
);
