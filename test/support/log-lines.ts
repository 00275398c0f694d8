import { type MockInstance, onTestFinished, vi } from 'vitest';
import { metrics } from '../../shared/metrics.ts';

/**
 * What the functions write to standard output and standard error while a test runs, where
 * Lambda (and the local stack) take their log lines from: Powertools' Logger and Metrics write
 * there through consoles of their own, which a spy on `console` does not see. Kept from the
 * terminal until the test ends (or `restore`).
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
  /**
   * Publishes what was counted and not yet published, as a handler's `logMetrics` does when its
   * invocation ends (a use case called directly has no handler around it), then answers `metrics()`.
   */
  publishedMetrics(): { name: string; value: unknown; dimensions: Record<string, unknown> }[];
  /**
   * `publishedMetrics()` added up, as CloudWatch's Sum would: by name, a dimension's value in
   * brackets (`ReturnsReceived[Late]`); a metric counted twice in one invocation is published as
   * a list of values.
   */
  publishedCounts(): Record<string, number>;
  restore(): void;
}

/** Starts capturing, with nothing counted yet (what an earlier test counted and never published is dropped). */
export function captureOutput(): CapturedOutput {
  metrics.clearMetrics();
  const written: string[] = [];
  const spies: MockInstance[] = [process.stdout, process.stderr].map((stream) =>
    vi.spyOn(stream, 'write').mockImplementation(((chunk: unknown) => {
      written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      return true;
    }) as typeof stream.write),
  );
  onTestFinished(() => {
    for (const spy of spies) spy.mockRestore();
  });
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
  const metricLines = () =>
    records().flatMap((record) => {
      const directives = (record._aws as { CloudWatchMetrics?: unknown[] } | undefined)?.CloudWatchMetrics;
      if (!Array.isArray(directives)) return [];
      return directives.flatMap((directive) => {
        const { Dimensions, Metrics } = directive as { Dimensions: string[][]; Metrics: { Name: string }[] };
        const dimensions = Object.fromEntries(Dimensions.flat().map((key) => [key, record[key]]));
        return Metrics.map((metric) => ({ name: metric.Name, value: record[metric.Name], dimensions }));
      });
    });
  return {
    lines,
    records,
    errors: () => records().filter((record) => record.level === 'ERROR'),
    metrics: metricLines,
    publishedMetrics: () => {
      metrics.publishStoredMetrics();
      return metricLines();
    },
    publishedCounts: () => {
      metrics.publishStoredMetrics();
      const counts: Record<string, number> = {};
      for (const { name, value, dimensions } of metricLines()) {
        const values = Object.values(dimensions);
        const key = values.length > 0 ? `${name}[${values.join(',')}]` : name;
        const total = (Array.isArray(value) ? value : [value]).reduce(
          (sum: number, item) => sum + Number(item),
          0,
        );
        counts[key] = (counts[key] ?? 0) + total;
      }
      return counts;
    },
    restore: () => {
      for (const spy of spies) spy.mockRestore();
    },
  };
}
