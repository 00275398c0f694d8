import { serviceFromEnvironment } from '../../shared/service.ts';
import { caseTaskPayload } from '../../shared/workflow/contracts.ts';
import { taskHandler } from '../../shared/workflow/task-handler.ts';
import { distributePapers } from './distribute-papers.ts';

export const handler = taskHandler(caseTaskPayload, (payload) =>
  distributePapers(serviceFromEnvironment(), payload),
);
