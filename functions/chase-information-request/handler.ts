import { mailerFromEnvironment } from '../../shared/adapters/mailer.ts';
import { environmentService } from '../../shared/service.ts';
import { caseStoreFromEnvironment } from '../../shared/stores/case-store.ts';
import { localReviewEnquiryStoreFromEnvironment } from '../../shared/stores/local-review-enquiry-store.ts';
import { localReviewStoreFromEnvironment } from '../../shared/stores/local-review-store.ts';
import { chaseInformationRequest } from '../../shared/use-cases/local-review-enquiry.ts';
import { localReviewTaskContracts } from '../../shared/workflow/local-review-contracts.ts';
import { taskHandler } from '../../shared/workflow/task-handler.ts';

const service = environmentService({
  localReviews: localReviewStoreFromEnvironment,
  localReviewEnquiries: localReviewEnquiryStoreFromEnvironment,
  // The partnership directory, for the agency's strategic lead.
  cases: caseStoreFromEnvironment,
  mailer: mailerFromEnvironment,
});

export const handler = taskHandler(
  'chase-information-request',
  localReviewTaskContracts['chase-information-request'],
  (payload) => chaseInformationRequest(service, payload),
);
