import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { MiddlewareObj } from '@middy/core';
import { logger, logInfo, serviceName } from './log.ts';
import { metrics } from './metrics.ts';

/**
 * X-Ray traces of every function (on AWS only: Powertools turns tracing off outside Lambda).
 * Neither a handler's response nor an error's message goes into a trace: both may hold personal
 * data (a page, a case); the function sets POWERTOOLS_TRACER_CAPTURE_ERROR to false, and
 * `observability` passes `captureResponse: false`.
 */
export const tracer = new Tracer({ serviceName });

/**
 * Powertools for AWS Lambda around a handler, outermost first, as every handler wrapper
 * (shared/http/api-handler.ts, shared/workflow/task-handler.ts, functions/web/page-handler.ts,
 * and the upload and schedule handlers) uses them: the invocation traced; the metrics it
 * counted published when it ends, failed or not; and the log lines it writes carrying the
 * invocation (function, request id, cold start) and the keys it appends (`appendLogKeys`),
 * which are cleared when it ends. Each wrapper's own error middleware, used after these, logs an
 * unexpected error once, while the invocation's keys are still on the logger.
 */
export function observability<Event, Result>(): MiddlewareObj<Event, Result>[] {
  return [
    captureLambdaHandler(tracer, { captureResponse: false }) as MiddlewareObj<Event, Result>,
    logMetrics(metrics) as MiddlewareObj<Event, Result>,
    injectLambdaContext(logger, { clearState: true }) as MiddlewareObj<Event, Result>,
  ];
}

/**
 * One line per HTTP request answered, with its status, under the keys the route appended (its
 * route or page, its case): never its path, which may hold an agency's link. Used right after
 * `observability`, so it sees the answer an error was turned into.
 */
export function answersLogged<Event, Result extends { statusCode?: number } | undefined>(): MiddlewareObj<
  Event,
  Result
> {
  const answered = (request: { response: Result | undefined | null }) =>
    logInfo('Answered', { status: request.response?.statusCode });
  return { after: answered, onError: answered };
}
