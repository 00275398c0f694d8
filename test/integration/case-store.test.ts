import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { sampleNotification } from '../../local/sample-notification.ts';
import { openCase } from '../../shared/cases/open-case.ts';
import { CaseNotFoundError, DuplicateWriteError, StaleWriteError } from '../../shared/errors.ts';
import type { Actor } from '../../shared/schemas/roles.ts';
import { type AuditInput, DynamoDbCaseStore } from '../../shared/stores/case-store.ts';
import { useDynamoDbLocal } from '../support/dynamodb.ts';

const dynamo = useDynamoDbLocal();
const notifier: Actor = { kind: 'staff', id: 'user-notifier-demo', role: 'notifier' };
const workflow: Actor = { kind: 'system', id: 'rapid-review-workflow' };

function aCase() {
  const caseId = randomUUID();
  return openCase({
    caseId,
    notification: sampleNotification(),
    receivedAt: new Date('2026-03-04T10:00:00Z'),
    notificationDocumentKey: `cases/${caseId}/notification.json`,
  });
}
const opened = (at = '2026-03-04T10:00:00.000Z'): AuditInput => ({
  actor: notifier,
  at,
  action: 'case.opened',
  reason: 'Serious incident notification received',
});

describe('the DynamoDB case store', () => {
  let store: DynamoDbCaseStore;
  beforeEach(async () => {
    store = new DynamoDbCaseStore(dynamo.documentClient, await dynamo.freshTable());
  });

  it('creates a case with its agency requests and an audit event, and reads them back', async () => {
    const { record, agencies } = aCase();

    await store.createCase(record, agencies, opened());

    const file = await store.getCaseFile(record.caseId);
    expect(file.case).toEqual(record);
    expect(file.agencies.map((agency) => agency.agencyId).sort()).toEqual(
      ['childrens-social-care', 'education', 'health', 'police'].sort(),
    );
    expect(file.audit).toHaveLength(1);
    expect(file.audit[0]).toMatchObject({ action: 'case.opened', actor: notifier, caseId: record.caseId });
    expect(await store.getCase(record.caseId)).toEqual(record);
  });

  it('changes state and appends who, when, what and why in the same write', async () => {
    const { record, agencies } = aCase();
    await store.createCase(record, agencies, opened());

    const next = await store.updateCase(
      record,
      { status: 'awaiting-summaries', currentStep: 'RequestAgencySummaries' },
      { actor: workflow, at: '2026-03-04T10:00:05.000Z', action: 'summaries.requested', reason: 'Day 1' },
    );

    expect(next).toMatchObject({
      status: 'awaiting-summaries',
      version: 2,
      updatedAt: '2026-03-04T10:00:05.000Z',
    });
    const file = await store.getCaseFile(record.caseId);
    expect(file.case).toEqual(next);
    expect(file.audit.map((event) => [event.action, event.reason, event.actor.kind])).toEqual([
      ['case.opened', 'Serious incident notification received', 'staff'],
      ['summaries.requested', 'Day 1', 'system'],
    ]);
  });

  it('refuses a stale write and leaves nothing behind', async () => {
    const { record, agencies } = aCase();
    await store.createCase(record, agencies, opened());
    await store.updateCase(
      record,
      { status: 'awaiting-summaries' },
      { ...opened('2026-03-04T10:01:00.000Z'), action: 'first', reason: 'r1' },
    );

    const stale = store.updateCase(
      record,
      { status: 'failed' },
      { ...opened(), action: 'second', reason: 'r2' },
    );

    await expect(stale).rejects.toBeInstanceOf(StaleWriteError);
    const file = await store.getCaseFile(record.caseId);
    expect(file.case.status).toBe('awaiting-summaries');
    expect(file.case.version).toBe(2);
    expect(file.audit.map((event) => event.action)).toEqual(['case.opened', 'first']);
  });

  it('refuses to create the same case twice and keeps the first', async () => {
    const { record, agencies } = aCase();
    await store.createCase(record, agencies, opened());

    const again = store.createCase(
      { ...record, notifyingLocalAuthority: 'Somewhere Else (demo)' },
      agencies.slice(0, 1),
      opened('2026-03-04T10:05:00.000Z'),
    );

    await expect(again).rejects.toBeInstanceOf(DuplicateWriteError);
    const file = await store.getCaseFile(record.caseId);
    expect(file.case.notifyingLocalAuthority).toBe('Exampleshire County Council');
    expect(file.audit).toHaveLength(1);
  });

  it('treats the same change with the same event id as a duplicate, not a second change', async () => {
    const { record, agencies } = aCase();
    await store.createCase(record, agencies, opened());
    const change: AuditInput = {
      ...opened(),
      action: 'summaries.requested',
      reason: 'Day 1',
      eventId: 'step-1',
    };
    const once = await store.updateCase(record, { status: 'awaiting-summaries' }, change);

    const twice = store.updateCase(once, { status: 'awaiting-summaries' }, change);

    await expect(twice).rejects.toBeInstanceOf(DuplicateWriteError);
    const file = await store.getCaseFile(record.caseId);
    expect(file.case.version).toBe(2);
    expect(file.audit.filter((event) => event.eventId === 'step-1')).toHaveLength(1);
  });

  it('updates an agency request with its own version and audit event', async () => {
    const { record, agencies } = aCase();
    await store.createCase(record, agencies, opened());
    const police = agencies.find((agency) => agency.agencyId === 'police')!;

    const received = await store.updateAgencyRequest(
      police,
      { status: 'received', receivedAt: '2026-03-10T09:00:00.000Z', late: false },
      {
        actor: { kind: 'agency', agencyId: 'police' },
        at: '2026-03-10T09:00:00.000Z',
        action: 'summary.received',
        reason: 'Uploaded',
      },
    );
    const stale = store.updateAgencyRequest(
      police,
      { status: 'escalated' },
      { ...opened(), action: 'x', reason: 'y' },
    );

    expect(received.version).toBe(2);
    await expect(stale).rejects.toBeInstanceOf(StaleWriteError);
    const file = await store.getCaseFile(record.caseId);
    expect(file.agencies.find((agency) => agency.agencyId === 'police')).toMatchObject({
      status: 'received',
      version: 2,
    });
    expect(file.audit.map((event) => event.action)).toEqual(['case.opened', 'summary.received']);
  });

  it('says clearly when a case does not exist', async () => {
    const missing = randomUUID();
    await expect(store.getCaseFile(missing)).rejects.toBeInstanceOf(CaseNotFoundError);
    expect(await store.getCase(missing)).toBeUndefined();
  });

  it('rejects an invalid record before writing anything', async () => {
    const { record, agencies } = aCase();

    const invalid = store.createCase({ ...record, status: 'nonsense' as never }, agencies, opened());

    await expect(invalid).rejects.toThrow(/status/);
    await expect(store.getCaseFile(record.caseId)).rejects.toBeInstanceOf(CaseNotFoundError);
  });
});

