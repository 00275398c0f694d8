/**
 * The local stack (ARCHITECTURE §5) for one end-to-end test file: started in a temporary data
 * directory with the virtual clock standing still, so every date a page shows is known, its
 * cases in a table of its own on the run's shared DynamoDB Local, and stopped (and its
 * directory removed) after the file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { ReviewClient } from '../../../local/demo/review-client.ts';
import { type LocalStack, startLocalStack } from '../../../local/stack.ts';
import { sharedDynamoDbEndpoint } from '../../support/dynamodb.ts';

/**
 * Where the virtual clock starts: Wednesday 4 March 2026, 10:00 in London (GMT), a working day
 * inside working hours, so a notification sent at once has that day as Day 1.
 */
export const e2eStart = new Date('2026-03-04T10:00:00Z');

export interface E2eStack {
  /** The service's base URL, `http://127.0.0.1:<port>`: the pages, the API and the local routes. */
  readonly apiUrl: string;
  /** The local SES web inbox (every email sent). */
  readonly sesUrl: string;
  /** The service's HTTP API and the local extras: tokens, the clock, the inbox. */
  readonly client: ReviewClient;
  /** The running stack itself (clock, inbox, whenSettled). */
  readonly stack: LocalStack;
  /** Moves the virtual clock forward by an ISO duration ("P1D", "PT3H") and waits for the workflow to settle. */
  advanceClockBy(duration: string): Promise<{ now: string }>;
  /** Moves the virtual clock to an instant and waits for the workflow to settle. */
  advanceClockTo(at: Date): Promise<{ now: string }>;
}

export interface E2eStackOptions {
  /** Where the virtual clock starts; `e2eStart` unless given. */
  start?: Date;
}

/**
 * Starts the local stack: a fresh temporary data directory, a fresh table on the shared
 * DynamoDB Local, the clock standing still at `start` (speed 0: it moves only when a test moves
 * it), workflow retries without delay, quiet.
 * `stop()` stops it and removes the directory.
 */
export async function startE2eStack(
  options: E2eStackOptions = {},
): Promise<E2eStack & { stop(): Promise<void> }> {
  const dataDirectory = mkdtempSync(join(tmpdir(), 'e2e-stack-'));
  let stack: LocalStack;
  try {
    stack = await startLocalStack({
      dataDirectory,
      start: options.start ?? e2eStart,
      speed: 0,
      retryIntervalScale: 0,
      quiet: true,
      // The run's one DynamoDB Local; the stack makes a table of its own there.
      existingDynamoDb: { endpoint: sharedDynamoDbEndpoint() },
    });
  } catch (error) {
    rmSync(dataDirectory, { recursive: true, force: true });
    throw error;
  }
  const client = new ReviewClient({ apiUrl: stack.apiUrl, sesUrl: stack.sesUrl });

  async function advance(body: { to: string } | { by: string }): Promise<{ now: string }> {
    const response = await fetch(`${stack.apiUrl}/local/clock/advance`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const answer = await response.text();
    if (!response.ok) throw new Error(`POST /local/clock/advance answered ${response.status}: ${answer}`);
    return JSON.parse(answer) as { now: string };
  }

  return {
    apiUrl: stack.apiUrl,
    sesUrl: stack.sesUrl,
    client,
    stack,
    advanceClockBy: (duration) => advance({ by: duration }),
    advanceClockTo: (at) => advance({ to: at.toISOString() }),
    async stop() {
      try {
        await stack.stop();
      } finally {
        rmSync(dataDirectory, { recursive: true, force: true });
      }
    },
  };
}

/**
 * For a vitest file: starts the local stack before the file's tests (beforeAll) and stops it
 * after them (afterAll). One stack runs per process, and vitest gives each file its own.
 * Read the fields inside tests and hooks, not at the top of the file.
 */
export function useLocalStack(options: E2eStackOptions = {}): E2eStack {
  let running: (E2eStack & { stop(): Promise<void> }) | undefined;

  beforeAll(async () => {
    running = await startE2eStack(options);
  });
  afterAll(async () => {
    await running?.stop();
    running = undefined;
  });

  function current(): E2eStack {
    if (!running) throw new Error('The local stack is not running: use it inside a test or a hook');
    return running;
  }
  return {
    get apiUrl() {
      return current().apiUrl;
    },
    get sesUrl() {
      return current().sesUrl;
    },
    get client() {
      return current().client;
    },
    get stack() {
      return current().stack;
    },
    advanceClockBy: (duration) => current().advanceClockBy(duration),
    advanceClockTo: (at) => current().advanceClockTo(at),
  };
}
