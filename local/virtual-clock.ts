import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Temporal } from 'temporal-polyfill';
import * as z from 'zod';
import type { Clock } from '../shared/clock.ts';

/** Node keeps a timer delay in a signed 32-bit int; a longer delay fires at once. */
const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;
/** How often (real time) a flowing clock writes its state file between jumps. */
const PERSIST_INTERVAL_MS = 1_000;
const DEFAULT_SPEED = 60;

/** What the state file holds: enough for a restarted stack to carry on from the same instant. */
const persistedClockState = z.object({
  virtualNow: z.iso.datetime({ offset: true }),
  speed: z.number().nonnegative(),
});
type PersistedClockState = z.infer<typeof persistedClockState>;

/** Options for {@link VirtualClock}. */
export interface VirtualClockOptions {
  /** The virtual instant the clock shows when it is created. */
  start: Date;
  /** Virtual milliseconds per real millisecond: 60 makes a virtual hour pass in a real minute; 0 stops the flow (only jumps move it). Default 60. */
  speed?: number;
  /** JSON file the clock writes `{ virtualNow, speed }` to on every jump and every second, so a restart resumes from the same virtual time. */
  statePath?: string;
}

/** One sleeper waiting for a virtual instant, as {@link VirtualClock.pending} reports it. */
export interface PendingWake {
  at: Date;
  label?: string;
}

interface Wake {
  at: number;
  label?: string;
  resolve: () => void;
}

/**
 * The local stack's clock (ARCHITECTURE §5): virtual time that flows faster than real time
 * and can jump forward to the next thing anyone is waiting for, so a 15-working-day review runs
 * in seconds while every date stays a real calendar date. It never goes backwards.
 *
 * Virtual now is `anchorVirtual + (realNow − anchorReal) × speed`, re-anchored on every jump
 * or change of speed; real time comes from the monotonic `performance.now()`, so a change of
 * the machine's wall clock cannot move it.
 */
export class VirtualClock implements Clock {
  /** Where other threads read this clock (see {@link SharedClockView}); written on every change. */
  readonly shared = new SharedClockState();
  #anchorVirtual: number;
  #anchorReal: number;
  #speed: number;
  /** Highest instant handed out, so float rounding can never make `now()` step back. */
  #highWater: number;
  readonly #statePath: string | undefined;
  #wakes: Wake[] = [];
  #timer: NodeJS.Timeout | undefined;
  #persistTimer: NodeJS.Timeout | undefined;
  #disposed = false;

  constructor(options: VirtualClockOptions) {
    const start = options.start.getTime();
    if (!Number.isFinite(start)) throw new RangeError('VirtualClock needs a valid start date');
    const speed = options.speed ?? DEFAULT_SPEED;
    assertSpeed(speed);
    this.#anchorVirtual = start;
    this.#anchorReal = performance.now();
    this.#speed = speed;
    this.#highWater = start;
    this.#publish();
    this.#statePath = options.statePath;
    if (this.#statePath) {
      this.#persist();
      this.#persistTimer = setInterval(() => this.#persist(), PERSIST_INTERVAL_MS);
      // Saving the clock is no reason to keep a process alive.
      this.#persistTimer.unref();
    }
  }

  /**
   * A clock resumed from `statePath` when that file exists (its saved instant and speed win),
   * otherwise a new one from `defaults`. Either way it keeps saving to `statePath`.
   */
  static load(statePath: string, defaults: { start: Date; speed?: number }): VirtualClock {
    if (!existsSync(statePath)) return new VirtualClock({ ...defaults, statePath });
    const parsed = persistedClockState.safeParse(JSON.parse(readFileSync(statePath, 'utf8')));
    if (!parsed.success) {
      throw new Error(`The virtual clock state in ${statePath} is not valid: ${parsed.error.message}`);
    }
    return new VirtualClock({ start: new Date(parsed.data.virtualNow), speed: parsed.data.speed, statePath });
  }

  /** Virtual milliseconds per real millisecond. */
  get speed(): number {
    return this.#speed;
  }

