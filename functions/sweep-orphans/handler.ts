import middy from '@middy/core';
import { documentsFromEnvironment } from '../../shared/adapters/documents.ts';
import { observability } from '../../shared/observability.ts';
import { environmentService } from '../../shared/service.ts';
import { caseStoreFromEnvironment } from '../../shared/stores/case-store.ts';
import { parseScheduledEvent, sweepOrphanNotifications } from '../../shared/use-cases/sweep-orphans.ts';
import { taskErrors } from '../../shared/workflow/task-handler.ts';

const service = environmentService({ cases: caseStoreFromEnvironment, documents: documentsFromEnvironment });

type SweepResult = { removed: number; checked: number };

/** Daily, from an EventBridge schedule: removes notification documents that no case owns. */
export const handler = middy<unknown, SweepResult>()
  .use(observability<unknown, SweepResult>())
  .use(taskErrors('sweep-orphans') as middy.MiddlewareObj<unknown, SweepResult>)
  .handler(async (event) => {
    parseScheduledEvent(event);
    const result = await sweepOrphanNotifications(service);
    return { removed: result.removed.length, checked: result.checked };
  });
