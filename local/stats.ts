import { subscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';

/**
 * What the local stack spent its time on, for the benchmark (`npm run bench`): each function's
 * invocations, and each emulator's requests as the handlers met them (from Node's HTTP client
 * diagnostics channels: no handler code is touched). Counts and milliseconds only.
 */

/** Count, total and largest duration of one kind of work, in milliseconds. */
export interface Timing {
  count: number;
  totalMs: number;
  maxMs: number;
  failures: number;
}

export interface StackStatistics {
  /** By function name (functions/catalogue.ts). */
  functions: Record<string, Timing>;
  /** By emulator (dynamodb, s3, ses, sfn, api), as the HTTP clients in this process saw them. */
  emulators: Record<string, Timing>;
  /** By emulator and operation, where the request names one (`dynamodb TransactWriteItems`). */
  operations: Record<string, Timing>;
}

function emptyTiming(): Timing {
  return { count: 0, totalMs: 0, maxMs: 0, failures: 0 };
}

/** The timing kept under `name`, made when first needed. */
function timingOf(into: Record<string, Timing>, name: string): Timing {
  into[name] ??= emptyTiming();
  return into[name];
}

/** Counts one piece of work of kind `name`: how long it took and whether it failed. */
export function addTiming(
  into: Record<string, Timing>,
  name: string,
  milliseconds: number,
  failed: boolean,
): void {
  const timing = timingOf(into, name);
  timing.count += 1;
  timing.totalMs += milliseconds;
  timing.maxMs = Math.max(timing.maxMs, milliseconds);
  if (failed) timing.failures += 1;
}

/** Adds `more` into `into`, kind by kind. */
export function mergeTimings(into: Record<string, Timing>, more: Record<string, Timing>): void {
  for (const [name, timing] of Object.entries(more)) {
    const target = timingOf(into, name);
    target.count += timing.count;
    target.totalMs += timing.totalMs;
    target.maxMs = Math.max(target.maxMs, timing.maxMs);
    target.failures += timing.failures;
  }
}

/**
 * Records the HTTP requests made from this thread to the emulators, by the port each listens
 * on, for as long as the thread runs. Requests to other ports are not counted.
 */
export class EmulatorRequestRecorder {
  readonly emulators: Record<string, Timing> = {};
  readonly operations: Record<string, Timing> = {};
  readonly #ports: ReadonlyMap<string, string>;
  readonly #started = new WeakMap<ClientRequest, number>();
  readonly #onStart = (message: unknown) => {
    const { request } = message as { request: ClientRequest };
    this.#started.set(request, performance.now());
  };
  readonly #onFinish = (message: unknown) => {
    const { request, response } = message as { request: ClientRequest; response: { statusCode?: number } };
    this.#record(request, (response.statusCode ?? 0) >= 500);
  };
  readonly #onError = (message: unknown) => {
    this.#record((message as { request: ClientRequest }).request, true);
  };

  /** `ports`: emulator name by port, e.g. `{ '43121': 'dynamodb' }`. */
  constructor(ports: Record<string, string>) {
    this.#ports = new Map(Object.entries(ports));
    subscribe('http.client.request.start', this.#onStart);
    subscribe('http.client.response.finish', this.#onFinish);
    subscribe('http.client.request.error', this.#onError);
  }

  #record(request: ClientRequest, failed: boolean): void {
    const started = this.#started.get(request);
    if (started === undefined) return;
    this.#started.delete(request);
    const host = String(request.getHeader('host') ?? '');
    const emulator = this.#ports.get(host.slice(host.lastIndexOf(':') + 1));
    if (!emulator) return;
    const milliseconds = performance.now() - started;
    addTiming(this.emulators, emulator, milliseconds, failed);
    // DynamoDB and Step Functions name the operation in X-Amz-Target (`DynamoDB_20120810.Query`).
    const target = String(request.getHeader('x-amz-target') ?? '');
    const operation = target ? target.slice(target.lastIndexOf('.') + 1) : `${request.method} request`;
    addTiming(this.operations, `${emulator} ${operation}`, milliseconds, failed);
  }
}
