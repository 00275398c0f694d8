import { randomUUID } from 'node:crypto';
import { HeadObjectCommand, NotFound } from '@aws-sdk/client-s3';
import {
  DescribeExecutionCommand,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { getCaseEndpoints } from '../../../functions/get-case/handler.ts';
import { sampleNotification } from '../../../local/sample-notification.ts';
import { executionArnFor } from '../../../shared/adapters/review-workflow.ts';
import { openCase } from '../../../shared/cases/open-case.ts';
import { apiHandler } from '../../../shared/http/api-handler.ts';
import {
  apiEvent,
  InMemoryCaseStore,
  invoke,
  notifier,
  partnershipTeam,
  rrgChair,
  rrgMember,
  SettableClock,
  type TestCaller,
  testS3Client,
  testService,
} from './support/api-fixtures.ts';

describe('get-case: GET /api/cases/{caseId}', () => {
  let store: InMemoryCaseStore;
  let s3: AwsClientStub<ReturnType<typeof testS3Client>>;
  let sfn: AwsClientStub<SFNClient>;
  let handler: ReturnType<typeof apiHandler>;
  let caseId: string;

  beforeEach(async () => {
    store = new InMemoryCaseStore();
    caseId = randomUUID();
    const { record, agencies } = openCase({
      caseId,
      notification: sampleNotification(),
      receivedAt: new Date('2026-03-04T10:00:00Z'),
      notificationDocumentKey: `cases/${caseId}/notification.json`,
    });
    await store.createCase(record, agencies, {
      actor: { kind: 'staff', id: notifier.sub, role: 'notifier' },
      at: '2026-03-04T10:00:00.000Z',
      action: 'case.opened',
      reason: 'Serious incident notification received',
    });
    await store.updateAgencyRequest(
      store.agencyRequestOf(caseId, 'police'),
      {
        status: 'received',
        receivedAt: '2026-03-10T09:00:00.000Z',
        documentKey: `uploads/${caseId}/police/summary`,
      },
      {
        actor: { kind: 'agency', agencyId: 'police' },
        at: '2026-03-10T09:00:00.000Z',
        action: 'summary.received',
        reason: 'Returned',
      },
    );

    const s3Client = testS3Client();
    s3 = mockClient(s3Client);
    s3.on(HeadObjectCommand).rejects(
      new NotFound({ message: 'Not Found', $metadata: { httpStatusCode: 404 } }),
    );
    s3.on(HeadObjectCommand, { Key: `cases/${caseId}/notification.json` }).resolves({ ContentLength: 900 });
    s3.on(HeadObjectCommand, { Key: `cases/${caseId}/collated-report.pdf` }).resolves({
      ContentLength: 9000,
    });

    const sfnClient = new SFNClient({ region: 'eu-west-2' });
    sfn = mockClient(sfnClient);
    sfn.on(DescribeExecutionCommand).resolves({ status: 'RUNNING' });
    sfn.on(GetExecutionHistoryCommand).resolves({
      events: [
        { id: 3, timestamp: new Date(), type: 'TaskScheduled' },
        {
          id: 2,
          timestamp: new Date(),
          type: 'TaskStateEntered',
          stateEnteredEventDetails: { name: 'CollateReport' },
        },
        {
          id: 1,
          timestamp: new Date(),
          type: 'WaitStateEntered',
          stateEnteredEventDetails: { name: 'WaitForCollationDay' },
        },
      ],
    });

    const service = testService({
      store,
      clock: new SettableClock('2026-03-18T10:00:00Z'),
      s3: s3Client,
      sfn: sfnClient,
    });
    handler = apiHandler('get-case', getCaseEndpoints(service));
  });

  const getCase = (id: string, caller: TestCaller | undefined) =>
    invoke(
      handler,
      apiEvent({
        method: 'GET',
        path: `/api/cases/${id}`,
        routePath: '/api/cases/{caseId}',
        pathParameters: { caseId: id },
        caller,
      }),
    );

  it('shows the partnership team the status, timetable, returns, documents, step and audit trail', async () => {
    const response = await getCase(caseId, partnershipTeam);

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      caseId,
      status: 'notified',
      receivedAt: '2026-03-04T10:00:00.000Z',
      notifyingLocalAuthority: 'Exampleshire County Council',
      incidentKind: 'serious-harm',
      panelReference: 'PANEL-DEMO-0001',
      workflow: { status: 'RUNNING', currentStep: 'CollateReport' },
    });
    // The case page reads the child's name from the notification document; the JSON never names a child.
    expect(JSON.stringify(response.body)).not.toContain('Demo Child One');
    expect(JSON.stringify(response.body)).not.toContain('2019-05-14');
    const timetable = response.body.timetable as Record<string, unknown>[];
    expect(timetable.map((step) => step.day)).toEqual([1, 7, 10, 11, 12, 14, 15]);
    expect(timetable[2]).toEqual({
      key: 'agencySummariesDue',
      day: 10,
      name: 'Agency summaries due',
      date: '2026-03-17',
      startsAt: '2026-03-17T09:00:00Z',
      dueAt: '2026-03-17T17:00:00Z',
    });
    const agencies = response.body.agencies as Record<string, unknown>[];
    expect(agencies.map((agency) => [agency.agencyId, agency.status])).toEqual([
      ['childrens-social-care', 'pending'],
      ['police', 'received'],
      ['health', 'pending'],
      ['education', 'pending'],
    ]);
    expect(agencies[1]).toMatchObject({
      name: 'Police',
      late: false,
      spoc: { email: 'spoc.police@example.org' },
    });
    const documents = response.body.documents as Record<string, string>[];
    // The notification's own JSON document is never offered: the case page prints it as a PDF.
    expect(documents.map((document) => [document.name, document.key])).toEqual([
      ['Collated report', `cases/${caseId}/collated-report.pdf`],
    ]);
    expect(documents[0]!.downloadUrl).toContain(`/cases/${caseId}/collated-report.pdf?`);
    expect(documents[0]!.downloadUrl).toContain('X-Amz-Expires=900');
    expect(response.body.audit).toEqual([
      {
        at: '2026-03-04T10:00:00.000Z',
        actor: { kind: 'staff', id: notifier.sub, role: 'notifier' },
        action: 'case.opened',
        reason: 'Serious incident notification received',
      },
      {
        at: '2026-03-10T09:00:00.000Z',
        actor: { kind: 'agency', agencyId: 'police' },
        action: 'summary.received',
        reason: 'Returned',
      },
    ]);
    expect(sfn.commandCalls(DescribeExecutionCommand)[0]!.args[0].input.executionArn).toBe(
      `arn:aws:states:eu-west-2:111122223333:execution:RapidReview:${caseId}`,
    );
  });

  it("shows each agency's place on the escalation ladder and its next rung while it has not returned", async () => {
    await store.updateAgencyRequest(
      store.agencyRequestOf(caseId, 'health'),
      {
        status: 'reminded',
        remindedAt: '2026-03-12T09:00:01.000Z',
        ladder: [{ kind: 'reminder', at: '2026-03-12T09:00:01.000Z' }],
      },
      {
        actor: { kind: 'system', id: 'rapid-review-workflow' },
        at: '2026-03-12T09:00:01.000Z',
        action: 'agency.reminded',
        reason: 'Reminder sent: no summary from Health yet',
      },
    );

    const response = await getCase(caseId, partnershipTeam);

    const agencies = response.body.agencies as Record<string, unknown>[];
    expect(agencies.find((agency) => agency.agencyId === 'health')).toMatchObject({
      ladder: [{ kind: 'reminder', at: '2026-03-12T09:00:01.000Z' }],
      nextRung: { kind: 'lead-copied', at: '2026-03-17T17:00:00Z' },
    });
    expect(agencies.find((agency) => agency.agencyId === 'police')).toMatchObject({ ladder: [] });
    expect(agencies.find((agency) => agency.agencyId === 'police')?.nextRung).toBeUndefined();
  });

  it('adds the two clocks and the notifications’ timeliness, keeping every earlier field', async () => {
    const response = await getCase(caseId, partnershipTeam);

    expect(response.status).toBe(200);
    // The invented case: the Panel was notified on Wednesday 4 March 2026, the day the partnership heard.
    expect(response.body.clocks).toEqual({
      panelDueBy: '2026-03-25',
      localDueDate: '2026-03-24',
      governingDueDate: '2026-03-24',
      governedBy: 'local',
      workingDaysApart: 1,
      clocksCompared: true,
      notificationDueBy: '2026-03-10',
      panelNotifiedLate: false,
      partnershipToldLate: false,
    });
    expect(Object.keys(response.body)).toEqual(
      expect.arrayContaining([
        'caseId',
        'reference',
        'status',
        'receivedAt',
        'notifyingLocalAuthority',
        'incidentKind',
        'panelReference',
        'timetable',
        'agencies',
        'documents',
        'returnsNotScanned',
        'workflow',
        'audit',
      ]),
    );
  });

  it('shows the Rapid Review Group the returns without the agencies’ contact details', async () => {
    const member = await getCase(caseId, rrgMember);
    const chair = await getCase(caseId, rrgChair);

    for (const response of [member, chair]) {
      expect(response.status).toBe(200);
      const agencies = response.body.agencies as Record<string, unknown>[];
      expect(agencies).toHaveLength(4);
      expect(agencies.some((agency) => 'spoc' in agency)).toBe(false);
      expect(JSON.stringify(response.body)).not.toContain('example.org');
    }
  });

  it("shows the Panel's reply and that a local review is to be commissioned, once recorded", async () => {
    const before = await getCase(caseId, partnershipTeam);
    const current = (await store.getCase(caseId))!;
    const panelReply = {
      repliedOn: '2026-03-17',
      agreesWithDecision: false,
      nationalReview: false,
      asksForLocalReview: true,
      comments: 'Invented comments (demo).',
      recordedAt: '2026-03-18T09:00:00.000Z',
      recordedBy: partnershipTeam.sub,
    };
    await store.updateCase(
      current,
      { status: 'completed', panelReply, localReviewToCommission: true },
      {
        actor: { kind: 'staff', id: partnershipTeam.sub, role: 'partnership-team' },
        at: '2026-03-18T09:00:00.000Z',
        action: 'panel-reply.recorded',
        reason: "The partnership team recorded the Panel's reply",
      },
    );

    const after = await getCase(caseId, rrgChair);

    expect(before.body).not.toHaveProperty('panelReply');
    expect(before.body).not.toHaveProperty('localReviewToCommission');
    expect(after.body).toMatchObject({ panelReply, localReviewToCommission: true });
  });

  it('lists a document an audit event names under the case folder', async () => {
    const current = (await store.getCase(caseId))!;
    await store.updateCase(
      current,
      { status: 'collating' },
      {
        actor: { kind: 'system', id: 'collate-report' },
        at: '2026-03-18T09:00:00.000Z',
        action: 'report.collated',
        reason: 'Day 11',
        details: { reportKey: `cases/${caseId}/returns-summary.pdf` },
      },
    );
    s3.on(HeadObjectCommand, { Key: `cases/${caseId}/returns-summary.pdf` }).resolves({ ContentLength: 10 });

    const response = await getCase(caseId, partnershipTeam);

    const documents = response.body.documents as Record<string, string>[];
    expect(documents.map((document) => document.name)).toContain('Returns summary');
  });

  it("shows the rapid review report's progress, and lists its documents once filed", async () => {
    const saved = (section: 'facts' | 'criteria') => ({
      caseId,
      section,
      text: 'Invented (demo).',
      savedAt: '2026-03-18T09:00:00.000Z',
      savedBy: partnershipTeam.sub,
    });
    const audit = {
      actor: { kind: 'system', id: 'test' } as const,
      at: '2026-03-18T09:00:00.000Z',
      action: 'a',
      reason: 'r',
    };
    await store.saveReportSection(saved('facts'), audit);
    await store.saveReportSection(saved('criteria'), audit);

    const drafting = await getCase(caseId, partnershipTeam);

    expect(drafting.body.report).toEqual({ sectionsDone: 2, sectionsTotal: 11, complete: false });

    await store.completeReport(
      { caseId, completedAt: '2026-03-18T09:30:00.000Z', completedBy: partnershipTeam.sub },
      { ...audit, at: '2026-03-18T09:30:00.000Z' },
    );
    for (const extension of ['pdf', 'docx']) {
      s3.on(HeadObjectCommand, { Key: `cases/${caseId}/rapid-review-report.${extension}` }).resolves({
        ContentLength: 10,
      });
    }

    const complete = await getCase(caseId, partnershipTeam);

    expect(complete.body.report).toEqual({
      sectionsDone: 2,
      sectionsTotal: 11,
      complete: true,
      completedAt: '2026-03-18T09:30:00.000Z',
    });
    const documents = complete.body.documents as Record<string, string>[];
    expect(documents.map((document) => document.name)).toEqual(
      expect.arrayContaining(['Rapid review report (PDF)', 'Rapid review report (Word)']),
    );
  });

  it('still answers when Step Functions cannot be reached, saying the workflow status is unknown', async () => {
    sfn
      .on(DescribeExecutionCommand)
      .rejects(Object.assign(new Error('connect ECONNREFUSED'), { name: 'TimeoutError' }));

    const response = await getCase(caseId, partnershipTeam);

    expect(response.status).toBe(200);
    expect(response.body.workflow).toEqual({ status: 'UNKNOWN' });
    expect(response.body.reference).toBe((await store.getCase(caseId))!.reference);
  });

  it('says the review has not started when there is no execution for the case', async () => {
    sfn.on(DescribeExecutionCommand).rejects(new ExecutionDoesNotExist({ message: 'none', $metadata: {} }));

    const response = await getCase(caseId, partnershipTeam);

    expect(response.body.workflow).toEqual({ status: 'NOT_STARTED' });
  });

  it('answers 404 for an unknown or malformed case id', async () => {
    const unknown = await getCase(randomUUID(), partnershipTeam);
    const malformed = await getCase('not-a-case-id', partnershipTeam);

    expect([unknown.status, malformed.status]).toEqual([404, 404]);
    expect(unknown.body).toMatchObject({ title: 'Not found', status: 404 });
    expect(unknown.body.detail).toBe(malformed.body.detail);
  });

  it('asks for sign-in without a token and refuses a notifier', async () => {
    const anonymous = await getCase(caseId, undefined);
    const refused = await getCase(caseId, notifier);

    expect([anonymous.status, refused.status]).toEqual([401, 403]);
    expect(JSON.stringify(refused.body)).not.toContain('Exampleshire');
  });
});

describe('the execution ARN of a case', () => {
  it('is the state machine ARN with the execution resource and the case id as its name', () => {
    expect(executionArnFor('arn:aws:states:eu-west-2:111122223333:stateMachine:RapidReview', 'case-1')).toBe(
      'arn:aws:states:eu-west-2:111122223333:execution:RapidReview:case-1',
    );
  });

  it('refuses something that is not a state machine ARN', () => {
    expect(() => executionArnFor('arn:aws:lambda:eu-west-2:111122223333:function:intake', 'case-1')).toThrow(
      /state machine ARN/,
    );
  });
});
