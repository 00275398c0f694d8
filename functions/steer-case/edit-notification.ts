import { NotSignedInError } from '../../shared/errors.ts';
import type { Endpoint } from '../../shared/http/api-handler.ts';
import { json } from '../../shared/http/problem.ts';
import { type EditNotificationPorts, editNotification } from '../../shared/use-cases/edit-notification.ts';

/**
 * PUT /api/cases/{caseId}/notification (EditNotification): the partnership team corrects the
 * notification's details, `{ notification, reason }`; 200 with the versions kept.
 */
export function editNotificationEndpoints(service: EditNotificationPorts): { EditNotification: Endpoint } {
  return {
    async EditNotification(request) {
      if (!request.caller) throw new NotSignedInError();
      const caseId = request.pathParameters.caseId ?? '';
      const edit = await editNotification(service, { caseId, answer: request.body, member: request.caller });
      return json(200, edit, { location: `/api/cases/${caseId}` });
    },
  };
}
