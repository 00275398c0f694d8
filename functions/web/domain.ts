import { dynamoDocumentClient, sfnClient } from '../../shared/adapters/aws-clients.ts';
import { requireEnv } from '../../shared/env.ts';
import { DomainError } from '../../shared/errors.ts';
import type { ApiEvent, ApiRequest, ApiResult } from '../../shared/http/api-handler.ts';
import { type InvalidField, ProblemError, problemResponse } from '../../shared/http/problem.ts';
import { DynamoDbCaseStore } from '../../shared/stores/case-store.ts';
import type { WebRequest } from './page.ts';

/**
 * How pages use the domain: the same logic functions the JSON API runs (functions/<name>/*.ts,
 * each `(service, ports, request: ApiRequest) => Promise<ApiResult>`), called in process with
 * the signed-in person as the caller, so a page and its API route cannot disagree on the rules.
 */

/** A logic function with its service and ports already given: `(api) => showCase(request.service, webPorts, api)`. */
export type Logic = (request: ApiRequest) => Promise<ApiResult>;

/** What the logic answered: its JSON body, or the problem it reported (with one message per bad field). */
export type LogicAnswer<T = unknown> =
  | { ok: true; status: number; body: T; headers: Record<string, string> }
  | { ok: false; status: number; title: string; detail: string; errors: InvalidField[] };

/** What to hand the logic besides the caller. */
export interface LogicInput {
  pathParameters?: Record<string, string>;
  /** The JSON body the API route would have received (build it from `request.form`). */
  body?: unknown;
  /** Extra request headers (lower-case names), e.g. `idempotency-key`. */
  headers?: Record<string, string>;
}

/**
 * Runs a logic function for a page. Problems the logic reports (ProblemError, DomainError:
 * invalid fields, not found, conflict) come back as `{ ok: false, ... }` for the page to show;
 * anything else is thrown on, so the router answers with its 500 page.
 */
export async function callLogic<T = unknown>(
  request: WebRequest,
  logic: Logic,
  input: LogicInput = {},
): Promise<LogicAnswer<T>> {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(request.event.headers ?? {}))
    headers[name.toLowerCase()] = value;
  Object.assign(headers, input.headers ?? {});
  const apiRequest: ApiRequest = {
    event: request.event as ApiEvent,
    pathParameters: input.pathParameters ?? request.params,
    headers,
    body: input.body,
    caller: request.user ? { id: request.user.id, roles: [...request.user.roles] } : undefined,
  };
  let result: ApiResult;
  try {
    result = await logic(apiRequest);
  } catch (error) {
    if (!(error instanceof ProblemError) && !(error instanceof DomainError)) throw error;
    if (error instanceof DomainError && error.status >= 500) throw error;
    const problem = JSON.parse(problemResponse(error).body ?? '{}') as {
      status: number;
      title: string;
      detail: string;
      errors?: InvalidField[];
    };
    return {
      ok: false,
      status: problem.status,
      title: problem.title,
      detail: problem.detail,
      errors: problem.errors ?? [],
    };
  }
  const text = result.isBase64Encoded
    ? Buffer.from(result.body ?? '', 'base64').toString('utf8')
    : result.body;
  return {
    ok: true,
    status: result.statusCode ?? 200,
    body: (text ? JSON.parse(text) : undefined) as T,
    headers: Object.fromEntries(
      Object.entries(result.headers ?? {}).map(([name, value]) => [name.toLowerCase(), String(value)]),
    ),
  };
}

let idempotency: DynamoDbCaseStore | undefined;

/**
 * The ports the logic functions take besides the service (IntakePorts, ShowCasePorts,
 * RecordDecisionPorts all fit it): the workflow's Step Functions client and ARN, and the
 * store of idempotency keys. Made when first used, once per container.
 */
export const webPorts = {
  get stepFunctions() {
    return sfnClient();
  },
  stateMachineArn: (): string => requireEnv('stateMachineArn'),
  get idempotency() {
    idempotency ??= new DynamoDbCaseStore(dynamoDocumentClient(), requireEnv('tableName'));
    return idempotency;
  },
};
