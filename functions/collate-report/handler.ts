import { serviceFromEnvironment } from '../../shared/service.ts';
import { caseTaskPayload } from '../../shared/workflow/contracts.ts';
import { taskHandler } from '../../shared/workflow/task-handler.ts';
import { collateReport } from './collate-report.ts';

export const handler = taskHandler(caseTaskPayload, (payload) =>
  collateReport(serviceFromEnvironment(), payload),
);
