import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DuplicateWriteError, StaleWriteError } from '../../shared/errors.ts';
import type { LocalReview } from '../../shared/schemas/local-review.ts';
import type { AuditInput } from '../../shared/stores/case-store.ts';
import type { LocalReviewStore } from '../../shared/stores/local-review-store.ts';

const at = '2026-03-25T10:00:00.000Z';
const audit = (action: string, eventId?: string): AuditInput => ({
  actor: { kind: 'staff', id: 'user-team-test', role: 'partnership-team', name: 'Team Member (invented)' },
  at,
  action,
  reason: `Invented (${action})`,
  ...(eventId ? { eventId } : {}),
});

/** An invented local review of an invented case. */
export function aLocalReview(caseId: string = randomUUID()): LocalReview {
  return {
    reviewId: randomUUID(),
    reference: 'LCSPR-2026-0001',
    status: 'commissioned',
    version: 1,
    route: 'rapid-review-decision',
    fromCase: {
      caseId,
      reference: 'RR-2026-0001',
      panelReference: 'P-INVENTED-1',
      notificationDocumentKey: `cases/${caseId}/notification.json`,
    },
    decidedOn: '2026-03-23',
    completionDueOn: '2026-09-23',
    agencies: [{ agencyId: 'police', agencyName: 'Police (invented)' }],
    documents: [{ title: 'Notification', key: `cases/${caseId}/notification.json` }],
    commissionedAt: at,
    commissionedBy: 'user-team-test',
    parallelProcesses: [],
    remindersSent: [],
    createdAt: at,
    updatedAt: at,
  };
}

