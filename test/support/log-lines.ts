import { type MockInstance, vi } from 'vitest';

/**
 * What the functions write to standard output and standard error while a test runs, where
 * Lambda (and the local stack) take their log lines from: Powertools' Logger and Metrics write
 * there through consoles of their own, which a spy on `console` does not see. Kept from the
 * terminal; restored after each test with `vi.restoreAllMocks()` (or `restore`).
 */
export interface CapturedOutput {
  /** Every line written, in order. */
  lines(): string[];
  /** The lines that are JSON objects, parsed. */
  records(): Record<string, unknown>[];
  /** The log lines at ERROR level. */
  errors(): Record<string, unknown>[];
  /** The embedded-metric-format lines: each metric's name with its value and dimensions. */
  metrics(): { name: string; value: unknown; dimensions: Record<string, unknown> }[];
  restore(): void;
}

export function captureOutput(): CapturedOutput {
  const written: string[] = [];
  const spies: MockInstance[] = [process.stdout, process.stderr].map((stream) =>
    vi.spyOn(stream, 'write').mockImplementation(((chunk: unknown) => {
      written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      return true;
    }) as typeof stream.write),
  );
  const lines = () =>
    written
      .join('')
      .split('\n')
      .filter((line) => line.trim() !== '');
  const records = () =>
    lines().flatMap((line) => {
      try {
        const value = JSON.parse(line) as unknown;
        return typeof value === 'object' && value !== null ? [value as Record<string, unknown>] : [];
      } catch {
        return [];
      }
    });
  return {
    lines,
    records,
    errors: () => records().filter((record) => record.level === 'ERROR'),
    metrics: () =>
      records().flatMap((record) => {
        const directives = (record._aws as { CloudWatchMetrics?: unknown[] } | undefined)?.CloudWatchMetrics;
        if (!Array.isArray(directives)) return [];
        return directives.flatMap((directive) => {
          const { Dimensions, Metrics } = directive as {
            Dimensions: string[][];
            Metrics: { Name: string }[];
          };
          const dimensions = Object.fromEntries(Dimensions.flat().map((key) => [key, record[key]]));
          return Metrics.map((metric) => ({ name: metric.Name, value: record[metric.Name], dimensions }));
        });
      }),
    restore: () => {
      for (const spy of spies) spy.mockRestore();
    },
  };
}
