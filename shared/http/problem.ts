import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { z } from 'zod';
import { DomainError } from '../errors.ts';

/** One invalid field in a request: its dotted path and what is wrong. */
export interface InvalidField {
  field: string;
  message: string;
}

/** An error that answers as RFC 9457 problem JSON. */
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

/** Turns zod issues into one message per field, named by dotted path (`children.0.name`). */
export function invalidFields(error: z.ZodError): InvalidField[] {
  return error.issues.map((issue) => ({
    field: issue.path.map(String).join('.') || '(body)',
    message: issue.message,
  }));
}

/** Validates a value against a schema, answering 400 naming every bad field when it fails. */
export function parseOrProblem<T extends z.ZodType>(schema: T, value: unknown, what = 'request'): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const errors = invalidFields(result.error);
    throw new ProblemError(
      400,
      'Invalid request',
      `The ${what} has ${errors.length} invalid field(s)`,
      errors,
    );
  }
  return result.data;
}

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

/** Maps any error to problem JSON. Unknown errors answer 500 without their message, which may hold data. */
export function problemResponse(error: unknown): APIGatewayProxyStructuredResultV2 {
  let status = 500;
  let title = 'Internal error';
  let detail = 'Something went wrong on our side. The partnership team has been told; try again later.';
  let errors: InvalidField[] | undefined;
  if (error instanceof ProblemError) {
    ({ status, title, errors } = error);
    detail = error.message;
  } else if (error instanceof DomainError) {
    status = error.status;
    title = error.name;
    detail = error.message;
  }
  return {
    statusCode: status,
    headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store' },
    body: JSON.stringify({ type: 'about:blank', title, status, detail, ...(errors ? { errors } : {}) }),
  };
}
