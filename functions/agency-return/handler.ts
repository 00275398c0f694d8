import { apiHandler } from '../../shared/http/api-handler.ts';
import { serviceFromEnvironment } from '../../shared/service.ts';
import { createAgencyUpload, showAgencyRequest } from './agency-return.ts';

/** GET /api/agency/{token} (GetAgencyRequest) and POST /api/agency/{token}/uploads (CreateAgencyUpload). */
export const handler = apiHandler({
  GetAgencyRequest: (request) => showAgencyRequest(serviceFromEnvironment(), request),
  CreateAgencyUpload: (request) => createAgencyUpload(serviceFromEnvironment(), request),
});
