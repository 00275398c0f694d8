import { mailerFromEnvironment } from '../../shared/adapters/mailer.ts';
import { reviewWorkflowFromEnvironment } from '../../shared/adapters/review-workflow.ts';
import { NotSignedInError } from '../../shared/errors.ts';
import { apiHandler, type Endpoint } from '../../shared/http/api-handler.ts';
import { json } from '../../shared/http/problem.ts';
import { environmentService } from '../../shared/service.ts';
import { caseStoreFromEnvironment } from '../../shared/stores/case-store.ts';
import {
  type CloseAsNotificationOnlyPorts,
  closeAsNotificationOnly,
  type RecordLateReasonPorts,
  recordLateReason,
} from '../../shared/use-cases/steer-case.ts';

/**
 * POST /api/cases/{caseId}/late-reason (RecordLateReason) and
 * POST /api/cases/{caseId}/notification-only (CloseAsNotificationOnly): the partnership team's
 * controls on a running case.
 */
export function steerCaseEndpoints(service: RecordLateReasonPorts & CloseAsNotificationOnlyPorts): {
  RecordLateReason: Endpoint;
  CloseAsNotificationOnly: Endpoint;
} {
  return {
    async RecordLateReason(request) {
      if (!request.caller) throw new NotSignedInError();
      const caseId = request.pathParameters.caseId ?? '';
      const late = await recordLateReason(service, { caseId, answer: request.body, member: request.caller });
      return json(200, late, { location: `/api/cases/${caseId}` });
    },
    async CloseAsNotificationOnly(request) {
      if (!request.caller) throw new NotSignedInError();
      const caseId = request.pathParameters.caseId ?? '';
      const closure = await closeAsNotificationOnly(service, {
        caseId,
        answer: request.body,
        member: request.caller,
      });
      return json(201, closure, { location: `/api/cases/${caseId}` });
    },
  };
}

export const handler = apiHandler(
  'steer-case',
  steerCaseEndpoints(
    environmentService({
      cases: caseStoreFromEnvironment,
      mailer: mailerFromEnvironment,
      workflow: reviewWorkflowFromEnvironment,
    }),
  ),
);
