import { documentsFromEnvironment } from '../../shared/adapters/documents.ts';
import { environmentService } from '../../shared/service.ts';
import { caseStoreFromEnvironment } from '../../shared/stores/case-store.ts';
import { collateReport } from '../../shared/use-cases/collate-report.ts';
import { workflowTaskContracts } from '../../shared/workflow/contracts.ts';
import { taskHandler } from '../../shared/workflow/task-handler.ts';

const service = environmentService({ cases: caseStoreFromEnvironment, documents: documentsFromEnvironment });

export const handler = taskHandler('collate-report', workflowTaskContracts['collate-report'], (payload) =>
  collateReport(service, payload),
);
