/**
 * What Lambda's Node.js runtime does around each invocation that the functions' logs depend on,
 * for the local stack's handler workers (local/handler-worker.ts):
 *
 * - Lambda takes whatever a function writes to standard output and standard error as its log
 *   lines, into the function's own log group, JSON lines as they are and any other line wrapped
 *   as JSON. Here each invocation's lines go to `<logDirectory>/<function>.log` in the same shape.
 * - A worker runs several invocations at once, of any function, as a Lambda execution
 *   environment with `AWS_LAMBDA_MAX_CONCURRENCY` does; the runtime then gives each invocation
 *   its own store (its `InvokeStore`), in which Powertools keeps each invocation's log keys and
 *   metrics apart. Here the same store is made with an AsyncLocalStorage.
 */

import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** The variable that tells Powertools invocations share the environment (and to use the runtime's store). */
export const maxConcurrencyVariable = 'AWS_LAMBDA_MAX_CONCURRENCY';

type InvocationContext = Record<string | symbol, unknown>;

/** Where the runtime keeps the request id; Powertools reads the store's other keys by symbols of its own. */
const REQUEST_ID = Symbol.for('_AWS_LAMBDA_REQUEST_ID');
const FUNCTION_NAME = Symbol('local function name');

const invocations = new AsyncLocalStorage<InvocationContext>();

/** The runtime's per-invocation store, as `@aws/lambda-invoke-store` defines it, on `globalThis.awslambda`. */
const invokeStore = {
  getContext: () => invocations.getStore(),
  hasContext: () => invocations.getStore() !== undefined,
  get: (key: string | symbol) => invocations.getStore()?.[key],
  set: (key: string | symbol, value: unknown) => {
    const context = invocations.getStore();
    if (!context) throw new Error('No invocation is running');
    context[key] = value;
  },
  run: <T>(context: InvocationContext, work: () => T): T => invocations.run(context, work),
  getRequestId: () => String(invocations.getStore()?.[REQUEST_ID] ?? '-'),
  getXRayTraceId: () => undefined,
  getTenantId: () => undefined,
};

/**
 * Installs the per-invocation store in this thread and, given a directory, sends what each
 * invocation writes to its function's log file there. Lines written outside an invocation go
 * where they would have gone.
 */
export function installInvocationRuntime(logDirectory: string | undefined): void {
  const global = globalThis as { awslambda?: Record<string, unknown> };
  global.awslambda = { ...global.awslambda, InvokeStore: invokeStore };
  if (!logDirectory) return;
  mkdirSync(logDirectory, { recursive: true });
  for (const [stream, level] of [
    [process.stdout, 'INFO'],
    [process.stderr, 'ERROR'],
  ] as const) {
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      const context = invocations.getStore();
      const functionName = context?.[FUNCTION_NAME];
      if (typeof functionName !== 'string') return write(chunk, ...rest);
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
      appendFileSync(join(logDirectory, `${functionName}.log`), jsonLines(text, level, context));
      const callback = rest.find((argument) => typeof argument === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    }) as typeof stream.write;
  }
}

/** Each line as a JSON line: a JSON object as it is, anything else as Lambda wraps it. */
function jsonLines(text: string, level: 'INFO' | 'ERROR', context: InvocationContext | undefined): string {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      if (line.startsWith('{')) {
        try {
          JSON.parse(line);
          return `${line}\n`;
        } catch {
          // Not JSON after all: wrapped below.
        }
      }
      const requestId = context?.[REQUEST_ID];
      return `${JSON.stringify({ timestamp: new Date().toISOString(), level, requestId, message: line })}\n`;
    })
    .join('');
}

/** Runs one invocation of `functionName` in a store of its own, its lines going to its log file. */
export function asInvocation<T>(functionName: string, work: () => T): T {
  return invocations.run({ [REQUEST_ID]: randomUUID(), [FUNCTION_NAME]: functionName }, work);
}
