import { serviceFromEnvironment } from '../../shared/service.ts';
import { scheduleDecisionDeadlinePayload } from '../../shared/workflow/contracts.ts';
import { taskHandler } from '../../shared/workflow/task-handler.ts';
import { scheduleDecisionDeadline } from './schedule-decision-deadline.ts';

export const handler = taskHandler(scheduleDecisionDeadlinePayload, (payload) =>
  scheduleDecisionDeadline(serviceFromEnvironment(), payload),
);
