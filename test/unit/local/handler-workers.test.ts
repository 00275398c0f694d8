import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BroadcastChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { type HandlerFunctions, HandlerWorkers, handlerWorkerCount } from '../../../local/handler-workers.ts';
import { SharedClockState } from '../../../local/virtual-clock.ts';
import { holding } from './handler-workers.functions.ts';

const pools: HandlerWorkers[] = [];
const channels: BroadcastChannel[] = [];

/** A pool of `size` workers running the stand-in functions of handler-workers.functions.ts. */
function pool(size: number, timeoutMs = 10_000, logDirectory?: string): HandlerWorkers {
  const functions: HandlerFunctions = {
    module: new URL('./handler-workers.functions.ts', import.meta.url),
    resolve: (name) => name,
    timeoutMs: () => timeoutMs,
  };
  const created = new HandlerWorkers({
    clock: new SharedClockState().buffer,
    size,
    functions,
    ...(logDirectory ? { logDirectory } : {}),
  });
  pools.push(created);
  return created;
}

/** Tracks whether a promise has settled, without waiting for it. */
function track<T>(promise: Promise<T>): { promise: Promise<T>; settled: () => boolean } {
  let settled = false;
  promise.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  return { promise, settled: () => settled };
}

/** A broadcast channel to the `hold` function, and a promise of its first `holding`. */
function holdChannel(): { name: string; channel: BroadcastChannel; holding: Promise<void> } {
  const name = `handler-workers-test-${randomUUID()}`;
  const channel = new BroadcastChannel(name);
  channels.push(channel);
  const held = new Promise<void>((resolve) => {
    channel.onmessage = (event) => {
      if (event.data === holding) resolve();
    };
  });
  return { name, channel, holding: held };
}

afterEach(async () => {
  for (const channel of channels.splice(0)) channel.close();
  await Promise.all(pools.splice(0).map((created) => created.stop()));
});

describe('HandlerWorkers', () => {
  it('runs a function in a worker thread and answers with its result', async () => {
    const workers = pool(1);

    await expect(workers.invoke('echo', { caseId: 'C-1' })).resolves.toMatchObject({
      payload: { caseId: 'C-1' },
    });
  });

  it("writes each function's log lines to its own file as JSON lines, invocations running at once kept apart", async () => {
    const logDirectory = mkdtempSync(join(tmpdir(), 'handler-logs-'));
    try {
      const workers = pool(1, 10_000, logDirectory);

      const kept = await Promise.all([
        workers.invoke('log-a', 'first a'),
        workers.invoke('log-b', 'only b'),
        workers.invoke('log-a', 'second a'),
      ]);

      expect(kept).toEqual(['first a', 'only b', 'second a']);
      const linesOf = (name: string) =>
        readFileSync(join(logDirectory, `${name}.log`), 'utf8')
          .trimEnd()
          .split('\n')
          .map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(linesOf('log-a')).toEqual(
        expect.arrayContaining([
          { level: 'INFO', message: 'first line of log-a', payload: 'first a' },
          { level: 'INFO', message: 'first line of log-a', payload: 'second a' },
          expect.objectContaining({ level: 'ERROR', message: 'a plain line of log-a' }),
        ]),
      );
      expect(linesOf('log-a')).toHaveLength(4);
      expect(linesOf('log-b')).toEqual([
        { level: 'INFO', message: 'first line of log-b', payload: 'only b' },
        expect.objectContaining({ level: 'ERROR', message: 'a plain line of log-b' }),
      ]);
    } finally {
      rmSync(logDirectory, { recursive: true, force: true });
    }
  });

  it('fails an invocation that outlives its timeout with Sandbox.Timedout', async () => {
    const workers = pool(1, 100);

    await expect(workers.invoke('never', null)).rejects.toMatchObject({
      name: 'Sandbox.Timedout',
      message: 'Task timed out after 0.1 seconds',
    });
  });

  it("keeps the name of a handler's error across the thread", async () => {
    const workers = pool(1);

    const failure = await workers.invoke('fail', null).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(Error);
    expect(failure).toMatchObject({ name: 'CaseNotFound', message: 'The case does not exist' });
  });

  it('fails only the invocation of a worker that dies, replaces it and keeps serving', async () => {
    const workers = pool(2);
    const { name, channel, holding: isHolding } = holdChannel();
    // The first worker holds an invocation until told, so the crash goes to the second.
    const held = track(workers.invoke('hold', name) as Promise<{ threadId: number }>);
    await isHolding;

    await expect(workers.invoke('crash', null)).rejects.toMatchObject({
      name: 'Lambda.Unknown',
      message: expect.stringContaining('a stray callback threw'),
    });
    expect(held.settled()).toBe(false);
    // The least busy place in the pool is the dead worker's: a new worker there answers.
    const echoed = (await workers.invoke('echo', 'after the crash')) as { threadId: number };

    channel.postMessage('let go');
    const heldBy = await held.promise;
    expect(echoed.threadId).not.toBe(heldBy.threadId);
  });

  it('settles what is pending when it stops, and refuses work afterwards', async () => {
    const workers = pool(1);
    const figures = workers.statistics().catch((error: unknown) => error);
    const running = workers.invoke('never', null).catch((error: unknown) => error);

    await workers.stop();

    expect(await running).toMatchObject({
      name: 'Lambda.Unknown',
      message: expect.stringContaining('stopped'),
    });
    expect(await figures).toMatchObject({
      name: 'Lambda.Unknown',
      message: expect.stringContaining('stopped'),
    });
    await expect(workers.invoke('echo', null)).rejects.toThrow('stopped');
  });

  it('refuses a function the catalogue does not list, by default', async () => {
    const workers = new HandlerWorkers({ clock: new SharedClockState().buffer, size: 1 });
    pools.push(workers);

    await expect(workers.invoke('no-such-function', null)).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });
});

describe('handlerWorkerCount', () => {
  it('takes LOCAL_HANDLER_WORKERS when it is a whole number of 1 or more', () => {
    expect(handlerWorkerCount({ LOCAL_HANDLER_WORKERS: '4' })).toBe(4);
    expect(handlerWorkerCount({ LOCAL_HANDLER_WORKERS: '1' })).toBe(1);
  });

  it('defaults to at least one worker', () => {
    expect(handlerWorkerCount({})).toBeGreaterThanOrEqual(1);
  });

  it.each(['0', 'abc', '', '1.5', '-2', '2x'])('refuses LOCAL_HANDLER_WORKERS=%j, naming it', (setting) => {
    expect(() => handlerWorkerCount({ LOCAL_HANDLER_WORKERS: setting })).toThrow(
      /LOCAL_HANDLER_WORKERS must be a whole number of worker threads, 1 or more/,
    );
  });
});
