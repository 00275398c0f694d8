import { documentsFromEnvironment } from '../../shared/adapters/documents.ts';
import { duplicateCheckKeyFromEnvironment } from '../../shared/env.ts';
import { ConfigurationError } from '../../shared/errors.ts';
import { environmentService } from '../../shared/service.ts';
import { caseStoreFromEnvironment } from '../../shared/stores/case-store.ts';
import { sessionRevocationsFromEnvironment } from '../../shared/stores/session-revocations.ts';
import type { WebService } from '../web/page.ts';
import { pageHandler } from '../web/page-handler.ts';
import { homeWebPages } from '../web/pages/home-pages.ts';
import { staffMenuPages } from '../web/pages/menu.ts';
import { createWebApp } from '../web/router.ts';
import { sessionSecretFromEnvironment } from '../web/session.ts';
import { templateEnvironment } from '../web/views.ts';

/** A port the home pages never use (they change nothing): reaching it is a defect. */
const notHere = (port: string) => (): never => {
  throw new ConfigurationError(`The home pages' function has no ${port}: its pages only read`);
};

const service: WebService = environmentService({
  cases: caseStoreFromEnvironment,
  documents: documentsFromEnvironment,
  sessions: sessionRevocationsFromEnvironment,
  workflow: notHere('workflow'),
  mailer: notHere('mailer'),
  drafts: notHere('draft store'),
  // The child's initials are kept on a case only as keyed hashes: a search computes its own.
  duplicateCheckKey: duplicateCheckKeyFromEnvironment,
});

const app = createWebApp({
  pages: homeWebPages,
  menuPages: staffMenuPages,
  service: () => service,
  sessions: { secret: () => sessionSecretFromEnvironment(), revocations: () => service.sessions },
  templates: templateEnvironment,
});

/**
 * Each role's home (the HomePages routes): the partnership team's list of cases, the Rapid Review
 * Group's cases, the scrutineer's list, the notifier's notifications. The same router, templates
 * and sessions as the other staff pages' functions; apart, so that no bundle holds every page. It
 * only reads. The partnership profile is read first.
 */
export const handler = pageHandler('home-web', app);
