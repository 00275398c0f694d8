import { documentsFromEnvironment } from '../../shared/adapters/documents.ts';
import { localReviewWorkflowFromEnvironment } from '../../shared/adapters/local-review-workflow.ts';
import { mailerFromEnvironment } from '../../shared/adapters/mailer.ts';
import { environmentService } from '../../shared/service.ts';
import { caseStoreFromEnvironment } from '../../shared/stores/case-store.ts';
import { localReviewStoreFromEnvironment } from '../../shared/stores/local-review-store.ts';
import { sessionRevocationsFromEnvironment } from '../../shared/stores/session-revocations.ts';
import { pageHandler } from '../web/page-handler.ts';
import { type LocalReviewWebService, localReviewPages } from '../web/pages/local-review-pages.ts';
import { staffMenuPages } from '../web/pages/menu.ts';
import { createWebApp } from '../web/router.ts';
import { sessionSecretFromEnvironment } from '../web/session.ts';
import { templateEnvironment } from '../web/views.ts';

const service: LocalReviewWebService = environmentService({
  cases: caseStoreFromEnvironment,
  documents: documentsFromEnvironment,
  sessions: sessionRevocationsFromEnvironment,
  mailer: mailerFromEnvironment,
  localReviews: localReviewStoreFromEnvironment,
  localReviewWorkflow: localReviewWorkflowFromEnvironment,
});

const app = createWebApp({
  pages: localReviewPages,
  menuPages: staffMenuPages,
  service: () => service,
  sessions: { secret: () => sessionSecretFromEnvironment(), revocations: () => service.sessions },
  templates: templateEnvironment,
});

/**
 * The partnership team's pages for Local Child Safeguarding Practice Reviews (issue 13, the
 * LocalReviewPages routes): starting one from a Rapid Review, its page, and what the team records
 * on it. The same router, templates and sessions as the other staff pages' functions; apart, so
 * that no bundle holds every page. The partnership profile is read first.
 */
export const handler = pageHandler('local-review-web', app);
