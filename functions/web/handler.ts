import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { documentsFromEnvironment } from '../../shared/adapters/documents.ts';
import { partnershipProfileLoaded } from '../../shared/adapters/profile-parameters.ts';
import { reviewWorkflowFromEnvironment } from '../../shared/adapters/review-workflow.ts';
import { uploadFormsFromEnvironment } from '../../shared/adapters/upload-forms.ts';
import { environmentService } from '../../shared/service.ts';
import { caseStoreFromEnvironment } from '../../shared/stores/case-store.ts';
import { draftStoreFromEnvironment } from '../../shared/stores/draft-store.ts';
import type { WebService } from './page.ts';
import { pages } from './pages/index.ts';
import { createWebApp } from './router.ts';
import { sessionSecretFromEnvironment } from './session.ts';
import { templateEnvironment } from './views.ts';

const service: WebService = environmentService({
  cases: caseStoreFromEnvironment,
  drafts: draftStoreFromEnvironment,
  documents: documentsFromEnvironment,
  uploadForms: uploadFormsFromEnvironment,
  workflow: reviewWorkflowFromEnvironment,
});

const app = createWebApp({
  pages,
  service: () => service,
  sessionSecret: () => sessionSecretFromEnvironment(),
  templates: templateEnvironment,
});

/** Every path that is not /api/ (the WebPages and StartPage routes): GOV.UK pages and their assets, the partnership profile read first. */
export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(partnershipProfileLoaded())
  .handler((event) => app(event));
