import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { sampleNotification } from '../../local/sample-notification.ts';
import { DynamoDbDraftStore, type NotificationDraft } from '../../shared/stores/draft-store.ts';
import { useDynamoDbLocal } from '../support/dynamodb.ts';
import { SettableClock } from '../unit/api/support/api-fixtures.ts';

const dynamo = useDynamoDbLocal();

const { incident, notifyingLocalAuthority, children } = sampleNotification();
const aDraft = (overrides: Partial<NotificationDraft> = {}): NotificationDraft => ({
  draftId: 'draft-0001',
  notification: { incident, notifyingLocalAuthority, children },
  ...overrides,
});

describe('notification drafts in the DynamoDB case table', () => {
  let store: DynamoDbDraftStore;
  let tableName: string;
  let clock: SettableClock;
  beforeEach(async () => {
    tableName = await dynamo.freshTable();
    clock = new SettableClock('2026-03-04T10:00:00Z');
    store = new DynamoDbDraftStore(dynamo.documentClient, tableName, clock);
  });

  it('gives back the draft it saved for a person', async () => {
    // Act
    await store.saveDraft('user-notifier-demo', aDraft());
    const draft = await store.getDraft('user-notifier-demo');

    // Assess
    expect(draft).toEqual({ ...aDraft(), updatedAt: '2026-03-04T10:00:00.000Z' });
  });

  it('keeps each person’s draft apart', async () => {
    // Prepare
    await store.saveDraft('user-notifier-demo', aDraft());

    // Act
    const someoneElse = await store.getDraft('user-partnership-team-demo');

    // Assess
    expect(someoneElse).toBeUndefined();
  });

  it('stores the draft as DRAFT#<userId> / NOTIFICATION, expiring through the table TTL in 7 days', async () => {
    // Act
    await store.saveDraft('user-notifier-demo', aDraft());

    // Assess
    const { Item } = await dynamo.documentClient.send(
      new GetCommand({ TableName: tableName, Key: { pk: 'DRAFT#user-notifier-demo', sk: 'NOTIFICATION' } }),
    );
    expect(Item?.draftId).toBe('draft-0001');
    expect(Item?.expiresAtEpoch).toBe(Date.parse('2026-03-11T10:00:00Z') / 1000);
  });

  it('replaces the draft on each save and starts its 7 days again', async () => {
    // Prepare
    await store.saveDraft('user-notifier-demo', aDraft());
    clock.set('2026-03-10T09:00:00Z');

    // Act
    await store.saveDraft(
      'user-notifier-demo',
      aDraft({ notification: { notifyingLocalAuthority: 'Changed (demo)' } }),
    );
    clock.set('2026-03-12T09:00:00Z');

    // Assess
    expect((await store.getDraft('user-notifier-demo'))?.notification).toEqual({
      notifyingLocalAuthority: 'Changed (demo)',
    });
  });

  it('treats a draft past its expiry as gone, before the TTL has removed it', async () => {
    // Prepare
    await store.saveDraft('user-notifier-demo', aDraft());

    // Act
    clock.set('2026-03-11T10:00:00Z');

    // Assess
    expect(await store.getDraft('user-notifier-demo')).toBeUndefined();
  });

  it('deletes the draft, and deleting none is fine', async () => {
    // Prepare
    await store.saveDraft('user-notifier-demo', aDraft());

    // Act
    await store.deleteDraft('user-notifier-demo');
    await store.deleteDraft('user-without-a-draft-demo');

    // Assess
    expect(await store.getDraft('user-notifier-demo')).toBeUndefined();
  });
});
