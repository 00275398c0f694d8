import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { sampleNotification } from '../../../local/sample-notification.ts';
import { agencyUploadKey, agencyUploadRules } from '../../../shared/agency-links.ts';
import { openCase } from '../../../shared/cases/open-case.ts';
import {
  decodeS3EventKey,
  InvalidUploadEventError,
  isQueuedBatch,
  type ObjectScanResultEvent,
  parseObjectScanResultEvent,
  parseUploadBucketEvent,
  type RecordSummaryPorts,
  recordQueuedScanResults,
  recordScannedUpload,
  recordSummary,
  recordUploadEvent,
  type UploadBucketRecord,
  uploadProblemText,
} from '../../../shared/use-cases/record-summary.ts';
import { InMemoryCaseStore } from '../../support/in-memory-case-store.ts';
import { captureOutput } from '../../support/log-lines.ts';
import { aDocx, aPdf, aZip, htmlPage, windowsExecutable } from '../../support/test-files.ts';
import { VersionedDocumentStore } from '../../support/versioned-document-store.ts';
import { ManualClock, PUBLIC_BASE_URL, RecordingMailer, testProfile } from '../workflow/workflow-fakes.ts';

const PDF = 'application/pdf';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const UPLOAD_BUCKET = 'agency-uploads-test';
/** The Day 10 deadline of a case received on 2026-03-04: the end of the working day on 2026-03-17. */
const DAY_10_DUE = '2026-03-17T17:00:00Z';
const FORM_SECONDS = 15 * 60;

