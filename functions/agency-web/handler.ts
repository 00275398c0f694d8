import { mailerFromEnvironment } from '../../shared/adapters/mailer.ts';
import { uploadFormsFromEnvironment } from '../../shared/adapters/upload-forms.ts';
import { environmentService } from '../../shared/service.ts';
import { caseStoreFromEnvironment } from '../../shared/stores/case-store.ts';
import { pageHandler } from '../web/page-handler.ts';
import { createWebApp } from '../web/router.ts';
import { templateEnvironment } from '../web/views.ts';
import { type AgencyWebService, agencyPages } from './pages.ts';
import { agencyReturnPages } from './return-pages.ts';

/**
 * The agency return pages (`/agency/{token}`, `/agency/{token}/uploaded` and the structured
 * return under `/agency/{token}/return`: the Agency…Page routes), apart from the staff pages:
 * anyone holding an agency's link reaches them, so this function holds only what they need (read
 * the case table, sign an upload form, record a return with its draft and receipt) and no session
 * key: nobody is signed in here, and it cannot read or write staff data (staff drafts, documents,
 * the workflow). It renders with the web function's page framework and templates.
 */
const service: AgencyWebService = environmentService({
  cases: caseStoreFromEnvironment,
  uploadForms: uploadFormsFromEnvironment,
  mailer: mailerFromEnvironment,
});

const app = createWebApp<AgencyWebService>({
  pages: [...agencyPages, ...agencyReturnPages],
  service: () => service,
  templates: templateEnvironment,
});

/** The partnership profile (its name heads every page) is read first. */
export const handler = pageHandler('agency-web', app);
