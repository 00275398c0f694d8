import { mailerFromEnvironment } from '../../shared/adapters/mailer.ts';
import { environmentService } from '../../shared/service.ts';
import { caseStoreFromEnvironment } from '../../shared/stores/case-store.ts';
import { distributePapers } from '../../shared/use-cases/distribute-papers.ts';
import { workflowTaskContracts } from '../../shared/workflow/contracts.ts';
import { taskHandler } from '../../shared/workflow/task-handler.ts';

const service = environmentService({
  cases: caseStoreFromEnvironment,
  mailer: mailerFromEnvironment,
});

export const handler = taskHandler(
  'distribute-papers',
  workflowTaskContracts['distribute-papers'],
  (payload) => distributePapers(service, payload),
);
