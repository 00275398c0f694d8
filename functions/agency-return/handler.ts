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

/**
 * GET /api/agency/{token} (GetAgencyRequest): what to return and by when; POST
 * /api/agency/{token}/uploads (CreateAgencyUpload): a pre-signed POST for the file described.
 */
export function agencyReturnEndpoints(service: AgencyLinkPorts & AgencyUploadPorts): {
  GetAgencyRequest: Endpoint;
  CreateAgencyUpload: Endpoint;
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
  };
}

export const handler = apiHandler(
  'agency-return',
  agencyReturnEndpoints(
    environmentService({ cases: caseStoreFromEnvironment, uploadForms: uploadFormsFromEnvironment }),
  ),
);
