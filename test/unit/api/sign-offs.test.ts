import { randomUUID } from 'node:crypto';
import { HeadObjectCommand, NotFound } from '@aws-sdk/client-s3';
import { DescribeExecutionCommand, GetExecutionHistoryCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { getCaseEndpoints } from '../../../functions/get-case/handler.ts';
import { recordSignOffEndpoints } from '../../../functions/record-sign-off/handler.ts';
import { sampleNotification } from '../../../local/sample-notification.ts';
import { openCase } from '../../../shared/cases/open-case.ts';
import { apiHandler } from '../../../shared/http/api-handler.ts';
import type { SignOffPorts } from '../../../shared/use-cases/sign-off.ts';
import { RecordingMailer } from '../workflow/workflow-fakes.ts';
import {
  apiEvent,
  InMemoryCaseStore,
  invalidFieldsOf,
  invoke,
  partnershipTeam,
  rrgChair,
  SettableClock,
  type TestCaller,
  testProfileWithPartners,
  testS3Client,
  testService,
} from './support/api-fixtures.ts';

const profile = testProfileWithPartners;

const partner = (who: string, email: string): TestCaller => ({
  sub: `user-${who}-demo`,
  groups: ['safeguarding-partner'],
  name: `${who} (demo)`,
  email,
});
const laDelegate = partner('LA Delegate', 'la-delegate@example.org');
const policeLead = partner('Police Lead', 'POLICE-LEAD@example.org');
const healthLead = partner('Health Lead', 'health-lead@example.org');
const boardChair: TestCaller = {
  sub: 'user-board-demo',
  groups: ['executive-board'],
  name: 'Board Chair (demo)',
  email: 'board-chair@example.org',
};

const aDecision = {
  commissionLocalReview: true,
  localReviewReason: 'Invented reason (demo).',
  recommendNationalReview: false,
  nationalReviewReason: 'Invented reason (demo).',
  decidedAt: '2026-03-20T15:00:00.000Z',
  decidedBy: rrgChair.sub,
  decidedByName: 'Chair Person (demo)',
};

describe('record-sign-off: POST /api/cases/{caseId}/sign-offs and /sign-offs/resolution', () => {
  let store: InMemoryCaseStore;
  let mailer: RecordingMailer;
  let handler: ReturnType<typeof apiHandler>;
  let caseId: string;
  let clock: SettableClock;

  async function decide() {
    const record = store.caseOf(caseId)!;
    await store.updateCase(
      record,
      { decision: aDecision, status: 'decided' },
      {
        actor: { kind: 'staff', id: rrgChair.sub, role: 'rrg-chair' },
        at: aDecision.decidedAt,
        action: 'decision.recorded',
        reason: 'r',
      },
    );
  }

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
      actor: { kind: 'system', id: 'test' },
      at: record.receivedAt,
      action: 'case.opened',
      reason: 'r',
    });
    mailer = new RecordingMailer();
    clock = new SettableClock('2026-03-23T10:00:00Z');
    const service: SignOffPorts = {
      cases: store,
      clock,
      mailer,
      profile,
      publicBaseUrl: 'https://reviews.example.org',
      // No callback is stored on these cases, so the workflow is never reached.
      workflow: {
        start: async () => 'started',
        resume: async () => 'started',
        completeTask: async () => {
          throw new Error('The workflow is not waiting in these tests');
        },
        failTask: async () => {},
        progress: async () => ({ status: 'RUNNING' }),
        failedStep: async () => undefined,
      },
    };
    handler = apiHandler('record-sign-off', recordSignOffEndpoints(service));
  });

  const signOff = (body: unknown, caller: TestCaller | undefined, id = caseId) =>
    invoke(
      handler,
      apiEvent({
        method: 'POST',
        path: `/api/cases/${id}/sign-offs`,
        routePath: '/api/cases/{caseId}/sign-offs',
        pathParameters: { caseId: id },
        body,
        caller,
      }),
    );
  const resolve = (body: unknown, caller: TestCaller | undefined = boardChair) =>
    invoke(
      handler,
      apiEvent({
        method: 'POST',
        path: `/api/cases/${caseId}/sign-offs/resolution`,
        routePath: '/api/cases/{caseId}/sign-offs/resolution',
        pathParameters: { caseId },
        body,
        caller,
      }),
    );

  it("records a partner's agreement, found by the caller's email, with its audit event and no email", async () => {
    await decide();
    const response = await signOff({ agrees: true }, policeLead);

    expect(response.status).toBe(201);
    const expected = {
      partner: 'police',
      agrees: true,
      signedAt: '2026-03-23T10:00:00.000Z',
      signedBy: policeLead.sub,
      signedByName: 'Police Lead (demo)',
    };
    expect(response.body).toEqual(expected);
    expect(store.caseOf(caseId)?.signOffs).toEqual([expected]);
    expect(store.caseOf(caseId)?.status).toBe('decided');
    expect(store.auditOf(caseId).at(-1)).toMatchObject({
      action: 'sign-off.agreed',
      actor: { kind: 'staff', id: policeLead.sub, role: 'safeguarding-partner' },
      details: { partner: 'police', agrees: true },
    });
    expect(mailer.sent).toEqual([]);
  });

  it('refuses a sign-off before the chair has decided, and a second sign-off by the same partner (409)', async () => {
    const early = await signOff({ agrees: true }, laDelegate);
    expect(early.status).toBe(409);
    expect(store.caseOf(caseId)?.signOffs).toBeUndefined();

    await decide();
    expect((await signOff({ agrees: true }, laDelegate)).status).toBe(201);
    const lead = partner('LA Lead', 'la-lead@example.org');
    const second = await signOff({ agrees: false, reasons: 'Changed my mind (demo).' }, lead);

    expect(second.status).toBe(409);
    expect(store.caseOf(caseId)?.signOffs?.map((s) => [s.partner, s.agrees])).toEqual([
      ['local-authority', true],
    ]);
  });

  it('requires reasons to disagree, and refuses anyone the profile names as no partner', async () => {
    await decide();
    const noReasons = await signOff({ agrees: false, reasons: '  ' }, laDelegate);
    const noAnswer = await signOff({}, laDelegate);
    const stranger = await signOff({ agrees: true }, partner('Stranger', 'someone@example.org'));
    const wrongRole = await signOff({ agrees: true }, partnershipTeam);

    expect(noReasons.status).toBe(400);
    expect(invalidFieldsOf(noReasons.body)).toEqual(['reasons']);
    expect(invalidFieldsOf(noAnswer.body)).toEqual(['agrees']);
    expect([stranger.status, wrongRole.status]).toEqual([403, 403]);
    expect(store.caseOf(caseId)?.signOffs).toBeUndefined();
  });

  it("emails the Executive Board chair once about a disagreement, by the case's reference and a link, not the reasons", async () => {
    await decide();
    const reasons = 'Invented reasons (demo):\nthe family circumstances point the other way.';
    const response = await signOff({ agrees: false, reasons }, healthLead);

    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ partner: 'health', agrees: false, reasons });
    expect(store.auditOf(caseId).at(-1)).toMatchObject({ action: 'sign-off.disagreed' });
    expect(mailer.sent).toHaveLength(1);
    const [email] = mailer.sent;
    const reference = store.caseOf(caseId)!.reference;
    expect(email?.key).toBe(`sign-off-disagreement/${caseId}/health`);
    expect(email?.message.to).toEqual(['board-chair@example.org']);
    expect(email?.message.subject).toContain(reference);
    // Like every email, its subject starts with the reference, it names its sender (the
    // partnership, and its team's mailbox) and replies go to the team.
    expect(email?.message.subject).toBe(`${reference}: a safeguarding partner disagrees with the decision`);
    expect(email?.message.replyTo).toEqual([profile.partnershipTeamAddress]);
    expect(email?.message.text).toContain(
      `\n\n${profile.partnershipName}\nPartnership team: ${profile.partnershipTeamAddress}\n`,
    );
    expect(email?.message.text).toContain(`https://reviews.example.org/cases/${caseId}/sign-offs/resolution`);
    expect(email?.message.text).not.toContain('family circumstances');
  });

  it('lets the Executive Board chair resolve a disagreement once, completing the decision', async () => {
    await decide();
    expect((await resolve({ outcome: 'decision-stands', reasons: 'x' })).status).toBe(409);
    await signOff({ agrees: false, reasons: 'Invented (demo).' }, healthLead);
    const byPartner = await resolve({ outcome: 'decision-stands', reasons: 'x' }, laDelegate);
    const invalid = await resolve({ outcome: 'maybe' });

    const response = await resolve({ outcome: 'decision-stands', reasons: 'Invented resolution (demo).' });
    const again = await resolve({ outcome: 'decision-varied', reasons: 'Again (demo).' });

    expect(byPartner.status).toBe(403);
    expect(invalidFieldsOf(invalid.body).sort()).toEqual(['outcome', 'reasons']);
    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      outcome: 'decision-stands',
      reasons: 'Invented resolution (demo).',
      resolvedAt: '2026-03-23T10:00:00.000Z',
      resolvedBy: boardChair.sub,
      resolvedByName: 'Board Chair (demo)',
    });
    expect(again.status).toBe(409);
    expect(store.caseOf(caseId)?.signOffResolution?.outcome).toBe('decision-stands');
    expect(store.auditOf(caseId).at(-1)).toMatchObject({
      action: 'sign-off.resolved',
      actor: { kind: 'staff', id: boardChair.sub, role: 'executive-board' },
      details: { outcome: 'decision-stands' },
    });
  });

  describe('GET /api/cases/{caseId} shows the sign-offs', () => {
    const getCase = async (caller: TestCaller) => {
      const s3Client = testS3Client();
      mockClient(s3Client)
        .on(HeadObjectCommand)
        .rejects(new NotFound({ message: 'Not Found', $metadata: { httpStatusCode: 404 } }));
      const sfnClient = new SFNClient({ region: 'eu-west-2' });
      const sfn = mockClient(sfnClient);
      sfn.on(DescribeExecutionCommand).resolves({ status: 'RUNNING' });
      sfn.on(GetExecutionHistoryCommand).resolves({ events: [] });
      const getCaseHandler = apiHandler(
        'get-case',
        getCaseEndpoints(testService({ store, clock, s3: s3Client, sfn: sfnClient })),
      );
      return invoke(
        getCaseHandler,
        apiEvent({
          method: 'GET',
          path: `/api/cases/${caseId}`,
          routePath: '/api/cases/{caseId}',
          pathParameters: { caseId },
          caller,
        }),
      );
    };

    it('by partner and name, never an id, and complete once all three agree', async () => {
      await decide();
      await signOff({ agrees: true }, laDelegate);
      await signOff({ agrees: true }, policeLead);
      const partway = await getCase(laDelegate);
      expect(partway.status).toBe(200);
      expect(partway.body.partnersDecision).toEqual({
        complete: false,
        awaiting: ['health'],
        awaitingResolution: false,
      });

      await signOff({ agrees: true }, healthLead);
      const done = await getCase(boardChair);

      expect(done.body.signOffs).toEqual([
        {
          partner: 'local-authority',
          partnerName: 'Local authority',
          agrees: true,
          signedAt: '2026-03-23T10:00:00.000Z',
          signedByName: 'LA Delegate (demo)',
        },
        expect.objectContaining({ partner: 'police', signedByName: 'Police Lead (demo)' }),
        expect.objectContaining({ partner: 'health', partnerName: 'Integrated care board' }),
      ]);
      expect(JSON.stringify(done.body.signOffs)).not.toContain('user-');
      expect(done.body.partnersDecision).toEqual({
        complete: true,
        completedBy: 'all-partners-agreed',
        awaiting: [],
        awaitingResolution: false,
      });
    });

    it('not complete on a disagreement until the Executive Board chair resolves it', async () => {
      await decide();
      await signOff({ agrees: true }, laDelegate);
      await signOff({ agrees: true }, policeLead);
      await signOff({ agrees: false, reasons: 'Invented (demo).' }, healthLead);
      const disagreed = await getCase(partnershipTeam);
      expect(disagreed.body.partnersDecision).toMatchObject({ complete: false, awaitingResolution: true });

      await resolve({ outcome: 'decision-varied', reasons: 'Invented resolution (demo).' });
      const resolved = await getCase(partnershipTeam);

      expect(resolved.body.partnersDecision).toEqual({
        complete: true,
        completedBy: 'executive-board',
        awaiting: [],
        awaitingResolution: false,
        resolution: {
          outcome: 'decision-varied',
          reasons: 'Invented resolution (demo).',
          resolvedAt: '2026-03-23T10:00:00.000Z',
          resolvedByName: 'Board Chair (demo)',
        },
      });
    });
  });
});
