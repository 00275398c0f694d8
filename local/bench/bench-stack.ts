/**
 * The local stack as the benchmark runs it (scripts/bench.ts starts this file as a child
 * process, so the stack's memory and CPU time are its own): DynamoDB Local in memory, a fresh
 * temporary data directory (in memory too, under /dev/shm, where there is one), the virtual clock standing still until the benchmark moves it, and
 * the figures of what it spent its time on. It tells its parent it is ready (and where) over the
 * IPC channel, answers `{ kind: 'statistics' }` with them, and stops on SIGTERM.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { partnershipProfile } from '../../shared/config/partnership-profile.ts';
import { startDynamoDbLocal } from '../dynamodb-local.ts';
import { startLocalStack } from '../stack.ts';

/** What the benchmark is told once the stack is up. */
export interface BenchStackReady {
  apiUrl: string;
  sesUrl: string;
  sfnEndpoint: string;
  stateMachineArn: string;
  panelMailbox: string;
}

/** Wednesday 4 March 2026, 10:00 in London: a working day, so every review has the same Day 1. */
const benchStart = new Date('2026-03-04T10:00:00Z');

if (!process.send) throw new Error('Start this file from scripts/bench.ts: it reports over an IPC channel');
const send = process.send.bind(process);

// Files (S3's objects, the executions) in memory where the machine offers it, like the table.
const memory = '/dev/shm';
const dataDirectory = mkdtempSync(join(existsSync(memory) ? memory : tmpdir(), 'bench-stack-'));
const dynamodb = await startDynamoDbLocal();
const stack = await startLocalStack({
  dataDirectory,
  existingDynamoDb: { endpoint: dynamodb.endpoint },
  start: benchStart,
  speed: 0,
  quiet: true,
  recordStatistics: true,
  // Hundreds of reviews take a while to settle after each jump of the clock.
  settleTimeoutMs: 15 * 60 * 1000,
});
const profile = partnershipProfile.parse(
  JSON.parse(readFileSync(new URL('../partnership-profile.json', import.meta.url), 'utf8')),
);

const ready: BenchStackReady = {
  apiUrl: stack.apiUrl,
  sesUrl: stack.sesUrl,
  sfnEndpoint: stack.sfnEndpoint,
  stateMachineArn: stack.stateMachineArn,
  panelMailbox: profile.panelMailbox,
};
send(ready);

process.on('message', (message) => {
  if ((message as { kind?: string }).kind === 'statistics')
    void stack.statistics().then((figures) => send(figures));
});

let stopping = false;
process.on('SIGTERM', async () => {
  if (stopping) return;
  stopping = true;
  try {
    await stack.stop();
    await dynamodb.stop();
  } finally {
    rmSync(dataDirectory, { recursive: true, force: true });
    process.exit(0);
  }
});
