import { reviewWorkflowFromEnvironment } from '../../shared/adapters/review-workflow.ts';
import { workflowExecutionsFromEnvironment } from '../../shared/adapters/workflow-executions.ts';
import { ConfigurationError } from '../../shared/errors.ts';
import { environmentService } from '../../shared/service.ts';
import { caseStoreFromEnvironment } from '../../shared/stores/case-store.ts';
import { sessionRevocationsFromEnvironment } from '../../shared/stores/session-revocations.ts';
import { pageHandler } from '../web/page-handler.ts';
import { staffMenuPages } from '../web/pages/menu.ts';
import { type OpsWebService, opsWebPages } from '../web/pages/ops.ts';
import { createWebApp } from '../web/router.ts';
import { sessionSecretFromEnvironment } from '../web/session.ts';
import { templateEnvironment } from '../web/views.ts';

/** A port the operations pages never use (documents, email, drafts): reaching it is a defect. */
const notHere = (port: string) => (): never => {
  throw new ConfigurationError(`The operations pages' function has no ${port}: its pages never need it`);
};

const staffPorts = environmentService({
  cases: caseStoreFromEnvironment,
  sessions: sessionRevocationsFromEnvironment,
  // Resuming a failed case starts its fresh execution.
  workflow: reviewWorkflowFromEnvironment,
  documents: notHere('document store'),
  mailer: notHere('mailer'),
  drafts: notHere('draft store'),
  duplicateCheckKey: notHere('duplicate-check key'),
});
// The workflow's executions, read through the Step Functions API: only this function's port.
const service = Object.defineProperty(staffPorts, 'executions', {
  enumerable: true,
  get: workflowExecutionsFromEnvironment,
}) as OpsWebService;

const app = createWebApp({
  pages: opsWebPages,
  menuPages: staffMenuPages,
  service: () => service,
  sessions: { secret: () => sessionSecretFromEnvironment(), revocations: () => service.sessions },
  templates: templateEnvironment,
});

/**
 * The operations pages (the OpsPages routes, issue 12 part 4), for the engineer on call: every
 * execution of the workflow, one execution's way through its graph and history, and resuming a
 * failed case. The same router, templates and sessions as the other staff pages' functions;
 * apart, so that no bundle holds every page. The partnership profile is read first.
 */
export const handler = pageHandler('ops-web', app);
