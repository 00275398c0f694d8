import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { type Route, routes } from '../routes.ts';
import { type StaffRole, staffRole } from '../schemas/roles.ts';
import { ProblemError, problemResponse } from './problem.ts';

/** The signed-in caller, from the Cognito JWT API Gateway (or the local API) verified. */
export interface Caller {
  id: string;
  roles: StaffRole[];
}

/** What a route's logic receives: parsed, and with the caller already checked against the route. */
export interface ApiRequest {
  event: APIGatewayProxyEventV2WithJWTAuthorizer;
  pathParameters: Record<string, string>;
  headers: Record<string, string | undefined>;
  /** The JSON body, parsed; undefined when there is none. */
  body: unknown;
  /** Present on staff routes. */
  caller: Caller | undefined;
}

export type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type ApiResult = APIGatewayProxyStructuredResultV2;

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

function callerFor(route: Route, event: ApiEvent): Caller | undefined {
  if (route.access.kind !== 'staff') return undefined;
  const claims = (event.requestContext?.authorizer?.jwt?.claims ?? {}) as Record<string, unknown>;
  const id = typeof claims.sub === 'string' ? claims.sub : undefined;
  if (!id) throw new ProblemError(401, 'Unauthorized', 'Sign in to use this service');
  const roles = rolesFromClaims(claims);
  const allowed = route.access.roles as readonly StaffRole[];
  if (!roles.some((role) => allowed.includes(role))) {
    throw new ProblemError(403, 'Forbidden', `This needs one of these roles: ${allowed.join(', ')}`);
  }
  return { id, roles };
}

function parseBody(event: ApiEvent): unknown {
  if (!event.body) return undefined;
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return JSON.parse(text);
  } catch {
    throw new ProblemError(400, 'Invalid request', 'The request body is not valid JSON');
  }
}

function lowerCaseHeaders(headers: Record<string, string | undefined> | undefined) {
  return Object.fromEntries(
    Object.entries(headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
  );
}

/**
 * Wires one function's routes: picks the route the event came in on (by its route key),
 * enforces its roles, parses the body, and turns every error into problem JSON. The logic
 * for each route id comes in `handlers`.
 */
export function apiHandler(
  handlers: Partial<Record<Route['id'], (request: ApiRequest) => Promise<ApiResult>>>,
) {
  return middy<ApiEvent, ApiResult>()
    .use({
      onError: async (request) => {
        request.response = problemResponse(request.error);
      },
    })
    .handler(async (event) => {
      const routeKey = event.routeKey ?? `${event.requestContext?.http?.method} ${event.rawPath}`;
      const route = (routes as readonly Route[]).find(
        (candidate) => `${candidate.method} ${candidate.path}` === routeKey,
      );
      const logic = route ? handlers[route.id as Route['id']] : undefined;
      if (!route || !logic) throw new ProblemError(404, 'Not found', `No route ${routeKey}`);
      const caller = callerFor(route, event);
      return logic({
        event,
        pathParameters: (event.pathParameters ?? {}) as Record<string, string>,
        headers: lowerCaseHeaders(event.headers),
        body: parseBody(event),
        caller,
      });
    });
}
