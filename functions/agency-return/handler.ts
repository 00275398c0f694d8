import { mailerFromEnvironment } from '../../shared/adapters/mailer.ts';
import { uploadFormsFromEnvironment } from '../../shared/adapters/upload-forms.ts';
import { apiHandler, type Endpoint } from '../../shared/http/api-handler.ts';
import { json } from '../../shared/http/problem.ts';
import { environmentService } from '../../shared/service.ts';
import { caseStoreFromEnvironment } from '../../shared/stores/case-store.ts';
import {
  type AgencyLinkPorts,
  type AgencyUploadPorts,
  issueAgencyUpload,
  showAgencyRequest,
} from '../../shared/use-cases/agency-request.ts';
import {
  type AgencyReturnPorts,
  submitAgencyReturn,
} from '../../shared/use-cases/agency-structured-return.ts';

/**
 * GET /api/agency/{token} (GetAgencyRequest): what to return and by when; POST
 * /api/agency/{token}/uploads (CreateAgencyUpload): a pre-signed POST for the file described;
 * PUT /api/agency/{token}/return (SubmitAgencyReturn): the structured return, as its next version.
 */
export function agencyReturnEndpoints(service: AgencyLinkPorts & AgencyUploadPorts & AgencyReturnPorts): {
  GetAgencyRequest: Endpoint;
  CreateAgencyUpload: Endpoint;
  SubmitAgencyReturn: Endpoint;
} {
  return {
    async GetAgencyRequest(request) {
      return json(200, await showAgencyRequest(service, { token: request.pathParameters.token }));
    },
    async CreateAgencyUpload(request) {
      const form = await issueAgencyUpload(service, {
        token: request.pathParameters.token,
        upload: request.body,
      });
      return json(201, form);
    },
    async SubmitAgencyReturn(request) {
      const { version, kind, receivedAt } = await submitAgencyReturn(service, {
        token: request.pathParameters.token,
        answers: request.body,
      });
      return json(200, { version, kind, receivedAt });
    },
  };
}

export const handler = apiHandler(
  'agency-return',
  agencyReturnEndpoints(
    environmentService({
      cases: caseStoreFromEnvironment,
      uploadForms: uploadFormsFromEnvironment,
      mailer: mailerFromEnvironment,
    }),
  ),
);
