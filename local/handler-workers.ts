import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { FromHandlerWorker, HandlerWorkerData, ToHandlerWorker } from './handler-worker.ts';
import { catalogueFunction, lambdaErrorFrom, timeoutOf } from './handlers.ts';
import { maxConcurrencyVariable } from './invocation-logs.ts';
import { mergeTimings, type Timing } from './stats.ts';

/** The variable that sets how many worker threads run the handlers. */
const workerCountVariable = 'LOCAL_HANDLER_WORKERS';

/**
 * How many worker threads to run the handlers in: `LOCAL_HANDLER_WORKERS` when set, otherwise
 * one fewer than the machine has cores, at least one.
 * @throws Error naming the variable when it is set to anything but a whole number of 1 or more.
 */
export function handlerWorkerCount(env: NodeJS.ProcessEnv = process.env): number {
  const setting = env[workerCountVariable];
  if (setting === undefined) return Math.max(1, availableParallelism() - 1);
  const count = /^\d+$/.test(setting.trim()) ? Number(setting) : Number.NaN;
  if (!Number.isSafeInteger(count) || count < 1) {
    throw new Error(
      `${workerCountVariable} must be a whole number of worker threads, 1 or more; it is "${setting}"`,
    );
  }
  return count;
}

/**
 * Where the workers find the functions they run: the catalogue's handlers in production, small
 * stand-ins in the pool's own tests.
 */
export interface HandlerFunctions {
  /** A module each worker imports, exporting `runHandler(name, payload)` (local/handlers.ts). */
  module: URL;
  /** The function's name from a name or an ARN; fails (ResourceNotFoundException) for one it lacks. */
  resolve(nameOrArn: string): string;
  /** How long the function may run, in milliseconds. */
  timeoutMs(name: string): number;
}

/** The functions of functions/catalogue.ts, run on the same handler modules as AWS. */
const catalogueFunctions: HandlerFunctions = {
  module: new URL('./handlers.ts', import.meta.url),
  resolve: catalogueFunction,
  timeoutMs: (name) => timeoutOf(catalogueFunction(name)),
};

/** An error as Lambda names it (the name is what Step Functions matches in Retry and Catch). */
type ReportedError = { name: string; message: string };

/** Lambda's name for a function that ran out of time. */
function timedOut(seconds: number): ReportedError {
  return { name: 'Sandbox.Timedout', message: `Task timed out after ${seconds} seconds` };
}

/**
 * What the invocations on a worker that died fail with: `Lambda.Unknown`, as Lambda reports a
 * sandbox that ended without answering (out of memory, a crash), which the workflow retries.
 */
function sandboxDied(why: string): ReportedError {
  return { name: 'Lambda.Unknown', message: `The function's worker thread died: ${why}` };
}

/**
 * What each worker tells Powertools it may run at once: any number, as the pool sends a worker
 * whatever comes while it is the least busy.
 */
const maxConcurrentInvocations = 1000;

/** A message to a worker before it is given its id. */
type Unnumbered<T> = T extends unknown ? Omit<T, 'id'> : never;

interface PooledWorker {
  worker: Worker;
  /** Invocations sent to it and not yet answered. */
  busy: number;
  /** Whether it has answered anything yet (one that dies before is taken to be unable to start). */
  answered: boolean;
}

/** A request to a worker waiting for its answer. */
interface Waiter {
  /** The worker it was sent to. */
  on: PooledWorker;
  /** Ends the wait with an answer, the worker's or the pool's own failure (clearing any timer). */
  settle(answer: FromHandlerWorker): void;
}

/**
 * The local stack's handlers, run in worker threads beside the emulators rather than on their
 * event loop, so a slow or busy function cannot stall S3, SES, Step Functions or the API, and
 * the handlers' own work (SDK calls, building emails, writing papers) uses the machine's other
 * cores. Each worker runs any function, on the same handler modules as AWS; an invocation goes
 * to the least busy one. Each worker starts with the stack's environment (set before the pool
 * starts), in which it is a Lambda execution environment that runs invocations concurrently
 * (`AWS_LAMBDA_MAX_CONCURRENCY`, local/invocation-logs.ts), and reads the stack's virtual clock
 * from shared memory. Given a log directory, each function's log lines go to
 * `<function>.log` there, as JSON lines.
 *
 * Invoking keeps Lambda's contract: the function must be in the catalogue (else
 * ResourceNotFoundException), its catalogue timeout applies (else Sandbox.Timedout; the work
 * itself is not stopped, as a timed-out Lambda's side effects may also have happened; the mailer
 * starts no send after its invocation's deadline, shared/invocation.ts, so a step that timed out
 * here starts no send its retry makes too), and an
 * error keeps its name. A worker that dies fails only what it was running (Lambda.Unknown) and
 * is replaced by a new one.
 */
export class HandlerWorkers {
  readonly #workers: PooledWorker[] = [];
  readonly #waiting = new Map<number, Waiter>();
  readonly #data: HandlerWorkerData;
  readonly #functions: HandlerFunctions;
  #nextId = 1;
  #stopped = false;
  /** Why the last worker that could not start died, for when none is left. */
  #lastDeath: string | undefined;

