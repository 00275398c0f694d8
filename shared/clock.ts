/** Where every "now" comes from (ARCHITECTURE §4.4). */
export interface Clock {
  now(): Date;
}

/** The wall clock, used on AWS. */
export const systemClock: Clock = { now: () => new Date() };

/** A clock fixed at one instant, for tests and for computing a plan "as of" a moment. */
export function fixedClock(instant: Date | string): Clock {
  const at = new Date(instant);
  return { now: () => new Date(at) };
}

let processClock: Clock = systemClock;

/**
 * The clock handlers read. It is the wall clock unless the process that hosts the handlers
 * installs another one (the local stack installs its virtual clock at start-up), so handler
 * code never asks where it runs.
 */
export function appClock(): Clock {
  return processClock;
}

/** Installs the clock `appClock()` returns; the host process calls this once, before serving. */
export function installClock(clock: Clock): void {
  processClock = clock;
}