/** The rules every local review store keeps: the DynamoDB one and the in-memory fake alike. */
export function describeLocalReviewStoreContract(
  name: string,
  makeStore: () => Promise<LocalReviewStore>,
): void {
  describe(name, () => {
    it('keeps one local review per case, found from the case, with an audit event on each', async () => {
      const store = await makeStore();
      const review = aLocalReview();

      await store.commissionLocalReview(
        review,
        audit('local-review.commissioned'),
        audit('local-review.commissioned'),
      );
      const second = store.commissionLocalReview(
        { ...aLocalReview(review.fromCase?.caseId) },
        audit('local-review.commissioned'),
        audit('local-review.commissioned'),
      );

      await expect(second).rejects.toThrow(DuplicateWriteError);
      expect(await store.findLocalReviewOfCase(review.fromCase?.caseId ?? '')).toBe(review.reviewId);
      expect(await store.getLocalReview(review.reviewId)).toEqual(review);
      expect((await store.getLocalReviewAudit(review.reviewId)).map((event) => event.action)).toEqual([
        'local-review.commissioned',
      ]);
      expect(await store.findLocalReviewOfCase(randomUUID())).toBeUndefined();
    });

    it('keeps one local review per Practice Review Group referral, found from the referral, without a case', async () => {
      const store = await makeStore();
      const referralId = randomUUID();
      const { fromCase: _fromCase, ...rest } = aLocalReview();
      const review: LocalReview = {
        ...rest,
        route: 'practice-review-group',
        reference: 'LCSPR-PRG-2026-ABC123',
        fromReferral: {
          referralId,
          reference: 'PRG-2026-ABC123',
          child: { name: 'Child R (invented)', dateOfBirth: '2019-05-01' },
        },
        documents: [],
      };

      await store.commissionLocalReview(review, audit('local-review.commissioned'));
      const second = store.commissionLocalReview(
        { ...review, reviewId: randomUUID() },
        audit('local-review.commissioned'),
      );

      await expect(second).rejects.toThrow(DuplicateWriteError);
      expect(await store.findLocalReviewOfReferral(referralId)).toBe(review.reviewId);
      expect(await store.findLocalReviewOfReferral(randomUUID())).toBeUndefined();
      expect(await store.getLocalReview(review.reviewId)).toEqual(review);
    });

    it('changes a review only at the version read, each change once by its event id', async () => {
      const store = await makeStore();
      const review = aLocalReview();
      await store.commissionLocalReview(
        review,
        audit('local-review.commissioned'),
        audit('local-review.commissioned'),
      );

      const changed = await store.updateLocalReview(
        review,
        { status: 'awaiting-publication' },
        audit('one', 'step-1'),
      );
      await expect(store.updateLocalReview(review, { status: 'failed' }, audit('two'))).rejects.toThrow(
        StaleWriteError,
      );
      await expect(
        store.updateLocalReview(changed, { status: 'failed' }, audit('again', 'step-1')),
      ).rejects.toThrow(DuplicateWriteError);

      expect(changed.version).toBe(2);
      expect((await store.getLocalReview(review.reviewId))?.status).toBe('awaiting-publication');
      expect((await store.getLocalReviewAudit(review.reviewId)).map((event) => event.action)).toEqual([
        'local-review.commissioned',
        'one',
      ]);
    });

    it("lists a reviewer's reviews by the email recorded on them, whatever its case, and moves them with the reviewer", async () => {
      const store = await makeStore();
      const email = `reviewer.${randomUUID()}@example.org`;
      const other = `other.${randomUUID()}@example.org`;
      const review = aLocalReview();
      await store.commissionLocalReview(
        review,
        audit('local-review.commissioned'),
        audit('local-review.commissioned'),
      );
      const reviewer = {
        name: 'Robin Reviewer (invented)',
        organisation: 'Invented Reviews Ltd',
        email,
        evidence: {
          professionalKnowledge: 'Invented',
          research: 'Invented',
          complexCircumstances: 'Invented',
          withoutHindsight: 'Invented',
          communication: 'Invented',
          conflicts: 'None',
        },
        contractStartsOn: '2026-04-01',
        contractEndsOn: '2026-10-01',
        feePence: 100,
        recordedAt: at,
        recordedBy: 'user-team-test',
      };

      const appointed = await store.updateLocalReview(review, { reviewer }, audit('appointed'));
      const listed = await store.listLocalReviewsOfReviewer(email.toUpperCase());
      await store.updateLocalReview(appointed, { reviewer: { ...reviewer, email: other } }, audit('changed'));

      expect(listed.map((each) => each.reviewId)).toEqual([review.reviewId]);
      expect(await store.listLocalReviewsOfReviewer(email)).toEqual([]);
      expect((await store.listLocalReviewsOfReviewer(other)).map((each) => each.reviewId)).toEqual([
        review.reviewId,
      ]);
    });

    it('lists every review newest commissioned first, from a Rapid Review or a referral, as last changed', async () => {
      const store = await makeStore();
      const older = { ...aLocalReview(), commissionedAt: '2026-01-05T09:00:00.000Z' };
      const newer = { ...aLocalReview(), commissionedAt: '2026-03-20T16:30:00.000Z' };
      const { fromCase: _fromCase, ...rest } = aLocalReview();
      const fromReferral: LocalReview = {
        ...rest,
        commissionedAt: '2026-02-11T12:00:00.000Z',
        route: 'practice-review-group',
        reference: 'LCSPR-PRG-2026-DEF456',
        fromReferral: {
          referralId: randomUUID(),
          reference: 'PRG-2026-DEF456',
          child: { name: 'Child S (invented)' },
        },
        documents: [],
      };
      for (const review of [older, newer, fromReferral]) {
        await store.commissionLocalReview(
          review,
          audit('local-review.commissioned'),
          review.fromCase ? audit('local-review.commissioned') : undefined,
        );
      }

      await store.updateLocalReview(older, { status: 'published' }, audit('published'));
      const listed = await store.listLocalReviews();

      expect(listed.map((review) => review.reviewId)).toEqual([
        newer.reviewId,
        fromReferral.reviewId,
        older.reviewId,
      ]);
      expect(listed[2]).toMatchObject({ status: 'published', version: 2 });
      expect(listed[1]).toEqual(fromReferral);
    });

    it('keeps the latest callback token of each wait', async () => {
      const store = await makeStore();
      const reviewId = randomUUID();

      await store.saveLocalReviewToken(reviewId, 'completion', 'token-1', 1);
      await store.saveLocalReviewToken(reviewId, 'completion', 'token-2', 2);

      expect(await store.getLocalReviewToken(reviewId, 'completion')).toEqual({
        taskToken: 'token-2',
        attempt: 2,
      });
      expect(await store.getLocalReviewToken(reviewId, 'publication')).toBeUndefined();
    });
  });
}