  now(): Date {
    return new Date(this.#nowMs());
  }

  /**
   * Resolves once virtual now has reached `instant`, whether time flowed there or jumped past
   * it. Until then the wake is listed by {@link pending} under `label`, which is what
   * {@link advanceToNext} reports. An abort removes the wake and rejects with the signal's reason.
   */
  sleepUntil(instant: Date, options: { signal?: AbortSignal; label?: string } = {}): Promise<void> {
    const { signal, label } = options;
    const at = instant.getTime();
    if (!Number.isFinite(at)) return Promise.reject(new RangeError('sleepUntil needs a valid date'));
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (at <= this.#nowMs()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        this.#wakes = this.#wakes.filter((candidate) => candidate !== wake);
        this.#schedule();
        reject(signal?.reason);
      };
      const wake: Wake = {
        at,
        ...(label === undefined ? {} : { label }),
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#wakes.push(wake);
      this.#wakes.sort((a, b) => a.at - b.at);
      this.#schedule();
    });
  }

  /** Jumps to `instant` and wakes everyone waiting until then; an instant in the past changes nothing. */
  advanceTo(instant: Date): Date {
    const target = instant.getTime();
    if (!Number.isFinite(target)) throw new RangeError('advanceTo needs a valid date');
    if (target > this.#nowMs()) this.#reanchor(target);
    this.#wakeDue();
    this.#persist();
    return this.now();
  }

  /**
   * Jumps forward by an ISO 8601 duration such as `P2D` or `PT3H`. A day is exactly 24 hours
   * (the virtual clock is a timeline, not a calendar); years and months have no fixed length
   * and are refused, as are negative durations.
   */
  advanceBy(isoDuration: string): Date {
    const duration = Temporal.Duration.from(isoDuration);
    if (duration.sign < 0) throw new RangeError(`The clock never goes backwards: ${isoDuration}`);
    if (duration.years !== 0 || duration.months !== 0) {
      throw new RangeError(`Years and months have no fixed length; say it in days: ${isoDuration}`);
    }
    const hours = (duration.weeks * 7 + duration.days) * 24 + duration.hours;
    const milliseconds =
      ((hours * 60 + duration.minutes) * 60 + duration.seconds) * 1000 +
      duration.milliseconds +
      duration.microseconds / 1_000 +
      duration.nanoseconds / 1_000_000;
    return this.advanceTo(new Date(this.#nowMs() + milliseconds));
  }

  /**
   * Jumps to the earliest pending wake, waking it and any due at the same instant, and says
   * which instant (time may flow a little past it); undefined when nobody waits.
   */
  advanceToNext(): { to: Date; label?: string } | undefined {
    const next = this.#wakes[0];
    if (!next) return undefined;
    const to = new Date(next.at);
    this.advanceTo(to);
    return next.label === undefined ? { to } : { to, label: next.label };
  }

  /** Everyone still waiting, earliest first. */
  pending(): PendingWake[] {
    return this.#wakes.map((wake) =>
      wake.label === undefined ? { at: new Date(wake.at) } : { at: new Date(wake.at), label: wake.label },
    );
  }

  /** Changes how fast virtual time flows from now on (0 stops the flow); the current instant is kept. */
  setSpeed(speed: number): void {
    assertSpeed(speed);
    this.#reanchor(this.#nowMs());
    this.#speed = speed;
    this.#publish();
    this.#schedule();
    this.#persist();
  }

  /**
   * Stops the real timers and saves the state one last time. Time no longer flows on its own
   * afterwards, but jumps still work and still wake sleepers.
   */
  dispose(): void {
    if (this.#disposed) return;
    this.#persist();
    this.#disposed = true;
    clearTimeout(this.#timer);
    clearInterval(this.#persistTimer);
    this.#timer = undefined;
    this.#persistTimer = undefined;
  }

  #nowMs(): number {
    this.#highWater = virtualNowMs(
      {
        anchorVirtual: this.#anchorVirtual,
        anchorReal: this.#anchorReal,
        speed: this.#speed,
        highWater: this.#highWater,
      },
      performance.now(),
    );
    return this.#highWater;
  }

  #reanchor(virtualMs: number): void {
    this.#anchorVirtual = virtualMs;
    this.#anchorReal = performance.now();
    this.#highWater = Math.max(this.#highWater, virtualMs);
    this.#publish();
  }

  #publish(): void {
    this.shared.write({
      anchorVirtual: this.#anchorVirtual,
      anchorRealEpoch: performance.timeOrigin + this.#anchorReal,
      speed: this.#speed,
      highWater: this.#highWater,
    });
  }

  #wakeDue(): void {
    const now = this.#nowMs();
    const due = this.#wakes.filter((wake) => wake.at <= now);
    if (due.length > 0) {
      this.#wakes = this.#wakes.filter((wake) => wake.at > now);
      for (const wake of due) wake.resolve();
    }
    this.#schedule();
  }

