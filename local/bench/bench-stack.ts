/**
 * The local stack as the benchmark runs it (scripts/bench.ts starts this file as a child
 * process, so the stack's memory and CPU time are its own): DynamoDB Local in memory, a fresh
 * temporary data directory (in memory too, under /dev/shm, where there is one), the virtual clock standing still until the benchmark moves it, and
 * the figures of what it spent its time on. It tells its parent it is ready (and where) over the
 * IPC channel, answers `{ kind: 'statistics' }` with them, and stops on SIGTERM, on SIGINT
 * (Ctrl-C reaches the whole process group) and when the IPC channel closes (the benchmark has
 * died), even while it is still starting. Its data directory goes whenever it exits.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { partnershipProfile } from '../../shared/config/partnership-profile.ts';
import { type RunningDynamoDb, startDynamoDbLocal } from '../dynamodb-local.ts';
import { type LocalStack, startLocalStack } from '../stack.ts';

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
/** Sends to the benchmark while it is there to hear (a closed channel would throw). */
const send = (message: unknown) => {
  if (process.connected) process.send?.(message);
};

// Files (S3's objects, the executions) in memory where the machine offers it, like the table.
const memory = '/dev/shm';
const dataDirectory = mkdtempSync(join(existsSync(memory) ? memory : tmpdir(), 'bench-stack-'));
// However the process ends, short of SIGKILL: a shutdown below, or an error while starting.
process.on('exit', () => rmSync(dataDirectory, { recursive: true, force: true }));
let dynamodb: RunningDynamoDb | undefined;
let stack: LocalStack | undefined;

/**
 * Stops whatever has started, then exits (which removes the data directory). Anything still
 * starting ends with the process (DynamoDB Local's JVM is killed when this process exits).
 */
let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  try {
    await stack?.stop();
    await dynamodb?.stop();
  } finally {
    process.exit(0);
  }
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
process.on('disconnect', shutdown);

dynamodb = await startDynamoDbLocal();
stack = await startLocalStack({
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
if (!stopping) send(ready);

const running = stack;
process.on('message', (message) => {
  if ((message as { kind?: string }).kind === 'statistics')
    void running.statistics().then((figures) => send(figures));
});
