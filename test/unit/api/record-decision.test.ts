import { randomUUID } from 'node:crypto';
import { SendTaskSuccessCommand, SFNClient, TaskTimedOut } from '@aws-sdk/client-sfn';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { recordDecisionEndpoints } from '../../../functions/record-decision/handler.ts';
import { sampleNotification } from '../../../local/sample-notification.ts';
import { openCase } from '../../../shared/cases/open-case.ts';
import { apiHandler } from '../../../shared/http/api-handler.ts';
import type { CaseStatus } from '../../../shared/schemas/case.ts';
import { allPartnersAgreed, RecordingMailer } from '../workflow/workflow-fakes.ts';
import {
  apiEvent,
  InMemoryCaseStore,
  invalidFieldsOf,
  invoke,
  notifier,
  partnershipTeam,
  rrgChair,
  SettableClock,
  type TestCaller,
  testS3Client,
  testService,
} from './support/api-fixtures.ts';

const TASK_TOKEN = 'task-token-that-must-never-be-logged';

const aDecision = {
  commissionLocalReview: true,
  localReviewReason: 'Invented reason: learning about multi-agency information sharing (demo).',
  recommendNationalReview: false,
  nationalReviewReason: 'Invented reason: the issues are local (demo).',
};

describe('record-decision: POST /api/cases/{caseId}/decision', () => {
  let store: InMemoryCaseStore;
  let sfn: AwsClientStub<SFNClient>;
  let handler: ReturnType<typeof apiHandler>;
  let caseId: string;
  let mailer: RecordingMailer;

  /** As if every partner had signed off and the report were complete: the decision is all the submission waits for. */
  async function onlyTheDecisionMissing() {
    const current = store.caseOf(caseId)!;
    store.overwriteCase({ ...current, signOffs: allPartnersAgreed });
    await store.completeReport(
      { caseId, completedAt: '2026-03-24T15:00:00.000Z', completedBy: 'user-team' },
      {
        actor: { kind: 'system', id: 'test' },
        at: '2026-03-24T15:00:00.000Z',
        action: 'report.completed',
        reason: 'r',
      },
    );
  }

  async function aCaseWithStatus(status: CaseStatus) {
    const { record, agencies } = openCase({
      caseId,
      notification: sampleNotification(),
      receivedAt: new Date('2026-03-04T10:00:00Z'),
      notificationDocumentKey: `cases/${caseId}/notification.json`,
    });
    const actor = { kind: 'system', id: 'rapid-review-workflow' } as const;
    const created = await store.createCase(record, agencies, {
      actor,
      at: record.receivedAt,
      action: 'case.opened',
      reason: 'r',
    });
    await store.updateCase(
      created,
      { status },
      { actor, at: '2026-03-20T09:00:00.000Z', action: 'papers.distributed', reason: 'Day 12' },
    );
  }

  beforeEach(async () => {
    store = new InMemoryCaseStore();
    caseId = randomUUID();
    await aCaseWithStatus('awaiting-decision');
    await store.saveDecisionToken(caseId, TASK_TOKEN, 1);
    const sfnClient = new SFNClient({ region: 'eu-west-2' });
    sfn = mockClient(sfnClient);
    sfn.on(SendTaskSuccessCommand).resolves({});
    mailer = new RecordingMailer();
    const service = testService({
      store,
      clock: new SettableClock('2026-03-24T15:30:00Z'),
      s3: testS3Client(),
      sfn: sfnClient,
      mailer,
    });
    handler = apiHandler('record-decision', recordDecisionEndpoints(service));
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  /** `null` calls without a token. */
  const decide = (body: unknown, caller: TestCaller | null = rrgChair, id = caseId) =>
    invoke(
      handler,
      apiEvent({
        method: 'POST',
        path: `/api/cases/${id}/decision`,
        routePath: '/api/cases/{caseId}/decision',
        pathParameters: { caseId: id },
        body,
        caller: caller ?? undefined,
      }),
    );

  it("records the chair's decision with its audit event and asks the partners to sign it off, the workflow still waiting for them and the report", async () => {
    const response = await decide(aDecision);

    expect(response.status).toBe(201);
    const expected = {
      ...aDecision,
      decidedAt: '2026-03-24T15:30:00.000Z',
      decidedBy: rrgChair.sub,
      decidedByName: 'Chair Person (demo)',
    };
    expect(response.body).toEqual(expected);
    expect(store.caseOf(caseId)).toMatchObject({ status: 'decided', decision: expected });
    expect(store.auditOf(caseId).at(-1)).toMatchObject({
      action: 'decision.recorded',
      actor: { kind: 'staff', id: rrgChair.sub, role: 'rrg-chair' },
      details: { commissionLocalReview: true, recommendNationalReview: false },
    });
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);
    expect(mailer.sent.map((email) => email.key)).toEqual([`${caseId}:SignOffRequest`]);
    const [request] = mailer.sent;
    expect(request?.message.to.sort()).toEqual(
      [
        'health-lead@example.org',
        'la-delegate@example.org',
        'la-lead@example.org',
        'police-delegate@example.org',
        'police-lead@example.org',
      ].sort(),
    );
    expect(request?.message.text).toContain(`/cases/${caseId}/sign-off`);
  });

  it('resumes the workflow when the decision is the last thing the submission waited for', async () => {
    await onlyTheDecisionMissing();

    const response = await decide(aDecision);

    expect(response.status).toBe(201);
    expect(sfn.commandCalls(SendTaskSuccessCommand).map((call) => call.args[0].input)).toEqual([
      { taskToken: TASK_TOKEN, output: JSON.stringify({ readyAt: '2026-03-24T15:30:00.000Z' }) },
    ]);
  });

  it('requires both reasons, naming each missing one, and saves nothing', async () => {
    const response = await decide({
      commissionLocalReview: true,
      recommendNationalReview: false,
      localReviewReason: '  ',
    });

    expect(response.status).toBe(400);
    expect(invalidFieldsOf(response.body).sort()).toEqual(['localReviewReason', 'nationalReviewReason']);
    expect(store.caseOf(caseId)?.status).toBe('awaiting-decision');
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);
  });

  it('lets only the RRG chair decide', async () => {
    const anonymous = await decide(aDecision, null);
    const byNotifier = await decide(aDecision, notifier);
    const byTeam = await decide(aDecision, partnershipTeam);

    expect([anonymous.status, byNotifier.status, byTeam.status]).toEqual([401, 403, 403]);
    expect(store.caseOf(caseId)?.decision).toBeUndefined();
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);
  });

  it('refuses a second decision and keeps the first', async () => {
    await decide(aDecision);

    const second = await decide({ ...aDecision, commissionLocalReview: false });

    expect(second.status).toBe(409);
    expect(second.body.title).toBe('Already decided');
    expect(store.caseOf(caseId)?.decision?.commissionLocalReview).toBe(true);
    expect(store.auditOf(caseId).filter((event) => event.action === 'decision.recorded')).toHaveLength(1);
    expect(mailer.sent).toHaveLength(1);
  });

  it('refuses a decision before the case is waiting for one', async () => {
    caseId = randomUUID();
    await aCaseWithStatus('collating');

    const response = await decide(aDecision);

    expect(response.status).toBe(409);
    expect(response.body.detail).toContain('collating');
    expect(store.caseOf(caseId)?.decision).toBeUndefined();
  });

  it('answers 404 for an unknown or malformed case', async () => {
    const unknown = await decide(aDecision, rrgChair, randomUUID());
    const malformed = await decide(aDecision, rrgChair, 'case-one');

    expect([unknown.status, malformed.status]).toEqual([404, 404]);
  });

  it('takes a timed-out wait in its stride: the escalation that timed it out finds the submission ready', async () => {
    await onlyTheDecisionMissing();
    sfn
      .on(SendTaskSuccessCommand)
      .rejects(new TaskTimedOut({ message: `token ${TASK_TOKEN} timed out`, $metadata: {} }));

    const response = await decide(aDecision);

    expect(response.status).toBe(201);
  });

  it('records the decision (201) when the workflow cannot be resumed, and leaves the resume owed for the sweep, logging only the error name', async () => {
    await onlyTheDecisionMissing();
    sfn
      .on(SendTaskSuccessCommand)
      .rejects(Object.assign(new Error(`token ${TASK_TOKEN} throttled`), { name: 'ThrottlingException' }));
    const warnings = vi.spyOn(console, 'warn').mockImplementation(() => {});

    const response = await decide(aDecision);

    expect(response.status).toBe(201);
    expect(store.caseOf(caseId)).toMatchObject({
      status: 'decided',
      decision: { commissionLocalReview: true },
      resumeOwed: '2026-03-24T15:30:00.000Z',
    });
    const logged = warnings.mock.calls.map((call) => call.join(' ')).join('\n');
    expect(logged).toContain('ThrottlingException');
    expect(logged).not.toContain(TASK_TOKEN);
  });

  it('clears the owed resume once the workflow is resumed', async () => {
    await onlyTheDecisionMissing();

    const response = await decide(aDecision);

    expect(response.status).toBe(201);
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(1);
    expect(store.caseOf(caseId)?.resumeOwed).toBeUndefined();
  });

  it('saves the decision without resuming anything when the workflow is not waiting yet', async () => {
    store.forgetDecisionToken(caseId);

    const response = await decide(aDecision);

    expect(response.status).toBe(201);
    expect(store.caseOf(caseId)?.status).toBe('decided');
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);
  });

  it('reads the case again when the workflow changed it at the same moment', async () => {
    store.staleWritesToSimulate = 1;

    const response = await decide(aDecision);

    expect(response.status).toBe(201);
    expect(store.auditOf(caseId).filter((event) => event.action === 'decision.recorded')).toHaveLength(1);
  });
});
