import middy, { type MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { partnershipProfileLoaded } from '../../shared/adapters/profile-parameters.ts';
import { logUnexpectedError } from '../../shared/log.ts';
import { answersLogged, observability } from '../../shared/observability.ts';
import type { WebApp } from './router.ts';

type PageEvent = APIGatewayProxyEventV2;
type PageResult = APIGatewayProxyStructuredResultV2;

/**
 * An error before any page ran (the partnership profile could not be read): logged once, with
 * its stack, and thrown on (API Gateway answers 500). Errors of a page itself never get here:
 * the router logs them and answers with the error page.
 */
function unexpectedErrorsLogged(functionName: string): MiddlewareObj<PageEvent, PageResult> {
  return {
    onError: (request) => {
      logUnexpectedError(request.error, { function: functionName, requestId: request.context?.awsRequestId });
    },
  };
}

/**
 * A function serving GOV.UK pages: Powertools' logger, metrics and tracer around it
 * (shared/observability.ts), the partnership profile read first (its name heads every page),
 * then the router (functions/web/router.ts), which keys the log lines by the page's case.
 */
export function pageHandler(functionName: string, app: WebApp) {
  return middy<PageEvent, PageResult>()
    .use(observability<PageEvent, PageResult>())
    .use(answersLogged<PageEvent, PageResult>())
    .use(unexpectedErrorsLogged(functionName))
    .use(partnershipProfileLoaded())
    .handler((event) => app(event));
}
