/**
 * One JSON line per event, with ids as keys (case id, agency id, error name): never a name, an
 * address, a date of birth, narrative or a capability token (ARCHITECTURE §4.3 and §4.8).
 */
export type LogKeys = Record<string, string | number | boolean | undefined>;

function write(level: 'info' | 'warn' | 'error', message: string, keys: LogKeys): void {
  console[level](JSON.stringify({ level: level.toUpperCase(), message, ...keys }));
}

export function logInfo(message: string, keys: LogKeys = {}): void {
  write('info', message, keys);
}

export function logWarning(message: string, keys: LogKeys = {}): void {
  write('warn', message, keys);
}

/** Something failed that needs a person's attention, though the code knows what it was. */
export function logError(message: string, keys: LogKeys = {}): void {
  write('error', message, keys);
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
  write('error', 'Unexpected error', {
    ...keys,
    error: failure.name,
    ...(cause ? { cause } : {}),
    stack: framesOf(failure),
  });
}
