import { localReviewWorkflowFromEnvironment } from '../../shared/adapters/local-review-workflow.ts';
import { mailerFromEnvironment } from '../../shared/adapters/mailer.ts';
import { environmentService } from '../../shared/service.ts';
import { localReviewStoreFromEnvironment } from '../../shared/stores/local-review-store.ts';
import { prgReferralStoreFromEnvironment } from '../../shared/stores/prg-referral-store.ts';
import { sessionRevocationsFromEnvironment } from '../../shared/stores/session-revocations.ts';
import { pageHandler } from '../web/page-handler.ts';
import { staffMenuPages } from '../web/pages/menu.ts';
import { type PrgWebService, prgPages } from '../web/pages/prg-pages.ts';
import { createWebApp } from '../web/router.ts';
import { sessionSecretFromEnvironment } from '../web/session.ts';
import { templateEnvironment } from '../web/views.ts';

const service: PrgWebService = environmentService({
  sessions: sessionRevocationsFromEnvironment,
  mailer: mailerFromEnvironment,
  referrals: prgReferralStoreFromEnvironment,
  localReviews: localReviewStoreFromEnvironment,
  localReviewWorkflow: localReviewWorkflowFromEnvironment,
});

const app = createWebApp({
  pages: prgPages,
  menuPages: staffMenuPages,
  service: () => service,
  sessions: { secret: () => sessionSecretFromEnvironment(), revocations: () => service.sessions },
  templates: templateEnvironment,
});

/**
 * The Practice Review Group's pages (issue 13, the PrgPages routes): a referrer refers a case that
 * was not notifiable, their agency's strategic lead approves it by an emailed link, the group
 * records its decision, and the partnership team commissions a local review from a referral
 * decided for one. The same router, templates and sessions as the other staff pages' functions;
 * apart, so that no bundle holds every page. The partnership profile is read first.
 */
export const handler = pageHandler('prg-web', app);
