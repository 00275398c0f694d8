import { documentsFromEnvironment } from '../../shared/adapters/documents.ts';
import { reviewWorkflowFromEnvironment } from '../../shared/adapters/review-workflow.ts';
import { duplicateCheckKeyFromEnvironment } from '../../shared/env.ts';
import { ConfigurationError } from '../../shared/errors.ts';
import { environmentService } from '../../shared/service.ts';
import { caseStoreFromEnvironment } from '../../shared/stores/case-store.ts';
import { draftStoreFromEnvironment } from '../../shared/stores/draft-store.ts';
import { sessionRevocationsFromEnvironment } from '../../shared/stores/session-revocations.ts';
import type { WebService } from '../web/page.ts';
import { pageHandler } from '../web/page-handler.ts';
import { staffMenuPages } from '../web/pages/menu.ts';
import { notifyWebPages } from '../web/pages/notify-pages.ts';
import { createWebApp } from '../web/router.ts';
import { sessionSecretFromEnvironment } from '../web/session.ts';
import { templateEnvironment } from '../web/views.ts';

/** A port the notify pages never use (email): reaching it is a defect. */
const notHere = (port: string) => (): never => {
  throw new ConfigurationError(`The notify pages' function has no ${port}: the notify pages never use it`);
};

const service: WebService = environmentService({
  cases: caseStoreFromEnvironment,
  drafts: draftStoreFromEnvironment,
  documents: documentsFromEnvironment,
  workflow: reviewWorkflowFromEnvironment,
  sessions: sessionRevocationsFromEnvironment,
  duplicateCheckKey: duplicateCheckKeyFromEnvironment,
  mailer: notHere('mailer'),
});

const app = createWebApp({
  pages: notifyWebPages,
  menuPages: staffMenuPages,
  service: () => service,
  sessions: { secret: () => sessionSecretFromEnvironment(), revocations: () => service.sessions },
  templates: templateEnvironment,
});

/**
 * Notifying a serious incident (the NotifyPages routes): the question pages, check your answers,
 * which opens the case through the intake logic, and the confirmation. The same router,
 * templates and sessions as the other staff pages' functions; apart, so that no bundle holds
 * every page. The partnership profile is read first.
 */
export const handler = pageHandler('notify-web', app);
