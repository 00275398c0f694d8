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
