import { serviceFromEnvironment } from '../../shared/service.ts';
import { caseTaskPayload } from '../../shared/workflow/contracts.ts';
import { taskHandler } from '../../shared/workflow/task-handler.ts';
import { requestAgencySummaries } from './request-agency-summaries.ts';

export const handler = taskHandler(caseTaskPayload, (payload) =>
  requestAgencySummaries(serviceFromEnvironment(), payload),
);
