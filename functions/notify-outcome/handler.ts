import { serviceFromEnvironment } from '../../shared/service.ts';
import { caseTaskPayload } from '../../shared/workflow/contracts.ts';
import { taskHandler } from '../../shared/workflow/task-handler.ts';
import { notifyOutcome } from './notify-outcome.ts';

export const handler = taskHandler(caseTaskPayload, (payload) =>
  notifyOutcome(serviceFromEnvironment(), payload),
);
