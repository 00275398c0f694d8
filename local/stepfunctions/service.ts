import type { AddressInfo } from 'node:net';
import type { VirtualClock } from '../virtual-clock.ts';
import {
  type ExecutionStatusChangeEvent,
  type ExecutionSummary,
  type InvokeFunction,
  libraryTimeoutErrorClass,
  StepFunctionsEngine,
  type WaitingOn,
} from './engine.ts';
import { stepFunctionsOperations } from './operations.ts';
import { createJsonProtocolServer } from './protocol.ts';
import { ExecutionStore } from './store.ts';
import { DefinitionError, prepareStateMachine } from './transform.ts';

export type { ExecutionStatusChangeEvent, ExecutionSummary, InvokeFunction, WaitingOn };
export { DefinitionError };

/** One state machine to serve: the ASL text as written, and the values for its `${Placeholders}`. */
export interface LocalStateMachineSource {
  name: string;
  /** ASL JSON text (JSONPath) with `${Placeholder}`s, e.g. the contents of statemachines/*.asl.json. */
  definition: string;
  substitutions: Record<string, string>;
}

/** Options for {@link startLocalStepFunctions}. */
export interface LocalStepFunctionsOptions {
  /** Time for Waits, callback timeouts, history and dates; the caller owns it (and disposes it). */
  clock: VirtualClock;
  stateMachines: LocalStateMachineSource[];
  /** Runs the in-process handler; throws an Error whose `name` is the error type on failure. Gets the function name, never an ARN. */
  invokeFunction: InvokeFunction;
  /**
   * Called when an execution ends FAILED, TIMED_OUT or ABORTED, with the event EventBridge's rule
   * on execution status changes would deliver on AWS (the local stack runs record-execution-fault).
   */
  onExecutionFault?: (event: ExecutionStatusChangeEvent) => Promise<unknown>;
  /** Where executions and their histories are saved; RUNNING ones resume from here on the next start. */
  dataDirectory?: string;
  /** Multiplies every Retry interval (and MaxDelaySeconds): 0 retries at once, for tests. Default 1. */
  retryIntervalScale?: number;
  /** `false` drops every Retry's JitterStrategy, so retries wait exactly the backoff. Default true. */
  retryJitter?: boolean;
  /** Default eu-west-2. */
  region?: string;
  /** Default 000000000000. */
  accountId?: string;
  /** Port on 127.0.0.1; default 0, a free one the OS picks. */
  port?: number;
}

/** A running local Step Functions service. */
export interface LocalStepFunctions {
  /** `http://127.0.0.1:<port>`: give it to `SFNClient({ endpoint })` or `AWS_ENDPOINT_URL_SFN`. */
  readonly endpoint: string;
  readonly region: string;
  readonly accountId: string;
  /** The ARN AWS would give the named state machine. */
  stateMachineArn(name: string): string;
  /** Every execution with its status and what it is waiting on. */
  executions(): ExecutionSummary[];
  /**
   * Resolves when every execution is closed or blocked only on the clock or a callback, and
   * everything is saved: call after `clock.advanceToNext()` or a SendTaskSuccess, before asserting.
   */
  whenSettled(options?: { timeoutMs?: number }): Promise<void>;
  /** Ends all runs without closing their executions (they resume on the next start), saves, and stops listening. */
  stop(): Promise<void>;
}

/**
 * Starts the local Step Functions service (ARCHITECTURE §5): the given state machines, run by
 * `aws-local-stepfunctions` on virtual time, behind the AWS JSON 1.0 API that
 * `@aws-sdk/client-sfn` speaks. Fails at start-up on a definition it cannot run, naming what
 * is wrong (an unknown placeholder, an unsupported Resource, JSONata).
 *
 * Executions saved in `dataDirectory` resume as soon as it listens: set the functions'
 * `AWS_ENDPOINT_URL_SFN` right after this resolves (before any macrotask), or pass a fixed `port`.
 */
export async function startLocalStepFunctions(
  options: LocalStepFunctionsOptions,
): Promise<LocalStepFunctions> {
  const region = options.region ?? 'eu-west-2';
  const accountId = options.accountId ?? '000000000000';
  const retryIntervalScale = options.retryIntervalScale ?? 1;
  if (!Number.isFinite(retryIntervalScale) || retryIntervalScale < 0) {
    throw new RangeError(`retryIntervalScale must be a finite number ≥ 0, not ${retryIntervalScale}`);
  }
  const prepared = options.stateMachines.map((source) =>
    prepareStateMachine(source.name, source.definition, source.substitutions, {
      retryIntervalScale,
      retryJitter: options.retryJitter ?? true,
    }),
  );
  const store = options.dataDirectory ? new ExecutionStore(options.dataDirectory) : undefined;
  const saved = store ? await store.loadAll() : [];
  const engine = new StepFunctionsEngine({
    clock: options.clock,
    invokeFunction: options.invokeFunction,
    region,
    accountId,
    timeoutErrorClass: await libraryTimeoutErrorClass(),
    ...(store ? { store } : {}),
    ...(options.onExecutionFault ? { onExecutionFault: options.onExecutionFault } : {}),
  });
  for (const machine of prepared) engine.addStateMachine(machine);

  const server = createJsonProtocolServer(stepFunctionsOperations(engine));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  try {
    engine.restore(saved);
  } catch (error) {
    server.close();
    throw error;
  }

  let stopped: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    region,
    accountId,
    stateMachineArn: (name) => engine.stateMachineArn(name),
    executions: () => engine.executions(),
    whenSettled: (settleOptions) => engine.whenSettled(settleOptions),
    stop: () => {
      stopped ??= (async () => {
        // Still answering while runs unwind: a function finishing now may call back.
        await engine.shutdown();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      })();
      return stopped;
    },
  };
}
