import { describe, expect, it } from 'vitest';
import { pollUntil } from '../../local/free-port.ts';

describe('pollUntil', () => {
  it('answers the first value that is ready', async () => {
    let reads = 0;

    const value = await pollUntil(
      'the third read',
      async () => ++reads,
      (n) => n >= 3,
      { intervalMs: 1 },
    );

    expect(value).toBe(3);
  });

  it('says what it waited for and what it last saw when the deadline passes', async () => {
    const waiting = pollUntil(
      'a ready case',
      async () => 'collating',
      (status) => status === 'completed',
      {
        timeoutMs: 30,
        intervalMs: 5,
        describe: (status) => `status ${status}`,
      },
    );

    await expect(waiting).rejects.toThrow(/waiting for a ready case \(last seen: status collating\)/);
  });
});
