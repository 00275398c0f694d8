import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The function invocation a piece of work runs in: its id and the real (wall-clock) instant by
 * which it must have ended, because the function's timeout stops it there. On AWS that is
 * Lambda's own timeout; locally the handler workers keep the same timeout in real time, while
 * the workflow's clock is virtual, so a deadline is always real time, never `appClock()`.
 */
export interface Invocation {
  id: string;
  /** Milliseconds since the epoch, by the wall clock. */
  deadline: number;
}

const current = new AsyncLocalStorage<Invocation>();

/** Runs `work` as part of the invocation that Lambda's `context` describes. */
export function withInvocation<T>(
  context: { awsRequestId: string; getRemainingTimeInMillis(): number } | undefined,
  work: () => T,
): T {
  if (!context || typeof context.getRemainingTimeInMillis !== 'function') return work();
  return current.run(
    { id: context.awsRequestId, deadline: Date.now() + context.getRemainingTimeInMillis() },
    work,
  );
}

/** The invocation the caller runs in, if a handler said so (`withInvocation`). */
export function currentInvocation(): Invocation | undefined {
  return current.getStore();
}
