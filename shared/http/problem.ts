import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { DomainError, type DomainErrorKind, type InvalidField, InvalidInputError } from '../errors.ts';
import { isTransient } from '../workflow/task-handler.ts';

export type { InvalidField } from '../errors.ts';

/**
 * A problem that belongs to HTTP itself (a body that is not JSON, a malformed header, a route
 * that does not exist) and answers as RFC 9457 problem JSON. Refusals of the domain are
 * DomainErrors; the table below gives their statuses.
 */
export class ProblemError extends Error {
  override readonly name = 'ProblemError';
  readonly status: number;
  readonly title: string;
  readonly errors: InvalidField[] | undefined;

  constructor(status: number, title: string, detail: string, errors?: InvalidField[]) {
    super(detail);
    this.status = status;
    this.title = title;
    this.errors = errors;
  }
}

/** The HTTP status each kind of domain refusal answers with: the one place the two meet. */
export const statusOfKind: Record<DomainErrorKind, number> = {
  'invalid-input': 400,
  'not-signed-in': 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  refused: 422,
  unavailable: 503,
};

/** What a problem JSON body holds. */
export interface Problem {
  status: number;
  title: string;
  detail: string;
  errors?: InvalidField[];
}

/**
 * The problem an error answers with, or undefined for an error nobody expected (a defect, an
 * outage): those answer 500 without their message, which may hold data, and are logged.
 */
export function expectedProblem(error: unknown): Problem | undefined {
  if (error instanceof ProblemError) {
    return {
      status: error.status,
      title: error.title,
      detail: error.message,
      ...(error.errors ? { errors: error.errors } : {}),
    };
  }
  if (error instanceof DomainError) {
    return {
      status: statusOfKind[error.kind],
      title: error.title,
      detail: error.message,
      ...(error instanceof InvalidInputError ? { errors: error.fields } : {}),
    };
  }
  return undefined;
}

/** The answer to an unexpected error. */
export const internalProblem: Problem = {
  status: 500,
  title: 'Internal error',
  detail: 'Something went wrong on our side. The partnership team has been told; try again later.',
};

export function json(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}

/**
 * The answer to an outage: a store or service that could not be reached, or refused for now
 * (the same failures a workflow task retries). Nothing the caller did was wrong, so it is told
 * to try again rather than that something broke.
 */
export const unavailableProblem: Problem = {
  status: 503,
  title: 'Service unavailable',
  detail: 'The service cannot do this just now. Nothing was lost; try again in a minute.',
};

/**
 * Maps any error to problem JSON: expected ones with their status and message, an outage 503
 * with Retry-After, anything else 500.
 */
export function problemResponse(error: unknown): APIGatewayProxyStructuredResultV2 {
  const problem = expectedProblem(error) ?? (isTransient(error) ? unavailableProblem : internalProblem);
  return {
    statusCode: problem.status,
    headers: {
      'content-type': 'application/problem+json',
      'cache-control': 'no-store',
      ...(problem === unavailableProblem ? { 'retry-after': '60' } : {}),
    },
    body: JSON.stringify({ type: 'about:blank', ...problem }),
  };
}
