import { serviceFromEnvironment } from '../../shared/service.ts';
import { caseTaskPayload } from '../../shared/workflow/contracts.ts';
import { taskHandler } from '../../shared/workflow/task-handler.ts';
import { chaseMissingSummaries } from './chase-missing-summaries.ts';

export const handler = taskHandler(caseTaskPayload, (payload) =>
  chaseMissingSummaries(serviceFromEnvironment(), payload),
);
