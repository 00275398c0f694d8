import { mailerFromEnvironment } from '../../shared/adapters/mailer.ts';
import { NotSignedInError } from '../../shared/errors.ts';
import { apiHandler, type Endpoint } from '../../shared/http/api-handler.ts';
import { json } from '../../shared/http/problem.ts';
import { environmentService } from '../../shared/service.ts';
import { caseStoreFromEnvironment } from '../../shared/stores/case-store.ts';
import { type RecordPanelReplyPorts, recordPanelReply } from '../../shared/use-cases/record-panel-reply.ts';

/** POST /api/cases/{caseId}/panel-reply (RecordPanelReply): answers 201 with the Panel's reply as recorded. */
export function recordPanelReplyEndpoints(service: RecordPanelReplyPorts): { RecordPanelReply: Endpoint } {
  return {
    async RecordPanelReply(request) {
      if (!request.caller) throw new NotSignedInError();
      const caseId = request.pathParameters.caseId ?? '';
      const reply = await recordPanelReply(service, {
        caseId,
        reply: request.body,
        recordedBy: request.caller,
      });
      return json(201, reply, { location: `/api/cases/${caseId}` });
    },
  };
}

export const handler = apiHandler(
  'record-panel-reply',
  recordPanelReplyEndpoints(
    environmentService({ cases: caseStoreFromEnvironment, mailer: mailerFromEnvironment }),
  ),
);
