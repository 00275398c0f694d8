import { documentsFromEnvironment } from '../../shared/adapters/documents.ts';
import { mailerFromEnvironment } from '../../shared/adapters/mailer.ts';
import { reviewWorkflowFromEnvironment } from '../../shared/adapters/review-workflow.ts';
import { duplicateCheckKeyFromEnvironment } from '../../shared/env.ts';
import { environmentService } from '../../shared/service.ts';
import { caseStoreFromEnvironment } from '../../shared/stores/case-store.ts';
import { draftStoreFromEnvironment } from '../../shared/stores/draft-store.ts';
import { sessionRevocationsFromEnvironment } from '../../shared/stores/session-revocations.ts';
import type { WebService } from './page.ts';
import { pageHandler } from './page-handler.ts';
import { staffMenuPages } from './pages/menu.ts';
import { webPages } from './pages/web-pages.ts';
import { createWebApp } from './router.ts';
import { sessionSecretFromEnvironment } from './session.ts';
import { templateEnvironment } from './views.ts';

const service: WebService = environmentService({
  cases: caseStoreFromEnvironment,
  drafts: draftStoreFromEnvironment,
  documents: documentsFromEnvironment,
  workflow: reviewWorkflowFromEnvironment,
  sessions: sessionRevocationsFromEnvironment,
  duplicateCheckKey: duplicateCheckKeyFromEnvironment,
  mailer: mailerFromEnvironment,
});

const app = createWebApp({
  pages: webPages,
  // The navigation names pages other functions serve (the notify pages: functions/notify-web;
  // the cases list: functions/home-web).
  menuPages: staffMenuPages,
  service: () => service,
  sessions: { secret: () => sessionSecretFromEnvironment(), revocations: () => service.sessions },
  templates: templateEnvironment,
});

/**
 * Every path that is not /api/, nor an agency's page, nor a page under one case, nor a notify
 * page, nor a home (the WebPages and StartPage routes): the staff's GOV.UK pages (start, sign-in
 * and one case's page) and the assets of every page, the partnership profile read first.
 */
export const handler = pageHandler('web', app);
