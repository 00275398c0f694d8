import { DeleteObjectCommand, ListObjectVersionsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { beforeEach, describe, expect, it } from 'vitest';
import { intakeEndpoints } from '../../../functions/intake/handler.ts';
import { sampleNotification } from '../../../local/sample-notification.ts';
import { caseReferenceOf, referenceYearOf } from '../../../shared/cases/open-case.ts';
import { apiHandler } from '../../../shared/http/api-handler.ts';
import { notificationDocumentKey } from '../../../shared/use-cases/submit-notification.ts';
import { captureOutput } from '../../support/log-lines.ts';
import {
  apiEvent,
  DOCUMENT_BUCKET,
  invalidFieldsOf,
  invoke,
  notifier,
  partnershipTeam,
  rrgChair,
  SettableClock,
  STATE_MACHINE_ARN,
  testService,
} from './support/api-fixtures.ts';
import { type IntakeWorld, intakeWorld } from './support/intake-world.ts';

describe('intake: POST /api/notifications', () => {
  let store: IntakeWorld['store'];
  let s3: IntakeWorld['s3'];
  let sfn: IntakeWorld['sfn'];
  let submit: IntakeWorld['submit'];
  let s3Client: IntakeWorld['s3Client'];

  beforeEach(() => {
    ({ store, s3, sfn, submit, s3Client } = intakeWorld());
  });

  it('opens the case, files the notification and starts the review named by the case id', async () => {
    const notification = sampleNotification();

    const response = await submit(notification);

    expect(response.status).toBe(201);
    const caseId = String(response.body.caseId);
    expect(response.body.reference).toBe('RR-2026-0001');
    expect(response.headers.location).toBe(`/api/cases/${caseId}`);
    const put = s3.commandCalls(PutObjectCommand)[0]!.args[0].input;
    expect(put).toMatchObject({ Bucket: DOCUMENT_BUCKET, Key: `cases/${caseId}/notification.json` });
    expect(JSON.parse(String(put.Body))).toEqual(notification);
    expect(store.caseOf(caseId)).toMatchObject({
      status: 'notified',
      receivedAt: '2026-03-04T10:00:00.000Z',
      notificationDocumentKey: notificationDocumentKey(caseId),
    });
    expect(store.auditOf(caseId).map((event) => [event.action, event.actor])).toEqual([
      ['case.opened', { kind: 'staff', id: notifier.sub, role: 'notifier' }],
    ]);
    expect(sfn.commandCalls(StartExecutionCommand).map((call) => call.args[0].input)).toEqual([
      { stateMachineArn: STATE_MACHINE_ARN, name: caseId, input: JSON.stringify({ caseId }) },
    ]);
  });

  it('gives an agency picked from the partnership directory its directory id, and refuses an id the directory does not hold', async () => {
    await store.startDirectory([]);
    await store.putDirectoryEntry({
      agencyId: 'exampleshire-police',
      name: 'Exampleshire Police (demo)',
      updatedAt: '2026-03-01T09:00:00.000Z',
    });
    const notification = sampleNotification();
    const [first, ...others] = notification.agencies;
    notification.agencies = [{ ...first!, agencyId: 'exampleshire-police' }, ...others];

    const response = await submit(notification);
    const refused = await submit({
      ...notification,
      agencies: [{ ...first!, agencyId: 'no-such-agency' }, ...others],
    });

    expect(response.status).toBe(201);
    const caseId = String(response.body.caseId);
    expect(store.caseOf(caseId)?.agencyIds[0]).toBe('exampleshire-police');
    expect(refused.status).toBe(400);
    expect(invalidFieldsOf(refused.body)).toEqual(['agencies.0.agencyId']);
  });

  it('names every invalid field and saves nothing', async () => {
    const notification = sampleNotification({
      notifyingLocalAuthority: '',
      children: [],
      notifier: { name: 'Notifier Person (demo)', role: 'Head of Service (demo)', email: 'not-an-email' },
    });

    const response = await submit(notification, { idempotencyKey: 'key-invalid-1' });

    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(invalidFieldsOf(response.body)).toEqual(
      expect.arrayContaining(['notifyingLocalAuthority', 'children', 'notifier.email']),
    );
    expect(store.caseCount()).toBe(0);
    expect(store.idempotencyKeyCount()).toBe(0);
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('asks for sign-in without a token and refuses a role that may not notify', async () => {
    const anonymous = await submit(sampleNotification(), { caller: undefined });
    const chair = await submit(sampleNotification(), { caller: rrgChair });

    expect([anonymous.status, chair.status]).toEqual([401, 403]);
    expect(store.caseCount()).toBe(0);
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  it('answers a repeated request with the same Idempotency-Key with the same case, opening only one, counted once', async () => {
    const output = captureOutput();
    const first = await submit(sampleNotification(), { idempotencyKey: 'key-repeat-1' });
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));

    const second = await submit(sampleNotification(), { idempotencyKey: 'key-repeat-1' });

    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body).toEqual(first.body);
    expect(second.headers.location).toBe(first.headers.location);
    expect(store.caseCount()).toBe(1);
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(1);
    expect(store.auditOf(String(first.body.caseId))).toHaveLength(1);
    expect(output.metrics()).toEqual([{ name: 'NotificationsReceived', value: 1, dimensions: {} }]);
  });

  it('gives each case the next reference of its year, one a repeated request does not take again', async () => {
    const first = await submit(sampleNotification(), { idempotencyKey: 'key-numbered-1' });
    const repeated = await submit(sampleNotification(), { idempotencyKey: 'key-numbered-1' });
    const refused = await submit(sampleNotification({ notifyingLocalAuthority: '' }));
    const other = sampleNotification();
    other.incident = { ...other.incident, panelReference: 'PANEL-DEMO-0002' };
    other.children = [
      { ...(other.children[0] as (typeof other.children)[number]), dateOfBirth: '2018-01-09' },
    ];
    const second = await submit(other);

    expect([first.body.reference, repeated.body.reference]).toEqual(['RR-2026-0001', 'RR-2026-0001']);
    expect(refused.status).toBe(400);
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    expect(second.body.reference).toBe('RR-2026-0002');
    expect(store.caseOf(String(second.body.caseId))?.reference).toBe('RR-2026-0002');
    expect(store.auditOf(String(second.body.caseId))[0]?.details).toMatchObject({
      reference: 'RR-2026-0002',
    });
  });

  it('writes a reference as the year and its number, at least four digits, counted by the London date', () => {
    expect(caseReferenceOf(2026, 42)).toBe('RR-2026-0042');
    expect(caseReferenceOf(2026, 10000)).toBe('RR-2026-10000');
    expect(referenceYearOf(new Date('2026-12-31T23:59:59Z'))).toBe(2026);
    expect(referenceYearOf(new Date('2027-01-01T00:00:00Z'))).toBe(2027);
  });

  it('refuses the same Idempotency-Key with a different notification, keeping the first', async () => {
    const first = await submit(sampleNotification(), { idempotencyKey: 'key-reused-1' });

    const second = await submit(
      sampleNotification({ notifyingLocalAuthority: 'Otherborough Council (demo)' }),
      {
        idempotencyKey: 'key-reused-1',
      },
    );

    expect(second.status).toBe(422);
    expect(second.body.title).toBe('Idempotency-Key reused');
    expect(store.caseCount()).toBe(1);
    expect(store.caseOf(String(first.body.caseId))?.notifyingLocalAuthority).toBe(
      'Exampleshire County Council',
    );
  });

  it('keeps two callers who happen to choose the same key apart', async () => {
    const fromNotifier = await submit(sampleNotification(), { idempotencyKey: 'key-shared-1' });
    // Another incident, so it is no possible duplicate of the first.
    const another = sampleNotification();
    const fromTeam = await submit(
      {
        ...another,
        incident: { ...another.incident, occurredOn: '2026-03-01', panelReference: 'PANEL-DEMO-0002' },
      },
      {
        caller: partnershipTeam,
        idempotencyKey: 'key-shared-1',
      },
    );

    expect([fromNotifier.status, fromTeam.status]).toEqual([201, 201]);
    expect(fromTeam.body.caseId).not.toBe(fromNotifier.body.caseId);
    expect(store.auditOf(String(fromTeam.body.caseId))[0]?.actor).toEqual({
      kind: 'staff',
      id: partnershipTeam.sub,
      role: 'partnership-team',
    });
  });

  it('refuses an Idempotency-Key that is not a plain token, naming the header', async () => {
    const response = await submit(sampleNotification(), { idempotencyKey: 'has spaces in it' });

    expect(response.status).toBe(400);
    expect(invalidFieldsOf(response.body)).toEqual(['Idempotency-Key']);
    expect(store.caseCount()).toBe(0);
  });

  it('answers 503 when the review cannot be started, and starts it when the same request is retried', async () => {
    sfn
      .on(StartExecutionCommand)
      .rejectsOnce(Object.assign(new Error('unreachable'), { name: 'ServiceUnavailable' }));

    const failed = await submit(sampleNotification(), { idempotencyKey: 'key-retry-1' });
    const retried = await submit(sampleNotification(), { idempotencyKey: 'key-retry-1' });

    expect(failed.status).toBe(503);
    expect(String(failed.body.detail)).toContain('same Idempotency-Key');
    expect(retried.status).toBe(201);
    const caseId = String(retried.body.caseId);
    expect(store.caseCount()).toBe(1);
    expect(store.caseOf(caseId)?.notificationDocumentKey).toBe(notificationDocumentKey(caseId));
    expect(sfn.commandCalls(StartExecutionCommand).map((call) => call.args[0].input.name)).toEqual([
      caseId,
      caseId,
    ]);
  });

  it('plans the timetable before writing anything: a date the calendar cannot time stores nothing', async () => {
    // The clock is past the end of the bank holiday calendar: the timetable cannot be planned.
    const late = testService({
      store,
      clock: new SettableClock('2031-03-04T10:00:00Z'),
      s3: s3Client,
      sfn: new SFNClient({ region: 'eu-west-2' }),
    });
    const lateHandler = apiHandler('intake', intakeEndpoints(late));

    const response = await invoke(
      lateHandler,
      apiEvent({
        method: 'POST',
        path: '/api/notifications',
        routePath: '/api/notifications',
        body: sampleNotification(),
        caller: notifier,
        headers: { 'Idempotency-Key': 'key-unplannable-1' },
      }),
    );

    expect(response.status).toBe(500);
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
    expect(store.caseCount()).toBe(0);
    expect(store.idempotencyKeyCount()).toBe(0);
  });

  it('deletes every version of the notification document it wrote when the case cannot be written', async () => {
    s3.on(DeleteObjectCommand).resolves({});
    // A versioned bucket: the version written, listed back, is deleted by its id, so nothing of
    // the children's details stays behind a delete marker.
    s3.on(ListObjectVersionsCommand).callsFake((input: { Prefix: string }) => ({
      Versions: [{ Key: input.Prefix, VersionId: 'version-1' }],
    }));
    store.failNextCreate(
      Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' }),
    );

    const response = await submit(sampleNotification());

    // An outage, not a fault of the request: try again later.
    expect(response.status).toBe(503);
    const written = s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input.Key);
    const deleted = s3
      .commandCalls(DeleteObjectCommand)
      .map((call) => [call.args[0].input.Key, call.args[0].input.VersionId]);
    expect(written).toHaveLength(1);
    expect(deleted).toEqual([[written[0], 'version-1']]);
    expect(store.caseCount()).toBe(0);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('leaves the document to the sweeper when the case id came from an Idempotency-Key, which a twin request may share', async () => {
    s3.on(DeleteObjectCommand).resolves({});
    store.failNextCreate(Object.assign(new Error('conflict'), { name: 'TransactionCanceledException' }));

    const response = await submit(sampleNotification(), { idempotencyKey: 'twin-key-1' });

    expect(response.status).toBe(500);
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(1);
    expect(s3.commandCalls(DeleteObjectCommand)).toHaveLength(0);
  });

  it('keeps the document when the case write failed but the case is there after all', async () => {
    s3.on(DeleteObjectCommand).resolves({});
    store.failNextCreate(Object.assign(new Error('timed out'), { name: 'TimeoutError' }), {
      afterWriting: true,
    });

    const response = await submit(sampleNotification());

    expect(response.status).toBe(503);
    expect(store.caseCount()).toBe(1);
    expect(s3.commandCalls(DeleteObjectCommand)).toHaveLength(0);
  });

  it('opens no case when the notification document cannot be stored', async () => {
    s3.on(PutObjectCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));

    const response = await submit(sampleNotification(), { idempotencyKey: 'key-no-document-1' });

    expect(response.status).toBe(500);
    expect(store.caseCount()).toBe(0);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });
});
