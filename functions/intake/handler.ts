import { documentsFromEnvironment } from '../../shared/adapters/documents.ts';
import { reviewWorkflowFromEnvironment } from '../../shared/adapters/review-workflow.ts';
import { duplicateCheckKeyFromEnvironment } from '../../shared/env.ts';
import { NotSignedInError } from '../../shared/errors.ts';
import { apiHandler, type Endpoint } from '../../shared/http/api-handler.ts';
import { json } from '../../shared/http/problem.ts';
import { environmentService } from '../../shared/service.ts';
import { caseStoreFromEnvironment } from '../../shared/stores/case-store.ts';
import {
  type PanelNotificationPorts,
  uploadPanelNotification,
} from '../../shared/use-cases/panel-notification.ts';
import { staffUploadFromBody } from '../../shared/use-cases/staff-upload-body.ts';
import {
  type SubmitNotificationPorts,
  submitNotification,
} from '../../shared/use-cases/submit-notification.ts';

/**
 * POST /api/notifications (SubmitNotification): the body is the notification, the
 * Idempotency-Key header the client's key for it; answers 201 with the case id and reference.
 * POST /api/cases/{caseId}/panel-notification (UploadPanelNotification): the local authority's
 * notification to the Panel, `{ fileName, contentBase64 }` (a PDF up to 4 MB); answers 201.
 */
export function intakeEndpoints(service: SubmitNotificationPorts & PanelNotificationPorts): {
  SubmitNotification: Endpoint;
  UploadPanelNotification: Endpoint;
} {
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
    async UploadPanelNotification(request) {
      if (!request.caller) throw new NotSignedInError();
      const upload = staffUploadFromBody(request.body);
      const document = await uploadPanelNotification(service, {
        caseId: request.pathParameters.caseId ?? '',
        upload,
        uploadedBy: request.caller,
      });
      return json(201, {
        fileName: document.fileName,
        bytes: document.bytes,
        uploadedAt: document.uploadedAt,
      });
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
