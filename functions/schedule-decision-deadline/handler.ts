import { environmentService } from '../../shared/service.ts';
import { caseStoreFromEnvironment } from '../../shared/stores/case-store.ts';
import { scheduleDecisionDeadline } from '../../shared/use-cases/schedule-decision-deadline.ts';
import { workflowTaskContracts } from '../../shared/workflow/contracts.ts';
import { taskHandler } from '../../shared/workflow/task-handler.ts';

const service = environmentService({ cases: caseStoreFromEnvironment });

export const handler = taskHandler(
  'schedule-decision-deadline',
  workflowTaskContracts['schedule-decision-deadline'],
  (payload) => scheduleDecisionDeadline(service, payload),
);
