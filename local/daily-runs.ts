/** The hour (UTC) at which a daily scheduled function runs on AWS (infra/stacks/api-stack.ts). */
export const DAILY_RUN_HOUR_UTC = 3;

/** The latest daily run's time at or before `at`: 03:00 UTC of that day, or of the day before. */
export function dailySlotOf(at: Date): number {
  const slot = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate(), DAILY_RUN_HOUR_UTC);
  return slot <= at.getTime() ? slot : slot - 24 * 60 * 60 * 1000;
}

/**
 * A daily scheduled function on the local stack's virtual clock: `due()` runs it once when the
 * clock has passed a daily run time (03:00 UTC, as EventBridge runs it on AWS) since it last ran
 * or since the stack started; once however many days the clock jumped, since a daily function
 * does what is due by now (each reminder once, whatever day it is asked). Calls while a run is
 * under way wait for it rather than running again.
 */
export function dailyRun(now: () => Date, run: () => Promise<unknown>): { due(): Promise<boolean> } {
  let lastSlot = dailySlotOf(now());
  let running: Promise<unknown> | undefined;
  return {
    async due() {
      if (running) await running;
      const slot = dailySlotOf(now());
      if (slot <= lastSlot) return false;
      lastSlot = slot;
      running = run().finally(() => {
        running = undefined;
      });
      await running;
      return true;
    },
  };
}
