import middy, { type MiddlewareObj } from '@middy/core';
import { partnershipProfileLoaded } from '../adapters/profile-parameters.ts';
import { DomainError } from '../errors.ts';
import { withInvocation } from '../invocation.ts';
import { appendLogKeys, type LogKeys, logInfo, logUnexpectedError } from '../log.ts';
import { observability } from '../observability.ts';
import type * as z from '../schemas/zod.ts';

/** The payload did not match the task's schema: a defect in the ASL, never retried. */
export class InvalidTaskPayloadError extends Error {
  override readonly name = 'InvalidTaskPayload';
}

/** The task's result did not match its contract: a defect in the task, never retried. */
export class InvalidTaskResultError extends Error {
  override readonly name = 'InvalidTaskResult';
}

/**
 * A failure worth trying again (throttling, a timeout, a dropped connection, a server error, a
 * write that lost a race), whatever the service that failed called it. The ASL names this one
 * error in each task's Retry, instead of every SDK's list of names; the message keeps the
 * original name.
 */
export class TransientError extends Error {
  override readonly name = 'Transient';
}

/** Error names AWS services and the SDK use for a failure that may pass if tried again. */
const transientNames = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'TransactionConflictException',
  'TransactionInProgressException',
  'InternalServerError',
  'InternalFailure',
  'InternalError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'SlowDown',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  'AbortError',
  'StaleWrite',
]);

/** Network failures Node reports by code. */
const transientCodes = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Whether an error is worth retrying: by name, by the SDK's own judgement, by HTTP status, by network code. */
export function isTransient(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (transientNames.has(error.name)) return true;
  const details = error as Error & {
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: number };
    code?: unknown;
  };
  if (details.$retryable) return true;
  const status = details.$metadata?.httpStatusCode;
  if (typeof status === 'number' && (status >= 500 || status === 429)) return true;
  return typeof details.code === 'string' && transientCodes.has(details.code);
}

/**
 * What every task does with an error, once: a transient one becomes `Transient` (retried), a
 * domain error goes to the ASL as it is (it is caught by name), anything else is logged with its
 * stack and goes on unchanged (caught as a failure).
 */
export function taskErrors(task: string): MiddlewareObj<unknown, unknown> {
  return {
    onError: (request) => {
      const error = request.error;
      if (isTransient(error)) {
        request.error = new TransientError(`${error?.name ?? 'Error'}: ${error?.message ?? ''}`, {
          cause: error,
        });
        return;
      }
      if (error instanceof DomainError) return;
      const caseId = (request.event as { caseId?: unknown } | null)?.caseId;
      logUnexpectedError(error, { task, ...(typeof caseId === 'string' ? { caseId } : {}) });
    },
  };
}

/**
 * The case (or the local review), the execution and the step a task runs for, as keys on every
 * line it logs: the rapid-review state machine hands each task its case id, its execution's ARN
 * (`$$.Execution.Id`) and its state's name (`$$.State.Name`); the local-review one its review id. Read before the payload is checked, so a payload that fails its check
 * is still logged under its case.
 */
function workflowLogKeys(): MiddlewareObj<unknown, unknown> {
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return {
    before: (request) => {
      const event = (request.event ?? {}) as {
        caseId?: unknown;
        reviewId?: unknown;
        execution?: unknown;
        step?: unknown;
      };
      appendLogKeys({
        caseId: text(event.caseId),
        reviewId: text(event.reviewId),
        execution: text(event.execution),
        step: text(event.step),
      });
    },
  };
}

/** `value` parsed by `schema`, or `failure` naming every field that does not match. */
function checked(
  schema: z.ZodMiniType,
  value: unknown,
  failure: (fields: string) => Error,
  whole: string,
): unknown {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw failure(parsed.error.issues.map((issue) => issue.path.join('.') || whole).join(', '));
}

/** The input checked against the task's payload schema before the logic runs, the output against its result schema before the state machine sees it. */
function validatedContract(
  contract: TaskContract<z.ZodMiniType, z.ZodMiniType>,
): MiddlewareObj<unknown, unknown> {
  return {
    before: (request) => {
      request.event = checked(
        contract.payload,
        request.event,
        (fields) => new InvalidTaskPayloadError(`Task payload invalid at: ${fields}`),
        '(payload)',
      );
    },
    after: (request) => {
      request.response = checked(
        contract.result,
        request.response,
        (fields) => new InvalidTaskResultError(`Task result invalid at: ${fields}`),
        '(result)',
      );
    },
  };
}

/** The fields of a task's result that are a string, a number or a boolean. */
function scalarsOf(result: unknown): LogKeys {
  if (typeof result !== 'object' || result === null) return {};
  return Object.fromEntries(
    Object.entries(result).filter(([, value]) => ['string', 'number', 'boolean'].includes(typeof value)),
  ) as LogKeys;
}

/** A workflow task's two schemas (shared/workflow/contracts.ts). */
export interface TaskContract<P extends z.ZodMiniType, R extends z.ZodMiniType> {
  payload: P;
  result: R;
}

/**
 * Wires a workflow task: Powertools' logger, metrics and tracer around it (shared/observability.ts),
 * its lines keyed by case, execution and step; the payload the state machine hands it is validated by its schema, the
 * logic runs, and its result is validated by its schema before the state machine sees it. Errors
 * are thrown, never turned into results, so the ASL can retry transient ones and catch domain
 * ones by name. Once the payload is valid, the partnership profile is read from Parameter Store
 * (cached for a minute; a failure to reach it is transient). The logic runs within its invocation
 * (`shared/invocation.ts`), so the mailer's claims last as long as the invocation can.
 */
export function taskHandler<P extends z.ZodMiniType, R extends z.ZodMiniType>(
  task: string,
  contract: TaskContract<P, R>,
  logic: (payload: z.infer<P>) => Promise<z.infer<R>>,
) {
  return middy<z.infer<P>, z.infer<R>>()
    .use(observability<z.infer<P>, z.infer<R>>())
    .use(workflowLogKeys() as MiddlewareObj<z.infer<P>, z.infer<R>>)
    .use(taskErrors(task) as MiddlewareObj<z.infer<P>, z.infer<R>>)
    .use(validatedContract(contract) as MiddlewareObj<z.infer<P>, z.infer<R>>)
    .use(partnershipProfileLoaded<z.infer<P>, z.infer<R>>())
    .handler(async (payload, context) => {
      const result = await withInvocation(context, () => logic(payload));
      // One line per step done, with what it answered: ids, counts, times and outcomes only (contracts.ts).
      logInfo('Step done', { task, ...scalarsOf(result) });
      return result;
    });
}

/**
 * Wires a function an event invokes outside the workflow (a schedule, an EventBridge rule):
 * Powertools' logger, metrics and tracer around it (shared/observability.ts), and its errors as a
 * task's (`taskErrors`: a transient one thrown as `Transient`, an unexpected one logged once, with
 * its stack), thrown on so the event's own retries try again.
 */
export function eventHandler<Result>(name: string, logic: (event: unknown) => Promise<Result>) {
  return middy<unknown, Result>()
    .use(observability<unknown, Result>())
    .use(taskErrors(name) as MiddlewareObj<unknown, Result>)
    .handler((event) => logic(event));
}
