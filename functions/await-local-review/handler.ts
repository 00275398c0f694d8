import { localReviewWorkflowFromEnvironment } from '../../shared/adapters/local-review-workflow.ts';
import { environmentService } from '../../shared/service.ts';
import { localReviewStoreFromEnvironment } from '../../shared/stores/local-review-store.ts';
import { awaitLocalReview } from '../../shared/use-cases/local-review-tasks.ts';
import { localReviewTaskContracts } from '../../shared/workflow/local-review-contracts.ts';
import { taskHandler } from '../../shared/workflow/task-handler.ts';

const service = environmentService({
  localReviews: localReviewStoreFromEnvironment,
  localReviewWorkflow: localReviewWorkflowFromEnvironment,
});

export const handler = taskHandler(
  'await-local-review',
  localReviewTaskContracts['await-local-review'],
  (payload) => awaitLocalReview(service, payload),
);
