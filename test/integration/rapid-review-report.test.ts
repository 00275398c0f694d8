import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiProblem, ReviewClient } from '../../local/demo/review-client.ts';
import { localClientConfig } from '../../local/dynamodb-local.ts';
import { sampleNotification } from '../../local/sample-notification.ts';
import { type LocalStack, localResourceNames, startLocalStack } from '../../local/stack.ts';
import { DocumentStore } from '../../shared/adapters/documents.ts';
import { reportSectionKeys } from '../../shared/schemas/report.ts';
import { uploadedFileKind } from '../../shared/upload-contents.ts';
import { sharedDynamoDbEndpoint } from '../support/dynamodb.ts';

/**
 * The rapid review report through the local stack's API over real HTTP: each section PUT (a
 * method no other route uses), the report completed, its PDF and Word copy in the document
 * bucket and listed on the case.
 */
describe('the rapid review report on the local stack', () => {
  let stack: LocalStack;
  let dataDirectory: string;
  let client: ReviewClient;
  let caseId: string;

  beforeAll(async () => {
    dataDirectory = mkdtempSync(join(tmpdir(), 'report-'));
    stack = await startLocalStack({
      dataDirectory,
      speed: 0,
      start: new Date('2026-03-04T10:00:00.000Z'),
      retryIntervalScale: 0,
      quiet: true,
      existingDynamoDb: { endpoint: sharedDynamoDbEndpoint() },
    });
    client = new ReviewClient(stack);
    ({ caseId } = await client.submitNotification(sampleNotification(), `report-${Date.now()}`));
  });

  afterAll(async () => {
    await stack?.stop();
    if (dataDirectory) rmSync(dataDirectory, { recursive: true, force: true });
  });

  it('refuses to complete an unwritten report, then saves every section, completes it and files its documents', async () => {
    const early = await client.completeReport(caseId).catch((error: unknown) => error);
    expect(early).toBeInstanceOf(ApiProblem);
    expect((early as ApiProblem).status).toBe(422);

    for (const key of reportSectionKeys) {
      await client.saveReportSection(caseId, key, `Invented text for ${key} (demo).\nA second line.`);
    }
    const midway = await client.getCase(caseId);
    expect(midway.report).toEqual({
      sectionsDone: 11,
      sectionsTotal: 11,
      complete: false,
    });

    const completed = await client.completeReport(caseId);

    const view = await client.getCase(caseId);
    expect(view.report.complete).toBe(true);
    expect(view.documents.map((document) => document.name)).toEqual(
      expect.arrayContaining(['Rapid review report (PDF)', 'Rapid review report (Word)']),
    );
    const documents = new DocumentStore(
      new S3Client({ ...localClientConfig(stack.s3Endpoint), forcePathStyle: true }),
      localResourceNames.documentBucket,
    );
    expect(uploadedFileKind(await documents.getBytes(completed.documents.pdf))).toBe('pdf');
    expect(uploadedFileKind(await documents.getBytes(completed.documents.docx))).toBe('docx');
    const late = await client
      .saveReportSection(caseId, 'facts', 'Too late (demo).')
      .catch((error: unknown) => error);
    expect((late as ApiProblem).status).toBe(409);
  });
});