  /** Keeps exactly one real timer, set for the earliest wake at the current speed. */
  #schedule(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const next = this.#wakes[0];
    if (!next || this.#disposed || this.#speed === 0) return;
    const realDelay = Math.ceil((next.at - this.#nowMs()) / this.#speed);
    // A timer can fire a little early; #wakeDue then finds nothing due and sets the next one.
    this.#timer = setTimeout(() => this.#wakeDue(), Math.min(Math.max(realDelay, 1), MAX_TIMER_DELAY_MS));
  }

  #persist(): void {
    if (!this.#statePath || this.#disposed) return;
    const state: PersistedClockState = { virtualNow: this.now().toISOString(), speed: this.#speed };
    mkdirSync(dirname(this.#statePath), { recursive: true });
    // Write then rename, so a crash mid-write never leaves a half file to resume from.
    const partial = `${this.#statePath}.partial`;
    writeFileSync(partial, `${JSON.stringify(state, null, 2)}\n`);
    renameSync(partial, this.#statePath);
  }
}

function assertSpeed(speed: number): void {
  if (!Number.isFinite(speed) || speed < 0) {
    throw new RangeError(`The clock speed must be a finite number ≥ 0, not ${speed}`);
  }
}

/**
 * Virtual now, in whole milliseconds, from a clock's anchors and the real time now:
 * `anchorVirtual + (realNow − anchorReal) × speed`, never before `highWater`. `realNow` and
 * `anchorReal` may be on any scale, the same for both (`performance.now()`, or epoch milliseconds
 * in another thread).
 */
export function virtualNowMs(
  anchors: { anchorVirtual: number; anchorReal: number; speed: number; highWater: number },
  realNow: number,
): number {
  const flowed = anchors.anchorVirtual + (realNow - anchors.anchorReal) * anchors.speed;
  return Math.max(anchors.highWater, Math.floor(flowed));
}

/** What a clock's readers in other threads need: its anchors, its speed and its high-water mark. */
interface ClockAnchors {
  anchorVirtual: number;
  /** The anchor's real instant in epoch milliseconds (`performance.timeOrigin + performance.now()`). */
  anchorRealEpoch: number;
  speed: number;
  highWater: number;
}

/**
 * A virtual clock's state in shared memory, so the handlers' worker threads read the same
 * virtual time as the stack. One writer (the clock), many readers; a sequence number makes a
 * reader retry a read that overlapped a write (a seqlock), so no reader sees half of one.
 */
export class SharedClockState {
  readonly buffer: SharedArrayBuffer;
  readonly #sequence: Int32Array;
  readonly #values: Float64Array;

  constructor(buffer = new SharedArrayBuffer(8 + 4 * 8)) {
    this.buffer = buffer;
    this.#sequence = new Int32Array(buffer, 0, 1);
    this.#values = new Float64Array(buffer, 8, 4);
  }

  write(anchors: ClockAnchors): void {
    Atomics.add(this.#sequence, 0, 1);
    this.#values[0] = anchors.anchorVirtual;
    this.#values[1] = anchors.anchorRealEpoch;
    this.#values[2] = anchors.speed;
    this.#values[3] = anchors.highWater;
    Atomics.add(this.#sequence, 0, 1);
  }

  read(): ClockAnchors {
    for (;;) {
      const before = Atomics.load(this.#sequence, 0);
      const anchors = {
        anchorVirtual: this.#values[0] as number,
        anchorRealEpoch: this.#values[1] as number,
        speed: this.#values[2] as number,
        highWater: this.#values[3] as number,
      };
      if (before % 2 === 0 && Atomics.load(this.#sequence, 0) === before) return anchors;
    }
  }
}

/**
 * A virtual clock read from another thread: the handlers' worker threads install it as their
 * clock, so every "now" a handler asks for is the stack's virtual time. It never goes backwards.
 */
export class SharedClockView implements Clock {
  readonly #state: SharedClockState;
  #highWater = 0;

  constructor(buffer: SharedArrayBuffer) {
    this.#state = new SharedClockState(buffer);
  }

  now(): Date {
    const { anchorVirtual, anchorRealEpoch, speed, highWater } = this.#state.read();
    const shown = virtualNowMs(
      { anchorVirtual, anchorReal: anchorRealEpoch, speed, highWater },
      performance.timeOrigin + performance.now(),
    );
    this.#highWater = Math.max(this.#highWater, shown);
    return new Date(this.#highWater);
  }
}
