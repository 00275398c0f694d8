import { documentsFromEnvironment } from '../../shared/adapters/documents.ts';
import { factualAccuracyChasesFromEnvironment } from '../../shared/adapters/local-review-workflow.ts';
import { mailerFromEnvironment } from '../../shared/adapters/mailer.ts';
import { environmentService } from '../../shared/service.ts';
import { caseStoreFromEnvironment } from '../../shared/stores/case-store.ts';
import { localReviewDraftsStoreFromEnvironment } from '../../shared/stores/local-review-drafts-store.ts';
import { localReviewStoreFromEnvironment } from '../../shared/stores/local-review-store.ts';
import { sessionRevocationsFromEnvironment } from '../../shared/stores/session-revocations.ts';
import { pageHandler } from '../web/page-handler.ts';
import {
  type LocalReviewDraftsWebService,
  localReviewDraftsPages,
} from '../web/pages/local-review-drafts-pages.ts';
import { staffMenuPages } from '../web/pages/menu.ts';
import { createWebApp } from '../web/router.ts';
import { sessionSecretFromEnvironment } from '../web/session.ts';
import { templateEnvironment } from '../web/views.ts';

const service: LocalReviewDraftsWebService = environmentService({
  cases: caseStoreFromEnvironment,
  documents: documentsFromEnvironment,
  sessions: sessionRevocationsFromEnvironment,
  mailer: mailerFromEnvironment,
  localReviews: localReviewStoreFromEnvironment,
  localReviewDrafts: localReviewDraftsStoreFromEnvironment,
  // Each factual-accuracy round's reminders: an execution of the local-review machine.
  factualAccuracyChases: factualAccuracyChasesFromEnvironment,
});

const app = createWebApp({
  pages: localReviewDraftsPages,
  menuPages: staffMenuPages,
  service: () => service,
  sessions: { secret: () => sessionSecretFromEnvironment(), revocations: () => service.sessions },
  templates: templateEnvironment,
});

/**
 * A local review's work in writing (issue 13 parts 3 and 4, the LocalReviewDraftsPages routes):
 * the partnership team's learning events, family plan, supervision of the reviewer, drafts,
 * factual-accuracy rounds and quality checks; and each agency's factual-accuracy page, reached by
 * its link. Apart from local-review-web, which is near 1 MiB.
 */
export const handler = pageHandler('local-review-drafts-web', app);
