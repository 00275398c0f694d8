import { serviceFromEnvironment } from '../../shared/service.ts';
import { awaitDecisionPayload } from '../../shared/workflow/contracts.ts';
import { taskHandler } from '../../shared/workflow/task-handler.ts';
import { awaitDecision } from './await-decision.ts';

export const handler = taskHandler(awaitDecisionPayload, (payload) =>
  awaitDecision(serviceFromEnvironment(), payload),
);
