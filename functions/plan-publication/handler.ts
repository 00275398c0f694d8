import { mailerFromEnvironment } from '../../shared/adapters/mailer.ts';
import { environmentService } from '../../shared/service.ts';
import { localReviewStoreFromEnvironment } from '../../shared/stores/local-review-store.ts';
import { planPublication } from '../../shared/use-cases/local-review-tasks.ts';
import { localReviewTaskContracts } from '../../shared/workflow/local-review-contracts.ts';
import { taskHandler } from '../../shared/workflow/task-handler.ts';

const service = environmentService({
  localReviews: localReviewStoreFromEnvironment,
  mailer: mailerFromEnvironment,
});

export const handler = taskHandler(
  'plan-publication',
  localReviewTaskContracts['plan-publication'],
  (payload) => planPublication(service, payload),
);
