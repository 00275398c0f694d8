import { randomUUID } from 'node:crypto';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { agencyReturnEndpoints } from '../../../functions/agency-return/handler.ts';
import { sampleNotification } from '../../../local/sample-notification.ts';
import {
  agencyUploadKey,
  agencyUploadRules,
  hashAgencyToken,
  mintAgencyToken,
} from '../../../shared/agency-links.ts';
import { openCase } from '../../../shared/cases/open-case.ts';
import { apiHandler } from '../../../shared/http/api-handler.ts';
import { RecordingMailer } from '../workflow/workflow-fakes.ts';
import {
  apiEvent,
  InMemoryCaseStore,
  invalidFieldsOf,
  invoke,
  SettableClock,
  testProfile,
  testS3Client,
  testService,
  UPLOAD_BUCKET,
} from './support/api-fixtures.ts';

const PDF = 'application/pdf';

describe('agency-return: the capability link an agency uses to return its summary', () => {
  let store: InMemoryCaseStore;
  let clock: SettableClock;
  let handler: ReturnType<typeof apiHandler>;
  let caseId: string;
  let reference: string;
  let policeToken: string;

  async function aCaseWithLinks(id: string) {
    const { record, agencies } = openCase({
      caseId: id,
      notification: sampleNotification({
        incident: { ...sampleNotification().incident, kind: 'death' },
      }),
      receivedAt: new Date('2026-03-04T10:00:00Z'),
      notificationDocumentKey: `cases/${id}/notification.json`,
    });
    const actor = { kind: 'system', id: 'rapid-review-workflow' } as const;
    await store.createCase(record, agencies, {
      actor,
      at: record.receivedAt,
      action: 'case.opened',
      reason: 'r',
    });
    const { token, tokenHash } = mintAgencyToken();
    await store.putAgencyLinks([
      {
        tokenHash,
        caseId: id,
        agencyId: 'police',
        expiresAt: '2026-03-18T09:00:00.000Z',
      },
    ]);
    return { record, token };
  }

  beforeEach(async () => {
    store = new InMemoryCaseStore();
    clock = new SettableClock('2026-03-09T11:00:00Z');
    caseId = randomUUID();
    const opened = await aCaseWithLinks(caseId);
    reference = opened.record.reference;
    policeToken = opened.token;
    const s3Client = testS3Client();
    mockClient(s3Client);
    const service = testService({ store, clock, s3: s3Client });
    handler = apiHandler('agency-return', agencyReturnEndpoints(service));
  });

  const showRequest = (token: string) =>
    invoke(
      handler,
      apiEvent({
        method: 'GET',
        path: `/api/agency/${token}`,
        routePath: '/api/agency/{token}',
        pathParameters: { token },
      }),
    );
  const askForUpload = (token: string, body: unknown) =>
    invoke(
      handler,
      apiEvent({
        method: 'POST',
        path: `/api/agency/${token}/uploads`,
        routePath: '/api/agency/{token}/uploads',
        pathParameters: { token },
        body,
      }),
    );

  it('tells the agency what to return and by when, naming no child and no contact', async () => {
    const response = await showRequest(policeToken);

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      agency: 'Police',
      caseReference: reference,
      partnership: testProfile.partnershipName,
      dueAt: '2026-03-17T17:00:00Z',
      status: 'pending',
      late: false,
      upload: {
        maxBytes: agencyUploadRules.maxBytes,
        allowedTypes: Object.keys(agencyUploadRules.allowedTypes),
      },
    });
    expect(response.body.whatToReturn).toContain('Initial Scoping and Information Sharing template');
    expect(response.body.whatToReturn).toContain('CDOP Form A or B');
    const text = JSON.stringify(response.body);
    for (const personal of ['Demo Child One', '2019-05-14', 'example.org', 'Exampletown', caseId]) {
      expect(text).not.toContain(personal);
    }
  });

  it('answers an unknown, malformed or expired link alike, revealing nothing', async () => {
    const unknown = await showRequest(mintAgencyToken().token);
    const malformed = await showRequest('short-token');
    clock.set('2026-03-18T09:00:00Z');
    const expired = await showRequest(policeToken);
    const expiredUpload = await askForUpload(policeToken, {
      fileName: 'summary.pdf',
      contentType: PDF,
      size: 1000,
    });

    expect([unknown.status, malformed.status, expired.status, expiredUpload.status]).toEqual([
      404, 404, 403, 403,
    ]);
    const details = new Set(
      [unknown, malformed, expired, expiredUpload].map((response) => response.body.detail),
    );
    expect(details.size).toBe(1);
    for (const response of [unknown, malformed, expired, expiredUpload]) {
      const text = JSON.stringify(response.body);
      for (const revealing of [reference, 'Police', caseId, testProfile.partnershipName])
        expect(text).not.toContain(revealing);
    }
  });

  it("shows another case's link only that case", async () => {
    const otherCaseId = randomUUID();
    const other = await aCaseWithLinks(otherCaseId);

    const response = await showRequest(other.token);

    expect(response.body.caseReference).toBe(other.record.reference);
    expect(JSON.stringify(response.body)).not.toContain(reference);
  });

  it('answers 404 for a link whose case no longer exists', async () => {
    const { token, tokenHash } = mintAgencyToken();
    await store.putAgencyLinks([
      {
        tokenHash,
        caseId: randomUUID(),
        agencyId: 'police',
        expiresAt: '2026-03-18T09:00:00.000Z',
      },
    ]);

    const response = await showRequest(token);

    expect(response.status).toBe(404);
  });

  it('gives a pre-signed POST for a key of its own, recorded with its expiry, limited in type and size, for 15 minutes', async () => {
    const response = await askForUpload(policeToken, {
      fileName: 'Police summary.pdf',
      contentType: PDF,
      size: 250_000,
    });

    expect(response.status).toBe(201);
    const [issued] = store.issuedUploadsOf(caseId);
    const key = agencyUploadKey(caseId, 'police', issued?.uploadId ?? 'none');
    expect(issued).toEqual({
      uploadId: expect.any(String),
      caseId,
      agencyId: 'police',
      issuedAt: '2026-03-09T11:00:00.000Z',
      expiresAt: '2026-03-09T11:15:00.000Z',
      // The link it was issued under: once a newer link replaces it, the form refuses its file.
      linkTokenHash: hashAgencyToken(policeToken),
    });
    expect(response.body.key).toBe(key);
    expect(response.body.expiresAt).toBe('2026-03-09T11:15:00.000Z');
    expect(String(response.body.url)).toContain(UPLOAD_BUCKET);
    const fields = response.body.fields as Record<string, string>;
    expect(fields).toMatchObject({ key, 'Content-Type': PDF });
    const policy = JSON.parse(Buffer.from(fields.Policy!, 'base64').toString('utf8')) as {
      conditions: unknown[];
    };
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        ['content-length-range', 0, agencyUploadRules.maxBytes],
        ['eq', '$Content-Type', PDF],
      ]),
    );
  });

  it('refuses a file of the wrong type or over the size limit, naming the field', async () => {
    const wrongType = await askForUpload(policeToken, {
      fileName: 'summary.exe',
      contentType: 'application/x-msdownload',
      size: 10,
    });
    const tooBig = await askForUpload(policeToken, {
      fileName: 'summary.pdf',
      contentType: PDF,
      size: agencyUploadRules.maxBytes + 1,
    });
    const empty = await askForUpload(policeToken, { fileName: 'summary.pdf', contentType: PDF, size: 0 });
    const nothing = await askForUpload(policeToken, {});

    expect([wrongType.status, tooBig.status, empty.status, nothing.status]).toEqual([400, 400, 400, 400]);
    expect(invalidFieldsOf(wrongType.body)).toEqual(['contentType']);
    expect(invalidFieldsOf(tooBig.body)).toEqual(['size']);
    expect(invalidFieldsOf(empty.body)).toEqual(['size']);
    expect(invalidFieldsOf(nothing.body).sort()).toEqual(['contentType', 'fileName', 'size']);
  });

  it('changes nothing on the case when it issues an upload form, and gives each form its own key', async () => {
    const before = await store.getCaseFile(caseId);

    const first = await askForUpload(policeToken, { fileName: 'summary.pdf', contentType: PDF, size: 1000 });
    const second = await askForUpload(policeToken, { fileName: 'summary.pdf', contentType: PDF, size: 1000 });

    expect(await store.getCaseFile(caseId)).toEqual(before);
    expect(first.body.key).not.toBe(second.body.key);
    expect(store.issuedUploadsOf(caseId)).toHaveLength(2);
  });

  it('never lets a form outlive the link it was issued from', async () => {
    clock.set('2026-03-18T08:55:00Z');

    const response = await askForUpload(policeToken, {
      fileName: 'summary.pdf',
      contentType: PDF,
      size: 1000,
    });

    expect(response.body.expiresAt).toBe('2026-03-18T09:00:00.000Z');
    expect(store.issuedUploadsOf(caseId)[0]?.expiresAt).toBe('2026-03-18T09:00:00.000Z');
  });

  describe('PUT /api/agency/{token}/return: the structured return', () => {
    let mailer: RecordingMailer;
    let returns: ReturnType<typeof apiHandler>;

    beforeEach(() => {
      mailer = new RecordingMailer();
      const s3Client = testS3Client();
      mockClient(s3Client);
      returns = apiHandler(
        'agency-return',
        agencyReturnEndpoints(testService({ store, clock, s3: s3Client, mailer })),
      );
    });

    const involvement = {
      kind: 'involvement',
      involvedFrom: '2025-09-01',
      rolesInvolved: 'Response officer (test)',
      summary: 'Two call-outs to the family home (test).',
      episodes: [
        {
          date: '2025-10-02',
          whatHappened: 'A call-out (test).',
          decidedAndWhy: 'No further action (test).',
        },
      ],
      immediateActions: 'A review of open referrals (test).',
      earlyLearning: 'Voice of the child (test).',
    };
    const submit = (token: string, body: unknown) =>
      invoke(
        returns,
        apiEvent({
          method: 'PUT',
          path: `/api/agency/${token}/return`,
          routePath: '/api/agency/{token}/return',
          pathParameters: { token },
          body,
        }),
      );

    it('takes the return as version 1, then a correction as version 2', async () => {
      const first = await submit(policeToken, involvement);
      clock.set('2026-03-10T09:00:00Z');
      const second = await submit(policeToken, { kind: 'no-involvement', confirmed: true });

      expect(first.status).toBe(200);
      expect(first.body).toEqual({ version: 1, kind: 'involvement', receivedAt: '2026-03-09T11:00:00.000Z' });
      expect(second.body).toEqual({
        version: 2,
        kind: 'no-involvement',
        receivedAt: '2026-03-10T09:00:00.000Z',
      });
      const police = (await store.getCaseFile(caseId)).agencies.find(
        (agency) => agency.agencyId === 'police',
      );
      expect(police?.returns?.map((entry) => entry.version)).toEqual([1, 2]);
      expect(mailer.sent).toHaveLength(2);
    });

    it('answers 400 naming each bad field, and saves nothing', async () => {
      const response = await submit(policeToken, {
        ...involvement,
        involvedFrom: 'last year',
        episodes: [{ date: '2025-13-01', whatHappened: '' }],
        earlyLearning: undefined,
      });

      expect(response.status).toBe(400);
      expect(invalidFieldsOf(response.body)).toEqual(
        expect.arrayContaining([
          'involvedFrom',
          'episodes.0.date',
          'episodes.0.whatHappened',
          'episodes.0.decidedAndWhy',
          'earlyLearning',
        ]),
      );
      const police = (await store.getCaseFile(caseId)).agencies.find(
        (agency) => agency.agencyId === 'police',
      );
      expect(police?.returns).toBeUndefined();
      expect(mailer.sent).toEqual([]);
    });

    it('answers 404 for an unknown link and 403 for an expired one', async () => {
      const unknown = await submit(mintAgencyToken().token, involvement);
      clock.set('2026-03-18T09:00:00Z');
      const expired = await submit(policeToken, involvement);

      expect([unknown.status, expired.status]).toEqual([404, 403]);
    });

    it('answers 409 once collation has started', async () => {
      store.overwriteCase({ ...(await store.getCase(caseId))!, status: 'collating' });

      const response = await submit(policeToken, involvement);

      expect(response.status).toBe(409);
      expect(String(response.body.detail)).toContain('collated');
      expect(mailer.sent).toEqual([]);
    });
  });
});
