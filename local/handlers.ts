import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { type FunctionName, type FunctionSpec, functionCatalogue } from '../functions/catalogue.ts';

/** A Lambda handler as the functions export it (middy handlers take the event and a context). */
type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

const loaded = new Map<FunctionName, LambdaHandler>();

/** Lambda's own error names for a function that cannot be loaded, so the workflow sees the same. */
function lambdaError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

function isFunctionName(name: string): name is FunctionName {
  return Object.hasOwn(functionCatalogue, name);
}

/** The file a function's handler lives in: `functions/<name>/handler.ts`. */
export function handlerFile(name: FunctionName): string {
  return fileURLToPath(new URL(`../functions/${name}/handler.ts`, import.meta.url));
}

/**
 * Imports a function's handler the first time it is needed, so the environment the local stack
 * sets is in place before any handler module reads it. A missing file or export fails with
 * Lambda's error names and says which file was expected; it is not cached, so a handler that
 * appears later is picked up on the next call.
 */
async function loadHandler(name: FunctionName): Promise<LambdaHandler> {
  const cached = loaded.get(name);
  if (cached) return cached;
  const file = handlerFile(name);
  if (!existsSync(file)) {
    throw lambdaError('Runtime.ImportModuleError', `Function ${name} has no handler yet: expected ${file}`);
  }
  const module = (await import(pathToFileURL(file).href)) as { handler?: unknown };
  if (typeof module.handler !== 'function') {
    throw lambdaError('Runtime.HandlerNotFound', `${file} does not export a function named handler`);
  }
  const handler = module.handler as LambdaHandler;
  loaded.set(name, handler);
  return handler;
}

function lambdaContext(name: FunctionName, timeoutMs: number): Context {
  const deadline = Date.now() + timeoutMs;
  const requestId = randomUUID();
  const fail = () => {
    throw new Error('The callback-style Lambda API is not used by this service');
  };
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: localFunctionArn(name),
    memoryLimitInMB: '512',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: `local/${requestId}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: fail,
    fail,
    succeed: fail,
  };
}

/** The ARN the local Step Functions service is given for a function (it only needs a name). */
export function localFunctionArn(name: string): string {
  return `arn:aws:lambda:eu-west-2:000000000000:function:${name}`;
}

/** The function name in an ARN from `localFunctionArn`, or the name itself when given one. */
export function functionNameFromArn(nameOrArn: string): string {
  return nameOrArn.startsWith('arn:') ? (nameOrArn.split(':')[6] ?? nameOrArn) : nameOrArn;
}

/**
 * The function's name from a name or an ARN, checked against the catalogue; a name it does not
 * list fails as Lambda's ResourceNotFoundException.
 */
export function catalogueFunction(nameOrArn: string): FunctionName {
  const name = functionNameFromArn(nameOrArn);
  if (!isFunctionName(name)) {
    throw lambdaError(
      'ResourceNotFoundException',
      `Function not found: ${name} is not in functions/catalogue.ts`,
    );
  }
  return name;
}

/**
 * The variable through which the local stack holds every function to one timeout, in seconds
 * (`LocalStackOptions.functionTimeoutSeconds`); the pool and its workers share it.
 */
export const functionTimeoutVariable = 'LOCAL_FUNCTION_TIMEOUT_SECONDS';

/**
 * A function's timeout from the catalogue, in milliseconds (Lambda's default here: 30 s), unless
 * the stack holds every function to another ({@link functionTimeoutVariable}).
 */
export function timeoutOf(name: FunctionName): number {
  const override = Number(process.env[functionTimeoutVariable]);
  if (Number.isFinite(override) && override > 0) return override * 1000;
  const spec: FunctionSpec = functionCatalogue[name];
  return (spec.timeoutSeconds ?? 30) * 1000;
}

/**
 * Runs a function's handler in this thread as Lambda would run it: the payload and result pass
 * through JSON (so nothing but JSON crosses the boundary), the context says how long is left,
 * and a thrown error keeps its `.name` (Lambda's `errorType`, which Step Functions matches in
 * Retry and Catch). The worker threads of local/handler-workers.ts call this, with a name the
 * pool has already checked against the catalogue; the timeout itself is kept by the caller, as
 * Lambda keeps it outside the function.
 */
export async function runHandler(nameOrArn: string, payload: unknown): Promise<unknown> {
  const name = catalogueFunction(nameOrArn);
  const handler = await loadHandler(name);
  const event = JSON.parse(JSON.stringify(payload ?? null)) as unknown;
  const result = await handler(event, lambdaContext(name, timeoutOf(name)));
  return result === undefined ? null : (JSON.parse(JSON.stringify(result)) as unknown);
}

/** An error as Lambda reports it, by name: what crosses from a worker thread back to the stack. */
export function lambdaErrorFrom(reported: { name: string; message: string; stack?: string }): Error {
  const error = lambdaError(reported.name, reported.message);
  if (reported.stack) error.stack = reported.stack;
  return error;
}
