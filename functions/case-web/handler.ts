import { documentsFromEnvironment } from '../../shared/adapters/documents.ts';
import { mailerFromEnvironment } from '../../shared/adapters/mailer.ts';
import { reviewWorkflowFromEnvironment } from '../../shared/adapters/review-workflow.ts';
import { ConfigurationError } from '../../shared/errors.ts';
import { environmentService } from '../../shared/service.ts';
import { caseStoreFromEnvironment } from '../../shared/stores/case-store.ts';
import { reviewLearningReaderFromEnvironment } from '../../shared/stores/learning-reader.ts';
import { sessionRevocationsFromEnvironment } from '../../shared/stores/session-revocations.ts';
import type { WebService } from '../web/page.ts';
import { pageHandler } from '../web/page-handler.ts';
import { caseWebPages } from '../web/pages/case-pages.ts';
import { staffMenuPages } from '../web/pages/menu.ts';
import { createWebApp } from '../web/router.ts';
import { sessionSecretFromEnvironment } from '../web/session.ts';
import { templateEnvironment } from '../web/views.ts';

/** A port the case pages never use (the notification's drafts, the duplicate check): reaching it is a defect. */
const notHere = (port: string) => (): never => {
  throw new ConfigurationError(
    `The case pages' function has no ${port}: only the web function's pages use it`,
  );
};

const service: WebService = environmentService({
  cases: caseStoreFromEnvironment,
  documents: documentsFromEnvironment,
  workflow: reviewWorkflowFromEnvironment,
  sessions: sessionRevocationsFromEnvironment,
  mailer: mailerFromEnvironment,
  drafts: notHere('draft store'),
  duplicateCheckKey: notHere('duplicate-check key'),
});
// A review's learning, read only: the completed report says its themes and repeated learning (issue 14).
Object.defineProperty(service, 'learning', { enumerable: true, get: reviewLearningReaderFromEnvironment });

const app = createWebApp({
  pages: caseWebPages,
  menuPages: staffMenuPages,
  service: () => service,
  sessions: { secret: () => sessionSecretFromEnvironment(), revocations: () => service.sessions },
  templates: templateEnvironment,
});

/**
 * Every page under one case (the CasePages route, `/cases/{caseId}/...`): the decision, the
 * report, the meeting, the sign-offs, the Panel's reply, the late reason and the closure. The
 * same router, templates and sessions as the web function, which serves everything else; apart,
 * so that neither bundle holds every page. The partnership profile is read first.
 */
export const handler = pageHandler('case-web', app);
