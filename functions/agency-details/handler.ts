import { documentsFromEnvironment } from '../../shared/adapters/documents.ts';
import { mailerFromEnvironment } from '../../shared/adapters/mailer.ts';
import { environmentService } from '../../shared/service.ts';
import { agencyDetailsCodesFromEnvironment } from '../../shared/stores/agency-details-codes.ts';
import { caseStoreFromEnvironment } from '../../shared/stores/case-store.ts';
import { pageHandler } from '../web/page-handler.ts';
import { createWebApp } from '../web/router.ts';
import { templateEnvironment } from '../web/views.ts';
import {
  type AgencyDetailsService,
  agencyDetailsPages,
  agencyDetailsSecretFromEnvironment,
} from './pages.ts';

/**
 * The agency details pages (`/agency/{token}/details...`): the child's identifying details,
 * shown only once the agency's contact has entered a code emailed to the addressed mailbox.
 * Apart from agency-web so that function still reads no documents and sends no email; this one
 * holds its own key (AGENCY_DETAILS_SECRET: CSRF tokens and the proof cookie), no session key.
 */
const service: AgencyDetailsService = environmentService({
  cases: caseStoreFromEnvironment,
  agencyDetailsCodes: agencyDetailsCodesFromEnvironment,
  documents: documentsFromEnvironment,
  mailer: mailerFromEnvironment,
});

const app = createWebApp({
  pages: agencyDetailsPages(() => agencyDetailsSecretFromEnvironment()),
  service: () => service,
  formSecret: () => agencyDetailsSecretFromEnvironment(),
  templates: templateEnvironment,
});

export const handler = pageHandler('agency-details', app);
