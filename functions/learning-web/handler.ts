import { documentsFromEnvironment } from '../../shared/adapters/documents.ts';
import { mailerFromEnvironment } from '../../shared/adapters/mailer.ts';
import { environmentService } from '../../shared/service.ts';
import { caseStoreFromEnvironment } from '../../shared/stores/case-store.ts';
import { learningStoreFromEnvironment } from '../../shared/stores/learning-store.ts';
import { localReviewStoreFromEnvironment } from '../../shared/stores/local-review-store.ts';
import { sessionRevocationsFromEnvironment } from '../../shared/stores/session-revocations.ts';
import { pageHandler } from '../web/page-handler.ts';
import { type LearningWebService, learningPages } from '../web/pages/learning-pages.ts';
import { staffMenuPages } from '../web/pages/menu.ts';
import { createWebApp } from '../web/router.ts';
import { sessionSecretFromEnvironment } from '../web/session.ts';
import { templateEnvironment } from '../web/views.ts';

const service: LearningWebService = environmentService({
  cases: caseStoreFromEnvironment,
  localReviews: localReviewStoreFromEnvironment,
  learning: learningStoreFromEnvironment,
  documents: documentsFromEnvironment,
  sessions: sessionRevocationsFromEnvironment,
  mailer: mailerFromEnvironment,
});

const app = createWebApp({
  pages: learningPages,
  menuPages: staffMenuPages,
  service: () => service,
  sessions: { secret: () => sessionSecretFromEnvironment(), revocations: () => service.sessions },
  templates: templateEnvironment,
});

/**
 * Learning that sticks (issue 14 parts 1 and 2, the LearningPages routes): a review's learning
 * themes and learning points beside the earlier reviews that share them, its actions, every open
 * action at `/actions` with the progress report, and each action owner's page under their link.
 * The same router, templates and sessions as the other staff pages' functions; apart, so that no
 * bundle holds every page. The partnership profile is read first.
 */
export const handler = pageHandler('learning-web', app);
