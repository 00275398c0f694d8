import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';

/**
 * Turns an ASL file into what `aws-local-stepfunctions` runs locally (ARCHITECTURE §5). The file
 * itself is never changed; only the copy handed to the library is:
 *
 * - every `Wait` becomes a `Task` whose local handler sleeps on the virtual clock (the library
 *   would use real timers, and ends waits over ~24.8 days at once);
 * - every Task's timeouts and heartbeats move into hidden Parameters so the service can apply
 *   them itself (callbacks: virtual time), and the library's own real timer is set out of reach;
 * - `Retry` intervals are scaled; `ResultPath: "$"` is dropped (the library would write a key
 *   named `$`; leaving it out means the same thing);
 * - `$$.Execution.Input` and `$$.Execution.StartTime` read fields the service provides, because
 *   the library overwrites those two with the run's input and the real time.
 */

/** Longest real timeout the library may set: Node timers overflow at 2^31 ms. */
export const LIBRARY_TIMEOUT_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

/** Context fields standing in for the two the library overwrites. */
export const CONTEXT_EXECUTION_INPUT = 'LocalInput';
export const CONTEXT_EXECUTION_START_TIME = 'LocalStartTime';

export type StateType = 'Task' | 'Parallel' | 'Map' | 'Pass' | 'Wait' | 'Choice' | 'Succeed' | 'Fail';

/** How the service runs a state. */
export type StateKind =
  /** A Wait, now a Task sleeping on the virtual clock. */
  | 'wait'
  /** `arn:aws:states:::lambda:invoke`: the result is wrapped as `{ StatusCode, Payload }`. */
  | 'lambda-invoke'
  /** A Lambda function ARN as the Resource: the result is the function's own. */
  | 'lambda-function'
  /** `arn:aws:states:::lambda:invoke.waitForTaskToken`. */
  | 'callback'
  /** `arn:aws:states:::states:startExecution` on a machine of this service. */
  | 'start-execution'
  /** Everything the library runs by itself. */
  | 'plain';

export interface StateInfo {
  name: string;
  /** The type in the ASL file, which history reports (a Wait stays a Wait). */
  type: StateType;
  kind: StateKind;
  resource?: string;
  /** In the machine's own `States`, not inside a Parallel branch or Map iterator: where an execution can resume. */
  topLevel: boolean;
}

/** Parameters the transformed Wait hands its handler. */
export interface WaitTaskInput {
  input: unknown;
  until?: unknown;
  seconds?: unknown;
}

/** Parameters every transformed Lambda or callback task hands its handler. */
export interface ServiceTaskInput {
  parameters: unknown;
  timeoutSeconds?: unknown;
  heartbeatSeconds?: unknown;
}

export interface PreparedStateMachine {
  name: string;
  /** The definition after substitution, as DescribeStateMachine shows it. */
  definitionText: string;
  /** The copy the library runs. */
  runnable: StateMachineDefinition;
  states: ReadonlyMap<string, StateInfo>;
  /** The machine-level `TimeoutSeconds`, applied by the service in virtual time. */
  timeoutSeconds?: number;
}

/** A definition the local engine cannot run as written; thrown at start-up. */
export class DefinitionError extends Error {
  override readonly name = 'DefinitionError';
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const PLACEHOLDER = /\$\{([^}]*)\}/g;
const LAMBDA_FUNCTION_ARN = /^arn:aws[a-z-]*:lambda:[^:]+:\d*:function:[^:]+(:[^:]+)?$/;
const UNSUPPORTED_FIELDS = ['Assign', 'Arguments', 'Output', 'ItemReader', 'ItemBatcher', 'ResultWriter'];

/**
 * Replaces each `${Name}` with its substitution, as CloudFormation does with
 * `DefinitionSubstitutions`; a placeholder left without a value is an error naming it.
 */
export function substitutePlaceholders(
  machineName: string,
  text: string,
  substitutions: Record<string, string>,
): string {
  const missing = new Set<string>();
  const result = text.replace(PLACEHOLDER, (whole, key: string) => {
    if (Object.hasOwn(substitutions, key)) return substitutions[key] as string;
    missing.add(whole);
    return whole;
  });
  if (missing.size > 0) {
    throw new DefinitionError(
      `State machine ${machineName} has placeholders with no substitution: ${[...missing].join(', ')}`,
    );
  }
  return result;
}

/**
 * Substitutes, parses, validates (with the library's validator) and transforms one definition.
 * `retryIntervalScale` multiplies every Retry `IntervalSeconds` and `MaxDelaySeconds`, so
 * backoff and jitter keep their shape (0: retry at once); `retryJitter: false` drops every
 * `JitterStrategy`, so the waits between retries are exactly the backoff's (tests that need a
 * retry budget they can count on).
 */
