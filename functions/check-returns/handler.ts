import { serviceFromEnvironment } from '../../shared/service.ts';
import { caseTaskPayload } from '../../shared/workflow/contracts.ts';
import { taskHandler } from '../../shared/workflow/task-handler.ts';
import { checkReturns } from './check-returns.ts';

export const handler = taskHandler(caseTaskPayload, (payload) =>
  checkReturns(serviceFromEnvironment(), payload),
);
