import { documentsFromEnvironment } from '../../shared/adapters/documents.ts';
import { environmentService } from '../../shared/service.ts';
import { caseStoreFromEnvironment } from '../../shared/stores/case-store.ts';
import { parseScheduledEvent, sweepOrphanNotifications } from '../../shared/use-cases/sweep-orphans.ts';
import { eventHandler } from '../../shared/workflow/task-handler.ts';

const service = environmentService({ cases: caseStoreFromEnvironment, documents: documentsFromEnvironment });

/** Daily, from an EventBridge schedule: removes notification documents that no case owns. */
export const handler = eventHandler('sweep-orphans', async (event) => {
  parseScheduledEvent(event);
  const result = await sweepOrphanNotifications(service);
  return { removed: result.removed.length, checked: result.checked };
});
