import { documentsFromEnvironment } from '../../shared/adapters/documents.ts';
import { mailerFromEnvironment } from '../../shared/adapters/mailer.ts';
import { reviewWorkflowFromEnvironment } from '../../shared/adapters/review-workflow.ts';
import { ConfigurationError } from '../../shared/errors.ts';
import { environmentService } from '../../shared/service.ts';
import { caseStoreFromEnvironment } from '../../shared/stores/case-store.ts';
import { sessionRevocationsFromEnvironment } from '../../shared/stores/session-revocations.ts';
import type { WebService } from '../web/page.ts';
import { pageHandler } from '../web/page-handler.ts';
import { staffMenuPages } from '../web/pages/menu.ts';
import { teamWebPages } from '../web/pages/team-pages.ts';
import { createWebApp } from '../web/router.ts';
import { sessionSecretFromEnvironment } from '../web/session.ts';
import { templateEnvironment } from '../web/views.ts';

/** A port the team pages never use (the notification's drafts, the duplicate check): reaching it is a defect. */
const notHere = (port: string) => (): never => {
  throw new ConfigurationError(
    `The team pages' function has no ${port}: only the web function's pages use it`,
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

const app = createWebApp({
  pages: teamWebPages,
  menuPages: staffMenuPages,
  service: () => service,
  sessions: { secret: () => sessionSecretFromEnvironment(), revocations: () => service.sessions },
  templates: templateEnvironment,
});

/**
 * The partnership team's controls on a running case (the TeamPages routes): the late reason, the
 * notification-only closure, agencies added, changed and removed, returns made by the team, the
 * withdrawal; and the partnership directory. The same router, templates and sessions as the
 * other staff pages' functions; apart, so that no bundle holds every page. The partnership profile is read first.
 */
export const handler = pageHandler('team-web', app);
