import { mailerFromEnvironment } from '../../shared/adapters/mailer.ts';
import { environmentService } from '../../shared/service.ts';
import { caseStoreFromEnvironment } from '../../shared/stores/case-store.ts';
import { escalateMissingDecision } from '../../shared/use-cases/escalate-missing-decision.ts';
import { workflowTaskContracts } from '../../shared/workflow/contracts.ts';
import { taskHandler } from '../../shared/workflow/task-handler.ts';

const service = environmentService({ cases: caseStoreFromEnvironment, mailer: mailerFromEnvironment });

export const handler = taskHandler(
  'escalate-missing-decision',
  workflowTaskContracts['escalate-missing-decision'],
  (payload) => escalateMissingDecision(service, payload),
);
