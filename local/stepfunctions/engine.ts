import { randomBytes, randomUUID } from 'node:crypto';
import { setImmediate as afterPendingCallbacks } from 'node:timers/promises';
import { type RunOptions, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import * as z from 'zod';
import type { VirtualClock } from '../virtual-clock.ts';
import { ServiceError } from './protocol.ts';
import type { ExecutionRecord, ExecutionStatus, ExecutionStore, HistoryEvent } from './store.ts';
import {
  CONTEXT_EXECUTION_INPUT,
  CONTEXT_EXECUTION_START_TIME,
  type PreparedStateMachine,
  type ServiceTaskInput,
  type StateInfo,
  startingAt,
  type WaitTaskInput,
} from './transform.ts';

type LibraryRun = ReturnType<StateMachine['run']>;
type LibraryEvent = LibraryRun['eventLogs'] extends AsyncGenerator<infer Event> ? Event : never;
type LocalHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;
type LocalHandler = LocalHandlers[string];
type JsonValue = Awaited<ReturnType<LocalHandler>>;

/** Runs a function in-process; throws an Error whose `name` is the error type on failure. */
export type InvokeFunction = (functionName: string, payload: unknown) => Promise<unknown>;

/** The library's own `States.Timeout` class; see {@link libraryTimeoutErrorClass}. */
export type TimeoutErrorClass = new () => Error;

/**
 * What Step Functions sends EventBridge when an execution's status changes (the "Step Functions
 * Execution Status Change" event), for the statuses that end it without success.
 */
export interface ExecutionStatusChangeEvent {
  version: '0';
  id: string;
  source: 'aws.states';
  'detail-type': 'Step Functions Execution Status Change';
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: {
    executionArn: string;
    stateMachineArn: string;
    name: string;
    status: 'FAILED' | 'TIMED_OUT' | 'ABORTED';
    startDate: number;
    stopDate: number;
    error: string | null;
    cause: string | null;
  };
}

export interface EngineOptions {
  clock: VirtualClock;
  invokeFunction: InvokeFunction;
  /**
   * Called, as EventBridge's rule would be on AWS, when an execution ends FAILED, TIMED_OUT or
   * ABORTED. Its failure is the listener's own: the execution has ended either way.
   */
  onExecutionFault?: (event: ExecutionStatusChangeEvent) => Promise<unknown>;
  region: string;
  accountId: string;
  timeoutErrorClass: TimeoutErrorClass;
  store?: ExecutionStore;
}

/** What one execution is doing, for tests and the local API. */
export interface ExecutionSummary {
  executionArn: string;
  stateMachineArn: string;
  stateMachineName: string;
  name: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  /** States blocked on the virtual clock (a Wait) or on a callback; empty while it is busy or closed. */
  waitingOn: WaitingOn[];
}

export interface WaitingOn {
  stateName: string;
  kind: 'clock' | 'callback';
  /** When the wait ends or the callback times out, if ever. */
  until?: Date;
}

const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1000;
const TASK_TOKEN = /^[A-Za-z0-9_-]{64}$/;
const REDACTED_TOKEN = '(task token)';
const FORBIDDEN_NAME_CHARACTERS = new Set(' \t\n\r<>{}[]?*"#%\\^|~`$&,;:/');

const isoTimestamp = z.iso.datetime({ offset: true });
const wholeSeconds = z.number().int().min(0);
const positiveSeconds = z.number().int().min(1);
const waitTaskInput = z.object({
  input: z.unknown().optional(),
  until: z.unknown().optional(),
  seconds: z.unknown().optional(),
});
const serviceTaskInput = z.object({
  parameters: z.unknown().optional(),
  timeoutSeconds: z.unknown().optional(),
  heartbeatSeconds: z.unknown().optional(),
});
const lambdaInvokeParameters = z.object({ FunctionName: z.string().min(1), Payload: z.unknown().optional() });
const startExecutionParameters = z.object({
  StateMachineArn: z.string().min(1),
  Input: z.unknown().optional(),
  Name: z.string().optional(),
});

/** A task failure as Step Functions reports it: the error name, and the cause as text. */
class TaskFailure extends Error {
  constructor(error: string, cause: string) {
    super(cause);
    this.name = error;
  }
}

/**
 * A failure no Retry or Catch may handle (bad timestamp, bad parameters): the library reads
 * these two flags, as it does on its own `States.Runtime` errors.
 */
class StatesRuntimeError extends Error {
  override readonly name = 'States.Runtime';
  readonly isRetryable = false;
  readonly isCatchable = false;
}

/** Thrown into a run the service is stopping, so the library unwinds without retrying or catching. */
class RunInterrupted extends Error {
  override readonly name = 'RunInterrupted';
  readonly isRetryable = false;
  readonly isCatchable = false;
}

type Outcome =
  | { kind: 'success'; output: unknown }
  | { kind: 'failure'; error: string; cause: string }
  | { kind: 'timeout'; error: 'States.Timeout' | 'States.HeartbeatTimeout' }
  | { kind: 'closed' };

interface CallbackTask {
  execution: Execution;
  stateName: string;
  deadline?: number;
  heartbeatSeconds?: number;
  heartbeatDeadline?: number;
  outcome?: Outcome;
  timers?: AbortController;
  settled: Promise<Outcome>;
  resolve: (outcome: Outcome) => void;
}

interface Block {
  describe: () => WaitingOn;
  /** Still blocked right now: read synchronously, so a jump or callback that just happened counts as work. */
  holds: () => boolean;
}

interface ActiveRun {
  controller: AbortController;
  abortLibrary: () => void;
  /** Local handlers running now, blocked or not. */
  handlers: number;
  blocks: Set<Block>;
  inflight: Set<Promise<unknown>>;
  tasks: Set<CallbackTask>;
  /** The library's result and its event log have both ended. */
  finished: boolean;
  ended: Promise<void>;
  /** Why the service ended the run itself; events after that are not recorded. */
  ending?: 'shutdown' | 'stopped' | 'timed-out' | 'closed';
}

interface Machine {
  prepared: PreparedStateMachine;
  arn: string;
  creationDate: Date;
}

interface Execution {
  record: ExecutionRecord;
  machine?: Machine;
  run?: ActiveRun;
}

/**
 * The local Step Functions service behind the HTTP protocol: keeps executions, runs each on
 * `aws-local-stepfunctions` with local handlers for every Task (ARCHITECTURE §5), records an
 * AWS-shaped history on the virtual clock, and answers the API operations.
 */
export class StepFunctionsEngine {
  readonly #clock: VirtualClock;
  readonly #invokeFunction: InvokeFunction;
  readonly #region: string;
  readonly #accountId: string;
  readonly #timeoutErrorClass: TimeoutErrorClass;
  readonly #store: ExecutionStore | undefined;
  readonly #onExecutionFault: EngineOptions['onExecutionFault'];
  /** Fault listeners still running, so `whenSettled` waits for them too. */
  readonly #listening = new Set<Promise<unknown>>();
  readonly #machines = new Map<string, Machine>();
  readonly #executions = new Map<string, Execution>();
  readonly #tasks = new Map<string, CallbackTask>();
  /** Stands for `$$.Task.Token` in the context; each callback swaps it for its own fresh token. */
  readonly #tokenMarker = `local-task-token-${randomUUID()}`;
  #stopping = false;

  constructor(options: EngineOptions) {
    this.#clock = options.clock;
    this.#invokeFunction = options.invokeFunction;
    this.#region = options.region;
    this.#accountId = options.accountId;
    this.#timeoutErrorClass = options.timeoutErrorClass;
    this.#store = options.store;
    this.#onExecutionFault = options.onExecutionFault;
  }

  /** `arn:aws:states:<region>:<account>:stateMachine:<name>`. */
  stateMachineArn(name: string): string {
    return `arn:aws:states:${this.#region}:${this.#accountId}:stateMachine:${name}`;
  }

  addStateMachine(prepared: PreparedStateMachine): void {
    const arn = this.stateMachineArn(prepared.name);
    if (this.#machines.has(arn)) throw new Error(`State machine ${prepared.name} is defined twice`);
    this.#machines.set(arn, { prepared, arn, creationDate: this.#clock.now() });
  }

  /** Takes back saved executions; RUNNING ones resume from the last state they entered. */
  restore(records: ExecutionRecord[]): void {
    for (const record of records) {
      const execution: Execution = { record, machine: this.#machines.get(record.stateMachineArn) };
      this.#executions.set(record.executionArn, execution);
      if (record.status === 'RUNNING') this.#resume(execution);
    }
  }

  executions(): ExecutionSummary[] {
    return [...this.#executions.values()].map(({ record, run }) => ({
      executionArn: record.executionArn,
      stateMachineArn: record.stateMachineArn,
      stateMachineName: record.stateMachineName,
      name: record.name,
      status: record.status,
      startDate: new Date(record.startDate),
      ...(record.stopDate ? { stopDate: new Date(record.stopDate) } : {}),
      waitingOn:
        run && !run.finished ? [...run.blocks].filter((b) => b.holds()).map((b) => b.describe()) : [],
    }));
  }

  /**
   * Resolves once every execution is idle: closed, or with every running state blocked on the
   * virtual clock or on a callback, and everything saved. Checked twice in a row, a few real
   * milliseconds apart, because work between two states runs in microtasks.
   */
  async whenSettled({ timeoutMs = 30_000 }: { timeoutMs?: number } = {}): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    let quietChecks = 0;
    while (quietChecks < 2) {
      const busy = [...this.#executions.values()].filter((execution) => !this.#isIdle(execution));
      if (this.#listening.size > 0) await Promise.allSettled([...this.#listening]);
      quietChecks = busy.length === 0 ? quietChecks + 1 : 0;
      if (busy.length > 0 && performance.now() > deadline) {
        const names = busy.map((execution) => execution.record.executionArn).join(', ');
        throw new Error(`Executions still busy after ${timeoutMs} ms: ${names}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await this.#store?.flush();
  }

  /** Ends every run without recording an end, so each RUNNING execution resumes on the next start. */
  async shutdown(): Promise<void> {
    this.#stopping = true;
    const runs = [...this.#executions.values()].flatMap((execution) =>
      execution.run ? [execution.run] : [],
    );
    for (const run of runs) {
      run.ending ??= 'shutdown';
      this.#abortRun(run);
    }
    for (const run of runs) {
      await run.ended;
      while (run.inflight.size > 0) await Promise.allSettled([...run.inflight]);
    }
    await this.#store?.flush();
  }

  // ── API operations ────────────────────────────────────────────────────────────────────────

  startExecution(request: {
    stateMachineArn: string;
    name?: string | undefined;
    input?: string | undefined;
  }): {
    executionArn: string;
    startDate: Date;
  } {
    if (this.#stopping) throw new ServiceError('ServiceUnavailable', 'The service is stopping', 503);
    const machine = this.#machine(request.stateMachineArn);
    const inputText = request.input ?? '{}';
    const input = parseJson(
      inputText,
      () => new ServiceError('InvalidExecutionInput', 'Invalid execution input'),
    );
    const name = request.name ?? randomUUID();
    assertExecutionName(name);
    const executionArn = `arn:aws:states:${this.#region}:${this.#accountId}:execution:${machine.prepared.name}:${name}`;

    const existing = this.#executions.get(executionArn);
    if (existing) {
      // AWS: same name and input as a RUNNING execution answers as the first call did.
      if (existing.record.status === 'RUNNING' && jsonEqual(JSON.parse(existing.record.input), input)) {
        return { executionArn, startDate: new Date(existing.record.startDate) };
      }
      throw new ServiceError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }

    const record: ExecutionRecord = {
      executionArn,
      stateMachineArn: machine.arn,
      stateMachineName: machine.prepared.name,
      name,
      status: 'RUNNING',
      input: inputText,
      startDate: this.#clock.now().toISOString(),
      history: [],
    };
    const execution: Execution = { record, machine };
    this.#executions.set(executionArn, execution);
    this.#save(execution);
    this.#launch(execution, machine, machine.prepared.runnable, input, false);
    return { executionArn, startDate: new Date(record.startDate) };
  }

  describeExecution(executionArn: string): Record<string, unknown> {
    const { record } = this.#execution(executionArn);
    return {
      executionArn: record.executionArn,
      stateMachineArn: record.stateMachineArn,
      name: record.name,
      status: record.status,
      startDate: new Date(record.startDate),
      ...(record.stopDate ? { stopDate: new Date(record.stopDate) } : {}),
      input: record.input,
      inputDetails: { included: true },
      ...(record.output === undefined ? {} : { output: record.output, outputDetails: { included: true } }),
      ...(record.error === undefined ? {} : { error: record.error }),
      ...(record.cause === undefined ? {} : { cause: record.cause }),
      redriveCount: 0,
    };
  }

  getExecutionHistory(request: {
    executionArn: string;
    maxResults?: number | undefined;
    reverseOrder?: boolean | undefined;
    nextToken?: string | undefined;
    includeExecutionData?: boolean | undefined;
  }): { events: Record<string, unknown>[]; nextToken?: string } {
    const { record } = this.#execution(request.executionArn);
    const ordered = request.reverseOrder ? [...record.history].reverse() : record.history;
    const { items, nextToken } = page(ordered, request.maxResults, request.nextToken);
    const withData = request.includeExecutionData ?? true;
    return {
      events: items.map((event) => historyEventOut(event, withData)),
      ...(nextToken ? { nextToken } : {}),
    };
  }

  listExecutions(request: {
    stateMachineArn: string;
    statusFilter?: ExecutionStatus | undefined;
    maxResults?: number | undefined;
    nextToken?: string | undefined;
  }): { executions: Record<string, unknown>[]; nextToken?: string } {
    const machine = this.#machine(request.stateMachineArn);
    const matching = [...this.#executions.values()]
      .map((execution) => execution.record)
      .filter((record) => record.stateMachineArn === machine.arn)
      .filter((record) => !request.statusFilter || record.status === request.statusFilter)
      .sort((a, b) => b.startDate.localeCompare(a.startDate) || a.name.localeCompare(b.name));
    const { items, nextToken } = page(matching, request.maxResults, request.nextToken);
    return {
      executions: items.map((record) => ({
        executionArn: record.executionArn,
        stateMachineArn: record.stateMachineArn,
        name: record.name,
        status: record.status,
        startDate: new Date(record.startDate),
        ...(record.stopDate ? { stopDate: new Date(record.stopDate) } : {}),
      })),
      ...(nextToken ? { nextToken } : {}),
    };
  }

  stopExecution(request: { executionArn: string; error?: string | undefined; cause?: string | undefined }): {
    stopDate: Date;
  } {
    const execution = this.#execution(request.executionArn);
    if (execution.record.status === 'RUNNING') {
      const details = { error: request.error, cause: request.cause };
      if (execution.run) execution.run.ending = 'stopped';
      this.#finish(execution, 'ABORTED', details, 'ExecutionAborted', details);
    }
    return { stopDate: new Date(execution.record.stopDate ?? this.#clock.now()) };
  }

  sendTaskSuccess(request: { taskToken: string; output: string }): Record<string, never> {
    const task = this.#openTaskFor(request.taskToken);
    const output = parseJson(
      request.output,
      () => new ServiceError('InvalidOutput', 'Invalid output: not JSON'),
    );
    this.#settle(task, { kind: 'success', output });
    return {};
  }

  sendTaskFailure(request: {
    taskToken: string;
    error?: string | undefined;
    cause?: string | undefined;
  }): Record<string, never> {
    const task = this.#openTaskFor(request.taskToken);
    this.#settle(task, { kind: 'failure', error: request.error ?? '', cause: request.cause ?? '' });
    return {};
  }

  sendTaskHeartbeat(request: { taskToken: string }): Record<string, never> {
    const task = this.#openTaskFor(request.taskToken);
    if (task.heartbeatSeconds !== undefined) {
      task.heartbeatDeadline = this.#clock.now().getTime() + task.heartbeatSeconds * 1000;
      this.#armTimers(task);
    }
    return {};
  }

  describeStateMachine(stateMachineArn: string): Record<string, unknown> {
    const machine = this.#machine(stateMachineArn);
    return {
      stateMachineArn: machine.arn,
      name: machine.prepared.name,
      status: 'ACTIVE',
      definition: machine.prepared.definitionText,
      roleArn: this.#roleArn(),
      type: 'STANDARD',
      creationDate: machine.creationDate,
      loggingConfiguration: { level: 'OFF', includeExecutionData: false },
    };
  }

  listStateMachines(request: { maxResults?: number | undefined; nextToken?: string | undefined }): {
    stateMachines: Record<string, unknown>[];
    nextToken?: string;
  } {
    const all = [...this.#machines.values()].sort((a, b) => a.prepared.name.localeCompare(b.prepared.name));
    const { items, nextToken } = page(all, request.maxResults, request.nextToken);
    return {
      stateMachines: items.map((machine) => ({
        stateMachineArn: machine.arn,
        name: machine.prepared.name,
        type: 'STANDARD',
        creationDate: machine.creationDate,
      })),
      ...(nextToken ? { nextToken } : {}),
    };
  }

  // ── Runs ──────────────────────────────────────────────────────────────────────────────────

  #resume(execution: Execution): void {
    const { record, machine } = execution;
    if (!machine) {
      this.#finishUnresumable(execution, `State machine ${record.stateMachineName} is no longer defined`);
      return;
    }
    const from = record.resumeFrom;
    if (!from) {
      // Saved before its first state was entered: start it again.
      this.#launch(
        execution,
        machine,
        machine.prepared.runnable,
        JSON.parse(record.input),
        record.history.length > 0,
      );
      return;
    }
    if (!machine.prepared.states.get(from.stateName)?.topLevel) {
      this.#finishUnresumable(execution, `State ${from.stateName} is no longer in ${machine.prepared.name}`);
      return;
    }
    // Safe because every workflow step is idempotent (ARCHITECTURE §4.6); a callback re-issues its token.
    this.#launch(
      execution,
      machine,
      startingAt(machine.prepared, from.stateName),
      JSON.parse(from.input),
      true,
    );
  }

  #finishUnresumable(execution: Execution, cause: string): void {
    const details = { error: 'States.Runtime', cause };
    this.#finish(execution, 'FAILED', details, 'ExecutionFailed', details);
  }

  #launch(
    execution: Execution,
    machine: Machine,
    definition: StateMachineDefinition,
    input: unknown,
    resumed: boolean,
  ): void {
    const { record } = execution;
    const controller = new AbortController();
    const run: ActiveRun = {
      controller,
      abortLibrary: () => {},
      handlers: 0,
      blocks: new Set(),
      inflight: new Set(),
      tasks: new Set(),
      finished: false,
      ended: Promise.resolve(),
    };
    execution.run = run;
    const library = new StateMachine(definition, { validationOptions: { noValidate: true } });
    const handlers: LocalHandlers = {};
    for (const info of machine.prepared.states.values()) {
      if (info.kind === 'plain') continue;
      handlers[info.name] = (taskInput) => this.#handle(execution, run, info, taskInput);
    }
    const libraryRun = library.run(input as JsonValue, {
      overrides: { taskResourceLocalHandlers: handlers },
      noThrowOnAbort: true,
      context: {
        Execution: {
          Id: record.executionArn,
          Name: record.name,
          RoleArn: this.#roleArn(),
          RedriveCount: 0,
          [CONTEXT_EXECUTION_INPUT]: JSON.parse(record.input),
          [CONTEXT_EXECUTION_START_TIME]: record.startDate,
        },
        StateMachine: { Id: machine.arn, Name: machine.prepared.name },
        Task: { Token: this.#tokenMarker },
      },
    });
    run.abortLibrary = libraryRun.abort;
    // A failure arrives as an ExecutionFailed event; the rejected result carries nothing more.
    const result = libraryRun.result.then(
      () => {},
      () => {},
    );
    const events = this.#record(execution, run, libraryRun.eventLogs, resumed);
    run.ended = Promise.all([result, events]).then(() => {
      run.finished = true;
    });

    const timeoutSeconds = machine.prepared.timeoutSeconds;
    if (timeoutSeconds !== undefined) {
      const deadline = new Date(Date.parse(record.startDate) + timeoutSeconds * 1000);
      this.#clock
        .sleepUntil(deadline, { signal: controller.signal, label: `${record.name}: execution timeout` })
        .then(() => {
          if (record.status !== 'RUNNING' || run.ending) return;
          run.ending = 'timed-out';
          const details = {
            error: 'States.Timeout',
            cause: `The execution ran longer than ${timeoutSeconds} seconds`,
          };
          this.#finish(execution, 'TIMED_OUT', details, 'ExecutionTimedOut', details);
        })
        .catch(() => {});
    }
  }

  /** Turns the library's event log into history, in order, stamped with virtual time. */
  async #record(
    execution: Execution,
    run: ActiveRun,
    events: AsyncGenerator<LibraryEvent>,
    resumed: boolean,
  ): Promise<void> {
    const states = execution.machine?.prepared.states;
    for await (const event of events) {
      if (run.ending) continue;
      switch (event.type) {
        case 'ExecutionStarted':
          if (!resumed) {
            this.#append(execution, 'ExecutionStarted', {
              input: JSON.stringify(event.input),
              inputDetails: { truncated: false },
              roleArn: this.#roleArn(),
            });
          }
          break;
        case 'StateEntered': {
          const info = states?.get(event.state.name);
          this.#append(execution, `${info?.type ?? event.state.type}StateEntered`, {
            name: event.state.name,
            input: JSON.stringify(event.state.input),
            inputDetails: { truncated: false },
          });
          if (info?.topLevel && event.index === undefined) {
            execution.record.resumeFrom = {
              stateName: event.state.name,
              input: JSON.stringify(event.state.input),
            };
          }
          break;
        }
        case 'StateExited': {
          const info = states?.get(event.state.name);
          this.#append(execution, `${info?.type ?? event.state.type}StateExited`, {
            name: event.state.name,
            output: JSON.stringify(event.state.output ?? null),
            outputDetails: { truncated: false },
          });
          break;
        }
        case 'MapIterationStarted':
        case 'MapIterationSucceeded':
        case 'MapIterationFailed':
          this.#append(execution, event.type, { name: event.parentState.name, index: event.index });
          break;
        case 'ExecutionSucceeded': {
          const output = JSON.stringify(event.output ?? null);
          this.#finish(execution, 'SUCCEEDED', { output }, 'ExecutionSucceeded', {
            output,
            outputDetails: { truncated: false },
          });
          break;
        }
        case 'ExecutionFailed': {
          const details = { error: event.Error, cause: asText(event.Cause) };
          this.#finish(execution, 'FAILED', details, 'ExecutionFailed', details);
          break;
        }
        default:
          // Retries and catches show as task events; the service records aborts and timeouts itself.
          break;
      }
    }
  }

  #finish(
    execution: Execution,
    status: Exclude<ExecutionStatus, 'RUNNING'>,
    fields: { output?: string; error?: string | undefined; cause?: string | undefined },
    eventType: string,
    details: Record<string, unknown>,
  ): void {
    const { record, run } = execution;
    if (record.status !== 'RUNNING') return;
    this.#append(execution, eventType, withoutUndefined(details), true);
    record.status = status;
    record.stopDate = this.#clock.now().toISOString();
    if (fields.output !== undefined) record.output = fields.output;
    if (fields.error !== undefined) record.error = fields.error;
    if (fields.cause !== undefined) record.cause = fields.cause;
    delete record.resumeFrom;
    this.#save(execution);
    if (status !== 'SUCCEEDED') this.#tellFault(record, status);
    if (run) {
      // Whatever is still waiting (a sibling branch, a machine timeout) has nothing left to do.
      run.ending ??= 'closed';
      this.#abortRun(run);
    }
  }

  /** Hands an execution that ended without success to the fault listener, as EventBridge would. */
  #tellFault(record: ExecutionRecord, status: 'FAILED' | 'TIMED_OUT' | 'ABORTED'): void {
    const listener = this.#onExecutionFault;
    if (!listener) return;
    const event: ExecutionStatusChangeEvent = {
      version: '0',
      id: randomUUID(),
      source: 'aws.states',
      'detail-type': 'Step Functions Execution Status Change',
      account: this.#accountId,
      time: this.#clock.now().toISOString(),
      region: this.#region,
      resources: [record.executionArn],
      detail: {
        executionArn: record.executionArn,
        stateMachineArn: record.stateMachineArn,
        name: record.name,
        status,
        startDate: Date.parse(record.startDate),
        stopDate: Date.parse(record.stopDate ?? record.startDate),
        error: record.error ?? null,
        cause: null,
      },
    };
    // After this turn, so the status change is saved and visible before the listener asks about it.
    const told = afterPendingCallbacks()
      .then(() => listener(event))
      .catch(() => {})
      .finally(() => this.#listening.delete(told));
    this.#listening.add(told);
  }

  #abortRun(run: ActiveRun): void {
    run.controller.abort(new RunInterrupted('The run was ended'));
    run.abortLibrary();
    for (const task of run.tasks) this.#settle(task, { kind: 'closed' });
  }

  #isIdle(execution: Execution): boolean {
    const run = execution.run;
    if (!run || run.finished) return true;
    if (run.handlers === 0 || run.blocks.size < run.handlers) return false;
    return [...run.blocks].every((block) => block.holds());
  }

  // ── Local handlers ────────────────────────────────────────────────────────────────────────

  async #handle(execution: Execution, run: ActiveRun, info: StateInfo, input: unknown): Promise<JsonValue> {
    run.handlers++;
    const work = (async () => {
      // Let the event log catch up first, so this state's Entered event precedes its task events.
      await afterPendingCallbacks();
      run.controller.signal.throwIfAborted();
      switch (info.kind) {
        case 'wait':
          return this.#wait(execution, run, info, input as WaitTaskInput);
        case 'lambda-invoke':
        case 'lambda-function':
          return this.#lambda(execution, info, input as ServiceTaskInput);
        case 'callback':
          return this.#callback(execution, run, info, input as ServiceTaskInput);
        case 'start-execution':
          return this.#startChild(execution, info, input as ServiceTaskInput);
        default:
          throw new StatesRuntimeError(`State ${info.name} has no local handler`);
      }
    })();
    run.inflight.add(work);
    try {
      return toJson(await work);
    } catch (error) {
      if (run.controller.signal.aborted) throw new RunInterrupted('The run was ended');
      throw error;
    } finally {
      run.handlers--;
      run.inflight.delete(work);
    }
  }

  async #wait(execution: Execution, run: ActiveRun, info: StateInfo, raw: WaitTaskInput): Promise<unknown> {
    const { input, until, seconds } = waitTaskInput.parse(raw);
    let wakeAt = this.#clock.now().getTime();
    if (until !== undefined) {
      const timestamp = isoTimestamp.safeParse(until);
      if (!timestamp.success) {
        throw new StatesRuntimeError(
          `Wait ${info.name} needs an ISO 8601 timestamp, not ${JSON.stringify(until)}`,
        );
      }
      wakeAt = Date.parse(timestamp.data);
    } else if (seconds !== undefined) {
      const parsed = wholeSeconds.safeParse(seconds);
      if (!parsed.success) throw new StatesRuntimeError(`Wait ${info.name} needs whole seconds ≥ 0`);
      wakeAt += parsed.data * 1000;
    }
    const block: Block = {
      describe: () => ({ stateName: info.name, kind: 'clock', until: new Date(wakeAt) }),
      holds: () => this.#clock.now().getTime() < wakeAt,
    };
    run.blocks.add(block);
    try {
      await this.#clock.sleepUntil(new Date(wakeAt), {
        signal: run.controller.signal,
        label: `${execution.record.name}: ${info.name}`,
      });
    } finally {
      run.blocks.delete(block);
    }
    return input;
  }

  async #lambda(execution: Execution, info: StateInfo, raw: ServiceTaskInput): Promise<unknown> {
    const { parameters, timeoutSeconds } = this.#taskInput(info, raw);
    const direct = info.kind === 'lambda-function';
    const target = direct
      ? { functionName: functionNameOf(info.resource ?? ''), payload: parameters }
      : this.#lambdaTarget(info, parameters);
    if (direct) {
      this.#append(execution, 'LambdaFunctionScheduled', {
        resource: info.resource,
        input: JSON.stringify(parameters),
        timeoutInSeconds: timeoutSeconds,
      });
      this.#append(execution, 'LambdaFunctionStarted');
    } else {
      this.#append(execution, 'TaskScheduled', {
        resourceType: 'lambda',
        resource: 'invoke',
        region: this.#region,
        parameters: JSON.stringify(parameters),
        timeoutInSeconds: timeoutSeconds,
      });
      this.#append(execution, 'TaskStarted', { resourceType: 'lambda', resource: 'invoke' });
    }
    let result: unknown;
    try {
      result = await this.#invoke(target.functionName, target.payload, timeoutSeconds);
    } catch (error) {
      if (error instanceof this.#timeoutErrorClass) {
        const details = { error: 'States.Timeout', cause: error.message };
        if (direct) this.#append(execution, 'LambdaFunctionTimedOut', details);
        else
          this.#append(execution, 'TaskTimedOut', { resourceType: 'lambda', resource: 'invoke', ...details });
        throw error;
      }
      const failure = describeFailure(error);
      if (direct) this.#append(execution, 'LambdaFunctionFailed', failure);
      else this.#append(execution, 'TaskFailed', { resourceType: 'lambda', resource: 'invoke', ...failure });
      throw new TaskFailure(failure.error, failure.cause);
    }
    const output = direct ? result : { ExecutedVersion: '$LATEST', Payload: result, StatusCode: 200 };
    if (direct) this.#append(execution, 'LambdaFunctionSucceeded', { output: JSON.stringify(output) });
    else {
      this.#append(execution, 'TaskSucceeded', {
        resourceType: 'lambda',
        resource: 'invoke',
        output: JSON.stringify(output),
      });
    }
    return output;
  }

  /**
   * The callback pattern: a fresh token per attempt, the function invoked with it, then the
   * state waits for SendTaskSuccess/SendTaskFailure, its timeout or its heartbeat, the last
   * two on the virtual clock.
   */
  async #callback(
    execution: Execution,
    run: ActiveRun,
    info: StateInfo,
    raw: ServiceTaskInput,
  ): Promise<unknown> {
    const { parameters, timeoutSeconds, heartbeatSeconds } = this.#taskInput(info, raw);
    const target = this.#lambdaTarget(info, parameters);
    const resource = { resourceType: 'lambda', resource: 'invoke.waitForTaskToken' };
    const token = randomBytes(48).toString('base64url');
    const task = this.#openTask(execution, run, info.name, token, timeoutSeconds, heartbeatSeconds);
    this.#append(execution, 'TaskScheduled', {
      ...resource,
      region: this.#region,
      // Tokens never reach logs or history.
      parameters: JSON.stringify(replaceText(parameters, this.#tokenMarker, REDACTED_TOKEN)),
      timeoutInSeconds: timeoutSeconds,
      heartbeatInSeconds: heartbeatSeconds,
    });
    this.#append(execution, 'TaskStarted', resource);
    let submitted: unknown;
    try {
      const payload = replaceText(target.payload, this.#tokenMarker, token);
      submitted = await this.#invoke(target.functionName, payload, undefined);
    } catch (error) {
      this.#settle(task, { kind: 'closed' });
      const failure = describeFailure(error);
      this.#append(execution, 'TaskFailed', { ...resource, ...failure });
      throw new TaskFailure(failure.error, failure.cause);
    }
    this.#append(execution, 'TaskSubmitted', {
      ...resource,
      output: JSON.stringify({ ExecutedVersion: '$LATEST', Payload: submitted, StatusCode: 200 }),
    });

    const block: Block = {
      describe: () => ({
        stateName: info.name,
        kind: 'callback',
        ...(task.deadline === undefined ? {} : { until: new Date(task.deadline) }),
      }),
      holds: () => task.outcome === undefined && !this.#expired(task),
    };
    run.blocks.add(block);
    let outcome: Outcome;
    try {
      outcome = await task.settled;
    } finally {
      run.blocks.delete(block);
    }
    switch (outcome.kind) {
      case 'success':
        this.#append(execution, 'TaskSucceeded', { ...resource, output: JSON.stringify(outcome.output) });
        return outcome.output;
      case 'failure':
        this.#append(execution, 'TaskFailed', { ...resource, error: outcome.error, cause: outcome.cause });
        throw new TaskFailure(outcome.error, outcome.cause);
      case 'timeout': {
        this.#append(execution, 'TaskTimedOut', { ...resource, error: outcome.error });
        const error = new this.#timeoutErrorClass();
        // Still the library's timeout class, so `States.TaskFailed` does not match it, as on AWS.
        error.name = outcome.error;
        throw error;
      }
      default:
        throw new RunInterrupted('The run was ended');
    }
  }

  /** `arn:aws:states:::states:startExecution` (request-response): starts an execution of this service. */
  async #startChild(execution: Execution, info: StateInfo, raw: ServiceTaskInput): Promise<unknown> {
    const { parameters } = this.#taskInput(info, raw);
    const parsed = startExecutionParameters.safeParse(parameters);
    if (!parsed.success) throw new StatesRuntimeError(`${info.name}: StartExecution needs a StateMachineArn`);
    const resource = { resourceType: 'states', resource: 'startExecution' };
    this.#append(execution, 'TaskScheduled', {
      ...resource,
      region: this.#region,
      parameters: JSON.stringify(parameters),
    });
    this.#append(execution, 'TaskStarted', resource);
    const { StateMachineArn, Input, Name } = parsed.data;
    try {
      const started = this.startExecution({
        stateMachineArn: StateMachineArn,
        name: Name,
        input: typeof Input === 'string' ? Input : JSON.stringify(Input ?? {}),
      });
      const output = { ExecutionArn: started.executionArn, StartDate: started.startDate.getTime() };
      this.#append(execution, 'TaskSucceeded', { ...resource, output: JSON.stringify(output) });
      return output;
    } catch (error) {
      const failure =
        error instanceof ServiceError
          ? { error: `StepFunctions.${error.type}Exception`, cause: error.message }
          : describeFailure(error);
      this.#append(execution, 'TaskFailed', { ...resource, ...failure });
      throw new TaskFailure(failure.error, failure.cause);
    }
  }

  #taskInput(
    info: StateInfo,
    raw: ServiceTaskInput,
  ): { parameters: unknown; timeoutSeconds?: number; heartbeatSeconds?: number } {
    const { parameters, timeoutSeconds, heartbeatSeconds } = serviceTaskInput.parse(raw);
    const seconds = (value: unknown, field: string): number | undefined => {
      if (value === undefined) return undefined;
      const parsed = positiveSeconds.safeParse(value);
      if (!parsed.success) {
        throw new StatesRuntimeError(`${info.name}: ${field} must be a whole number of seconds ≥ 1`);
      }
      return parsed.data;
    };
    const timeout = seconds(timeoutSeconds, 'TimeoutSeconds');
    const heartbeat = seconds(heartbeatSeconds, 'HeartbeatSeconds');
    return {
      parameters,
      ...(timeout === undefined ? {} : { timeoutSeconds: timeout }),
      ...(heartbeat === undefined ? {} : { heartbeatSeconds: heartbeat }),
    };
  }

  #lambdaTarget(info: StateInfo, parameters: unknown): { functionName: string; payload: unknown } {
    const parsed = lambdaInvokeParameters.safeParse(parameters);
    if (!parsed.success)
      throw new StatesRuntimeError(`${info.name}: lambda:invoke needs Parameters.FunctionName`);
    return { functionName: functionNameOf(parsed.data.FunctionName), payload: parsed.data.Payload ?? {} };
  }

  /**
   * Runs the in-process function with a JSON copy of the payload, as Lambda would receive it.
   * A Lambda's own timeout is real time: the handler runs in real time whatever the clock does.
   */
  async #invoke(
    functionName: string,
    payload: unknown,
    timeoutSeconds: number | undefined,
  ): Promise<unknown> {
    const invocation = Promise.resolve().then(() => this.#invokeFunction(functionName, toJson(payload)));
    if (timeoutSeconds === undefined) return toJson(await invocation);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      const delay = Math.min(timeoutSeconds * 1000, 2 ** 31 - 1);
      timer = setTimeout(() => {
        const error = new this.#timeoutErrorClass();
        error.message = `${functionName} ran longer than ${timeoutSeconds} seconds`;
        reject(error);
      }, delay);
    });
    try {
      return toJson(await Promise.race([invocation, timedOut]));
    } finally {
      clearTimeout(timer);
    }
  }

  // ── Callback tokens ───────────────────────────────────────────────────────────────────────

  #openTask(
    execution: Execution,
    run: ActiveRun,
    stateName: string,
    token: string,
    timeoutSeconds: number | undefined,
    heartbeatSeconds: number | undefined,
  ): CallbackTask {
    const now = this.#clock.now().getTime();
    let resolve: (outcome: Outcome) => void = () => {};
    const settled = new Promise<Outcome>((settle) => {
      resolve = settle;
    });
    const task: CallbackTask = {
      execution,
      stateName,
      settled,
      resolve,
      ...(timeoutSeconds === undefined ? {} : { deadline: now + timeoutSeconds * 1000 }),
      ...(heartbeatSeconds === undefined
        ? {}
        : { heartbeatSeconds, heartbeatDeadline: now + heartbeatSeconds * 1000 }),
    };
    this.#tasks.set(token, task);
    run.tasks.add(task);
    this.#armTimers(task);
    return task;
  }

  /** One virtual-clock wake for whichever comes first, the timeout or the heartbeat. */
  #armTimers(task: CallbackTask): void {
    task.timers?.abort();
    const next = Math.min(task.deadline ?? Infinity, task.heartbeatDeadline ?? Infinity);
    if (task.outcome || next === Infinity) return;
    const timers = new AbortController();
    task.timers = timers;
    const run = task.execution.run;
    const signal = run ? AbortSignal.any([timers.signal, run.controller.signal]) : timers.signal;
    this.#clock
      .sleepUntil(new Date(next), {
        signal,
        label: `${task.execution.record.name}: ${task.stateName} timeout`,
      })
      .then(() => {
        const now = this.#clock.now().getTime();
        if (task.deadline !== undefined && now >= task.deadline) {
          this.#settle(task, { kind: 'timeout', error: 'States.Timeout' });
        } else if (task.heartbeatDeadline !== undefined && now >= task.heartbeatDeadline) {
          this.#settle(task, { kind: 'timeout', error: 'States.HeartbeatTimeout' });
        } else {
          this.#armTimers(task);
        }
      })
      .catch(() => {});
  }

  #expired(task: CallbackTask): boolean {
    const now = this.#clock.now().getTime();
    return (
      (task.deadline !== undefined && now >= task.deadline) ||
      (task.heartbeatDeadline !== undefined && now >= task.heartbeatDeadline)
    );
  }

  #settle(task: CallbackTask, outcome: Outcome): void {
    if (task.outcome) return;
    task.outcome = outcome;
    task.timers?.abort();
    task.execution.run?.tasks.delete(task);
    task.resolve(outcome);
  }

  /** The open task a token names, or the error AWS answers with. */
  #openTaskFor(token: string): CallbackTask {
    if (!TASK_TOKEN.test(token)) throw new ServiceError('InvalidToken', 'Invalid Token: not a task token');
    const task = this.#tasks.get(token);
    if (!task) throw new ServiceError('TaskDoesNotExist', 'Task does not exist');
    // A deadline that has passed counts even before its wake runs, as it would on AWS.
    if (!task.outcome && this.#expired(task)) {
      const error = task.deadline !== undefined && this.#clock.now().getTime() >= task.deadline;
      this.#settle(task, { kind: 'timeout', error: error ? 'States.Timeout' : 'States.HeartbeatTimeout' });
    }
    if (task.outcome)
      throw new ServiceError('TaskTimedOut', 'Task Timed Out: Provided task does not exist anymore');
    return task;
  }

  // ── Bookkeeping ───────────────────────────────────────────────────────────────────────────

  #append(execution: Execution, type: string, details?: Record<string, unknown>, force = false): void {
    const { record, run } = execution;
    if (!force && (record.status !== 'RUNNING' || run?.ending)) return;
    const previous = record.history.at(-1);
    const event: HistoryEvent = {
      id: (previous?.id ?? 0) + 1,
      previousEventId: previous?.id ?? 0,
      timestamp: this.#clock.now().toISOString(),
      type,
      ...(details ? { details: withoutUndefined(details) } : {}),
    };
    record.history.push(event);
    this.#save(execution);
  }

  #save(execution: Execution): void {
    this.#store?.save(execution.record);
  }

  #machine(stateMachineArn: string): Machine {
    if (!/^arn:aws:states:[^:]+:[^:]+:stateMachine:[^:]+$/.test(stateMachineArn)) {
      throw new ServiceError('InvalidArn', `Invalid Arn: '${stateMachineArn}'`);
    }
    const machine = this.#machines.get(stateMachineArn);
    if (!machine)
      throw new ServiceError(
        'StateMachineDoesNotExist',
        `State Machine Does Not Exist: '${stateMachineArn}'`,
      );
    return machine;
  }

  #execution(executionArn: string): Execution {
    if (!/^arn:aws:states:[^:]+:[^:]+:execution:[^:]+:[^:]+$/.test(executionArn)) {
      throw new ServiceError('InvalidArn', `Invalid Arn: '${executionArn}'`);
    }
    const execution = this.#executions.get(executionArn);
    if (!execution)
      throw new ServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    return execution;
  }

  #roleArn(): string {
    return `arn:aws:iam::${this.#accountId}:role/local-step-functions`;
  }
}