describe('listing cases', () => {
  it('lists cases newest first and filters them by status', async () => {
    const store = new DynamoDbCaseStore(dynamo.documentClient, await dynamo.freshTable());
    const older = aCase();
    const newer = openCase({
      caseId: randomUUID(),
      notification: sampleNotification(),
      receivedAt: new Date('2026-03-05T10:00:00Z'),
      notificationDocumentKey: 'cases/newer/notification.json',
    });
    await store.createCase(older.record, older.agencies, opened());
    await store.createCase(newer.record, newer.agencies, opened('2026-03-05T10:00:00.000Z'));
    await store.updateCase(
      older.record,
      { status: 'awaiting-summaries' },
      { ...opened(), action: 'x', reason: 'y' },
    );

    const all = await store.listCases();
    const awaiting = await store.listCases({ status: 'awaiting-summaries' });

    expect(all.map((record) => record.caseId)).toEqual([newer.record.caseId, older.record.caseId]);
    expect(awaiting.map((record) => record.caseId)).toEqual([older.record.caseId]);
    expect(awaiting[0]!.version).toBe(2);
  });
});

describe('the audit trail', () => {
  it('lists events that share an instant in the order they were written', async () => {
    const store = new DynamoDbCaseStore(dynamo.documentClient, await dynamo.freshTable());
    const { record, agencies } = aCase();
    let current = await store.createCase(record, agencies, opened());
    const sameInstant = '2026-03-04T10:00:00.000Z';

    for (const action of ['zeta.first', 'alpha.second', 'mu.third']) {
      current = await store.updateCase(
        current,
        {},
        { ...opened(sameInstant), action, reason: action, eventId: action },
      );
    }

    const file = await store.getCaseFile(record.caseId);
    expect(file.audit.map((event) => event.action)).toEqual([
      'case.opened',
      'zeta.first',
      'alpha.second',
      'mu.third',
    ]);
  });
});
