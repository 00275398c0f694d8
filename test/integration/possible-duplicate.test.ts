import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiProblem, ReviewClient } from '../../local/demo/review-client.ts';
import { sampleNotification } from '../../local/sample-notification.ts';
import { startLocalStack } from '../../local/stack.ts';
import { sharedDynamoDbEndpoint } from '../support/dynamodb.ts';

/** A possible duplicate over HTTP on the local stack: a 409 naming the open case, then sent anyway with a reason. */
describe('a possible duplicate notification on the local stack', () => {
  let stack: Awaited<ReturnType<typeof startLocalStack>>;
  let dataDirectory: string;
  let client: ReviewClient;

  beforeAll(async () => {
    dataDirectory = mkdtempSync(join(tmpdir(), 'possible-duplicate-'));
    stack = await startLocalStack({
      dataDirectory,
      speed: 0,
      start: new Date('2026-03-04T10:00:00Z'),
      retryIntervalScale: 0,
      quiet: true,
      existingDynamoDb: { endpoint: sharedDynamoDbEndpoint() },
    });
    client = new ReviewClient(stack);
  });

  afterAll(async () => {
    await stack?.stop();
    rmSync(dataDirectory, { recursive: true, force: true });
  });

  it('answers 409 naming the open case and its page, and opens a second case once acknowledged', async () => {
    const first = await client.submitNotification(sampleNotification(), randomUUID());

    const refused = await client
      .submitNotification(sampleNotification(), randomUUID(), { acknowledgeDuplicates: false })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    const second = await client.submitNotification(sampleNotification(), randomUUID());

    expect(refused).toBeInstanceOf(ApiProblem);
    const problem = (refused as ApiProblem).problem as { status: number; title: string; detail: string };
    expect(problem.status).toBe(409);
    expect(problem.title).toBe('Possible duplicate');
    expect(problem.detail).toContain(`${first.reference} (/cases/${first.caseId})`);
    expect(second.caseId).not.toBe(first.caseId);
    const opened = (await client.getCase(second.caseId)).audit.find(
      (event) => event.action === 'case.opened',
    );
    expect(opened).toBeDefined();
  });
});
