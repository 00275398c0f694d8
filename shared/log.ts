import { Logger } from '@aws-lambda-powertools/logger';

/**
 * One JSON line per event, through Powertools for AWS Lambda's Logger, with ids as keys (case
 * id, execution, step, agency id, error name): never a name, an address, a date of birth,
 * narrative or a capability token (ARCHITECTURE §4.3 and §4.8). The handler wrappers add the
 * invocation's keys (`injectLambdaContext`, shared/observability.ts) and the case's
 * (`appendLogKeys`); Lambda sends the lines to the function's log group, the local stack to
 * `.local/logs/<function>.log`.
 */
export type LogKeys = Record<string, string | number | boolean | undefined>;

/** The service's name on every log line (`service`) and every metric's log line. */
export const serviceName = 'safeguarding-reviews';

/** The one logger of every function; its level comes from Lambda's (AWS_LAMBDA_LOG_LEVEL) or POWERTOOLS_LOG_LEVEL. */
export const logger = new Logger({ serviceName });

/** The keys without those that are undefined (the Logger would write them as null). */
function defined(keys: LogKeys): Record<string, string | number | boolean> {
  return Object.fromEntries(Object.entries(keys).filter(([, value]) => value !== undefined)) as Record<
    string,
    string | number | boolean
  >;
}

/**
 * Keys every later line of this invocation carries (the case id, the execution, the step): the
 * handler wrappers clear them when the invocation ends.
 */
export function appendLogKeys(keys: LogKeys): void {
  logger.appendKeys(defined(keys));
}

export function logInfo(message: string, keys: LogKeys = {}): void {
  logger.info(message, defined(keys));
}

export function logWarning(message: string, keys: LogKeys = {}): void {
  logger.warn(message, defined(keys));
}

/** Something failed that needs a person's attention, though the code knows what it was. */
export function logError(message: string, keys: LogKeys = {}): void {
  logger.error(message, defined(keys));
}

/**
 * The frames of an error's stack without its first line, which repeats the message: a message
 * may quote data (a value that failed a check, a key), the frames are the code's own.
 */
function framesOf(error: Error): string {
  return (error.stack ?? '')
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .join('\n');
}

/**
 * An error nobody expected, once, where it is finally handled (the middy error middleware of
 * each handler, the pages' router): its name, its cause's name and where it was thrown. Not its
 * message, which may quote data.
 */
export function logUnexpectedError(error: unknown, keys: LogKeys = {}): void {
  const failure = error instanceof Error ? error : new Error('A value that is not an Error was thrown');
  const cause = failure.cause instanceof Error ? failure.cause.name : undefined;
  logger.error('Unexpected error', {
    ...defined(keys),
    error: failure.name,
    ...(cause ? { cause } : {}),
    stack: framesOf(failure),
  });
}
