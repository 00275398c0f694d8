import { mailerFromEnvironment } from '../../shared/adapters/mailer.ts';
import { environmentService } from '../../shared/service.ts';
import { caseStoreFromEnvironment } from '../../shared/stores/case-store.ts';
import { localReviewDraftsStoreFromEnvironment } from '../../shared/stores/local-review-drafts-store.ts';
import { localReviewStoreFromEnvironment } from '../../shared/stores/local-review-store.ts';
import { chaseFactualAccuracyRound } from '../../shared/use-cases/local-review-drafts.ts';
import { localReviewTaskContracts } from '../../shared/workflow/local-review-contracts.ts';
import { taskHandler } from '../../shared/workflow/task-handler.ts';

const service = environmentService({
  localReviews: localReviewStoreFromEnvironment,
  localReviewDrafts: localReviewDraftsStoreFromEnvironment,
  // The agencies' contacts: the Rapid Review's, or the partnership directory's.
  cases: caseStoreFromEnvironment,
  mailer: mailerFromEnvironment,
});

export const handler = taskHandler(
  'chase-factual-accuracy',
  localReviewTaskContracts['chase-factual-accuracy'],
  (payload) => chaseFactualAccuracyRound(service, payload),
);
