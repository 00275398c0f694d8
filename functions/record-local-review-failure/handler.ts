import { localReviewWorkflowFromEnvironment } from '../../shared/adapters/local-review-workflow.ts';
import { mailerFromEnvironment } from '../../shared/adapters/mailer.ts';
import { environmentService } from '../../shared/service.ts';
import { localReviewDraftsStoreFromEnvironment } from '../../shared/stores/local-review-drafts-store.ts';
import { localReviewEnquiryStoreFromEnvironment } from '../../shared/stores/local-review-enquiry-store.ts';
import { localReviewStoreFromEnvironment } from '../../shared/stores/local-review-store.ts';
import { recordLocalReviewFailure } from '../../shared/use-cases/local-review-tasks.ts';
import { localReviewTaskContracts } from '../../shared/workflow/local-review-contracts.ts';
import { taskHandler } from '../../shared/workflow/task-handler.ts';

const service = environmentService({
  localReviews: localReviewStoreFromEnvironment,
  localReviewEnquiries: localReviewEnquiryStoreFromEnvironment,
  localReviewDrafts: localReviewDraftsStoreFromEnvironment,
  mailer: mailerFromEnvironment,
  localReviewWorkflow: localReviewWorkflowFromEnvironment,
});

export const handler = taskHandler(
  'record-local-review-failure',
  localReviewTaskContracts['record-local-review-failure'],
  (payload) => recordLocalReviewFailure(service, payload),
);
