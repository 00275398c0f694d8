import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/stack.ts';
import { isLoopback, listeningSocketsOf, processTree } from '../support/listening-sockets.ts';

describe('the local stack listens on 127.0.0.1 only', () => {
  let stack: LocalStack;
  let dataDirectory: string;

  beforeAll(async () => {
    dataDirectory = mkdtempSync(join(tmpdir(), 'loopback-stack-'));
    // Its own DynamoDB Local (as npm start runs it), not the shared one, so its JVM is this process's child.
    stack = await startLocalStack({ dataDirectory, speed: 0, quiet: true });
  });
  afterAll(async () => {
    await stack?.stop();
    rmSync(dataDirectory, { recursive: true, force: true });
  });

  it('binds every socket it listens on, DynamoDB Local’s JVM included, to the loopback address', () => {
    const pids = processTree(process.pid);
    const sockets = listeningSocketsOf(pids);
    const ports = (urls: string[]) => urls.map((url) => Number(new URL(url).port));
    const emulators = {
      api: stack.apiUrl,
      dynamodb: stack.dynamodbEndpoint,
      s3: stack.s3Endpoint,
      ses: stack.sesUrl,
      sfn: stack.sfnEndpoint,
      ssm: stack.ssmEndpoint,
    };

    // Every emulator's port is among the sockets found, so the check below looks at all of them.
    const listened = new Set(sockets.map((socket) => socket.port));
    expect(ports(Object.values(emulators)).filter((port) => !listened.has(port))).toEqual([]);
    expect(pids.length).toBeGreaterThan(1);
    expect(sockets.filter((socket) => !isLoopback(socket.address))).toEqual([]);
  });
});