describe('record-summary: an agency upload arriving in the upload bucket', () => {
  let store: InMemoryCaseStore;
  let clock: ManualClock;
  let uploads: VersionedDocumentStore;
  let documents: VersionedDocumentStore;
  let service: RecordSummaryPorts;
  let mailer: RecordingMailer;
  let caseId: string;
  let sequence = 0;

  async function openTestCase(): Promise<string> {
    const id = randomUUID();
    const { record, agencies } = openCase({
      caseId: id,
      notification: sampleNotification(),
      receivedAt: new Date('2026-03-04T10:00:00Z'),
      notificationDocumentKey: `cases/${id}/notification.json`,
    });
    const requested = agencies.map((agency) => ({
      ...agency,
      status: 'requested' as const,
      requestedAt: record.receivedAt,
    }));
    await store.createCase({ ...record, status: 'awaiting-summaries' }, requested, {
      actor: { kind: 'system', id: 'rapid-review-workflow' },
      at: record.receivedAt,
      action: 'case.opened',
      reason: 'r',
    });
    return id;
  }

  beforeEach(async () => {
    store = new InMemoryCaseStore();
    clock = new ManualClock('2026-03-12T14:00:00Z');
    uploads = new VersionedDocumentStore(UPLOAD_BUCKET);
    documents = new VersionedDocumentStore('case-documents-test');
    mailer = new RecordingMailer();
    service = {
      cases: store,
      clock,
      uploads,
      documents,
      mailer,
      profile: testProfile,
      publicBaseUrl: PUBLIC_BASE_URL,
    };
    caseId = await openTestCase();
  });

  /** Issues a form as the agency page does: its own upload id, recorded with its expiry. */
  async function issue(agencyId = 'police', onCase = caseId, seconds = FORM_SECONDS): Promise<string> {
    const uploadId = randomUUID();
    await store.putIssuedUpload({
      uploadId,
      caseId: onCase,
      agencyId,
      issuedAt: clock.now().toISOString(),
      expiresAt: new Date(clock.now().getTime() + seconds * 1000).toISOString(),
    });
    return agencyUploadKey(onCase, agencyId, uploadId);
  }

  /** Stores the bytes at the key, as a browser's POST would, and answers the ObjectCreated record S3 sends. */
  function upload(key: string, body: Uint8Array = aPdf(), contentType = PDF): UploadBucketRecord {
    const versionId = uploads.store(key, body, contentType, clock.now());
    sequence += 1;
    return {
      eventName: 'ObjectCreated:Post',
      eventTime: clock.now().toISOString(),
      s3: {
        bucket: { name: UPLOAD_BUCKET },
        object: {
          key: encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+'),
          size: body.byteLength,
          versionId,
          sequencer: `00${sequence.toString(16).toUpperCase()}`,
        },
      },
    };
  }

  const actionsOf = (id = caseId) => store.auditOf(id).map((event) => event.action);
  const lastAudit = () => store.auditOf(caseId).at(-1);

  describe('a file sent with a form that was issued', () => {
    it('files a PDF with the case documents and marks the summary received, on time and not scanned', async () => {
      const key = await issue();

      const outcome = await recordSummary(service, upload(key));

      expect(outcome).toBe('received');
      const police = store.agencyRequestOf(caseId, 'police');
      expect(police).toMatchObject({
        status: 'received',
        receivedAt: '2026-03-12T14:00:00.000Z',
        late: false,
      });
      expect(police.documentKey).toMatch(
        new RegExp(`^cases/${caseId}/agency-returns/.+/police-summary\\.pdf$`),
      );
      expect(documents.current(police.documentKey ?? '')).toEqual(aPdf());
      expect(lastAudit()).toMatchObject({
        action: 'summary.received',
        actor: { kind: 'agency', agencyId: 'police' },
        details: { scan: 'not-scanned', documentKey: police.documentKey },
      });
    });

    it('accepts a Word document: a ZIP holding word/document.xml', async () => {
      const outcome = await recordSummary(service, upload(await issue(), aDocx(), DOCX));

      expect(outcome).toBe('received');
      expect(store.agencyRequestOf(caseId, 'police').documentKey).toMatch(/police-summary\.docx$/);
    });

    it('marks a summary uploaded after the Day 10 deadline late, and one at the very deadline on time, counting each', async () => {
      const output = captureOutput();
      clock.set(DAY_10_DUE);
      const onTime = await recordSummary(service, upload(await issue('police')));
      clock.set('2026-03-17T17:00:01Z');
      const late = await recordSummary(service, upload(await issue('health')));

      expect([onTime, late]).toEqual(['received', 'received-late']);
      expect(store.agencyRequestOf(caseId, 'health')).toMatchObject({ status: 'received', late: true });
      expect(output.publishedCounts()).toEqual({ 'ReturnsReceived[OnTime]': 1, 'ReturnsReceived[Late]': 1 });
    });

    it('tells the partnership team once of a summary that came after the Day 10 deadline, and never of one on time', async () => {
      clock.set(DAY_10_DUE);
      await recordSummary(service, upload(await issue('police')));
      clock.set('2026-03-17T17:30:00Z');
      const late = upload(await issue('health'));
      await recordSummary(service, late);
      await recordSummary(service, late);
      await recordSummary(service, upload(await issue('health'), aDocx(), DOCX));

      const told = mailer.sent.filter((email) => email.message.to.includes('partnership-team@example.org'));
      expect(told.map((email) => email.key)).toEqual([`${caseId}:LateReturn:health`]);
      const reference = store.caseOf(caseId)!.reference;
      expect(told[0]?.message.subject).toBe(`${reference}: late return from Health`);
      expect(told[0]?.message.text).toContain('Health returned its summary for Rapid Review');
      expect(told[0]?.message.text).toContain(
        'at 5:30pm on Tuesday 17 March 2026, after the Day 10 deadline of 5pm on Tuesday 17 March 2026',
      );
      expect(told[0]?.message.text).toContain(`https://rapid-review.example.org/cases/${caseId}`);
    });

    it('tells the team of a late summary when the event comes again after the email failed the first time', async () => {
      clock.set('2026-03-17T17:30:00Z');
      const late = upload(await issue('health'));
      const failing = {
        ...service,
        mailer: {
          sendOnce: async () => {
            throw Object.assign(new Error('Invented SES outage'), { name: 'TooManyRequestsException' });
          },
          sendEachOnce: async () => [],
        },
      };
      await expect(recordSummary(failing, late)).rejects.toThrow('Invented SES outage');

      const again = await recordSummary(service, late);

      expect(again).toBe('already-recorded');
      expect(mailer.sent.map((email) => email.key)).toEqual([`${caseId}:LateReturn:health`]);
    });

    it('records a later accepted upload as a replacement, keeping the earlier file where it is', async () => {
      await recordSummary(service, upload(await issue()));
      const first = store.agencyRequestOf(caseId, 'police').documentKey ?? '';
      clock.set('2026-03-16T10:00:00Z');

      const outcome = await recordSummary(service, upload(await issue(), aDocx(), DOCX));

      expect(outcome).toBe('replaced');
      const police = store.agencyRequestOf(caseId, 'police');
      expect(police).toMatchObject({ status: 'received', receivedAt: '2026-03-12T14:00:00.000Z' });
      expect(police.documentKey).not.toBe(first);
      expect(documents.current(first)).toEqual(aPdf());
    });

    it('records the same event delivered twice only once', async () => {
      const event = upload(await issue());
      await recordSummary(service, event);

      const again = await recordSummary(service, event);

      expect(again).toBe('already-recorded');
      expect(actionsOf().filter((action) => action.startsWith('summary.'))).toEqual(['summary.received']);
    });

    it('re-reads and tries again when another writer changed the request first', async () => {
      const event = upload(await issue());
      store.staleWritesToSimulate = 2;

      expect(await recordSummary(service, event)).toBe('received');
    });
  });

  describe('a key that was not issued for that case and agency', () => {
    it("marks nothing when the key is changed to another agency's", async () => {
      const policeKey = await issue('police');
      const forged = policeKey.replace('/police/', '/health/');

      const outcome = await recordSummary(service, upload(forged));

      expect(outcome).toBe('not-issued');
      expect(store.agencyRequestOf(caseId, 'health').status).toBe('requested');
      expect(store.agencyRequestOf(caseId, 'police').status).toBe('requested');
      expect(actionsOf()).toEqual(['case.opened']);
      expect(uploads.current(forged)).toBeUndefined();
      expect(documents.keys()).toEqual([]);
    });

    it("marks nothing when the key is changed to another case's", async () => {
      const otherCase = await openTestCase();
      const forged = (await issue('police')).replace(caseId, otherCase);

      const outcome = await recordSummary(service, upload(forged));

      expect(outcome).toBe('not-issued');
      expect(store.agencyRequestOf(otherCase, 'police').status).toBe('requested');
      expect(actionsOf(otherCase)).toEqual(['case.opened']);
    });

    it('marks nothing for an upload id never issued, nor for the old single key of an agency', async () => {
      const madeUp = await recordSummary(service, upload(agencyUploadKey(caseId, 'police', randomUUID())));
      const oldKey = await recordSummary(service, upload(`uploads/${caseId}/police/summary`));

      expect([madeUp, oldKey]).toEqual(['not-issued', 'ignored']);
      expect(store.agencyRequestOf(caseId, 'police').status).toBe('requested');
      expect(actionsOf()).toEqual(['case.opened']);
    });
  });

  describe('a form that no longer takes a file', () => {
    it('refuses a file stored after its form expired, and says so', async () => {
      const key = await issue();
      clock.set('2026-03-12T14:15:00Z');

      const outcome = await recordSummary(service, upload(key));

      expect(outcome).toBe('rejected');
      expect(store.agencyRequestOf(caseId, 'police').status).toBe('requested');
      expect(lastAudit()).toMatchObject({
        action: 'summary.rejected',
        reason: uploadProblemText['form-expired'],
      });
      expect(uploads.current(key)).toBeUndefined();
    });

    it('records no late return from a form used after collation, when the link is dead', async () => {
      const key = await issue('police', caseId, 30 * 24 * 3600);
      const record = store.caseOf(caseId);
      store.overwriteCase({ ...record!, status: 'collating' });
      clock.set('2026-03-19T10:00:00Z');

      const outcome = await recordSummary(service, upload(key));

      expect(outcome).toBe('rejected');
      expect(store.agencyRequestOf(caseId, 'police')).toMatchObject({ status: 'requested', late: false });
      expect(actionsOf()).not.toContain('summary.received-late');
      expect(documents.keys()).toEqual([]);
    });

    it('refuses a file whose review is collated while the file is being checked, so the report never misses a summary marked received', async () => {
      const key = await issue('police');
      const request = upload(key);
      // Collation moves the case on between the handler's first read and its write.
      const collatingUploads = new Proxy(uploads, {
        get(target, property, receiver) {
          const value = Reflect.get(target, property, receiver);
          if (property !== 'getBytes') return typeof value === 'function' ? value.bind(target) : value;
          return async (...args: [string, string?]) => {
            const record = store.caseOf(caseId)!;
            await store.updateCase(
              record,
              { status: 'collating' },
              {
                actor: { kind: 'system', id: 'rapid-review-workflow' },
                at: clock.now().toISOString(),
                action: 'case.collating',
                reason: 'Day 11 collation',
              },
            );
            return target.getBytes(...args);
          };
        },
      });

      const outcome = await recordSummary({ ...service, uploads: collatingUploads }, request);

      expect(outcome).toBe('rejected');
      expect(store.agencyRequestOf(caseId, 'police')).toMatchObject({ status: 'requested' });
      expect(lastAudit()).toMatchObject({
        action: 'summary.rejected',
        reason: uploadProblemText['review-collated'],
      });
    });

    it('refuses a file from an agency the team removed with a form issued before, and leaves it removed', async () => {
      const key = await issue('police');
      await store.updateAgencyRequest(
        store.agencyRequestOf(caseId, 'police'),
        {
          status: 'removed',
          removal: {
            reason: 'Invented (test).',
            removedAt: clock.now().toISOString(),
            removedBy: 'user-team-demo',
          },
        },
        {
          actor: { kind: 'staff', id: 'user-team-demo', role: 'partnership-team' },
          at: clock.now().toISOString(),
          action: 'agency.removed',
          reason: 'Invented (test).',
        },
      );

      const outcome = await recordSummary(service, upload(key));

      expect(outcome).toBe('rejected');
      expect(store.agencyRequestOf(caseId, 'police').status).toBe('removed');
      expect(lastAudit()).toMatchObject({
        action: 'summary.rejected',
        reason: uploadProblemText['no-longer-asked'],
      });
    });

    it('refuses a second file sent with a form already used, leaving the accepted one and its file alone', async () => {
      const key = await issue();
      await recordSummary(service, upload(key));
      const accepted = store.agencyRequestOf(caseId, 'police');

      const outcome = await recordSummary(service, upload(key, htmlPage(), PDF));

      expect(outcome).toBe('rejected');
      expect(lastAudit()).toMatchObject({
        action: 'summary.rejected',
        reason: uploadProblemText['form-used'],
      });
      expect(store.agencyRequestOf(caseId, 'police').documentKey).toBe(accepted.documentKey);
      expect(documents.current(accepted.documentKey ?? '')).toEqual(aPdf());
      // Only the refused version went: the accepted one is still in the upload bucket too.
      expect(uploads.current(key)).toEqual(aPdf());
    });
  });

  describe("the file's bytes and size", () => {
    it.each([
      ['Windows executable bytes', windowsExecutable()],
      ['a web page', htmlPage()],
      ['a ZIP that is not a Word document', aZip({ 'payload.exe': 'MZ' })],
    ])('refuses %s sent as a PDF, and files nothing', async (_name, body) => {
      const key = await issue();

      const outcome = await recordSummary(service, upload(key, body, PDF));

      expect(outcome).toBe('rejected');
      expect(store.agencyRequestOf(caseId, 'police').status).toBe('requested');
      expect(lastAudit()).toMatchObject({
        action: 'summary.rejected',
        reason: uploadProblemText['wrong-type'],
      });
      expect(uploads.current(key)).toBeUndefined();
      expect(documents.keys()).toEqual([]);
    });

    it('refuses an empty file and one over 10 MB', async () => {
      const empty = await recordSummary(service, upload(await issue(), new Uint8Array(), PDF));
      const oversize = new Uint8Array(agencyUploadRules.maxBytes + 1);
      oversize.set(aPdf());
      const tooLarge = await recordSummary(service, upload(await issue(), oversize, PDF));

      expect([empty, tooLarge]).toEqual(['rejected', 'rejected']);
      const reasons = store.auditOf(caseId).filter((event) => event.action === 'summary.rejected');
      expect(reasons.map((event) => event.reason)).toEqual([
        uploadProblemText.empty,
        uploadProblemText['too-large'],
      ]);
      expect(store.agencyRequestOf(caseId, 'police').status).toBe('requested');
    });

    it('refuses a declared type that is not allowed', async () => {
      const outcome = await recordSummary(service, upload(await issue(), aPdf(), 'text/html'));

      expect(outcome).toBe('rejected');
      expect(lastAudit()?.reason).toBe(uploadProblemText['wrong-type']);
    });

    it('never lets a refused re-upload touch the accepted summary', async () => {
      await recordSummary(service, upload(await issue()));
      const accepted = store.agencyRequestOf(caseId, 'police');
      clock.set('2026-03-13T09:00:00Z');

      const outcome = await recordSummary(service, upload(await issue(), windowsExecutable(), PDF));

      expect(outcome).toBe('rejected');
      expect(store.agencyRequestOf(caseId, 'police')).toMatchObject({
        status: 'received',
        documentKey: accepted.documentKey,
      });
      expect(documents.current(accepted.documentKey ?? '')).toEqual(aPdf());
    });
  });

  it('does nothing for an object that is already gone', async () => {
    const key = await issue();
    const event = upload(key);
    await uploads.delete(key, event.s3.object.versionId);

    expect(await recordSummary(service, event)).toBe('gone');
    expect(actionsOf()).toEqual(['case.opened']);
  });

  it('ignores objects that are not agency uploads, and keys it cannot decode', async () => {
    const notAnUpload = await recordSummary(service, upload(`cases/${caseId}/My notes (v2).pdf`));
    const undecodable = await recordSummary(service, {
      ...upload(await issue()),
      s3: { bucket: { name: UPLOAD_BUCKET }, object: { key: 'uploads/%ZZ' } },
    });

    expect([notAnUpload, undecodable]).toEqual(['ignored', 'ignored']);
    expect(actionsOf()).toEqual(['case.opened']);
  });

  describe("GuardDuty's scan result (on AWS)", () => {
    function scanned(key: string, status: string, body: Uint8Array = aPdf()): ObjectScanResultEvent {
      const versionId = uploads.store(key, body, PDF, clock.now());
      return parseObjectScanResultEvent({
        version: '0',
        id: randomUUID(),
        'detail-type': 'GuardDuty Malware Protection Object Scan Result',
        source: 'aws.guardduty',
        time: clock.now().toISOString(),
        detail: {
          schemaVersion: '1.0',
          scanStatus: 'COMPLETED',
          resourceType: 'S3_OBJECT',
          s3ObjectDetails: {
            bucketName: UPLOAD_BUCKET,
            objectKey: key,
            eTag: 'etag',
            versionId,
            s3Throttled: false,
          },
          scanResultDetails: { scanResultStatus: status, threats: null },
        },
      });
    }

    it('files a file scanned clean and records that it was scanned', async () => {
      const outcome = await recordScannedUpload(service, scanned(await issue(), 'NO_THREATS_FOUND'));

      expect(outcome).toBe('received');
      expect(lastAudit()?.details).toMatchObject({ scan: 'no-threats-found' });
    });

    it('refuses a file with a threat, filing nothing, so the agency can upload again', async () => {
      const key = await issue();

      const outcome = await recordScannedUpload(service, scanned(key, 'THREATS_FOUND'));

      expect(outcome).toBe('rejected');
      expect(lastAudit()).toMatchObject({ action: 'summary.rejected', reason: uploadProblemText.threat });
      expect(documents.keys()).toEqual([]);
      expect(uploads.current(key)).toBeUndefined();
      expect(await recordScannedUpload(service, scanned(await issue(), 'NO_THREATS_FOUND'))).toBe('received');
    });

    it('refuses a file the scanner could not check', async () => {
      const outcome = await recordScannedUpload(service, scanned(await issue(), 'UNSUPPORTED'));

      expect(outcome).toBe('rejected');
      expect(lastAudit()?.reason).toBe(uploadProblemText['not-checked']);
    });
  });
  describe('either event, as the handler receives it', () => {
    it('records a GuardDuty scan result as scanned and an S3 notification as not scanned', async () => {
      const scannedKey = await issue('police');
      const versionId = uploads.store(scannedKey, aPdf(), PDF, clock.now());
      const scanResult = {
        'detail-type': 'GuardDuty Malware Protection Object Scan Result',
        source: 'aws.guardduty',
        detail: {
          s3ObjectDetails: { bucketName: UPLOAD_BUCKET, objectKey: scannedKey, versionId },
          scanResultDetails: { scanResultStatus: 'NO_THREATS_FOUND' },
        },
      };
      const notification = { Records: [upload(await issue('health'))] };

      const outcomes = [
        ...(await recordUploadEvent(service, scanResult)),
        ...(await recordUploadEvent(service, notification)),
      ];

      expect(outcomes).toEqual(['received', 'received']);
      const scans = store
        .auditOf(caseId)
        .filter((event) => event.action === 'summary.received')
        .map((event) => [event.details?.agencyId, event.details?.scan]);
      expect(scans).toEqual([
        ['police', 'no-threats-found'],
        ['health', 'not-scanned'],
      ]);
    });

    it('on AWS, through the queue: names a result it cannot record yet for SQS to deliver again, and records the rest', async () => {
      const scanResult = (key: string) => ({
        'detail-type': 'GuardDuty Malware Protection Object Scan Result',
        source: 'aws.guardduty',
        detail: {
          s3ObjectDetails: {
            bucketName: UPLOAD_BUCKET,
            objectKey: key,
            versionId: uploads.store(key, aPdf(), PDF, clock.now()),
          },
          scanResultDetails: { scanResultStatus: 'NO_THREATS_FOUND' },
        },
      });
      const policeKey = await issue('police');
      const healthKey = await issue('health');
      // The table is unavailable for the police file's form alone, as a throttled partition would be.
      const unavailableFor = policeKey.split('/').at(-1) as string;
      const cases = new Proxy(store, {
        get(target, property, receiver) {
          const value = Reflect.get(target, property, receiver);
          if (typeof value !== 'function') return value;
          return (...args: unknown[]) => {
            if (JSON.stringify(args).includes(unavailableFor)) {
              throw Object.assign(new Error('down'), { name: 'ProvisionedThroughputExceededException' });
            }
            return value.apply(target, args);
          };
        },
      });
      const batch = {
        Records: [
          { eventSource: 'aws:sqs', messageId: 'm-police', body: JSON.stringify(scanResult(policeKey)) },
          { eventSource: 'aws:sqs', messageId: 'm-health', body: JSON.stringify(scanResult(healthKey)) },
          { eventSource: 'aws:sqs', messageId: 'm-junk', body: '{"hello":"world"}' },
          // An S3 notification would be filed as not scanned: the queue takes scan results only.
          {
            eventSource: 'aws:sqs',
            messageId: 'm-unscanned',
            body: JSON.stringify({ Records: [upload(await issue('education'))] }),
          },
        ],
      };
      expect(isQueuedBatch(batch)).toBe(true);

      const answer = await recordQueuedScanResults({ ...service, cases }, batch);

      expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-police' }] });
      const received = () =>
        store
          .auditOf(caseId)
          .filter((event) => event.action === 'summary.received')
          .map((event) => event.details?.agencyId);
      expect(received()).toEqual(['health']);

      // Delivered again once the table answers, it is recorded.
      expect(await recordQueuedScanResults(service, { Records: [batch.Records[0]!] })).toEqual({
        batchItemFailures: [],
      });
      expect(received()).toEqual(['health', 'police']);
    });

    it('refuses an event that is neither', async () => {
      await expect(recordUploadEvent(service, { hello: 'world' })).rejects.toThrow(InvalidUploadEventError);
    });
  });
});

describe('the upload events at the boundary', () => {
  it('decodes keys as S3 encodes them, with + for a space', () => {
    expect(decodeS3EventKey('uploads/notes/Police+summary+%28v2%29%2B1.pdf')).toBe(
      'uploads/notes/Police summary (v2)+1.pdf',
    );
  });

  it('refuses an event that is not an S3 notification, naming what is missing', () => {
    const event = { Records: [{ eventName: 'ObjectCreated:Put', s3: { bucket: {} } }] };
    expect(() => parseUploadBucketEvent(event)).toThrow(InvalidUploadEventError);
    expect(() => parseUploadBucketEvent(event)).toThrow(/Records\.0\.s3\.bucket\.name/);
  });

  it('refuses a scan result without the object it is about', () => {
    const event = {
      'detail-type': 'GuardDuty Malware Protection Object Scan Result',
      source: 'aws.guardduty',
      detail: { scanResultDetails: { scanResultStatus: 'NO_THREATS_FOUND' } },
    };
    expect(() => parseObjectScanResultEvent(event)).toThrow(/detail\.s3ObjectDetails/);
  });
});
