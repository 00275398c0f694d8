import { describe, expect, it } from 'vitest';
import { dailyRun, dailySlotOf } from '../../../local/daily-runs.ts';

/**
 * The local stack's daily scheduled run (chase-actions, 03:00 UTC on AWS) on the virtual clock:
 * once for each time the clock passes a run time, never at start, never twice for one run time.
 */
describe('a daily run on the virtual clock', () => {
  function world(startsAt: string) {
    let now = new Date(startsAt);
    const runs: string[] = [];
    const daily = dailyRun(
      () => now,
      async () => {
        runs.push(now.toISOString());
      },
    );
    return {
      runs,
      daily,
      moveTo: (at: string) => {
        now = new Date(at);
      },
    };
  }

  it('takes 03:00 UTC of the day, or of the day before when earlier', () => {
    expect(new Date(dailySlotOf(new Date('2026-03-10T03:00:00.000Z'))).toISOString()).toBe(
      '2026-03-10T03:00:00.000Z',
    );
    expect(new Date(dailySlotOf(new Date('2026-03-10T02:59:59.000Z'))).toISOString()).toBe(
      '2026-03-09T03:00:00.000Z',
    );
  });

  it('runs nothing until the clock passes a run time, then once, however many days it jumped', async () => {
    const { runs, daily, moveTo } = world('2026-03-10T09:00:00.000Z');

    expect(await daily.due()).toBe(false);
    moveTo('2026-03-11T02:59:00.000Z');
    expect(await daily.due()).toBe(false);
    moveTo('2026-03-11T03:00:00.000Z');
    expect(await daily.due()).toBe(true);
    expect(await daily.due()).toBe(false);
    moveTo('2026-03-20T17:00:00.000Z');
    expect(await daily.due()).toBe(true);

    expect(runs).toEqual(['2026-03-11T03:00:00.000Z', '2026-03-20T17:00:00.000Z']);
  });

  it('runs once when asked twice at the same time, the second waiting for the first', async () => {
    const { runs, daily, moveTo } = world('2026-03-10T09:00:00.000Z');
    moveTo('2026-03-12T09:00:00.000Z');

    const answers = await Promise.all([daily.due(), daily.due()]);

    expect(answers.sort()).toEqual([false, true]);
    expect(runs).toHaveLength(1);
  });
});
