import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { steerCaseEndpoints } from '../../../functions/steer-case/handler.ts';
import { sampleNotification } from '../../../local/sample-notification.ts';
import type { ReviewWorkflow } from '../../../shared/adapters/review-workflow.ts';
import { openCase } from '../../../shared/cases/open-case.ts';
import { apiHandler } from '../../../shared/http/api-handler.ts';
import type { CaseChanges } from '../../../shared/stores/case-store.ts';
import { InMemoryDocumentStore, RecordingMailer } from '../workflow/workflow-fakes.ts';
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
  testProfile,
} from './support/api-fixtures.ts';

/** Invented: the review was due by Friday 8 January 2027; today is Monday 11 January 2027. */
const late = { dueDate: '2027-01-08', panelToldAt: '2027-01-08T17:00:00.000Z' };
const aReason = { reason: 'Invented: the police summary came late (demo).', expectedOn: '2027-01-15' };
const aClosure = { reason: 'Invented: the care leaver died of a known illness; no concerns (demo).' };
const decision = {
  commissionLocalReview: false,
  localReviewReason: 'Invented (demo).',
  recommendNationalReview: false,
  nationalReviewReason: 'Invented (demo).',
  decidedAt: '2027-01-07T15:00:00.000Z',
  decidedBy: 'user-chair-demo',
};

/** The workflow's callbacks, recorded. */
class RecordingWorkflow implements Pick<ReviewWorkflow, 'failTask'> {
  readonly failed: { taskToken: string; error: string }[] = [];
  async failTask(taskToken: string, error: string): Promise<void> {
    this.failed.push({ taskToken, error });
  }
}

