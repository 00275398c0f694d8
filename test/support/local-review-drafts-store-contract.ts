import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashAgencyToken } from '../../shared/agency-links.ts';
import { DuplicateWriteError, StaleWriteError } from '../../shared/errors.ts';
import type { AuditInput } from '../../shared/stores/case-store.ts';
import type { LocalReviewDraftsStore } from '../../shared/stores/local-review-drafts-store.ts';

const at = '2026-03-25T10:00:00.000Z';
const audit = (action: string, eventId?: string): AuditInput => ({
  actor: { kind: 'staff', id: 'user-team-test', role: 'partnership-team', name: 'Team Member (invented)' },
  at,
  action,
  reason: `Invented (${action})`,
  ...(eventId ? { eventId } : {}),
});

const event = {
  number: 1,
  heldOn: '2026-03-20',
  invited: 'Invented',
  attended: 'Invented',
  recordedAt: at,
  recordedBy: 'user-team-test',
};

/** What every LocalReviewDraftsStore does, held to the in-memory fake and the DynamoDB store alike. */
export function describeLocalReviewDraftsStoreContract(
  name: string,
  makeStore: () => Promise<LocalReviewDraftsStore>,
): void {
  describe(name, () => {
    it('starts empty at version 0, and keeps each change at the next version', async () => {
      const store = await makeStore();
      const reviewId = randomUUID();

      const empty = await store.getDrafts(reviewId);
      const saved = await store.saveDrafts(empty, { ...empty, learningEvents: [event] }, audit('one'));

      expect(empty).toMatchObject({ reviewId, version: 0, learningEvents: [], drafts: [] });
      expect(saved.version).toBe(1);
      expect(await store.getDrafts(reviewId)).toEqual(saved);
    });

    it('refuses a change made on an older reading, and an audit event written before', async () => {
      const store = await makeStore();
      const reviewId = randomUUID();
      const empty = await store.getDrafts(reviewId);
      const first = await store.saveDrafts(
        empty,
        { ...empty, learningEvents: [event] },
        audit('one', 'event-1'),
      );

      await expect(store.saveDrafts(empty, { ...empty }, audit('stale'))).rejects.toThrow(StaleWriteError);
      await expect(store.saveDrafts(first, { ...first }, audit('again', 'event-1'))).rejects.toThrow(
        DuplicateWriteError,
      );
      expect((await store.getDrafts(reviewId)).version).toBe(1);
    });

    it('keeps a factual-accuracy link under its hash with the change that made it, and finds it', async () => {
      const store = await makeStore();
      const reviewId = randomUUID();
      const tokenHash = hashAgencyToken(`invented-token-${randomUUID()}`);
      const link = { reviewId, round: 1, agencyId: 'police', expiresAt: '2026-05-06T23:59:59.000Z' };
      const empty = await store.getDrafts(reviewId);

      await store.saveDrafts(empty, { ...empty }, audit('round'), [{ tokenHash, link }]);

      expect(await store.findFactualAccuracyLink(tokenHash)).toEqual(link);
      expect(await store.findFactualAccuracyLink(hashAgencyToken('unknown'))).toBeUndefined();
    });
  });
}
