import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { serviceFromEnvironment } from '../../shared/service.ts';
import { pages } from './pages/index.ts';
import { createWebApp } from './router.ts';
import { sessionSecretFromEnvironment } from './session.ts';
import { templateEnvironment } from './views.ts';

const app = createWebApp({
  pages,
  service: serviceFromEnvironment,
  sessionSecret: () => sessionSecretFromEnvironment(),
  templates: templateEnvironment,
});

/** Every path that is not /api/ (the WebPages and StartPage routes): GOV.UK pages and their assets. */
export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>().handler((event) =>
  app(event),
);
