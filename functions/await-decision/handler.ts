import { mailerFromEnvironment } from '../../shared/adapters/mailer.ts';
import { reviewWorkflowFromEnvironment } from '../../shared/adapters/review-workflow.ts';
import { environmentService } from '../../shared/service.ts';
import { caseStoreFromEnvironment } from '../../shared/stores/case-store.ts';
import { awaitDecision } from '../../shared/use-cases/await-decision.ts';
import { workflowTaskContracts } from '../../shared/workflow/contracts.ts';
import { taskHandler } from '../../shared/workflow/task-handler.ts';

const service = environmentService({
  cases: caseStoreFromEnvironment,
  mailer: mailerFromEnvironment,
  workflow: reviewWorkflowFromEnvironment,
});

export const handler = taskHandler('await-decision', workflowTaskContracts['await-decision'], (payload) =>
  awaitDecision(service, payload),
);
