import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';

export const executionStatuses = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] as const;
export type ExecutionStatus = (typeof executionStatuses)[number];

/** One history event as Step Functions reports it; `details` goes out under `<type>EventDetails`. */
export const historyEvent = z.object({
  id: z.number().int().min(1),
  previousEventId: z.number().int().min(0),
  /** Virtual time, ISO 8601. */
  timestamp: z.iso.datetime(),
  type: z.string().min(1),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type HistoryEvent = z.infer<typeof historyEvent>;

/** Everything the service knows about one execution; what it writes to disk and reads back. */
export const executionRecord = z.object({
  executionArn: z.string().min(1),
  stateMachineArn: z.string().min(1),
  stateMachineName: z.string().min(1),
  name: z.string().min(1),
  status: z.enum(executionStatuses),
  /** Execution input, output and the error's cause are JSON text, as the API returns them. */
  input: z.string(),
  output: z.string().optional(),
  error: z.string().optional(),
  cause: z.string().optional(),
  startDate: z.iso.datetime(),
  stopDate: z.iso.datetime().optional(),
  /** The last top-level state entered and its input: where a RUNNING execution resumes after a restart. */
  resumeFrom: z.object({ stateName: z.string().min(1), input: z.string() }).optional(),
  history: z.array(historyEvent),
});
export type ExecutionRecord = z.infer<typeof executionRecord>;

/**
 * Keeps each execution in its own JSON file under `<dataDirectory>/executions`. Saves are
 * queued and coalesced: a record changed many times while a write is under way is written
 * once more afterwards, always whole (write then rename), so a crash never leaves half a file.
 */
export class ExecutionStore {
  readonly #directory: string;
  readonly #dirty = new Map<string, ExecutionRecord>();
  #writing: Promise<void> | undefined;

  constructor(dataDirectory: string) {
    this.#directory = join(dataDirectory, 'executions');
  }

  /** Every execution saved so far; a file that does not parse is an error naming it. */
  async loadAll(): Promise<ExecutionRecord[]> {
    await mkdir(this.#directory, { recursive: true });
    const names = (await readdir(this.#directory)).filter((name) => name.endsWith('.json'));
    const records: ExecutionRecord[] = [];
    for (const name of names) {
      const path = join(this.#directory, name);
      const parsed = executionRecord.safeParse(JSON.parse(await readFile(path, 'utf8')));
      if (!parsed.success) throw new Error(`Saved execution ${path} is not valid: ${parsed.error.message}`);
      records.push(parsed.data);
    }
    return records;
  }

  /** Queues the record to be written; it is serialised when its turn comes, so later changes are included. */
  save(record: ExecutionRecord): void {
    this.#dirty.set(record.executionArn, record);
    this.#writing ??= this.#drain().finally(() => {
      this.#writing = undefined;
    });
  }

  /** Resolves once everything saved so far is on disk. */
  async flush(): Promise<void> {
    while (this.#writing) await this.#writing;
  }

  async #drain(): Promise<void> {
    await mkdir(this.#directory, { recursive: true });
    for (let next = this.#first(); next; next = this.#first()) {
      this.#dirty.delete(next.executionArn);
      const path = join(this.#directory, `${fileName(next.executionArn)}.json`);
      await writeFile(`${path}.partial`, JSON.stringify(next));
      await rename(`${path}.partial`, path);
    }
  }

  #first(): ExecutionRecord | undefined {
    return this.#dirty.values().next().value;
  }
}

/** Execution names may hold characters a file name cannot; the ARN's hash always fits. */
function fileName(executionArn: string): string {
  return createHash('sha256').update(executionArn).digest('hex').slice(0, 40);
}
