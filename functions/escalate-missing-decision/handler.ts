import { serviceFromEnvironment } from '../../shared/service.ts';
import { escalateMissingDecisionPayload } from '../../shared/workflow/contracts.ts';
import { taskHandler } from '../../shared/workflow/task-handler.ts';
import { escalateMissingDecision } from './escalate-missing-decision.ts';

export const handler = taskHandler(escalateMissingDecisionPayload, (payload) =>
  escalateMissingDecision(serviceFromEnvironment(), payload),
);