/**
 * The library decides whether `States.TaskFailed` matches an error by `instanceof` its own,
 * unexported `States.Timeout` class. A 1 ms timeout on a throwaway machine hands us that class,
 * so the service's virtual timeouts are matched exactly like the library's own.
 */
export async function libraryTimeoutErrorClass(): Promise<TimeoutErrorClass> {
  const probe = new StateMachine(
    {
      StartAt: 'Probe',
      States: {
        Probe: { Type: 'Task', Resource: 'arn:aws:states:::local:probe', TimeoutSeconds: 0.001, End: true },
      },
    },
    { validationOptions: { noValidate: true } },
  );
  const run = probe.run(null, {
    overrides: { taskResourceLocalHandlers: { Probe: () => new Promise<never>(() => {}) } },
  });
  try {
    await run.result;
  } catch (error) {
    const cause = error instanceof Error ? error.cause : undefined;
    if (cause instanceof Error && cause.name === 'States.Timeout')
      return cause.constructor as TimeoutErrorClass;
  }
  throw new Error(
    'aws-local-stepfunctions no longer times out tasks as expected; see local/stepfunctions/engine.ts',
  );
}

function describeFailure(error: unknown): { error: string; cause: string } {
  const name = error instanceof Error && error.name ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  // What Lambda puts in the Cause of a function error.
  return { error: name, cause: JSON.stringify({ errorType: name, errorMessage: message }) };
}

