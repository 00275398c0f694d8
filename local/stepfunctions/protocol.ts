import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import * as z from 'zod';

/**
 * The wire protocol `@aws-sdk/client-sfn` speaks: AWS JSON 1.0. Every call is a POST to `/`
 * naming its operation in `X-Amz-Target: AWSStepFunctions.<Operation>`, with a JSON body;
 * timestamps travel as epoch seconds; errors are HTTP 4xx/5xx with `{ "__type", "message" }`,
 * which the SDK turns into an exception whose `name` is the `__type`.
 */

const TARGET_PREFIX = 'AWSStepFunctions.';
const CONTENT_TYPE = 'application/x-amz-json-1.0';
const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** An error the API answers with, as AWS names it (`ExecutionAlreadyExists`, `TaskTimedOut`, …). */
export class ServiceError extends Error {
  readonly type: string;
  readonly status: number;

  constructor(type: string, message: string, status = 400) {
    super(message);
    this.name = type;
    this.type = type;
    this.status = status;
  }
}

/** One operation: takes the parsed request body, returns the response body (Dates become epoch seconds). */
export type Operation = (body: unknown) => unknown;

/** An HTTP server answering the given operations in AWS JSON 1.0. */
export function createJsonProtocolServer(operations: Readonly<Record<string, Operation>>): Server {
  return createServer((request, response) => {
    void answer(operations, request, response);
  });
}

async function answer(
  operations: Readonly<Record<string, Operation>>,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const target = request.headers['x-amz-target'];
  const operationName =
    typeof target === 'string' && target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
  try {
    if (request.method !== 'POST')
      throw new ServiceError('UnknownOperationException', 'Only POST is supported');
    const operation = Object.hasOwn(operations, operationName) ? operations[operationName] : undefined;
    if (!operation) {
      throw new ServiceError(
        'UnknownOperationException',
        `Operation ${operationName || '(none)'} is not supported`,
      );
    }
    const body = await readJson(request);
    send(response, 200, await operation(body));
  } catch (error) {
    if (error instanceof ServiceError) {
      send(response, error.status, { __type: error.type, message: error.message });
    } else if (error instanceof z.ZodError) {
      send(response, 400, { __type: 'ValidationException', message: describeIssues(error) });
    } else {
      // Only the operation name: request bodies can hold task tokens.
      console.error(`Local Step Functions: ${operationName} failed`, error);
      send(response, 500, { __type: 'InternalFailure', message: 'The local Step Functions service failed' });
    }
  }
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new ServiceError('ValidationException', 'Request body too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new ServiceError('SerializationException', 'Request body is not valid JSON');
  }
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body ?? {}, function (this: Record<string, unknown>, key, value) {
    // `value` is already Date.toJSON()'s string; the holder still has the Date.
    const raw = this[key];
    return raw instanceof Date ? raw.getTime() / 1000 : value;
  });
  response.writeHead(status, {
    'content-type': CONTENT_TYPE,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
  });
  response.end(text);
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; ');
}
