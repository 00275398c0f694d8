import { serviceFromEnvironment } from '../../shared/service.ts';
import { caseTaskPayload } from '../../shared/workflow/contracts.ts';
import { taskHandler } from '../../shared/workflow/task-handler.ts';
import { planTimetable } from './plan-timetable.ts';

export const handler = taskHandler(caseTaskPayload, (payload) =>
  planTimetable(serviceFromEnvironment(), payload),
);
