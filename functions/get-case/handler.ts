import { sfnClient } from '../../shared/adapters/aws-clients.ts';
import { requireEnv } from '../../shared/env.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { serviceFromEnvironment } from '../../shared/service.ts';
import { showCase } from './show-case.ts';

/** GET /api/cases/{caseId} (GetCase). */
export const handler = apiHandler({
  GetCase: (request) =>
    showCase(
      serviceFromEnvironment(),
      { stepFunctions: sfnClient(), stateMachineArn: () => requireEnv('stateMachineArn') },
      request,
    ),
});
