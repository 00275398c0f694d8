import { serviceFromEnvironment } from '../../shared/service.ts';
import { recordFailurePayload } from '../../shared/workflow/contracts.ts';
import { taskHandler } from '../../shared/workflow/task-handler.ts';
import { recordFailure } from './record-failure.ts';

export const handler = taskHandler(recordFailurePayload, (payload) =>
  recordFailure(serviceFromEnvironment(), payload),
);
