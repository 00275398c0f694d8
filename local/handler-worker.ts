/**
 * One worker thread of the local stack's handler pool (local/handler-workers.ts). It runs the
 * functions' handlers, the same modules as on AWS (through local/handlers.ts, or a test's
 * stand-in for it), with the stack's virtual clock read from shared memory, and answers each
 * invocation by its id. It also keeps the figures of the emulator requests its handlers make,
 * for the benchmark.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { installClock } from '../shared/clock.ts';
import { asInvocation, installInvocationRuntime } from './invocation-logs.ts';
import { EmulatorRequestRecorder } from './stats.ts';
import { SharedClockView } from './virtual-clock.ts';

/** What the pool hands a worker when it starts it. */
export interface HandlerWorkerData {
  clock: SharedArrayBuffer;
  /** Emulator names by port, when the figures of their requests are wanted (the benchmark). */
  emulatorPorts: Record<string, string> | undefined;
  /** The URL of the module that runs the functions, exporting `runHandler` (local/handlers.ts). */
  functionsModule: string;
  /** Where each function's log lines go (`<function>.log`); left where they were without. */
  logDirectory: string | undefined;
}

/** What the functions module exports: runs a function, by a name the pool has checked, in this thread. */
interface FunctionsModule {
  runHandler(name: string, payload: unknown): Promise<unknown>;
}

/** One message from the pool: an invocation, or a request for the figures. */
export type ToHandlerWorker =
  | { kind: 'invoke'; id: number; name: string; payload: unknown }
  | { kind: 'statistics'; id: number };

/** What a worker answers, by the id it was asked with. */
export type FromHandlerWorker =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: { name: string; message: string; stack?: string } };

if (!parentPort)
  throw new Error('local/handler-worker.ts runs as a worker thread of local/handler-workers.ts');
const port = parentPort;
const data = workerData as HandlerWorkerData;
installClock(new SharedClockView(data.clock));
// Before any handler loads: what each invocation writes goes to its function's log file.
installInvocationRuntime(data.logDirectory);
const requests = data.emulatorPorts ? new EmulatorRequestRecorder(data.emulatorPorts) : undefined;
const functions = import(data.functionsModule) as Promise<FunctionsModule>;
// A module that cannot load fails each invocation with its error, rather than ending the worker.
functions.catch(() => {});

port.on('message', async (message: ToHandlerWorker) => {
  if (message.kind === 'statistics') {
    const answer: FromHandlerWorker = {
      id: message.id,
      ok: true,
      result: { emulators: requests?.emulators ?? {}, operations: requests?.operations ?? {} },
    };
    port.postMessage(answer);
    return;
  }
  let answer: FromHandlerWorker;
  try {
    answer = {
      id: message.id,
      ok: true,
      result: await asInvocation(message.name, async () =>
        (await functions).runHandler(message.name, message.payload),
      ),
    };
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    answer = {
      id: message.id,
      ok: false,
      error: {
        name: failure.name,
        message: failure.message,
        ...(failure.stack ? { stack: failure.stack } : {}),
      },
    };
  }
  port.postMessage(answer);
});
