import { informationRequestChasesFromEnvironment } from '../../shared/adapters/local-review-workflow.ts';
import { mailerFromEnvironment } from '../../shared/adapters/mailer.ts';
import { environmentService } from '../../shared/service.ts';
import { caseStoreFromEnvironment } from '../../shared/stores/case-store.ts';
import { localReviewEnquiryStoreFromEnvironment } from '../../shared/stores/local-review-enquiry-store.ts';
import { localReviewStoreFromEnvironment } from '../../shared/stores/local-review-store.ts';
import { sessionRevocationsFromEnvironment } from '../../shared/stores/session-revocations.ts';
import { pageHandler } from '../web/page-handler.ts';
import { localReviewListPages } from '../web/pages/local-review-list.ts';
import {
  type LocalReviewWorkWebService,
  localReviewWorkPages,
} from '../web/pages/local-review-work-pages.ts';
import { staffMenuPages } from '../web/pages/menu.ts';
import { createWebApp } from '../web/router.ts';
import { sessionSecretFromEnvironment } from '../web/session.ts';
import { templateEnvironment } from '../web/views.ts';

const service: LocalReviewWorkWebService = environmentService({
  cases: caseStoreFromEnvironment,
  sessions: sessionRevocationsFromEnvironment,
  mailer: mailerFromEnvironment,
  localReviews: localReviewStoreFromEnvironment,
  localReviewEnquiries: localReviewEnquiryStoreFromEnvironment,
  informationRequestChases: informationRequestChasesFromEnvironment,
});

const app = createWebApp({
  pages: [...localReviewListPages, ...localReviewWorkPages],
  menuPages: staffMenuPages,
  service: () => service,
  sessions: { secret: () => sessionSecretFromEnvironment(), revocations: () => service.sessions },
  templates: templateEnvironment,
});

/**
 * The partnership team's list of every local review (`/local-reviews`, the LocalReviewWorkPagesList
 * route), and a local review's enquiry (issue 13 parts 2 and 3, the LocalReviewWorkPages and
 * LocalReviewAgencyPages routes): the reviewer's home, everyone's declarations, the requests for
 * information and the agencies' pages under their links, and the merged chronology with its PDF
 * and CSV. Apart from local-review-web, whose bundle has little room left under 1 MiB. The
 * partnership profile is read first.
 */
export const handler = pageHandler('local-review-work-web', app);
