import { PutObjectCommand } from '@aws-sdk/client-s3';
import { beforeEach, describe, expect, it } from 'vitest';
import { intakeEndpoints } from '../../../functions/intake/handler.ts';
import { sampleNotification } from '../../../local/sample-notification.ts';
import { apiHandler } from '../../../shared/http/api-handler.ts';
import { aDocx, aPdf } from '../../support/test-files.ts';
import {
  apiEvent,
  DOCUMENT_BUCKET,
  invalidFieldsOf,
  invoke,
  notifier,
  partnershipTeam,
  rrgChair,
  SettableClock,
  type TestCaller,
  testService,
} from './support/api-fixtures.ts';
import { type IntakeWorld, intakeWorld } from './support/intake-world.ts';

/** POST /api/cases/{caseId}/panel-notification (issue 10 part 5), on the intake function. */
describe('intake: POST /api/cases/{caseId}/panel-notification', () => {
  let world: IntakeWorld;
  let caseId: string;
  let handler: ReturnType<typeof apiHandler>;

  beforeEach(async () => {
    world = intakeWorld();
    const opened = await world.submit(sampleNotification());
    caseId = String(opened.body.caseId);
    handler = apiHandler(
      'intake',
      intakeEndpoints(
        testService({
          store: world.store,
          clock: new SettableClock('2026-03-05T10:00:00Z'),
          s3: world.s3Client,
        }),
      ),
    );
  });

  const post = (body: unknown, caller: TestCaller | 'nobody' = notifier, id = caseId) =>
    invoke(
      handler,
      apiEvent({
        method: 'POST',
        path: `/api/cases/${id}/panel-notification`,
        routePath: '/api/cases/{caseId}/panel-notification',
        pathParameters: { caseId: id },
        body,
        ...(caller === 'nobody' ? {} : { caller }),
      }),
    );
  const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

  it('files the PDF from the notifier who sent the notification, records it and audits it', async () => {
    const response = await post({
      fileName: 'to-the-panel.pdf',
      contentBase64: base64(aPdf('To the Panel')),
    });

    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      fileName: 'to-the-panel.pdf',
      uploadedAt: '2026-03-05T10:00:00.000Z',
    });
    const puts = world.s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input);
    expect(puts.at(-1)).toMatchObject({
      Bucket: DOCUMENT_BUCKET,
      Key: `cases/${caseId}/panel-notification.pdf`,
      ContentType: 'application/pdf',
    });
    expect(world.store.caseOf(caseId)?.panelNotificationDocument).toMatchObject({
      fileName: 'to-the-panel.pdf',
    });
    expect(world.store.auditOf(caseId).at(-1)).toMatchObject({
      action: 'panel-notification.uploaded',
      actor: { kind: 'staff', id: notifier.sub, role: 'notifier' },
    });
  });

  it('takes it from the partnership team too', async () => {
    const response = await post({ fileName: 'p.pdf', contentBase64: base64(aPdf()) }, partnershipTeam);
    expect(response.status).toBe(201);
  });

  it('answers 400 naming each bad field: the body’s, and a file that is not a PDF', async () => {
    const bad = await post({ contentBase64: 'not base64!' });
    expect(bad.status).toBe(400);
    expect(invalidFieldsOf(bad.body).sort()).toEqual(['contentBase64', 'fileName']);

    const word = await post({ fileName: 'p.pdf', contentBase64: base64(aDocx()) });
    expect(word.status).toBe(400);
    expect(invalidFieldsOf(word.body)).toEqual(['file']);
  });

  it('answers 403 to another notifier and to a role the route does not allow, and 401 without a sign-in', async () => {
    const other: TestCaller = {
      sub: 'user-other-notifier',
      groups: ['notifier'],
      email: 'other@example.org',
    };
    expect((await post({ fileName: 'p.pdf', contentBase64: base64(aPdf()) }, other)).status).toBe(403);
    expect((await post({ fileName: 'p.pdf', contentBase64: base64(aPdf()) }, rrgChair)).status).toBe(403);
    expect((await post({ fileName: 'p.pdf', contentBase64: base64(aPdf()) }, 'nobody')).status).toBe(401);
  });

  it('answers 409 once the papers are collated, and 404 for a case that is not there', async () => {
    world.store.overwriteCase({ ...world.store.caseOf(caseId)!, status: 'collating' });
    const late = await post({ fileName: 'p.pdf', contentBase64: base64(aPdf()) });
    expect(late.status).toBe(409);
    const missing = await post(
      { fileName: 'p.pdf', contentBase64: base64(aPdf()) },
      notifier,
      '00000000-0000-4000-8000-000000000000',
    );
    expect(missing.status).toBe(404);
  });
});
