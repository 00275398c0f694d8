import { documentsFromEnvironment } from '../../shared/adapters/documents.ts';
import { reviewWorkflowFromEnvironment } from '../../shared/adapters/review-workflow.ts';
import { duplicateCheckKeyFromEnvironment } from '../../shared/env.ts';
import { apiHandler, type Endpoint } from '../../shared/http/api-handler.ts';
import { json } from '../../shared/http/problem.ts';
import { environmentService } from '../../shared/service.ts';
import { caseStoreFromEnvironment } from '../../shared/stores/case-store.ts';
import {
  type SubmitNotificationPorts,
  submitNotification,
} from '../../shared/use-cases/submit-notification.ts';

/**
 * POST /api/notifications (SubmitNotification): the body is the notification, the
 * Idempotency-Key header the client's key for it; answers 201 with the case id and reference.
 */
export function intakeEndpoints(service: SubmitNotificationPorts): { SubmitNotification: Endpoint } {
  return {
    async SubmitNotification(request) {
      const opened = await submitNotification(service, {
        notification: request.body,
        submitter: request.caller,
        ...(request.headers['idempotency-key'] === undefined
          ? {}
          : { idempotencyKey: request.headers['idempotency-key'] }),
      });
      return json(201, opened, { location: `/api/cases/${opened.caseId}` });
    },
  };
}

export const handler = apiHandler(
  'intake',
  intakeEndpoints(
    environmentService({
      cases: caseStoreFromEnvironment,
      documents: documentsFromEnvironment,
      workflow: reviewWorkflowFromEnvironment,
      duplicateCheckKey: duplicateCheckKeyFromEnvironment,
    }),
  ),
);
