import { randomUUID } from 'node:crypto';
import { DeleteObjectCommand, HeadObjectCommand, NotFound } from '@aws-sdk/client-s3';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { sampleNotification } from '../../../local/sample-notification.ts';
import { agencyUploadKey, agencyUploadRules } from '../../../shared/agency-links.ts';
import { openCase } from '../../../shared/cases/open-case.ts';
import type { Service } from '../../../shared/service.ts';
import {
  decodeS3EventKey,
  InvalidUploadEventError,
  parseUploadBucketEvent,
  recordSummary,
  type UploadBucketRecord,
} from '../../../shared/use-cases/record-summary.ts';
import {
  InMemoryCaseStore,
  SettableClock,
  testS3Client,
  testService,
  UPLOAD_BUCKET,
} from './support/api-fixtures.ts';

const PDF = 'application/pdf';
/** The Day 10 deadline of a case received on 2026-03-04: the end of the working day on 2026-03-17. */
const DAY_10_DUE = '2026-03-17T17:00:00Z';

describe('record-summary: an agency upload arriving in the upload bucket', () => {
  let store: InMemoryCaseStore;
  let clock: SettableClock;
  let s3: AwsClientStub<ReturnType<typeof testS3Client>>;
  let service: Service;
  let caseId: string;
  let sequence = 0;

  beforeEach(async () => {
    store = new InMemoryCaseStore();
    clock = new SettableClock('2026-03-12T14:00:00Z');
    caseId = randomUUID();
    const { record, agencies } = openCase({
      caseId,
      notification: sampleNotification(),
      receivedAt: new Date('2026-03-04T10:00:00Z'),
      notificationDocumentKey: `cases/${caseId}/notification.json`,
    });
    const requested = agencies.map((agency) => ({
      ...agency,
      status: 'requested' as const,
      requestedAt: record.receivedAt,
    }));
    const actor = { kind: 'system', id: 'rapid-review-workflow' } as const;
    await store.createCase(record, requested, {
      actor,
      at: record.receivedAt,
      action: 'case.opened',
      reason: 'r',
    });
    const s3Client = testS3Client();
    s3 = mockClient(s3Client);
    s3.on(HeadObjectCommand).resolves({ ContentLength: 120_000, ContentType: PDF });
    s3.on(DeleteObjectCommand).resolves({});
    service = testService({ store, clock, s3: s3Client });
  });

  const nextSequencer = () => {
    sequence += 1;
    return `00${sequence.toString(16).toUpperCase()}`;
  };

  /** An ObjectCreated record as S3 sends it, the key URL-encoded with '+' for spaces. */
  function uploaded(key: string, sequencer = nextSequencer()): UploadBucketRecord {
    return {
      eventName: 'ObjectCreated:Post',
      eventTime: clock.now().toISOString(),
      s3: {
        bucket: { name: UPLOAD_BUCKET },
        object: {
          key: encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+'),
          size: 120_000,
          sequencer,
        },
      },
    };
  }
  const policeUpload = () => uploaded(agencyUploadKey(caseId, 'police'));
  const actionsOf = () => store.auditOf(caseId).map((event) => event.action);

  it('marks a summary returned before the Day 10 deadline received and on time', async () => {
    const outcome = await recordSummary(service, policeUpload());

    expect(outcome).toBe('received');
    expect(store.agencyRequestOf(caseId, 'police')).toMatchObject({
      status: 'received',
      receivedAt: '2026-03-12T14:00:00.000Z',
      late: false,
      documentKey: agencyUploadKey(caseId, 'police'),
    });
    expect(store.auditOf(caseId).at(-1)).toMatchObject({
      action: 'summary.received',
      actor: { kind: 'agency', agencyId: 'police' },
    });
    expect(s3.commandCalls(DeleteObjectCommand)).toHaveLength(0);
  });

  it('marks a summary returned after the Day 10 deadline late', async () => {
    clock.set('2026-03-17T17:00:01Z');

    const outcome = await recordSummary(service, policeUpload());

    expect(outcome).toBe('received-late');
    expect(store.agencyRequestOf(caseId, 'police')).toMatchObject({ status: 'received', late: true });
    expect(actionsOf().at(-1)).toBe('summary.received-late');
  });

  it('counts a summary returned at the very deadline as on time', async () => {
    clock.set(DAY_10_DUE);

    expect(await recordSummary(service, policeUpload())).toBe('received');
  });

  it('deletes a file of a type not allowed and audits why, leaving the request as it was', async () => {
    s3.on(HeadObjectCommand).resolves({ ContentLength: 2000, ContentType: 'text/html' });
    const before = store.agencyRequestOf(caseId, 'police');

    const outcome = await recordSummary(service, policeUpload());

    expect(outcome).toBe('rejected');
    expect(s3.commandCalls(DeleteObjectCommand).map((call) => call.args[0].input)).toEqual([
      { Bucket: UPLOAD_BUCKET, Key: agencyUploadKey(caseId, 'police') },
    ]);
    expect(store.agencyRequestOf(caseId, 'police')).toMatchObject({ status: before.status, late: false });
    expect(store.agencyRequestOf(caseId, 'police').receivedAt).toBeUndefined();
    const rejection = store.auditOf(caseId).at(-1);
    expect(rejection).toMatchObject({ action: 'summary.rejected' });
    expect(rejection?.reason).toContain('text/html');
  });

  it('deletes a file over the size limit and an empty one', async () => {
    s3.on(HeadObjectCommand).resolves({ ContentLength: agencyUploadRules.maxBytes + 1, ContentType: PDF });
    const oversize = await recordSummary(service, policeUpload());
    s3.on(HeadObjectCommand).resolves({ ContentLength: 0, ContentType: PDF });
    const empty = await recordSummary(service, policeUpload());

    expect([oversize, empty]).toEqual(['rejected', 'rejected']);
    expect(s3.commandCalls(DeleteObjectCommand)).toHaveLength(2);
    expect(store.agencyRequestOf(caseId, 'police').status).toBe('requested');
    expect(actionsOf().filter((action) => action === 'summary.rejected')).toHaveLength(2);
  });

  it('records a new upload after the summary was received as a replacement, keeping it received', async () => {
    await recordSummary(service, policeUpload());
    clock.set('2026-03-18T10:00:00Z');

    const outcome = await recordSummary(service, policeUpload());

    expect(outcome).toBe('replaced');
    expect(store.agencyRequestOf(caseId, 'police')).toMatchObject({
      status: 'received',
      receivedAt: '2026-03-12T14:00:00.000Z',
      late: false,
    });
    expect(actionsOf().slice(-2)).toEqual(['summary.received', 'summary.replaced']);
  });

  it('records the same S3 event delivered twice only once', async () => {
    const event = policeUpload();
    await recordSummary(service, event);

    const again = await recordSummary(service, event);

    expect(again).toBe('already-recorded');
    expect(actionsOf().filter((action) => action.startsWith('summary.'))).toEqual(['summary.received']);
  });

  it('re-reads and tries again when another writer changed the request first', async () => {
    store.staleWritesToSimulate = 2;

    expect(await recordSummary(service, policeUpload())).toBe('received');
    expect(store.agencyRequestOf(caseId, 'police').status).toBe('received');
  });

  it('does nothing for an object that is already gone', async () => {
    s3.on(HeadObjectCommand).rejects(
      new NotFound({ message: 'Not Found', $metadata: { httpStatusCode: 404 } }),
    );

    expect(await recordSummary(service, policeUpload())).toBe('gone');
    expect(actionsOf()).toEqual(['case.opened']);
  });

  it('ignores objects that are not agency uploads, and uploads for a case it does not know', async () => {
    const notAnUpload = await recordSummary(service, uploaded(`cases/${caseId}/My notes (v2).pdf`));
    const unknownCase = await recordSummary(service, uploaded(agencyUploadKey(randomUUID(), 'police')));

    const undecodable = await recordSummary(service, {
      ...policeUpload(),
      s3: { ...policeUpload().s3, object: { key: 'uploads/%ZZ' } },
    });

    expect([notAnUpload, unknownCase, undecodable]).toEqual(['ignored', 'ignored', 'ignored']);
    expect(s3.commandCalls(HeadObjectCommand)).toHaveLength(1);
    expect(s3.commandCalls(DeleteObjectCommand)).toHaveLength(0);
    expect(actionsOf()).toEqual(['case.opened']);
  });
});

describe('the S3 event at the boundary', () => {
  it('decodes keys as S3 encodes them, with + for a space', () => {
    expect(decodeS3EventKey('uploads/notes/Police+summary+%28v2%29%2B1.pdf')).toBe(
      'uploads/notes/Police summary (v2)+1.pdf',
    );
  });

  it('refuses an event that is not an S3 notification, naming what is missing', () => {
    expect(() =>
      parseUploadBucketEvent({ Records: [{ eventName: 'ObjectCreated:Put', s3: { bucket: {} } }] }),
    ).toThrow(InvalidUploadEventError);
    expect(() =>
      parseUploadBucketEvent({ Records: [{ eventName: 'ObjectCreated:Put', s3: { bucket: {} } }] }),
    ).toThrow(/Records\.0\.s3\.bucket\.name/);
  });
});
