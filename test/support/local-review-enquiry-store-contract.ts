import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DuplicateWriteError, StaleWriteError } from '../../shared/errors.ts';
import type { ChronologyEntry, Declaration } from '../../shared/schemas/local-review-enquiry.ts';
import type { AuditInput } from '../../shared/stores/case-store.ts';
import type { LocalReviewEnquiryStore } from '../../shared/stores/local-review-enquiry-store.ts';

const at = '2026-03-25T10:00:00.000Z';
const audit = (action: string, eventId?: string): AuditInput => ({
  actor: { kind: 'staff', id: 'user-team-test', role: 'partnership-team', name: 'Team Member (invented)' },
  at,
  action,
  reason: `Invented (${action})`,
  ...(eventId ? { eventId } : {}),
});

const declaration: Declaration = {
  hasConflicts: false,
  confidentialityAgreed: true,
  declarant: {
    kind: 'staff',
    id: 'user-team-test',
    role: 'partnership-team',
    name: 'Team Member (invented)',
  },
  recordedAt: at,
};

const entry = (whatHappened: string, addedAt = at): ChronologyEntry => ({
  entryId: randomUUID(),
  occurredOn: '2025-02-01',
  whatHappened,
  source: 'Case note (invented)',
  agencyId: 'police',
  agencyName: 'Police (invented)',
  requestId: randomUUID(),
  addedAt,
});

/** What every LocalReviewEnquiryStore does, held to the in-memory fake and the DynamoDB store alike. */
export function describeLocalReviewEnquiryStoreContract(
  name: string,
  makeStore: () => Promise<LocalReviewEnquiryStore>,
): void {
  describe(name, () => {
    it('starts empty at version 0, and keeps each change at the next version', async () => {
      const store = await makeStore();
      const reviewId = randomUUID();

      const empty = await store.getEnquiry(reviewId);
      const saved = await store.saveEnquiry(
        empty,
        { declarations: [declaration], informationRequests: [] },
        audit('one'),
      );

      expect(empty).toEqual({
        reviewId,
        version: 0,
        declarations: [],
        informationRequests: [],
        chronology: [],
      });
      expect(saved.version).toBe(1);
      expect(await store.getEnquiry(reviewId)).toEqual(saved);
    });

    it('refuses a change made on an older reading, and an audit event written before', async () => {
      const store = await makeStore();
      const reviewId = randomUUID();
      const empty = await store.getEnquiry(reviewId);
      const first = await store.saveEnquiry(
        empty,
        { declarations: [declaration], informationRequests: [] },
        audit('one', 'event-1'),
      );

      await expect(store.saveEnquiry(empty, { ...empty }, audit('stale'))).rejects.toThrow(StaleWriteError);
      await expect(store.saveEnquiry(first, { ...first }, audit('again', 'event-1'))).rejects.toThrow(
        DuplicateWriteError,
      );
      expect((await store.getEnquiry(reviewId)).version).toBe(1);
    });

    it('keeps each chronology entry apart, in the order added, without changing the version or racing a change', async () => {
      const store = await makeStore();
      const reviewId = randomUUID();
      const empty = await store.getEnquiry(reviewId);
      const first = entry('First (invented)');
      const second = entry('Second (invented), added in the same instant');
      const third = entry('Third (invented)', '2026-03-25T11:00:00.000Z');

      await store.addChronologyEntry(reviewId, first, audit('entry'));
      await store.addChronologyEntry(reviewId, second, audit('entry'));
      // A change to the declarations read before the entries were added is not stale: they are apart.
      const saved = await store.saveEnquiry(
        empty,
        { declarations: [declaration], informationRequests: [] },
        audit('declared'),
      );
      await store.addChronologyEntry(reviewId, third, audit('entry'));

      const read = await store.getEnquiry(reviewId);
      expect(read.chronology.map((each) => each.whatHappened)).toEqual([
        'First (invented)',
        'Second (invented), added in the same instant',
        'Third (invented)',
      ]);
      expect(read.version).toBe(saved.version);
      expect(read.declarations).toEqual([declaration]);
      await expect(store.addChronologyEntry(reviewId, first, audit('again'))).rejects.toThrow(
        DuplicateWriteError,
      );
      await expect(
        store.addChronologyEntry(reviewId, entry('Fourth (invented)'), audit('entry', 'entry-event')),
      ).resolves.toBeUndefined();
      await expect(
        store.addChronologyEntry(
          reviewId,
          entry('Refused: its audit event was written before (invented)'),
          audit('entry', 'entry-event'),
        ),
      ).rejects.toThrow(DuplicateWriteError);
      expect((await store.getEnquiry(reviewId)).chronology).toHaveLength(4);
      expect((await store.getEnquiry(randomUUID())).chronology).toEqual([]);
    });
  });
}
