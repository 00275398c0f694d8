import { mailerFromEnvironment } from '../../shared/adapters/mailer.ts';
import { environmentService } from '../../shared/service.ts';
import { caseStoreFromEnvironment } from '../../shared/stores/case-store.ts';
import { chaseMissingSummaries } from '../../shared/use-cases/chase-missing-summaries.ts';
import { workflowTaskContracts } from '../../shared/workflow/contracts.ts';
import { taskHandler } from '../../shared/workflow/task-handler.ts';

const service = environmentService({ cases: caseStoreFromEnvironment, mailer: mailerFromEnvironment });

export const handler = taskHandler(
  'chase-missing-summaries',
  workflowTaskContracts['chase-missing-summaries'],
  (payload) => chaseMissingSummaries(service, payload),
);