/** `arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]` or `<name>[:<qualifier>]` → `<name>`. */
function functionNameOf(nameOrArn: string): string {
  const parts = nameOrArn.split(':');
  return (nameOrArn.startsWith('arn:') ? parts[6] : parts[0]) ?? nameOrArn;
}

function assertExecutionName(name: string): void {
  const valid =
    name.length >= 1 &&
    name.length <= 80 &&
    [...name].every((character) => {
      const code = character.codePointAt(0) ?? 0;
      const control = code <= 0x1f || (code >= 0x7f && code <= 0x9f);
      return !control && !FORBIDDEN_NAME_CHARACTERS.has(character);
    });
  if (!valid) throw new ServiceError('InvalidName', `Invalid Name: '${name}'`);
}

function page<T>(
  items: readonly T[],
  maxResults: number | undefined,
  nextToken: string | undefined,
): { items: T[]; nextToken?: string } {
  const size = Math.min(maxResults || DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  let offset = 0;
  if (nextToken !== undefined) {
    offset = Number(Buffer.from(nextToken, 'base64url').toString('utf8'));
    if (!Number.isInteger(offset) || offset < 0) throw new ServiceError('InvalidToken', 'Invalid nextToken');
  }
  const end = offset + size;
  return {
    items: items.slice(offset, end),
    ...(end < items.length ? { nextToken: Buffer.from(String(end)).toString('base64url') } : {}),
  };
}

function historyEventOut(event: HistoryEvent, withData: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: event.id,
    previousEventId: event.previousEventId,
    timestamp: new Date(event.timestamp),
    type: event.type,
  };
  if (event.details) {
    const details = { ...event.details };
    if (!withData) {
      delete details.input;
      delete details.output;
      delete details.parameters;
    }
    out[detailsKey(event.type)] = details;
  }
  return out;
}

