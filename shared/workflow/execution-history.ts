import type { ExecutionEvent } from '../adapters/workflow-executions.ts';
import type { AslDefinition, GraphTransition } from './state-machine-graph.ts';

/**
 * What an execution's history says, for the operations pages: the states it went through and
 * the transitions it took, where it is now, where it failed and why, and what it waits for.
 * Pure: the history and the definition in, the answer out.
 */

/** Statuses of an execution that stopped without finishing. */
export const failedStatuses = ['FAILED', 'TIMED_OUT', 'ABORTED'] as const;

export const isFailedStatus = (status: string) => (failedStatuses as readonly string[]).includes(status);

/** How many executions are in one state now: running in it, failed in it, or ended in it. */
export interface StateCount {
  running: number;
  failed: number;
  ended: number;
}

/** Events that say a step went wrong (a retry may still mend it). */
const FAILURE_EVENT = /(Failed|TimedOut|Aborted)$/;

export interface ExecutionReading {
  /** Every state entered, in order (a loop's states more than once). */
  entered: string[];
  /** The transitions taken, by id (see `stateMachineGraph`), in order. */
  taken: string[];
  /** The state it last entered: where it is now, or where it ended. */
  current?: string;
  /** Where it failed: the state of the last failure in its history (a failed execution only). */
  failedIn?: string;
  /** That failure's error name and the kind of its cause, never the cause's words. */
  failure?: { error: string; cause?: string };
  /** What it waits for now (a running execution in a Wait, or on a callback with a timeout). */
  waiting?: { kind: 'clock' | 'callback'; until: Date };
}

/**
 * The cause of a failure without its words: a Lambda error's cause is JSON whose `errorMessage`
 * may quote personal data, so only its `errorType` is kept. Anything else is withheld.
 */
export function causeWithoutPersonalData(cause: string | undefined): string | undefined {
  if (!cause) return undefined;
  try {
    const parsed = JSON.parse(cause) as { errorType?: unknown };
    return typeof parsed.errorType === 'string' ? parsed.errorType : undefined;
  } catch {
    return undefined;
  }
}

/** `$.a.b` read from a JSON value; undefined for anything else. */
function atPath(value: unknown, path: string | undefined): unknown {
  if (!path?.startsWith('$')) return undefined;
  let here = value;
  for (const key of path.slice(1).split('.').filter(Boolean)) {
    if (typeof here !== 'object' || here === null) return undefined;
    here = (here as Record<string, unknown>)[key];
  }
  return here;
}

interface WaitFields {
  Type: string;
  Resource?: string;
  Seconds?: number;
  SecondsPath?: string;
  Timestamp?: string;
  TimestampPath?: string;
  TimeoutSeconds?: number;
  TimeoutSecondsPath?: string;
}

/** Until when the state just entered waits, from its definition and its input; undefined if it does not. */
function waitOf(
  state: WaitFields | undefined,
  entered: ExecutionEvent,
): ExecutionReading['waiting'] | undefined {
  if (!state) return undefined;
  let input: unknown;
  try {
    input = entered.input ? JSON.parse(entered.input) : undefined;
  } catch {
    input = undefined;
  }
  const after = (seconds: unknown) =>
    typeof seconds === 'number' && Number.isFinite(seconds)
      ? new Date(entered.timestamp.getTime() + seconds * 1000)
      : undefined;
  const at = (timestamp: unknown) => {
    if (typeof timestamp !== 'string') return undefined;
    const date = new Date(timestamp);
    return Number.isNaN(date.getTime()) ? undefined : date;
  };
  if (state.Type === 'Wait') {
    const until =
      after(state.Seconds) ??
      at(state.Timestamp) ??
      after(atPath(input, state.SecondsPath)) ??
      at(atPath(input, state.TimestampPath));
    return until ? { kind: 'clock', until } : undefined;
  }
  // A callback task waits for its token until its timeout.
  if (state.Type === 'Task' && state.Resource?.endsWith('.waitForTaskToken')) {
    const until = after(state.TimeoutSeconds) ?? after(atPath(input, state.TimeoutSecondsPath));
    return until ? { kind: 'callback', until } : undefined;
  }
  return undefined;
}

/** Reads an execution's history (oldest first) against its state machine's definition and graph. */
export function readExecution(
  status: string,
  events: readonly ExecutionEvent[],
  definition: AslDefinition,
  transitions: readonly GraphTransition[],
): ExecutionReading {
  const entries = events.filter((event) => event.type.endsWith('StateEntered') && event.state);
  const entered = entries.map((event) => event.state as string);
  const taken: string[] = [];
  for (let index = 1; index < entries.length; index++) {
    const from = entries[index - 1] as ExecutionEvent;
    const to = entries[index] as ExecutionEvent;
    const failedBetween = events.some(
      (event) => event.id > from.id && event.id < to.id && FAILURE_EVENT.test(event.type),
    );
    const candidates = transitions.filter((t) => t.from === from.state && t.to === to.state);
    const chosen = candidates.find((t) => (t.kind === 'catch') === failedBetween) ?? candidates[0];
    if (chosen) taken.push(chosen.id);
  }

  const lastEntry = entries.at(-1);
  const current = lastEntry?.state;
  const reading: ExecutionReading = { entered, taken, ...(current ? { current } : {}) };

  if (isFailedStatus(status)) {
    // The last failure of a step, or else the execution's own (a runtime error no Catch sees,
    // or a Fail state's): a step's failure caught on the way to the Fail state says more.
    const latestFirst = [...events].reverse();
    const failureEvent =
      latestFirst.find((event) => FAILURE_EVENT.test(event.type) && !event.type.startsWith('Execution')) ??
      latestFirst.find((event) => FAILURE_EVENT.test(event.type));
    const stateOfFailure = failureEvent
      ? [...entries].reverse().find((entry) => entry.id < failureEvent.id)?.state
      : current;
    if (stateOfFailure) reading.failedIn = stateOfFailure;
    if (failureEvent) {
      const cause = causeWithoutPersonalData(failureEvent.cause);
      reading.failure = {
        error: failureEvent.error ?? failureEvent.type,
        ...(cause ? { cause } : {}),
      };
    }
  }

  if ((status === 'RUNNING' || status === 'PENDING_REDRIVE') && lastEntry && current) {
    const exited = events.some((event) => event.id > lastEntry.id && event.type.endsWith('StateExited'));
    const waiting = exited
      ? undefined
      : waitOf(definition.States[current] as WaitFields | undefined, lastEntry);
    if (waiting) reading.waiting = waiting;
  }
  return reading;
}
