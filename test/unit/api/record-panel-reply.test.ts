import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { recordPanelReplyEndpoints } from '../../../functions/record-panel-reply/handler.ts';
import { sampleNotification } from '../../../local/sample-notification.ts';
import { openCase } from '../../../shared/cases/open-case.ts';
import { apiHandler } from '../../../shared/http/api-handler.ts';
import type { CaseStatus } from '../../../shared/schemas/case.ts';
import { RecordingMailer } from '../workflow/workflow-fakes.ts';
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

const board = { name: 'Board Chair (test)', email: 'executive-board@example.org' };

const aReply = {
  repliedOn: '2026-03-27',
  agreesWithDecision: true,
  nationalReview: false,
  asksForLocalReview: true,
  comments: 'Invented comments from the Panel (demo).',
};

describe('record-panel-reply: POST /api/cases/{caseId}/panel-reply', () => {
  let store: InMemoryCaseStore;
  let mailer: RecordingMailer;
  let handler: ReturnType<typeof apiHandler>;
  let caseId: string;

  /** A case at `status`; one that went to the Panel went on Monday 23 March 2026. */
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
      {
        actor,
        at: '2026-03-23T15:00:00.000Z',
        action: 'panel.submitted',
        reason: 'Sent to the Panel',
        eventId: `${caseId}:SubmitToPanel`,
      },
    );
  }

  beforeEach(async () => {
    store = new InMemoryCaseStore();
    mailer = new RecordingMailer();
    caseId = randomUUID();
    await aCaseWithStatus('submitted-to-panel');
    handler = apiHandler(
      'record-panel-reply',
      recordPanelReplyEndpoints({
        cases: store,
        clock: new SettableClock('2026-03-30T10:00:00Z'),
        mailer,
        profile: { ...testProfile, executiveBoard: board },
        publicBaseUrl: 'https://reviews.example.org',
      }),
    );
  });

  /** `null` calls without a token. */
  const reply = (body: unknown, caller: TestCaller | null = partnershipTeam, id = caseId) =>
    invoke(
      handler,
      apiEvent({
        method: 'POST',
        path: `/api/cases/${id}/panel-reply`,
        routePath: '/api/cases/{caseId}/panel-reply',
        pathParameters: { caseId: id },
        body,
        caller: caller ?? undefined,
      }),
    );

  it('records the reply (201), marks a local review to commission and emails the Executive Board', async () => {
    const response = await reply(aReply);

    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      ...aReply,
      recordedAt: '2026-03-30T10:00:00.000Z',
      recordedBy: partnershipTeam.sub,
    });
    expect(store.caseOf(caseId)).toMatchObject({ panelReply: aReply, localReviewToCommission: true });
    expect(mailer.to(board.email)).toHaveLength(1);
  });

  it('answers 400 naming each bad field, and saves nothing', async () => {
    const response = await reply({
      ...aReply,
      repliedOn: '2026-04-01',
      agreesWithDecision: 'yes',
      comments: ' ',
    });

    expect(response.status).toBe(400);
    expect(invalidFieldsOf(response.body).sort()).toEqual(['agreesWithDecision', 'comments', 'repliedOn']);
    expect(store.caseOf(caseId)?.panelReply).toBeUndefined();
    expect(mailer.sent).toEqual([]);
  });

  it('answers 400 to a malformed reply even on a case that cannot take one', async () => {
    const unknown = await reply({ ...aReply, nationalReview: 'no' }, partnershipTeam, randomUUID());

    expect(unknown.status).toBe(400);
    expect(invalidFieldsOf(unknown.body)).toEqual(['nationalReview']);
  });

  it('answers 409 to a second reply and keeps the first', async () => {
    await reply(aReply);

    const second = await reply({ ...aReply, agreesWithDecision: false });

    expect(second.status).toBe(409);
    expect(second.body.title).toBe('Panel reply already recorded');
    expect(store.caseOf(caseId)?.panelReply?.agreesWithDecision).toBe(true);
    expect(mailer.sent).toHaveLength(1);
  });

  it('answers 409 before the review has gone to the Panel', async () => {
    caseId = randomUUID();
    await aCaseWithStatus('awaiting-decision');

    const response = await reply(aReply);

    expect(response.status).toBe(409);
    expect(response.body.title).toBe('Not yet submitted to the Panel');
  });

  it('lets only the partnership team record it', async () => {
    const statuses = [(await reply(aReply, null)).status];
    for (const caller of [notifier, rrgChair]) statuses.push((await reply(aReply, caller)).status);

    expect(statuses).toEqual([401, 403, 403]);
    expect(store.caseOf(caseId)?.panelReply).toBeUndefined();
  });

  it('answers 404 for an unknown or malformed case', async () => {
    const unknown = await reply(aReply, partnershipTeam, randomUUID());
    const malformed = await reply(aReply, partnershipTeam, 'case-one');

    expect([unknown.status, malformed.status]).toEqual([404, 404]);
  });

  it('reads the case again when the workflow changed it at the same moment', async () => {
    store.staleWritesToSimulate = 1;

    const response = await reply(aReply);

    expect(response.status).toBe(201);
    expect(store.auditOf(caseId).filter((event) => event.action === 'panel-reply.recorded')).toHaveLength(1);
  });
});
