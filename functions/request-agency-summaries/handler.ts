import { mailerFromEnvironment } from '../../shared/adapters/mailer.ts';
import { environmentService } from '../../shared/service.ts';
import { caseStoreFromEnvironment } from '../../shared/stores/case-store.ts';
import { requestAgencySummaries } from '../../shared/use-cases/request-agency-summaries.ts';
import { workflowTaskContracts } from '../../shared/workflow/contracts.ts';
import { taskHandler } from '../../shared/workflow/task-handler.ts';

const service = environmentService({ cases: caseStoreFromEnvironment, mailer: mailerFromEnvironment });

export const handler = taskHandler(
  'request-agency-summaries',
  workflowTaskContracts['request-agency-summaries'],
  (payload) => requestAgencySummaries(service, payload),
);