/** `TaskStateEntered` → `stateEnteredEventDetails`; `TaskScheduled` → `taskScheduledEventDetails`. */
function detailsKey(type: string): string {
  if (type.endsWith('StateEntered')) return 'stateEnteredEventDetails';
  if (type.endsWith('StateExited')) return 'stateExitedEventDetails';
  return `${type.charAt(0).toLowerCase()}${type.slice(1)}EventDetails`;
}

function parseJson(text: string, invalid: () => Error): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw invalid();
  }
}

/** A JSON copy: what crossing a process boundary would leave (Dates become strings, undefined goes). */
function toJson(value: unknown): JsonValue {
  return value === undefined ? null : (JSON.parse(JSON.stringify(value)) as JsonValue);
}

function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const aKeys = Object.keys(a);
  const bKeys = Object.keys(b);
  return (
    aKeys.length === bKeys.length &&
    aKeys.every(
      (key) =>
        Object.hasOwn(b, key) &&
        jsonEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
    )
  );
}

/** Replaces `search` inside every string of a JSON value (a token may sit inside States.Format). */
function replaceText(value: unknown, search: string, replacement: string): unknown {
  if (typeof value === 'string') return value.replaceAll(search, replacement);
  if (Array.isArray(value)) return value.map((item) => replaceText(item, search, replacement));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, replaceText(item, search, replacement)]),
    );
  }
  return value;
}

function asText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value ?? '');
}

function withoutUndefined(details: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(details).filter(([, value]) => value !== undefined));
}
