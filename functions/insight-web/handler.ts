import { ConfigurationError } from '../../shared/errors.ts';
import { environmentService } from '../../shared/service.ts';
import { caseStoreFromEnvironment } from '../../shared/stores/case-store.ts';
import { learningStoreFromEnvironment } from '../../shared/stores/learning-store.ts';
import { localReviewStoreFromEnvironment } from '../../shared/stores/local-review-store.ts';
import { scrutinyCommentaryStoreFromEnvironment } from '../../shared/stores/scrutiny-commentary-store.ts';
import { sessionRevocationsFromEnvironment } from '../../shared/stores/session-revocations.ts';
import { pageHandler } from '../web/page-handler.ts';
import { type InsightWebService, insightWebPages } from '../web/pages/insight-pages.ts';
import { staffMenuPages } from '../web/pages/menu.ts';
import { createWebApp } from '../web/router.ts';
import { sessionSecretFromEnvironment } from '../web/session.ts';
import { templateEnvironment } from '../web/views.ts';

/** A port the insight pages never use (documents, email, the workflow, drafts): reaching it is a defect. */
const notHere = (port: string) => (): never => {
  throw new ConfigurationError(
    `The insight pages' function has no ${port}: its pages only read, and save a commentary`,
  );
};

const staffPorts = environmentService({
  cases: caseStoreFromEnvironment,
  sessions: sessionRevocationsFromEnvironment,
  documents: notHere('document store'),
  workflow: notHere('workflow'),
  mailer: notHere('mailer'),
  drafts: notHere('draft store'),
  duplicateCheckKey: notHere('duplicate-check key'),
});
// The scrutineer's commentaries and the local reviews: this function's own ports, on the case table.
const service = Object.defineProperties(staffPorts, {
  commentaries: { enumerable: true, get: scrutinyCommentaryStoreFromEnvironment },
  localReviews: { enumerable: true, get: localReviewStoreFromEnvironment },
  learning: { enumerable: true, get: learningStoreFromEnvironment },
}) as InsightWebService;

const app = createWebApp({
  pages: insightWebPages,
  menuPages: staffMenuPages,
  service: () => service,
  sessions: { secret: () => sessionSecretFromEnvironment(), revocations: () => service.sessions },
  templates: templateEnvironment,
});

/**
 * The partnership's figures (the InsightPages routes, issue 14 parts 3 and 4): the dashboard for
 * the partnership team and the Executive Board, and the scrutineer's six-monthly report with its
 * commentary and PDF. The same router, templates and sessions as the other staff pages'
 * functions; apart, so that no bundle holds every page. The partnership profile is read first.
 */
export const handler = pageHandler('insight-web', app);