export function prepareStateMachine(
  machineName: string,
  definitionText: string,
  substitutions: Record<string, string>,
  options: { retryIntervalScale: number; retryJitter?: boolean },
): PreparedStateMachine {
  const text = substitutePlaceholders(machineName, definitionText, substitutions);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new DefinitionError(`State machine ${machineName} is not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(parsed)) throw new DefinitionError(`State machine ${machineName} is not a JSON object`);
  rejectUnsupported(machineName, parsed);
  try {
    // The constructor validates (JSONPaths, ARNs, reachability); the copy we run skips it.
    new StateMachine(parsed as unknown as StateMachineDefinition);
  } catch (error) {
    throw new DefinitionError(`State machine ${machineName}: ${(error as Error).message}`);
  }

  const states = new Map<string, StateInfo>();
  const runnable = rewriteContextPaths(
    transformMachine(machineName, parsed, states, true, {
      scale: options.retryIntervalScale,
      jitter: options.retryJitter ?? true,
    }),
  ) as JsonObject;
  const timeoutSeconds = typeof parsed.TimeoutSeconds === 'number' ? parsed.TimeoutSeconds : undefined;
  delete runnable.TimeoutSeconds;
  return {
    name: machineName,
    definitionText: text,
    runnable: runnable as unknown as StateMachineDefinition,
    states,
    ...(timeoutSeconds === undefined ? {} : { timeoutSeconds }),
  };
}

/** A copy of the runnable definition starting at `stateName`: how an execution resumes. */
export function startingAt(machine: PreparedStateMachine, stateName: string): StateMachineDefinition {
  return { ...machine.runnable, StartAt: stateName };
}

function transformMachine(
  machineName: string,
  machine: JsonObject,
  states: Map<string, StateInfo>,
  topLevel: boolean,
  retryScale: RetryShape,
): JsonObject {
  const source = machine.States;
  if (!isObject(source)) throw new DefinitionError(`State machine ${machineName} has no States`);
  const transformed: JsonObject = {};
  for (const [name, state] of Object.entries(source)) {
    if (!isObject(state)) throw new DefinitionError(`State ${name} in ${machineName} is not an object`);
    if (states.has(name)) {
      // Step Functions requires this too; the service keys its handlers by state name.
      throw new DefinitionError(`State machine ${machineName} has more than one state named ${name}`);
    }
    const info = describeState(machineName, name, state, topLevel);
    states.set(name, info);
    transformed[name] = transformState(machineName, info, state, states, retryScale);
  }
  return { ...machine, States: transformed };
}

function describeState(machineName: string, name: string, state: JsonObject, topLevel: boolean): StateInfo {
  const type = state.Type as StateType;
  if (type === 'Wait') return { name, type, kind: 'wait', topLevel };
  if (type !== 'Task') return { name, type, kind: 'plain', topLevel };
  const resource = String(state.Resource);
  const kind = taskKind(resource);
  if (!kind) {
    throw new DefinitionError(
      `State ${name} in ${machineName} uses ${resource}, which the local Step Functions service cannot run ` +
        '(it runs lambda:invoke, lambda:invoke.waitForTaskToken, Lambda function ARNs and states:startExecution)',
    );
  }
  return { name, type, kind, resource, topLevel };
}

function taskKind(resource: string): StateKind | undefined {
  if (resource === 'arn:aws:states:::lambda:invoke') return 'lambda-invoke';
  if (resource === 'arn:aws:states:::lambda:invoke.waitForTaskToken') return 'callback';
  if (resource === 'arn:aws:states:::states:startExecution') return 'start-execution';
  if (LAMBDA_FUNCTION_ARN.test(resource)) return 'lambda-function';
  return undefined;
}

function transformState(
  machineName: string,
  info: StateInfo,
  state: JsonObject,
  states: Map<string, StateInfo>,
  retryScale: RetryShape,
): JsonObject {
  const copy: JsonObject = { ...state };
  if (copy.ResultPath === '$') delete copy.ResultPath;
  if (Array.isArray(copy.Catch)) copy.Catch = copy.Catch.map(withoutWholeResultPath);
  if (Array.isArray(copy.Retry)) copy.Retry = copy.Retry.map((retrier) => scaleRetrier(retrier, retryScale));
  if (Array.isArray(copy.Branches)) {
    copy.Branches = copy.Branches.map((branch) =>
      transformMachine(machineName, branch as JsonObject, states, false, retryScale),
    );
  }
  for (const key of ['Iterator', 'ItemProcessor'] as const) {
    const nested = copy[key];
    if (isObject(nested)) copy[key] = transformMachine(machineName, nested, states, false, retryScale);
  }
  if (info.kind === 'wait') return waitAsTask(state);
  if (info.type === 'Task') return serviceTask(copy);
  return copy;
}

/** A Wait as a Task: same InputPath, OutputPath and transition; its handler returns the effective input. */
function waitAsTask(wait: JsonObject): JsonObject {
  const parameters: JsonObject = { 'input.$': '$' };
  if (wait.Timestamp !== undefined) parameters.until = wait.Timestamp;
  else if (wait.TimestampPath !== undefined) parameters['until.$'] = wait.TimestampPath;
  else if (wait.Seconds !== undefined) parameters.seconds = wait.Seconds;
  else if (wait.SecondsPath !== undefined) parameters['seconds.$'] = wait.SecondsPath;
  const task: JsonObject = {
    Type: 'Task',
    Resource: 'arn:aws:states:::local:wait',
    Parameters: parameters,
    TimeoutSeconds: LIBRARY_TIMEOUT_SECONDS,
  };
  for (const key of ['Comment', 'InputPath', 'OutputPath', 'Next', 'End'] as const) {
    if (wait[key] !== undefined) task[key] = wait[key];
  }
  return task;
}

/**
 * Wraps the Task's Parameters one level down and carries its timeout and heartbeat beside them,
 * evaluated on the same (post-InputPath) input, so the handler applies them itself.
 */
function serviceTask(task: JsonObject): JsonObject {
  const parameters: JsonObject =
    task.Parameters === undefined ? { 'parameters.$': '$' } : { parameters: task.Parameters };
  carry(task, parameters, 'TimeoutSeconds', 'timeoutSeconds');
  carry(task, parameters, 'HeartbeatSeconds', 'heartbeatSeconds');
  const copy: JsonObject = { ...task, Parameters: parameters, TimeoutSeconds: LIBRARY_TIMEOUT_SECONDS };
  delete copy.TimeoutSecondsPath;
  delete copy.HeartbeatSeconds;
  delete copy.HeartbeatSecondsPath;
  return copy;
}

function carry(task: JsonObject, parameters: JsonObject, field: string, key: string): void {
  if (task[field] !== undefined) parameters[key] = task[field];
  else if (task[`${field}Path`] !== undefined) parameters[`${key}.$`] = task[`${field}Path`] as Json;
}

function withoutWholeResultPath(catcher: Json): Json {
  if (!isObject(catcher) || catcher.ResultPath !== '$') return catcher;
  const { ResultPath: _whole, ...rest } = catcher;
  return rest;
}

/** How the local engine shapes the waits between retries. */
interface RetryShape {
  scale: number;
  jitter: boolean;
}

function scaleRetrier(retrier: Json, { scale, jitter }: RetryShape): Json {
  if (!isObject(retrier)) return retrier;
  if (!jitter && 'JitterStrategy' in retrier) {
    const { JitterStrategy: _dropped, ...withoutJitter } = retrier;
    return scaleRetrier(withoutJitter, { scale, jitter: true });
  }
  if (scale === 1) return retrier;
  const interval = typeof retrier.IntervalSeconds === 'number' ? retrier.IntervalSeconds : 1;
  const scaled: JsonObject = { ...retrier, IntervalSeconds: interval * scale };
  // The library ignores a MaxDelaySeconds of 0, which is right when every interval is 0 too.
  if (typeof retrier.MaxDelaySeconds === 'number') scaled.MaxDelaySeconds = retrier.MaxDelaySeconds * scale;
  return scaled;
}

/** Points `$$.Execution.Input` and `$$.Execution.StartTime` at the fields the service provides. */
function rewriteContextPaths(value: Json, key = ''): Json {
  if (typeof value === 'string') {
    const isPath = key.endsWith('.$') || key.endsWith('Path') || key === 'Variable';
    if (!isPath) return value;
    return value
      .replace(/\$\$\.Execution\.Input(?![A-Za-z0-9_])/g, `$$$$.Execution.${CONTEXT_EXECUTION_INPUT}`)
      .replace(
        /\$\$\.Execution\.StartTime(?![A-Za-z0-9_])/g,
        `$$$$.Execution.${CONTEXT_EXECUTION_START_TIME}`,
      );
  }
  if (Array.isArray(value)) return value.map((item) => rewriteContextPaths(item, key));
  if (isObject(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([childKey, child]) => [childKey, rewriteContextPaths(child, childKey)]),
    );
  }
  return value;
}

function rejectUnsupported(machineName: string, value: Json, where = 'the definition'): void {
  if (Array.isArray(value)) {
    for (const item of value) rejectUnsupported(machineName, item, where);
    return;
  }
  if (!isObject(value)) return;
  if (value.QueryLanguage === 'JSONata') {
    throw new DefinitionError(
      `State machine ${machineName} uses JSONata in ${where}; the local engine runs JSONPath only (ARCHITECTURE §2)`,
    );
  }
  if (typeof value.Type === 'string') {
    for (const field of UNSUPPORTED_FIELDS) {
      if (value[field] !== undefined) {
        throw new DefinitionError(
          `State machine ${machineName} uses ${field} in ${where}, which the local engine does not support`,
        );
      }
    }
  }
  for (const [key, child] of Object.entries(value)) {
    if (key === 'States' && isObject(child)) {
      for (const [name, state] of Object.entries(child))
        rejectUnsupported(machineName, state, `state ${name}`);
    } else if (isObject(child) || Array.isArray(child)) {
      rejectUnsupported(machineName, child, where);
    }
  }
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
