import { documentsFromEnvironment } from '../../shared/adapters/documents.ts';
import { mailerFromEnvironment } from '../../shared/adapters/mailer.ts';
import { environmentService } from '../../shared/service.ts';
import { localReviewDraftsStoreFromEnvironment } from '../../shared/stores/local-review-drafts-store.ts';
import { localReviewStoreFromEnvironment } from '../../shared/stores/local-review-store.ts';
import { sendPrePublicationNotice } from '../../shared/use-cases/local-review-tasks.ts';
import { localReviewTaskContracts } from '../../shared/workflow/local-review-contracts.ts';
import { taskHandler } from '../../shared/workflow/task-handler.ts';

const service = environmentService({
  localReviews: localReviewStoreFromEnvironment,
  mailer: mailerFromEnvironment,
  // The final version the team chose, attached to the notice.
  localReviewDrafts: localReviewDraftsStoreFromEnvironment,
  documents: documentsFromEnvironment,
});

export const handler = taskHandler(
  'send-pre-publication-notice',
  localReviewTaskContracts['send-pre-publication-notice'],
  (payload) => sendPrePublicationNotice(service, payload),
);
