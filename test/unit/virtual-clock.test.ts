import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../local/free-port.ts';
import { SharedClockView, VirtualClock, virtualNowMs } from '../../local/virtual-clock.ts';

const start = new Date('2026-03-02T09:00:00.000Z');
const clocks: VirtualClock[] = [];
const directories: string[] = [];

/** A clock that stands still unless told otherwise, disposed after each test. */
function clock(options: { speed?: number; statePath?: string } = {}): VirtualClock {
  const created = new VirtualClock({ start, speed: 0, ...options });
  clocks.push(created);
  return created;
}

function temporaryDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), 'virtual-clock-'));
  directories.push(directory);
  return directory;
}

/** Tracks whether a promise has settled, without waiting for it. */
function track(promise: Promise<void>): { settled: () => boolean; rejection: () => unknown } {
  let settled = false;
  let rejection: unknown;
  promise.then(
    () => {
      settled = true;
    },
    (error: unknown) => {
      settled = true;
      rejection = error;
    },
  );
  return { settled: () => settled, rejection: () => rejection };
}

afterEach(() => {
  for (const created of clocks.splice(0)) created.dispose();
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

describe('VirtualClock', () => {
  it('starts at the given instant and stays there at speed 0', async () => {
    const stopped = clock();
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped.now().toISOString()).toBe(start.toISOString());
  });

  it('jumps forward by ISO durations, a day being exactly 24 hours', () => {
    const jumping = clock();
    expect(jumping.advanceBy('P2D').toISOString()).toBe('2026-03-04T09:00:00.000Z');
    expect(jumping.advanceBy('PT3H30M').toISOString()).toBe('2026-03-04T12:30:00.000Z');
    // Across the spring-forward change in Europe/London (29 March 2026) a day is still 24 hours.
    jumping.advanceTo(new Date('2026-03-28T12:00:00.000Z'));
    expect(jumping.advanceBy('P1D').toISOString()).toBe('2026-03-29T12:00:00.000Z');
    expect(jumping.advanceBy('P1W').toISOString()).toBe('2026-04-05T12:00:00.000Z');
  });

  it('refuses durations that would go backwards or have no fixed length', () => {
    const jumping = clock();
    expect(() => jumping.advanceBy('-P1D')).toThrow(/never goes backwards/);
    expect(() => jumping.advanceBy('P1M')).toThrow(/fixed length/);
    expect(jumping.now().toISOString()).toBe(start.toISOString());
  });

  it('never goes backwards: advancing to the past changes nothing', () => {
    const jumping = clock();
    jumping.advanceBy('P1D');
    const later = jumping.now();
    expect(jumping.advanceTo(new Date('2020-01-01T00:00:00.000Z')).getTime()).toBe(later.getTime());
    expect(jumping.now().getTime()).toBe(later.getTime());
  });

  it('lists pending wakes earliest first with their labels', () => {
    const waiting = clock();
    void waiting.sleepUntil(new Date('2026-03-10T09:00:00.000Z'), { label: 'day 6' });
    void waiting.sleepUntil(new Date('2026-03-03T09:00:00.000Z'), { label: 'day 1' });
    void waiting.sleepUntil(new Date('2026-03-05T09:00:00.000Z'));
    expect(waiting.pending()).toEqual([
      { at: new Date('2026-03-03T09:00:00.000Z'), label: 'day 1' },
      { at: new Date('2026-03-05T09:00:00.000Z') },
      { at: new Date('2026-03-10T09:00:00.000Z'), label: 'day 6' },
    ]);
  });

  it('advanceToNext jumps to the earliest wake and wakes only it', async () => {
    const waiting = clock();
    const first = track(waiting.sleepUntil(new Date('2026-03-03T09:00:00.000Z'), { label: 'reminder' }));
    const second = track(waiting.sleepUntil(new Date('2026-03-06T09:00:00.000Z'), { label: 'returns due' }));

    expect(waiting.advanceToNext()).toEqual({ to: new Date('2026-03-03T09:00:00.000Z'), label: 'reminder' });
    await waitFor('the first sleeper to wake', async () => first.settled(), {
      timeoutMs: 2_000,
      intervalMs: 1,
    });
    expect(second.settled()).toBe(false);
    expect(waiting.pending().map((wake) => wake.label)).toEqual(['returns due']);

    expect(waiting.advanceToNext()?.label).toBe('returns due');
    await waitFor('the second sleeper to wake', async () => second.settled(), {
      timeoutMs: 2_000,
      intervalMs: 1,
    });
    expect(waiting.advanceToNext()).toBeUndefined();
  });

  it('wakes a sleeper when a jump passes its instant', async () => {
    const waiting = clock();
    const sleeper = track(waiting.sleepUntil(new Date('2026-03-02T12:00:00.000Z')));
    waiting.advanceBy('PT2H');
    await new Promise((resolve) => setImmediate(resolve));
    expect(sleeper.settled()).toBe(false);
    waiting.advanceBy('PT1H');
    await waitFor('the sleeper to wake', async () => sleeper.settled(), { timeoutMs: 2_000, intervalMs: 1 });
    expect(waiting.now().getTime()).toBeGreaterThanOrEqual(Date.parse('2026-03-02T12:00:00.000Z'));
  });

  it('lets virtual time flow at its speed and wakes sleepers when it gets there', async () => {
    // Real time is measured from before the clock starts flowing: measured after, a pause between
    // the two (a busy machine) would make the flow look faster than it is.
    const realStart = performance.now();
    const flowing = clock({ speed: 1_000 });
    // Ten virtual seconds at 1000× is about ten real milliseconds.
    const target = new Date(start.getTime() + 10_000);
    const sleeper = track(flowing.sleepUntil(target, { label: 'ten seconds' }));
    await waitFor('virtual time to flow to the target', async () => sleeper.settled(), {
      timeoutMs: 5_000,
      intervalMs: 1,
    });
    const realElapsed = performance.now() - realStart;
    expect(flowing.now().getTime()).toBeGreaterThanOrEqual(target.getTime());
    expect(flowing.pending()).toEqual([]);
    // It flowed rather than jumped: at least ~10 real ms passed, and now() tracks speed × elapsed.
    expect(realElapsed).toBeGreaterThanOrEqual(9);
    expect(flowing.now().getTime() - start.getTime()).toBeLessThanOrEqual(
      (performance.now() - realStart) * 1_000 + 1,
    );
  });

  it('rejects and forgets a sleeper whose signal aborts', async () => {
    const waiting = clock();
    const controller = new AbortController();
    const sleeper = track(
      waiting.sleepUntil(new Date('2026-03-09T09:00:00.000Z'), { signal: controller.signal }),
    );
    controller.abort(new Error('stopped'));
    await waitFor('the sleeper to reject', async () => sleeper.settled(), {
      timeoutMs: 2_000,
      intervalMs: 1,
    });
    expect(sleeper.rejection()).toEqual(new Error('stopped'));
    expect(waiting.pending()).toEqual([]);
    await expect(
      waiting.sleepUntil(new Date('2026-03-09T09:00:00.000Z'), { signal: controller.signal }),
    ).rejects.toThrow('stopped');
  });

  it('resolves at once for an instant already reached', async () => {
    const waiting = clock();
    await expect(waiting.sleepUntil(new Date('2026-03-01T00:00:00.000Z'))).resolves.toBeUndefined();
    expect(waiting.pending()).toEqual([]);
  });

  it('saves its instant and speed on each jump and resumes from them', () => {
    const statePath = join(temporaryDirectory(), 'nested', 'clock.json');
    const first = clock({ statePath, speed: 0 });
    first.advanceBy('P3D');
    expect(JSON.parse(readFileSync(statePath, 'utf8'))).toEqual({
      virtualNow: '2026-03-05T09:00:00.000Z',
      speed: 0,
    });
    first.dispose();

    const resumed = VirtualClock.load(statePath, { start: new Date('2030-01-01T00:00:00.000Z'), speed: 60 });
    clocks.push(resumed);
    expect(resumed.now().toISOString()).toBe('2026-03-05T09:00:00.000Z');
    expect(resumed.speed).toBe(0);
  });

  it('starts from the defaults when there is no saved state yet', () => {
    const statePath = join(temporaryDirectory(), 'clock.json');
    const fresh = VirtualClock.load(statePath, { start, speed: 0 });
    clocks.push(fresh);
    expect(fresh.now().toISOString()).toBe(start.toISOString());
    expect(JSON.parse(readFileSync(statePath, 'utf8')).virtualNow).toBe(start.toISOString());
  });
});

describe('virtualNowMs', () => {
  it('adds the real time since the anchor at the speed, in whole milliseconds', () => {
    const anchors = { anchorVirtual: 1_000, anchorReal: 50, speed: 60, highWater: 0 };
    expect(virtualNowMs(anchors, 50)).toBe(1_000);
    expect(virtualNowMs(anchors, 60)).toBe(1_600);
    expect(virtualNowMs(anchors, 60.01)).toBe(1_600);
  });

  it('never answers before the high-water mark', () => {
    expect(virtualNowMs({ anchorVirtual: 1_000, anchorReal: 50, speed: 0, highWater: 5_000 }, 90)).toBe(
      5_000,
    );
  });
});

describe('SharedClockView', () => {
  it('reads what the clock writes: its jumps and its flow', async () => {
    const written = clock();
    const view = new SharedClockView(written.shared.buffer);
    expect(view.now().toISOString()).toBe(start.toISOString());

    written.advanceBy('P2D');
    expect(view.now().toISOString()).toBe('2026-03-04T09:00:00.000Z');
    written.advanceTo(new Date('2026-03-10T12:30:00.000Z'));
    expect(view.now().toISOString()).toBe('2026-03-10T12:30:00.000Z');

    written.setSpeed(1_000);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const before = written.now().getTime();
    const seen = view.now().getTime();
    const after = written.now().getTime();
    expect(seen).toBeGreaterThan(Date.parse('2026-03-10T12:30:00.000Z'));
    // The view reckons real time from the epoch, the clock from its own start: a millisecond of rounding.
    expect(seen).toBeGreaterThanOrEqual(before - 1);
    expect(seen).toBeLessThanOrEqual(after + 1);
  });
});
