import { describe, expect, it } from 'vitest';
import { auditTableNameFor } from '../../local/case-table.ts';
import { DuplicateWriteError, StaleWriteError } from '../../shared/errors.ts';
import type { LearningAction } from '../../shared/schemas/learning.ts';
import type { AuditInput } from '../../shared/stores/case-store.ts';
import { DynamoDbReviewLearningReader } from '../../shared/stores/learning-reader.ts';
import { DynamoDbLearningStore } from '../../shared/stores/learning-store.ts';
import { useDynamoDbLocal } from '../support/dynamodb.ts';

const dynamo = useDynamoDbLocal();

async function freshStore(): Promise<DynamoDbLearningStore> {
  const tableName = await dynamo.freshTable();
  return new DynamoDbLearningStore(dynamo.documentClient, tableName, auditTableNameFor(tableName));
}

const review = (n: number) => `00000000-0000-4000-8000-${n.toString().padStart(12, '0')}`;
const audit = (at: string, action = 'learning-recorded'): AuditInput => ({
  actor: { kind: 'staff', id: 'user-partnership-team-demo', role: 'partnership-team' },
  at,
  action,
  reason: 'Recorded by the partnership team',
});

const anAction = (overrides: Partial<LearningAction> = {}): LearningAction => ({
  actionId: '10000000-0000-4000-8000-000000000001',
  reviewKind: 'rapid-review',
  reviewId: review(1),
  reviewReference: 'RR-2026-0001',
  number: 1,
  source: 'immediate-learning',
  recommendation: 'Health visitors ask about sleeping arrangements at every visit (invented).',
  description: 'Add the question to the visit template (invented).',
  theme: 'safe-sleep',
  scope: 'single-agency',
  owningAgencyId: 'health',
  owningAgencyName: 'Health (invented)',
  otherAgencyIds: [],
  otherAgencyNames: [],
  ownerRole: 'Named nurse for safeguarding',
  ownerEmail: 'named.nurse@example.org',
  dueOn: '2026-06-30',
  status: 'not-started',
  progress: [],
  remindersSent: [],
  version: 1,
  createdAt: '2026-03-04T10:00:00.000Z',
  createdBy: 'user-partnership-team-demo',
  updatedAt: '2026-03-04T10:00:00.000Z',
  ...overrides,
});

describe('the learning store in the DynamoDB case table', () => {
  it('keeps each theme’s reviews in its own partition, newest first, and moves them when the themes change', async () => {
    // Prepare
    const store = await freshStore();
    for (const [n, on] of [
      [1, '2025-01-10'],
      [2, '2025-06-01'],
      [3, '2026-02-01'],
    ] as const) {
      await store.saveReviewLearning(
        {
          reviewKind: 'rapid-review',
          reviewId: review(n),
          reference: `RR-0${n}`,
          reviewedOn: on,
          themes: ['neglect', 'safe-sleep'],
          learningPoints: [],
          updatedBy: 'user-partnership-team-demo',
        },
        undefined,
        audit(`2026-03-0${n}T10:00:00Z`),
      );
    }

    // Act
    const current = await store.getReviewLearning('rapid-review', review(2));
    await store.saveReviewLearning(
      { ...current!, themes: ['neglect'] },
      current!.version,
      audit('2026-03-05T10:00:00Z'),
    );

    // Assess
    expect((await store.listReviewsWithTheme('neglect')).map((entry) => entry.reference)).toEqual([
      'RR-03',
      'RR-02',
      'RR-01',
    ]);
    expect((await store.listReviewsWithTheme('safe-sleep')).map((entry) => entry.reference)).toEqual([
      'RR-03',
      'RR-01',
    ]);
    expect(
      (await store.listReviewsWithTheme('neglect', { before: '2026-02-01' })).map((entry) => entry.reference),
    ).toEqual(['RR-02', 'RR-01']);
    expect(await store.countReviewsWithTheme('safe-sleep')).toBe(2);
    // The report's reader (case-web) reads the same learning as the store does.
    const reader = new DynamoDbReviewLearningReader(dynamo.documentClient, store.tableName);
    expect(await reader.getReviewLearning('rapid-review', review(2))).toEqual(
      await store.getReviewLearning('rapid-review', review(2)),
    );
    expect(await reader.getReviewLearning('rapid-review', review(9))).toBeUndefined();
    await expect(
      store.saveReviewLearning({ ...current!, themes: [] }, current!.version, audit('2026-03-06T10:00:00Z')),
    ).rejects.toBeInstanceOf(StaleWriteError);
  });

  it('lists actions by status and due date through the index, and moves an action between statuses', async () => {
    // Prepare
    const store = await freshStore();
    await store.createAction(anAction(), audit('2026-03-04T10:00:00Z', 'action-created'));
    await store.createAction(
      anAction({ actionId: '10000000-0000-4000-8000-000000000002', number: 2, dueOn: '2026-04-30' }),
      audit('2026-03-04T10:01:00Z', 'action-created'),
    );

    // Act
    const first = await store.getAction('rapid-review', review(1), '10000000-0000-4000-8000-000000000001');
    await store.updateAction(
      first!,
      { status: 'in-progress' },
      audit('2026-03-05T10:00:00Z', 'action-progress'),
    );

    // Assess
    expect((await store.listActionsByStatus('not-started')).map((action) => action.number)).toEqual([2]);
    expect((await store.listActionsByStatus('in-progress')).map((action) => action.number)).toEqual([1]);
    expect(await store.listActionsByStatus('in-progress', { dueTo: '2026-06-29' })).toEqual([]);
    expect(
      (await store.listActionsByStatus('in-progress', { dueFrom: '2026-06-30', dueTo: '2026-06-30' })).length,
    ).toBe(1);
    expect((await store.listReviewActions('rapid-review', review(1))).map((action) => action.number)).toEqual(
      [1, 2],
    );
    await expect(
      store.updateAction(first!, { status: 'done' }, audit('2026-03-06T10:00:00Z', 'action-progress')),
    ).rejects.toBeInstanceOf(StaleWriteError);
    await expect(
      store.createAction(anAction(), audit('2026-03-07T10:00:00Z', 'action-created')),
    ).rejects.toBeInstanceOf(DuplicateWriteError);
  });

  it('finds an action link by the hash of its token', async () => {
    // Prepare
    const store = await freshStore();
    const link = {
      tokenHash: 'a'.repeat(64),
      actionId: '10000000-0000-4000-8000-000000000001',
      reviewKind: 'rapid-review' as const,
      reviewId: review(1),
      issuedAt: '2026-03-04T10:00:00.000Z',
      expiresAt: '2026-09-04T10:00:00.000Z',
    };

    // Act
    await store.putActionLink(link, audit('2026-03-04T10:00:00Z', 'action-link-issued'));

    // Assess
    expect(await store.findActionLink('a'.repeat(64))).toEqual(link);
    expect(await store.findActionLink('b'.repeat(64))).toBeUndefined();
  });
});
