import { serviceFromEnvironment } from '../../shared/service.ts';
import { caseTaskPayload } from '../../shared/workflow/contracts.ts';
import { taskHandler } from '../../shared/workflow/task-handler.ts';
import { submitToPanel } from './submit-to-panel.ts';

export const handler = taskHandler(caseTaskPayload, (payload) =>
  submitToPanel(serviceFromEnvironment(), payload),
);
