/**
 * Agency uploads against s3rver (the local S3) and DynamoDB Local: forms issued by the use case,
 * files POSTed to the bucket as a browser would, the bucket's events handled by record-summary.
 * Each form has its own key; a refused file is removed without touching the accepted one.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { auditTableNameFor } from '../../local/case-table.ts';
import { localClientConfig } from '../../local/dynamodb-local.ts';
import { type RunningS3, startLocalS3 } from '../../local/s3.ts';
import { sampleNotification } from '../../local/sample-notification.ts';
import { DocumentStore } from '../../shared/adapters/documents.ts';
import { S3UploadForms } from '../../shared/adapters/upload-forms.ts';
import { mintAgencyToken } from '../../shared/agency-links.ts';
import { openCase } from '../../shared/cases/open-case.ts';
import { DynamoDbCaseStore } from '../../shared/stores/case-store.ts';
import { type AgencyUploadForm, issueAgencyUpload } from '../../shared/use-cases/agency-request.ts';
import { parseUploadBucketEvent, recordSummary } from '../../shared/use-cases/record-summary.ts';
import { useDynamoDbLocal } from '../support/dynamodb.ts';
import { aPdf, htmlPage, windowsExecutable } from '../support/test-files.ts';
import {
  ManualClock,
  PUBLIC_BASE_URL,
  RecordingMailer,
  testProfile,
} from '../unit/workflow/workflow-fakes.ts';

const UPLOADS = 'agency-uploads-it';
const DOCUMENTS = 'case-documents-it';
const PDF = 'application/pdf';

const dynamo = useDynamoDbLocal();

describe('agency uploads on s3rver', () => {
  const directory = mkdtempSync(join(tmpdir(), 'agency-uploads-'));
  const clock = new ManualClock('2026-03-12T14:00:00Z');
  let s3: RunningS3;
  let client: S3Client;
  let store: DynamoDbCaseStore;
  let service: Parameters<typeof recordSummary>[0] & Parameters<typeof issueAgencyUpload>[0];
  let caseId: string;
  const tokens = new Map<string, string>();

  beforeAll(async () => {
    s3 = await startLocalS3({
      directory,
      buckets: [UPLOADS, DOCUMENTS],
      clock,
      onObjectCreated: [
        {
          bucket: UPLOADS,
          prefix: 'uploads/',
          name: 'record-summary',
          handle: async (event) => {
            for (const record of parseUploadBucketEvent(event).Records) await recordSummary(service, record);
          },
        },
      ],
      retryDelaysMs: [],
      log: () => {},
    });
    client = new S3Client({ ...localClientConfig(s3.endpoint), forcePathStyle: true });
  });
  afterAll(async () => {
    client?.destroy();
    await s3?.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  beforeEach(async () => {
    clock.set('2026-03-12T14:00:00Z');
    const tableName = await dynamo.freshTable();
    store = new DynamoDbCaseStore(dynamo.documentClient, tableName, auditTableNameFor(tableName));
    service = {
      cases: store,
      clock,
      uploads: new DocumentStore(client, UPLOADS),
      documents: new DocumentStore(client, DOCUMENTS),
      uploadForms: new S3UploadForms(client, UPLOADS),
      mailer: new RecordingMailer(),
      profile: testProfile,
      publicBaseUrl: PUBLIC_BASE_URL,
    };
    caseId = randomUUID();
    const { record, agencies } = openCase({
      caseId,
      notification: sampleNotification(),
      receivedAt: new Date('2026-03-04T10:00:00Z'),
      notificationDocumentKey: `cases/${caseId}/notification.json`,
    });
    await store.createCase(
      { ...record, status: 'awaiting-summaries' },
      agencies.map((agency) => ({ ...agency, status: 'requested' as const, requestedAt: record.receivedAt })),
      {
        actor: { kind: 'system', id: 'rapid-review-workflow' },
        at: record.receivedAt,
        action: 'case.opened',
        reason: 'r',
      },
    );
    for (const agencyId of ['police', 'health']) {
      const { token, tokenHash } = mintAgencyToken();
      tokens.set(agencyId, token);
      await store.putAgencyLinks([{ tokenHash, caseId, agencyId, expiresAt: '2026-03-18T17:00:00.000Z' }]);
    }
  });

  async function formFor(agencyId: string): Promise<AgencyUploadForm> {
    return issueAgencyUpload(service, {
      token: tokens.get(agencyId),
      upload: { fileName: 'summary.pdf', contentType: PDF, size: 1000 },
    });
  }

  /** POSTs the file with the form's fields, as the browser does (the key may be changed first). */
  async function post(form: AgencyUploadForm, body: Uint8Array, key = form.key): Promise<number> {
    const data = new FormData();
    for (const [name, value] of Object.entries({ ...form.fields, key })) data.append(name, value);
    data.append('file', new Blob([body], { type: PDF }), 'summary.pdf');
    const response = await fetch(form.url, { method: 'POST', body: data });
    await response.arrayBuffer();
    await s3.whenIdle();
    return response.status;
  }

  /**
   * The bytes of the object the case points to: a case document (`cases/…`), or, as before uploads
   * were filed with the case, the upload itself. Undefined when it is gone.
   */
  async function bytesTheCasePointsTo(key: string | undefined): Promise<Uint8Array | undefined> {
    if (!key) return undefined;
    const bucket = key.startsWith('cases/') ? DOCUMENTS : UPLOADS;
    try {
      const result = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return await result.Body!.transformToByteArray();
    } catch {
      return undefined;
    }
  }

  async function exists(bucket: string, key: string): Promise<boolean> {
    try {
      await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return true;
    } catch {
      return false;
    }
  }

  const police = async () => (await store.getCaseFile(caseId)).agencies.find((a) => a.agencyId === 'police')!;
  const actions = async () => (await store.getCaseFile(caseId)).audit.map((event) => event.action);

  it('keeps the accepted summary when a bad file is sent again with the same form', async () => {
    const form = await formFor('police');
    expect(await post(form, aPdf())).toBeLessThan(300);
    const accepted = await police();
    expect(accepted.status).toBe('received');

    await post(form, windowsExecutable());

    expect(await bytesTheCasePointsTo(accepted.documentKey)).toEqual(aPdf());
    const after = await police();
    expect(after).toMatchObject({ status: 'received', documentKey: accepted.documentKey });
    expect((await actions()).filter((action) => action.startsWith('summary.'))).toEqual([
      'summary.received',
      'summary.rejected',
    ]);
    // The refused object is gone from the upload bucket; nothing else was removed.
    expect(await exists(UPLOADS, form.key)).toBe(false);
  });

  it('keeps the accepted summary when a bad file comes with a new form, and removes only the bad one', async () => {
    const first = await formFor('police');
    await post(first, aPdf());
    const accepted = await police();

    const second = await formFor('police');
    await post(second, htmlPage());

    expect(second.key).not.toBe(first.key);
    expect(await police()).toMatchObject({ status: 'received', documentKey: accepted.documentKey });
    expect(await bytesTheCasePointsTo(accepted.documentKey)).toEqual(aPdf());
    expect(await exists(UPLOADS, second.key)).toBe(false);
    expect(await exists(UPLOADS, first.key)).toBe(true);
  });

  it("marks nothing returned when the form's key is changed to another agency's", async () => {
    const form = await formFor('police');

    await post(form, aPdf(), form.key.replace('/police/', '/health/'));

    const file = await store.getCaseFile(caseId);
    expect(file.agencies.map((agency) => agency.status)).not.toContain('received');
    expect(file.audit.map((event) => event.action)).toEqual(['case.opened']);
  });

  it('records no return from a form used after it expired', async () => {
    const form = await formFor('police');
    clock.set('2026-03-12T14:16:00Z');

    await post(form, aPdf());

    expect((await police()).status).toBe('requested');
    expect(await actions()).toEqual(['case.opened', 'summary.rejected']);
  });
});
