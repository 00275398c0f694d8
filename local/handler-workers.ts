import { availableParallelism } from 'node:os';
import { SHARE_ENV, Worker } from 'node:worker_threads';
import type { FromHandlerWorker, HandlerWorkerData, ToHandlerWorker } from './handler-worker.ts';
import { catalogueFunction, lambdaErrorFrom, timeoutOf } from './handlers.ts';
import { mergeTimings, type Timing } from './stats.ts';

/** Lambda's name for a function that ran out of time. */
function timedOut(seconds: number): Error {
  return lambdaErrorFrom({ name: 'Sandbox.Timedout', message: `Task timed out after ${seconds} seconds` });
}

/** A message to a worker before it is given its id. */
type Unnumbered<T> = T extends unknown ? Omit<T, 'id'> : never;

interface PooledWorker {
  worker: Worker;
  /** Invocations sent to it and not yet answered. */
  busy: number;
}

/**
 * The local stack's handlers, run in worker threads beside the emulators rather than on their
 * event loop, so a slow or busy function cannot stall S3, SES, Step Functions or the API, and
 * the handlers' own work (SDK calls, building emails, writing papers) uses the machine's other
 * cores. Each worker runs any function, on the same handler modules as AWS; an invocation goes
 * to the least busy one. Workers share the stack's environment (`SHARE_ENV`) and read its
 * virtual clock from shared memory.
 *
 * Invoking keeps Lambda's contract: the function must be in the catalogue (else
 * ResourceNotFoundException), its catalogue timeout applies (else Sandbox.Timedout; the work
 * itself is not stopped, as a timed-out Lambda's side effects may also have happened), and an
 * error keeps its name.
 */
export class HandlerWorkers {
  readonly #workers: PooledWorker[];
  readonly #waiting = new Map<number, { settle(answer: FromHandlerWorker): void }>();
  #nextId = 1;
  #stopped = false;

  /**
   * `emulatorPorts`: emulator names by port, to record the requests the handlers make to each
   * (the benchmark's figures); none are recorded without.
   */
  constructor(options: { clock: SharedArrayBuffer; emulatorPorts?: Record<string, string>; size?: number }) {
    const size =
      options.size ?? Number(process.env.LOCAL_HANDLER_WORKERS ?? Math.max(1, availableParallelism() - 1));
    const data: HandlerWorkerData = { clock: options.clock, emulatorPorts: options.emulatorPorts };
    this.#workers = Array.from({ length: size }, () => {
      const worker = new Worker(new URL('./handler-worker.ts', import.meta.url), {
        workerData: data,
        env: SHARE_ENV,
        // Node 24 runs the TypeScript itself (type stripping; the code is erasable syntax only),
        // so a worker needs no loader of the parent's, such as tsx's; a CPU profile asked of
        // the stack (npm run bench -- --profile) covers its workers too.
        execArgv: process.execArgv.filter((flag) => flag.startsWith('--cpu-prof')),
      });
      const pooled: PooledWorker = { worker, busy: 0 };
      worker.on('message', (answer: FromHandlerWorker) => {
        this.#waiting.get(answer.id)?.settle(answer);
      });
      worker.on('error', (error) => {
        // A worker that dies fails what it was running; the rest of the pool carries on.
        for (const [id, waiter] of this.#waiting) {
          waiter.settle({ id, ok: false, error: { name: 'Runtime.ExitError', message: error.message } });
        }
      });
      return pooled;
    });
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
      this.#waiting.set(id, { settle });
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          if (!this.#waiting.delete(id)) return;
          pooled.busy -= 1;
          reject(timedOut(timeoutMs / 1000));
        }, timeoutMs);
      }
      pooled.worker.postMessage({ ...message, id } as ToHandlerWorker);
    });
  }

  /** Invokes a function (by name or local ARN) with a payload, as Lambda would. */
  async invoke(nameOrArn: string, payload: unknown): Promise<unknown> {
    if (this.#stopped) throw new Error('The handler workers have stopped');
    const name = catalogueFunction(nameOrArn);
    const least = this.#workers.reduce((best, candidate) => (candidate.busy < best.busy ? candidate : best));
    return this.#ask(least, { kind: 'invoke', name, payload: payload ?? null }, timeoutOf(name));
  }

  /** The emulator requests the handlers have made, from every worker, added up. */
  async statistics(): Promise<{ emulators: Record<string, Timing>; operations: Record<string, Timing> }> {
    const emulators: Record<string, Timing> = {};
    const operations: Record<string, Timing> = {};
    for (const pooled of this.#workers) {
      const answer = (await this.#ask(pooled, { kind: 'statistics' })) as {
        emulators: Record<string, Timing>;
        operations: Record<string, Timing>;
      };
      mergeTimings(emulators, answer.emulators);
      mergeTimings(operations, answer.operations);
    }
    return { emulators, operations };
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await Promise.all(this.#workers.map((pooled) => pooled.worker.terminate()));
  }
}
