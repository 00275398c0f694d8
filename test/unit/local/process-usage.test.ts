import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { memoryOf } from '../../../local/process-usage.ts';

describe.runIf(existsSync('/proc/self/status'))("a process's memory, from /proc", () => {
  it("reads this process's resident memory and its high-water mark", () => {
    const memory = memoryOf(process.pid);

    expect(memory.rssBytes).toBeGreaterThan(0);
    expect(memory.peakRssBytes).toBeGreaterThanOrEqual(memory.rssBytes);
  });

  it('answers zeros for a process that is not there', () => {
    expect(memoryOf(2 ** 31 - 1)).toEqual({ rssBytes: 0, peakRssBytes: 0 });
  });
});
