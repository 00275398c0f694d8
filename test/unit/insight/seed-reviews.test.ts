import { describe, expect, it } from 'vitest';
import { seedClosedReviews } from '../../../local/insight/seed-reviews.ts';
import {
  lastTwelveMonths,
  notificationCounts,
  timelinessAgainstPanel,
} from '../../../shared/insight/figures.ts';
import { InMemoryCaseStore } from '../../support/in-memory-case-store.ts';
import { InMemoryLearningStore } from '../../support/in-memory-learning-store.ts';

describe('the invented history npm run seed writes', () => {
  const now = new Date('2026-12-02T10:00:00Z');

  it('writes closed, obviously invented reviews with themes and actions, and nothing twice', async () => {
    const cases = new InMemoryCaseStore();
    const learning = new InMemoryLearningStore();

    const written = await seedClosedReviews(cases, learning, { count: 60, now });
    const again = await seedClosedReviews(cases, learning, { count: 60, now });

    expect(written).toBe(60);
    expect(again).toBe(0);
    const all = await cases.listCases();
    expect(all).toHaveLength(60);
    expect(all.every((record) => record.reference.startsWith('RR-INV-'))).toBe(true);
    expect(all.every((record) => ['completed', 'closed', 'withdrawn'].includes(record.status))).toBe(true);
    expect(all.every((record) => Date.parse(record.receivedAt) < now.getTime())).toBe(true);
    const reviews = await Promise.all(all.map((record) => cases.getCaseWithAgencies(record.caseId)));
    const counts = notificationCounts(reviews);
    expect(counts.reviewsDone).toBeGreaterThan(40);
    const panel = timelinessAgainstPanel(reviews);
    expect(panel.late).toBeGreaterThan(0);
    expect(panel.onTime).toBeGreaterThan(panel.late);
    expect(await learning.countReviewsWithTheme('neglect')).toBeGreaterThanOrEqual(0);
    const open = await learning.listActionsByStatus('in-progress');
    const notStarted = await learning.listActionsByStatus('not-started');
    expect(open.length + notStarted.length).toBeGreaterThan(0);
    // The month index holds the year's reviews.
    expect((await cases.listReviewsNotifiedIn(lastTwelveMonths(now))).length).toBeGreaterThan(5);
  });
});
