import { environmentService } from '../../shared/service.ts';
import { localReviewStoreFromEnvironment } from '../../shared/stores/local-review-store.ts';
import { scheduleLocalReviewWait } from '../../shared/use-cases/local-review-tasks.ts';
import { localReviewTaskContracts } from '../../shared/workflow/local-review-contracts.ts';
import { taskHandler } from '../../shared/workflow/task-handler.ts';

const service = environmentService({ localReviews: localReviewStoreFromEnvironment });

export const handler = taskHandler(
  'schedule-local-review-wait',
  localReviewTaskContracts['schedule-local-review-wait'],
  (payload) => scheduleLocalReviewWait(service, payload),
);