  /**
   * `size`: how many workers (see {@link handlerWorkerCount}). `emulatorPorts`: emulator names by
   * port, to record the requests the handlers make to each (the benchmark's figures); none are
   * recorded without. `functions`: what the workers run, the catalogue's functions unless a test
   * says otherwise. `logDirectory`: where each function's log lines go (`<function>.log`).
   */
  constructor(options: {
    clock: SharedArrayBuffer;
    size: number;
    emulatorPorts?: Record<string, string>;
    functions?: HandlerFunctions;
    logDirectory?: string;
  }) {
    if (!Number.isSafeInteger(options.size) || options.size < 1) {
      throw new RangeError(
        `The handler pool needs a whole number of workers, 1 or more, not ${options.size}`,
      );
    }
    this.#functions = options.functions ?? catalogueFunctions;
    this.#data = {
      clock: options.clock,
      emulatorPorts: options.emulatorPorts,
      functionsModule: this.#functions.module.href,
      logDirectory: options.logDirectory,
    };
    for (let index = 0; index < options.size; index += 1) this.#workers.push(this.#startWorker());
  }

  #startWorker(): PooledWorker {
    const worker = new Worker(new URL('./handler-worker.ts', import.meta.url), {
      workerData: this.#data,
      env: { ...process.env, [maxConcurrencyVariable]: String(maxConcurrentInvocations) },
      // Node 24 runs the TypeScript itself (type stripping; the code is erasable syntax only),
      // so a worker needs no loader of the parent's, such as tsx's; a CPU profile asked of
      // the stack (npm run bench -- --profile) covers its workers too.
      execArgv: process.execArgv.filter((flag) => flag.startsWith('--cpu-prof')),
    });
    const pooled: PooledWorker = { worker, busy: 0, answered: false };
    worker.on('message', (answer: FromHandlerWorker) => {
      pooled.answered = true;
      this.#waiting.get(answer.id)?.settle(answer);
    });
    // An uncaught error ends the worker ('error', then 'exit'); process.exit() only exits.
    worker.on('error', (error) => this.#died(pooled, error.message));
    worker.on('exit', (code) => this.#died(pooled, `exit status ${code}`));
    return pooled;
  }

  /**
   * A worker has died: what was waiting on it fails, and a new worker takes its place unless the
   * pool is stopping, or the dead one never answered and was asked nothing (it could not start,
   * and a new one would die the same way).
   */
  #died(pooled: PooledWorker, why: string): void {
    const index = this.#workers.indexOf(pooled);
    if (index === -1) return;
    let failed = 0;
    for (const [id, waiter] of this.#waiting) {
      if (waiter.on !== pooled) continue;
      failed += 1;
      waiter.settle({ id, ok: false, error: sandboxDied(why) });
    }
    if (this.#stopped || (!pooled.answered && failed === 0)) {
      this.#workers.splice(index, 1);
      this.#lastDeath = why;
    } else {
      this.#workers[index] = this.#startWorker();
    }
  }

  #ask(pooled: PooledWorker, message: Unnumbered<ToHandlerWorker>, timeoutMs?: number): Promise<unknown> {
    const id = this.#nextId++;
    pooled.busy += 1;
    return new Promise<unknown>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const settle = (answer: FromHandlerWorker) => {
        if (!this.#waiting.delete(id)) return;
        clearTimeout(timer);
        pooled.busy -= 1;
        if (answer.ok) resolve(answer.result);
        else reject(lambdaErrorFrom(answer.error));
      };
      this.#waiting.set(id, { on: pooled, settle });
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => settle({ id, ok: false, error: timedOut(timeoutMs / 1000) }), timeoutMs);
      }
      pooled.worker.postMessage({ ...message, id } as ToHandlerWorker);
    });
  }

  /** Invokes a function (by name or local ARN) with a payload, as Lambda would. */
  async invoke(nameOrArn: string, payload: unknown): Promise<unknown> {
    if (this.#stopped) throw new Error('The handler workers have stopped');
    const name = this.#functions.resolve(nameOrArn);
    const least = this.#workers.reduce<PooledWorker | undefined>(
      (best, candidate) => (best === undefined || candidate.busy < best.busy ? candidate : best),
      undefined,
    );
    if (!least) throw lambdaErrorFrom(sandboxDied(`no worker could start (${this.#lastDeath})`));
    return this.#ask(
      least,
      { kind: 'invoke', name, payload: payload ?? null },
      this.#functions.timeoutMs(name),
    );
  }

  /** The emulator requests the handlers have made, from every worker, added up. */
  async statistics(): Promise<{ emulators: Record<string, Timing>; operations: Record<string, Timing> }> {
    const emulators: Record<string, Timing> = {};
    const operations: Record<string, Timing> = {};
    for (const pooled of [...this.#workers]) {
      const answer = (await this.#ask(pooled, { kind: 'statistics' })) as {
        emulators: Record<string, Timing>;
        operations: Record<string, Timing>;
      };
      mergeTimings(emulators, answer.emulators);
      mergeTimings(operations, answer.operations);
    }
    return { emulators, operations };
  }

  /** Stops every worker; what was still waiting for one fails rather than waiting for ever. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const [id, waiter] of this.#waiting) {
      waiter.settle({
        id,
        ok: false,
        error: { name: 'Lambda.Unknown', message: 'The handler workers stopped before answering' },
      });
    }
    await Promise.all(this.#workers.map((pooled) => pooled.worker.terminate()));
  }
}
