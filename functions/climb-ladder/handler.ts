import { documentsFromEnvironment } from '../../shared/adapters/documents.ts';
import { mailerFromEnvironment } from '../../shared/adapters/mailer.ts';
import { environmentService } from '../../shared/service.ts';
import { caseStoreFromEnvironment } from '../../shared/stores/case-store.ts';
import { climbLadder } from '../../shared/use-cases/climb-ladder.ts';
import { workflowTaskContracts } from '../../shared/workflow/contracts.ts';
import { taskHandler } from '../../shared/workflow/task-handler.ts';

const service = environmentService({
  cases: caseStoreFromEnvironment,
  documents: documentsFromEnvironment,
  mailer: mailerFromEnvironment,
});

export const handler = taskHandler('climb-ladder', workflowTaskContracts['climb-ladder'], (payload) =>
  climbLadder(service, payload),
);
