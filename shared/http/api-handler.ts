import middy, { type MiddlewareObj } from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpRouterHandler, { type Route as MiddyRoute } from '@middy/http-router';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { partnershipProfileLoaded } from '../adapters/profile-parameters.ts';
import { ForbiddenError, NotSignedInError } from '../errors.ts';
import { appendLogKeys, logUnexpectedError } from '../log.ts';
import { answersLogged, observability } from '../observability.ts';
import { type Route, routes } from '../routes.ts';
import { type StaffMember, type StaffRole, staffRole } from '../schemas/roles.ts';
import { hasMalformedPercentEncoding, malformedPathField } from './paths.ts';
import { expectedProblem, ProblemError, problemResponse } from './problem.ts';

export type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type ApiResult = APIGatewayProxyStructuredResultV2;
export type RouteId = (typeof routes)[number]['id'];

/** What a route's endpoint receives: parsed, and with the caller already checked against the route. */
export interface ApiRequest {
  event: ApiEvent;
  pathParameters: Record<string, string>;
  /** Header names in lower case. */
  headers: Record<string, string | undefined>;
  /** The JSON body, parsed; undefined when there is none. */
  body: unknown;
  /** The signed-in caller, on staff routes. */
  caller: StaffMember | undefined;
}

/** Maps one route's HTTP request to its use case and the use case's answer back to HTTP. */
export type Endpoint = (request: ApiRequest) => Promise<ApiResult>;

/**
 * Cognito puts groups in `cognito:groups`; API Gateway HTTP APIs hand array claims to Lambda
 * as a string like "[notifier rrg-chair]". Both shapes are read.
 */
function rolesFromClaims(claims: Record<string, unknown>): StaffRole[] {
  const raw = claims['cognito:groups'];
  const names = Array.isArray(raw)
    ? raw.map(String)
    : typeof raw === 'string'
      ? raw
          .replace(/^\[|\]$/g, '')
          .split(/[\s,]+/)
          .filter(Boolean)
      : [];
  return names.flatMap((name) => {
    const parsed = staffRole.safeParse(name);
    return parsed.success ? [parsed.data] : [];
  });
}

/** The signed-in caller of a staff route, holding one of its roles; 401 or 403 otherwise. */
function callerFor(route: Route, event: ApiEvent): StaffMember | undefined {
  if (route.access.kind !== 'staff') return undefined;
  const claims = (event.requestContext?.authorizer?.jwt?.claims ?? {}) as Record<string, unknown>;
  const id = typeof claims.sub === 'string' ? claims.sub : undefined;
  if (!id) throw new NotSignedInError();
  const roles = rolesFromClaims(claims);
  const allowed = route.access.roles as readonly StaffRole[];
  if (!roles.some((role) => allowed.includes(role))) {
    throw new ForbiddenError(`This needs one of these roles: ${allowed.join(', ')}`);
  }
  const name =
    typeof claims.name === 'string' && claims.name
      ? claims.name
      : typeof claims.email === 'string' && claims.email
        ? claims.email
        : undefined;
  const email = typeof claims.email === 'string' && claims.email ? claims.email : undefined;
  return { id, roles, ...(name ? { name } : {}), ...(email ? { email } : {}) };
}

function parseBody(event: ApiEvent): unknown {
  if (!event.body) return undefined;
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return JSON.parse(text);
  } catch {
    throw new ProblemError(400, 'Invalid request', 'The request body is not valid JSON', [
      { field: '(body)', message: 'Not valid JSON' },
    ]);
  }
}

/**
 * Every error becomes problem JSON (RFC 9457): an expected one (a domain refusal, a problem of
 * the request itself, a route that does not exist) with its status and message; anything else
 * is logged once, with its stack, and answers 500 without its message.
 */
export function problemResponses(functionName: string): MiddlewareObj<ApiEvent, ApiResult> {
  return {
    onError: (request) => {
      const error = request.error;
      const routeMissing = (error as { statusCode?: number } | null)?.statusCode === 404;
      if (routeMissing) {
        const path = request.event.requestContext?.http?.path ?? request.event.rawPath;
        request.response = problemResponse(new ProblemError(404, 'Not found', `No route ${path}`));
        return;
      }
      if (!expectedProblem(error)) {
        logUnexpectedError(error, {
          function: functionName,
          route: request.event.routeKey,
          requestId: request.context?.awsRequestId,
        });
      }
      request.response = problemResponse(error);
    },
  };
}

/** A path whose percent-encoding does not decode is a malformed request: 400 before any route runs. */
function refuseMalformedPaths(): MiddlewareObj<ApiEvent, ApiResult> {
  return {
    before: (request) => {
      const path = request.event.rawPath ?? request.event.requestContext?.http?.path ?? '';
      if (hasMalformedPercentEncoding(path)) {
        throw new ProblemError(400, 'Invalid request', malformedPathField.message, [
          { ...malformedPathField },
        ]);
      }
    },
  };
}

/**
 * Wires one function's routes from the route table (shared/routes.ts): Powertools' logger,
 * metrics and tracer around it (shared/observability.ts), headers normalised to
 * lower case, the route matched by method and path (middy's http-router), its roles enforced,
 * the JSON body parsed, and every error turned into problem JSON. The partnership profile is
 * read from Parameter Store first (cached for a minute).
 */
export function apiHandler(functionName: string, endpoints: Partial<Record<RouteId, Endpoint>>) {
  const served = (routes as readonly Route[]).flatMap((route): MiddyRoute<ApiEvent, ApiResult>[] => {
    const endpoint = endpoints[route.id as RouteId];
    if (!endpoint || route.method === 'ANY') return [];
    return [
      {
        method: route.method,
        path: route.path,
        handler: (event: ApiEvent) => {
          // The case's id when the path names one; never the path itself, which may hold an agency's link.
          appendLogKeys({ route: route.id, caseId: event.pathParameters?.caseId });
          // Who is asking before what they sent: a stranger learns nothing from a body's faults.
          const caller = callerFor(route, event);
          return endpoint({
            event,
            pathParameters: (event.pathParameters ?? {}) as Record<string, string>,
            headers: event.headers ?? {},
            body: parseBody(event),
            caller,
          });
        },
      },
    ];
  });
  if (served.length !== Object.keys(endpoints).length) {
    throw new Error(`${functionName}: an endpoint is given for a route the route table does not list`);
  }
  return middy<ApiEvent, ApiResult>()
    .use(observability<ApiEvent, ApiResult>())
    .use(answersLogged<ApiEvent, ApiResult>())
    .use(httpHeaderNormalizer())
    .use(problemResponses(functionName))
    .use(refuseMalformedPaths())
    .use(partnershipProfileLoaded())
    .handler(httpRouterHandler<ApiEvent, ApiResult>(served));
}
