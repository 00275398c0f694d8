import { sfnClient } from '../../shared/adapters/aws-clients.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { serviceFromEnvironment } from '../../shared/service.ts';
import { recordDecision } from './record-decision.ts';

/** POST /api/cases/{caseId}/decision (RecordDecision). */
export const handler = apiHandler({
  RecordDecision: (request) =>
    recordDecision(serviceFromEnvironment(), { stepFunctions: sfnClient() }, request),
});
