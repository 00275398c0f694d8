import { environmentService } from '../../shared/service.ts';
import { caseStoreFromEnvironment } from '../../shared/stores/case-store.ts';
import { planTimetable } from '../../shared/use-cases/plan-timetable.ts';
import { workflowTaskContracts } from '../../shared/workflow/contracts.ts';
import { taskHandler } from '../../shared/workflow/task-handler.ts';

const service = environmentService({ cases: caseStoreFromEnvironment });

export const handler = taskHandler('plan-timetable', workflowTaskContracts['plan-timetable'], (payload) =>
  planTimetable(service, payload),
);
