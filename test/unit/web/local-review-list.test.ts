import { beforeEach, describe, expect, it } from 'vitest';
import { localReviewListPages } from '../../../functions/web/pages/local-review-list.ts';
import { localReviewWorkPages } from '../../../functions/web/pages/local-review-work-pages.ts';
import { staffMenuPages } from '../../../functions/web/pages/menu.ts';
import { createWebApp } from '../../../functions/web/router.ts';
import { templateEnvironment } from '../../../functions/web/views.ts';
import type { LocalReview } from '../../../shared/schemas/local-review.ts';
import type { AuditInput } from '../../../shared/stores/case-store.ts';
import { InMemoryLocalReviewStore } from '../../support/in-memory-local-review-store.ts';
import { aLocalReview } from '../../support/local-review-store-contract.ts';
import { InMemoryCaseStore, SettableClock, testS3Client, testService } from '../api/support/api-fixtures.ts';
import { signedIn, testSessionSecret, testUser, webEvent } from './support/web-fixtures.ts';

const html = (body: unknown) => String(body).replaceAll('&#39;', "'").replaceAll('&#x27;', "'");
const audit = (action: string): AuditInput => ({
  actor: { kind: 'system', id: 'test' },
  at: '2026-03-25T10:00:00.000Z',
  action,
  reason: 'Invented',
});

/** The rows of the table: each row's cells' text, tags and tags stripped. */
const rowsOf = (body: unknown) =>
  [...html(body).matchAll(/<tr role="row" class="govuk-table__row">([\s\S]*?)<\/tr>/g)].slice(1).map((row) =>
    [...(row[1] ?? '').matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) =>
      (cell[1] ?? '')
        .replace(/<br>/g, ' ')
        .replace(/<[^>]+>/g, '')
        .replace(/\s+/g, ' ')
        .trim(),
    ),
  );

describe('the partnership team’s list of local reviews (/local-reviews)', () => {
  let localReviews: InMemoryLocalReviewStore;
  let app: ReturnType<typeof createWebApp>;
  let fromCase: LocalReview;
  let fromReferral: LocalReview;

  beforeEach(async () => {
    localReviews = new InMemoryLocalReviewStore();
    const service = testService({
      store: new InMemoryCaseStore(),
      clock: new SettableClock('2026-10-01T10:00:00Z'),
      s3: testS3Client(),
      localReviews,
    });
    app = createWebApp({
      pages: [...localReviewListPages, ...localReviewWorkPages],
      menuPages: staffMenuPages,
      service: () => service,
      sessions: { secret: () => testSessionSecret, revocations: () => service.sessions },
      templates: templateEnvironment,
    });
    // A review from a Rapid Review, past its completion target with its reviewer appointed.
    fromCase = { ...aLocalReview(), commissionedAt: '2026-02-01T10:00:00.000Z' };
    await localReviews.commissionLocalReview(fromCase, audit('local-review.commissioned'));
    await localReviews.updateLocalReview(
      fromCase,
      {
        reviewer: {
          name: 'Reviewer A (invented)',
          organisation: 'Independent Reviews Ltd (invented)',
          email: 'reviewer@example.org',
          evidence: {
            professionalKnowledge: 'Invented.',
            research: 'Invented.',
            complexCircumstances: 'Invented.',
            withoutHindsight: 'Invented.',
            communication: 'Invented.',
            conflicts: 'None',
          },
          contractStartsOn: '2026-04-01',
          contractEndsOn: '2026-09-30',
          feePence: 100,
          recordedAt: '2026-03-26T10:00:00Z',
          recordedBy: 'user-team',
        },
      },
      audit('local-review.reviewer-appointed'),
    );
    // A published review from the Practice Review Group.
    const { fromCase: _fromCase, ...rest } = aLocalReview();
    fromReferral = {
      ...rest,
      reference: 'LCSPR-PRG-2026-ABC123',
      route: 'practice-review-group',
      status: 'published',
      completionDueOn: '2026-08-11',
      commissionedAt: '2026-02-11T10:00:00.000Z',
      fromReferral: {
        referralId: '3f0a2b1c-9d8e-4f70-8a6b-5c4d3e2f1a0b',
        reference: 'PRG-2026-ABC123',
        child: { name: 'Child R (invented)' },
      },
      documents: [],
    };
    await localReviews.commissionLocalReview(fromReferral, audit('local-review.commissioned'));
  });

  const get = (query = '', user = testUser('partnership-team')) =>
    app(webEvent({ path: '/local-reviews', ...(query ? { query } : {}), cookies: signedIn(user).cookies }));

  it('lists every review newest first: reference linked, where it came from, where it stands, target and organisation', async () => {
    const response = await get();
    const body = html(response.body);

    expect(response.statusCode).toBe(200);
    expect(rowsOf(body)).toEqual([
      [
        'LCSPR-PRG-2026-ABC123',
        'Practice Review Group PRG-2026-ABC123',
        'Published',
        'Tuesday 11 August 2026',
        'Not appointed yet',
      ],
      [
        'LCSPR-2026-0001',
        'Rapid Review RR-2026-0001',
        'Late',
        'Wednesday 23 September 2026',
        'Independent Reviews Ltd (invented)',
      ],
    ]);
    expect(body).toContain(`href="/local-reviews/${fromCase.reviewId}"`);
    expect(body).toContain(`href="/cases/${fromCase.fromCase?.caseId}"`);
    expect(body).toContain('href="/practice-review-group/referrals/3f0a2b1c-9d8e-4f70-8a6b-5c4d3e2f1a0b"');
    expect(body).toContain('app-stacked-table');
    expect(body).toContain('data-label="Where it stands"');
    // No child named, no id shown as text, no instant.
    expect(body).not.toContain('Child R');
    expect(body).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
  });

  it('shows those in progress or those published, as the GET form asks', async () => {
    const inProgress = await get('status=in-progress');
    const published = await get('status=published');

    expect(rowsOf(inProgress.body).map((row) => row[0])).toEqual(['LCSPR-2026-0001']);
    expect(html(inProgress.body)).toContain('<h1 class="govuk-heading-l">Local reviews in progress</h1>');
    expect(html(inProgress.body)).toMatch(/value="in-progress" checked/);
    expect(rowsOf(published.body).map((row) => row[0])).toEqual(['LCSPR-PRG-2026-ABC123']);
  });

  it('names the field when the filter is one it does not know (400), with the error summary', async () => {
    const response = await get('status=finished');
    const body = html(response.body);

    expect(response.statusCode).toBe(400);
    expect(body).toContain('<title>Error: ');
    expect(body).toContain('href="#status"');
    expect(body).toContain('Choose published or in progress');
  });

  it('is the partnership team’s alone, and in its navigation after the cases', async () => {
    const reviewer = await get('', { ...testUser('reviewer'), email: 'reviewer@example.org' });
    const scrutineer = await get('', testUser('scrutineer'));
    const team = html((await get()).body);
    const navigation = [...team.matchAll(/class="govuk-service-navigation__link" href="([^"]+)"/g)].map(
      (match) => match[1],
    );

    expect(reviewer.statusCode).toBe(403);
    expect(scrutineer.statusCode).toBe(403);
    expect(navigation.indexOf('/local-reviews')).toBe(navigation.indexOf('/cases') + 1);
  });

  it('says so when there is no local review yet', async () => {
    localReviews.reviews.clear();

    const body = html((await get()).body);

    expect(rowsOf(body)).toEqual([]);
    expect(body).toContain('The partnership has not commissioned a local review yet.');
  });
});