describe('steer-case: POST /api/cases/{caseId}/late-reason and /notification-only', () => {
  let store: InMemoryCaseStore;
  let mailer: RecordingMailer;
  let workflow: RecordingWorkflow;
  let handler: ReturnType<typeof apiHandler>;

  /** A case changed by `changes` (its status, `late`, a looked-after child's death…). */
  async function aCase(changes: CaseChanges): Promise<string> {
    const caseId = randomUUID();
    const { record, agencies } = openCase({
      caseId,
      notification: sampleNotification(),
      receivedAt: new Date('2026-12-10T10:00:00Z'),
      notificationDocumentKey: `cases/${caseId}/notification.json`,
    });
    const actor = { kind: 'system', id: 'rapid-review-workflow' } as const;
    const created = await store.createCase(record, agencies, {
      actor,
      at: record.receivedAt,
      action: 'case.opened',
      reason: 'r',
    });
    await store.updateCase(created, changes, {
      actor,
      at: '2027-01-08T17:00:00.000Z',
      action: 'status.changed',
      reason: 'Invented (test)',
    });
    return caseId;
  }

  beforeEach(() => {
    store = new InMemoryCaseStore();
    mailer = new RecordingMailer();
    workflow = new RecordingWorkflow();
    handler = apiHandler(
      'steer-case',
      steerCaseEndpoints({
        cases: store,
        clock: new SettableClock('2027-01-11T10:00:00Z'),
        mailer,
        profile: testProfile,
        publicBaseUrl: 'https://rapid-review.example.test',
        workflow: workflow as unknown as ReviewWorkflow,
        documents: new InMemoryDocumentStore(),
      }),
    );
  });

  /** `null` calls without a token. */
  const send = (
    route: 'late-reason' | 'notification-only',
    caseId: string,
    body: unknown,
    caller: TestCaller | null = partnershipTeam,
  ) =>
    invoke(
      handler,
      apiEvent({
        method: 'POST',
        path: `/api/cases/${caseId}/${route}`,
        routePath: `/api/cases/{caseId}/${route}`,
        pathParameters: { caseId },
        body,
        caller: caller ?? undefined,
      }),
    );

  describe('POST /api/cases/{caseId}/late-reason', () => {
    it('records why the review is late and the date it now expects to submit (200), audited', async () => {
      const caseId = await aCase({ status: 'awaiting-decision', late });

      const response = await send('late-reason', caseId, aReason);

      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        ...late,
        ...aReason,
        reasonRecordedAt: '2027-01-11T10:00:00.000Z',
        reasonRecordedBy: partnershipTeam.sub,
      });
      expect(store.caseOf(caseId)?.late).toMatchObject(aReason);
      expect(store.auditOf(caseId).map((event) => event.action)).toContain('review.late-reason');
    });

    it('lets the team change the reason until the review goes to the Panel', async () => {
      const caseId = await aCase({ status: 'awaiting-decision', late });
      await send('late-reason', caseId, aReason);

      const changed = await send('late-reason', caseId, { ...aReason, expectedOn: '2027-01-20' });

      expect(changed.status).toBe(200);
      expect(store.caseOf(caseId)?.late?.expectedOn).toBe('2027-01-20');
    });

    it('answers 400 naming reason and expectedOn, and saves nothing', async () => {
      const caseId = await aCase({ status: 'awaiting-decision', late });

      const missing = await send('late-reason', caseId, { reason: ' ', expectedOn: '2027-02-30' });
      const past = await send('late-reason', caseId, { ...aReason, expectedOn: '2027-01-10' });

      expect([missing.status, past.status]).toEqual([400, 400]);
      expect(invalidFieldsOf(missing.body).sort()).toEqual(['expectedOn', 'reason']);
      expect(invalidFieldsOf(past.body)).toEqual(['expectedOn']);
      expect(store.caseOf(caseId)?.late?.reason).toBeUndefined();
    });

    it('answers 409 when the review is not late, or has gone to the Panel', async () => {
      const onTime = await aCase({ status: 'awaiting-decision' });
      const submitted = await aCase({ status: 'submitted-to-panel', late });

      const notLate = await send('late-reason', onTime, aReason);
      const gone = await send('late-reason', submitted, aReason);

      expect([notLate.status, gone.status]).toEqual([409, 409]);
      expect(notLate.body.title).toBe('Review not late');
      expect(gone.body.title).toBe('Review not running');
      expect(store.caseOf(submitted)?.late?.reason).toBeUndefined();
    });

    it('lets only the partnership team record it', async () => {
      const caseId = await aCase({ status: 'awaiting-decision', late });

      const statuses = [(await send('late-reason', caseId, aReason, null)).status];
      for (const caller of [notifier, rrgChair]) {
        statuses.push((await send('late-reason', caseId, aReason, caller)).status);
      }

      expect(statuses).toEqual([401, 403, 403]);
      expect(store.caseOf(caseId)?.late?.reason).toBeUndefined();
    });

    it('answers 404 for an unknown or malformed case', async () => {
      const unknown = await send('late-reason', randomUUID(), aReason);
      const malformed = await send('late-reason', 'case-one', aReason);

      expect([unknown.status, malformed.status]).toEqual([404, 404]);
    });
  });

  describe('POST /api/cases/{caseId}/notification-only', () => {
    it('closes a looked-after child’s or care leaver’s death (201), tells the notifier and the agencies still asked', async () => {
      const caseId = await aCase({ status: 'awaiting-summaries', lookedAfterOrCareLeaverDeath: true });
      await store.saveDecisionToken(caseId, 'token-invented', 1);

      const response = await send('notification-only', caseId, aClosure);

      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        kind: 'notification-only',
        ...aClosure,
        closedAt: '2027-01-11T10:00:00.000Z',
        closedBy: partnershipTeam.sub,
      });
      const record = store.caseOf(caseId);
      expect(record?.status).toBe('closed');
      expect(workflow.failed).toEqual([{ taskToken: 'token-invented', error: 'CaseClosed' }]);
      expect(mailer.to(record?.notifierEmail ?? '')).toHaveLength(1);
      expect(store.auditOf(caseId).map((event) => event.action)).toContain('case.closed-notification-only');
    });

    it('answers 400 naming reason, and closes nothing', async () => {
      const caseId = await aCase({ status: 'awaiting-summaries', lookedAfterOrCareLeaverDeath: true });

      const response = await send('notification-only', caseId, { reason: '  ' });

      expect(response.status).toBe(400);
      expect(invalidFieldsOf(response.body)).toEqual(['reason']);
      expect(store.caseOf(caseId)?.status).toBe('awaiting-summaries');
    });

    it('answers 422 for a case that is not a looked-after child’s or care leaver’s death', async () => {
      const caseId = await aCase({ status: 'awaiting-summaries' });

      const response = await send('notification-only', caseId, aClosure);

      expect(response.status).toBe(422);
      expect(response.body.title).toBe('Not a looked-after child or care leaver death');
      expect(store.caseOf(caseId)?.status).toBe('awaiting-summaries');
      expect(mailer.sent).toEqual([]);
    });

    it('answers 409 once decided; a second closure answers 200 with the first, telling no one again', async () => {
      const decided = await aCase({ status: 'decided', lookedAfterOrCareLeaverDeath: true, decision });
      const open = await aCase({ status: 'awaiting-summaries', lookedAfterOrCareLeaverDeath: true });
      const first = await send('notification-only', open, aClosure);
      const toldFirst = mailer.sent.length;

      const afterDecision = await send('notification-only', decided, aClosure);
      const again = await send('notification-only', open, { reason: 'Another reason (invented).' });

      expect([afterDecision.status, again.status]).toEqual([409, 200]);
      expect(afterDecision.body.title).toBe('Review already decided');
      expect(again.body).toEqual(first.body);
      expect(mailer.sent).toHaveLength(toldFirst);
      expect(
        store.auditOf(open).filter((event) => event.action === 'case.closed-notification-only'),
      ).toHaveLength(1);
      expect(store.caseOf(decided)?.status).toBe('decided');
    });

    it('after a 503, the same request again finishes the follow-ups not yet done, telling no one twice', async () => {
      const caseId = await aCase({ status: 'awaiting-summaries', lookedAfterOrCareLeaverDeath: true });
      await store.saveDecisionToken(caseId, 'token-invented', 1);
      const sendOnce = mailer.sendOnce.bind(mailer);
      mailer.sendOnce = async (key, message) => {
        if (key.includes(':Closed:')) {
          throw Object.assign(new Error('SES unreachable (test)'), { name: 'ServiceUnavailable' });
        }
        return sendOnce(key, message);
      };
      const closedEmails = () => mailer.sent.filter((email) => email.key.startsWith(`${caseId}:Closed:`));

      const mailDown = await send('notification-only', caseId, aClosure);
      const toldPartly = closedEmails().length;
      mailer.sendOnce = sendOnce;
      const finished = await send('notification-only', caseId, aClosure);

      expect([mailDown.status, finished.status]).toEqual([503, 200]);
      expect(mailDown.body.detail).toContain('Close it again in a few minutes');
      expect(toldPartly).toBe(0);
      const told = closedEmails().map((email) => email.key);
      expect(told).toContain(`${caseId}:Closed:notifier`);
      expect(new Set(told).size).toBe(told.length);
      // Ended each time it is asked (Step Functions answers a wait already ended as not waiting).
      expect(new Set(workflow.failed.map((failed) => JSON.stringify(failed)))).toEqual(
        new Set([JSON.stringify({ taskToken: 'token-invented', error: 'CaseClosed' })]),
      );
    });

    it('lets only the partnership team close a case', async () => {
      const caseId = await aCase({ status: 'awaiting-summaries', lookedAfterOrCareLeaverDeath: true });

      const statuses = [(await send('notification-only', caseId, aClosure, null)).status];
      for (const caller of [notifier, rrgChair]) {
        statuses.push((await send('notification-only', caseId, aClosure, caller)).status);
      }

      expect(statuses).toEqual([401, 403, 403]);
      expect(store.caseOf(caseId)?.status).toBe('awaiting-summaries');
    });
  });
});
