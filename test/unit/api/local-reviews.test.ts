import { beforeEach, describe, expect, it } from 'vitest';
import { commissionLocalReviewEndpoints } from '../../../functions/commission-local-review/handler.ts';
import { getLocalReviewsEndpoints } from '../../../functions/get-local-reviews/handler.ts';
import type { ReviewWorkflow } from '../../../shared/adapters/review-workflow.ts';
import { localReviewRulesOf, rulesOf } from '../../../shared/config/partnership-profile.ts';
import { InvalidInputError } from '../../../shared/errors.ts';
import { type ApiEvent, apiHandler } from '../../../shared/http/api-handler.ts';
import type { LocalReview } from '../../../shared/schemas/local-review.ts';
import type { AuditInput } from '../../../shared/stores/case-store.ts';
import {
  type LocalReviewStanding,
  listLocalReviews,
  standingOf,
} from '../../../shared/use-cases/local-review-overview.ts';
import { InMemoryLocalReviewEnquiryStore } from '../../support/in-memory-local-review-enquiry-store.ts';
import { InMemoryLocalReviewStore } from '../../support/in-memory-local-review-store.ts';
import { aLocalReview } from '../../support/local-review-store-contract.ts';
import { fakeService, openSampleCase, sampleDecision } from '../workflow/workflow-fakes.ts';
import {
  apiEvent,
  invalidFieldsOf,
  invoke,
  notifier,
  partnershipTeam,
  type TestCaller,
} from './support/api-fixtures.ts';

const reviewerCaller: TestCaller = {
  sub: 'user-reviewer-demo',
  groups: ['reviewer'],
  name: 'Reviewer A (invented)',
  email: 'reviewer@example.org',
};
const otherReviewer: TestCaller = { ...reviewerCaller, sub: 'user-other', email: 'other@example.org' };

const appointed = {
  name: 'Reviewer A (invented)',
  organisation: 'Independent Reviews Ltd (invented)',
  email: 'Reviewer@example.org',
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
  feePence: 1_250_000,
  recordedAt: '2026-03-26T10:00:00Z',
  recordedBy: 'user-team',
};

const audit = (action: string): AuditInput => ({
  actor: { kind: 'system', id: 'test' },
  at: '2026-03-25T10:00:00.000Z',
  action,
  reason: 'Invented',
});

/** The workflow port, recording each review's workflow started. */
function recordingWorkflow(started: string[]): ReviewWorkflow {
  return new Proxy({} as ReviewWorkflow, {
    get: (_target, name) =>
      name === 'start'
        ? async (id: string) => {
            started.push(id);
            return 'started';
          }
        : () => {
            throw new Error(`Not used here (${String(name)})`);
          },
  });
}

function world(start = '2026-03-30T10:00:00Z') {
  const fakes = fakeService(start);
  const localReviews = new InMemoryLocalReviewStore();
  const started: string[] = [];
  const service = {
    profile: fakes.service.profile,
    publicBaseUrl: fakes.service.publicBaseUrl,
    clock: fakes.clock,
    cases: fakes.cases,
    mailer: fakes.mailer,
    localReviews,
    localReviewEnquiries: new InMemoryLocalReviewEnquiryStore(),
    localReviewWorkflow: recordingWorkflow(started),
  };
  const reads = apiHandler('get-local-reviews', getLocalReviewsEndpoints(service));
  const commissions = apiHandler('commission-local-review', commissionLocalReviewEndpoints(service));
  return { ...fakes, service, localReviews, started, reads, commissions };
}

/** Stores a review as commissioned, then with `changes` (each as its own change). */
async function stored(
  localReviews: InMemoryLocalReviewStore,
  review: LocalReview,
  changes: Partial<LocalReview> = {},
): Promise<LocalReview> {
  await localReviews.commissionLocalReview(review, audit('local-review.commissioned'));
  if (Object.keys(changes).length === 0) return review;
  return localReviews.updateLocalReview(review, changes, audit('changed'));
}

const withQuery = (event: ApiEvent, query: Record<string, string>): ApiEvent => ({
  ...event,
  rawQueryString: new URLSearchParams(query).toString(),
  queryStringParameters: query,
});

describe('where a local review stands, in one word', () => {
  const calendar = (fixture: ReturnType<typeof world>) => ({
    rules: localReviewRulesOf(fixture.service.profile),
    hours: rulesOf(fixture.service.profile),
  });
  const plan = {
    plannedOn: '2026-08-20',
    inFull: true,
    recordedAt: '2026-07-01T10:00:00Z',
    recordedBy: 'user-team',
  };
  const trial = {
    number: 1,
    kind: 'criminal-trial' as const,
    startedOn: '2026-03-01',
    holdsPublication: true,
    recordedAt: '2026-03-26T10:00:00Z',
    recordedBy: 'user-team',
  };

  it.each<[string, Partial<LocalReview>, string, LocalReviewStanding]>([
    ['just commissioned', {}, '2026-03-30T10:00:00Z', 'commissioned'],
    ['with its reviewer', { reviewer: appointed }, '2026-03-30T10:00:00Z', 'reviewer-appointed'],
    ['past its completion target', { reviewer: appointed }, '2026-09-25T10:00:00Z', 'late'],
    [
      'with its final report ready',
      { status: 'awaiting-publication', publicationPlan: plan },
      '2026-07-02T10:00:00Z',
      'final-report-ready',
    ],
    [
      'ready, and a trial holding publication',
      { status: 'awaiting-publication', publicationPlan: plan, parallelProcesses: [trial] },
      '2026-07-02T10:00:00Z',
      'held-back',
    ],
    ['with a trial but no plan yet', { parallelProcesses: [trial] }, '2026-03-30T10:00:00Z', 'commissioned'],
    [
      'published',
      {
        status: 'published',
        publicationPlan: plan,
        publication: {
          publishedOn: '2026-08-20',
          address: 'https://example.org/review',
          recordedAt: '2026-08-20T10:00:00Z',
          recordedBy: 'user-team',
        },
      },
      '2026-08-21T10:00:00Z',
      'published',
    ],
    ['stopped by a failure', { status: 'failed' }, '2026-03-30T10:00:00Z', 'stopped'],
  ])('is said of a review %s', (_name, changes, now, expected) => {
    const fixture = world();
    const review: LocalReview = { ...aLocalReview(), completionDueOn: '2026-09-23', ...changes };

    expect(standingOf(review, new Date(now), calendar(fixture))).toBe(expected);
  });
});

describe('listing the local reviews', () => {
  it('lists every review newest first, or those in progress, or those published', async () => {
    const fixture = world();
    const older = await stored(fixture.localReviews, {
      ...aLocalReview(),
      commissionedAt: '2026-01-10T10:00:00.000Z',
    });
    const newer = await stored(
      fixture.localReviews,
      { ...aLocalReview(), commissionedAt: '2026-03-25T10:00:00.000Z' },
      { status: 'published' },
    );

    const all = await listLocalReviews(fixture.service, {});
    const inProgress = await listLocalReviews(fixture.service, { status: 'in-progress' });
    const published = await listLocalReviews(fixture.service, { status: 'published' });

    expect(all.map((entry) => entry.reviewId)).toEqual([newer.reviewId, older.reviewId]);
    expect(inProgress.map((entry) => entry.reviewId)).toEqual([older.reviewId]);
    expect(published.map((entry) => entry.reviewId)).toEqual([newer.reviewId]);
  });

  it('refuses a filter it does not know, naming the field', async () => {
    const fixture = world();

    const refused = listLocalReviews(fixture.service, { status: 'finished' });

    await expect(refused).rejects.toThrow(InvalidInputError);
    await expect(refused).rejects.toMatchObject({ fields: [{ field: 'status' }] });
  });
});

describe('the local reviews’ API: GET /api/local-reviews and GET /api/local-reviews/{reviewId}', () => {
  let fixture: ReturnType<typeof world>;
  let fromCase: LocalReview;
  let fromReferral: LocalReview;

  beforeEach(async () => {
    fixture = world();
    fromCase = await stored(
      fixture.localReviews,
      { ...aLocalReview(), commissionedAt: '2026-02-01T10:00:00.000Z' },
      { reviewer: appointed },
    );
    const { fromCase: _fromCase, ...rest } = aLocalReview();
    fromReferral = await stored(fixture.localReviews, {
      ...rest,
      reference: 'LCSPR-PRG-2026-ABC123',
      route: 'practice-review-group',
      commissionedAt: '2026-03-25T10:00:00.000Z',
      fromReferral: {
        referralId: '3f0a2b1c-9d8e-4f70-8a6b-5c4d3e2f1a0b',
        reference: 'PRG-2026-ABC123',
        child: { name: 'Child R (invented)' },
      },
      documents: [],
    });
  });

  const list = (caller: TestCaller, query?: Record<string, string>) => {
    const event = apiEvent({
      method: 'GET',
      path: '/api/local-reviews',
      routePath: '/api/local-reviews',
      caller,
    });
    return invoke(fixture.reads, query ? withQuery(event, query) : event);
  };
  const one = (reviewId: string, caller: TestCaller) =>
    invoke(
      fixture.reads,
      apiEvent({
        method: 'GET',
        path: `/api/local-reviews/${reviewId}`,
        routePath: '/api/local-reviews/{reviewId}',
        pathParameters: { reviewId },
        caller,
      }),
    );

  it('lists them for the partnership team, newest first, with where each came from and its dates', async () => {
    const response = await list(partnershipTeam);

    expect(response.status).toBe(200);
    expect(response.body.localReviews).toEqual([
      {
        reviewId: fromReferral.reviewId,
        reference: 'LCSPR-PRG-2026-ABC123',
        source: {
          kind: 'practice-review-group',
          referralId: '3f0a2b1c-9d8e-4f70-8a6b-5c4d3e2f1a0b',
          reference: 'PRG-2026-ABC123',
        },
        status: 'commissioned',
        decidedOn: '2026-03-23',
        commissionedOn: '2026-03-25',
        completionDueOn: '2026-09-23',
      },
      {
        reviewId: fromCase.reviewId,
        reference: 'LCSPR-2026-0001',
        source: { kind: 'rapid-review', caseId: fromCase.fromCase?.caseId, reference: 'RR-2026-0001' },
        status: 'reviewer-appointed',
        decidedOn: '2026-03-23',
        commissionedOn: '2026-02-01',
        completionDueOn: '2026-09-23',
        reviewerOrganisation: 'Independent Reviews Ltd (invented)',
      },
    ]);
    // No child is named in the list.
    expect(JSON.stringify(response.body)).not.toContain('Child R');
  });

  it('filters by ?status=, and names the field when it cannot', async () => {
    const published = await list(partnershipTeam, { status: 'published' });
    const refused = await list(partnershipTeam, { status: 'done' });

    expect(published).toMatchObject({ status: 200, body: { localReviews: [] } });
    expect(refused.status).toBe(400);
    expect(invalidFieldsOf(refused.body)).toEqual(['status']);
  });

  it('lists them for nobody else: a reviewer is refused the list (403)', async () => {
    expect((await list(reviewerCaller)).status).toBe(403);
    expect((await list(notifier)).status).toBe(403);
  });

  it('shows one review to the team with the reviewer’s fee, and to its own reviewer without it', async () => {
    const toTeam = await one(fromCase.reviewId, partnershipTeam);
    const toReviewer = await one(fromCase.reviewId, reviewerCaller);

    expect(toTeam.status).toBe(200);
    expect(toTeam.body).toMatchObject({
      reviewId: fromCase.reviewId,
      status: 'reviewer-appointed',
      workflowStatus: 'commissioned',
      reviewer: {
        organisation: 'Independent Reviews Ltd (invented)',
        feePence: 1_250_000,
        appointedOn: '2026-03-26',
      },
      informationRequests: 0,
      chronologyEntries: 0,
      parallelProcesses: [],
    });
    expect(
      (toTeam.body.milestones as { key: string; tag: string }[]).map((each) => [each.key, each.tag]),
    ).toEqual([
      ['completion', 'On track'],
      ['notice', 'Not yet planned'],
      ['publication', 'Not yet planned'],
      ['minimum-period', 'Not yet planned'],
    ]);
    expect(toReviewer.status).toBe(200);
    expect(toReviewer.body.reviewer).not.toHaveProperty('feePence');
    expect(toReviewer.body.reviewer).toMatchObject({ name: 'Reviewer A (invented)' });
    // Dates only, never an instant.
    expect(JSON.stringify(toTeam.body)).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
  });

  it('counts the chronology entries the enquiry keeps on its own items', async () => {
    for (const [n, occurredOn] of ['2025-03-01', '2025-04-01'].entries()) {
      await fixture.service.localReviewEnquiries.addChronologyEntry(
        fromCase.reviewId,
        {
          entryId: `0000000${n}-0000-4000-8000-000000000000`,
          agencyId: fromCase.agencies[0]!.agencyId,
          agencyName: fromCase.agencies[0]!.agencyName,
          requestId: '11111111-0000-4000-8000-000000000000',
          occurredOn,
          whatHappened: 'A home visit (invented).',
          source: 'Case note (invented)',
          addedAt: `2026-04-0${n + 1}T10:00:00.000Z`,
        },
        {
          actor: { kind: 'system', id: 'test' },
          at: '2026-04-01T10:00:00.000Z',
          action: 'test',
          reason: 'test',
        },
      );
    }

    const response = await one(fromCase.reviewId, partnershipTeam);

    expect(response.body).toMatchObject({ informationRequests: 0, chronologyEntries: 2 });
  });

  it('answers 404 to another reviewer, for a review without them, and for an unknown id; 403 to other roles', async () => {
    expect((await one(fromCase.reviewId, otherReviewer)).status).toBe(404);
    expect((await one(fromReferral.reviewId, reviewerCaller)).status).toBe(404);
    expect((await one('4b7c1d2e-0000-4000-8000-000000000000', partnershipTeam)).status).toBe(404);
    expect((await one('not-an-id', partnershipTeam)).status).toBe(404);
    expect((await one(fromCase.reviewId, notifier)).status).toBe(403);
  });
});

describe('the local reviews’ API: POST /api/cases/{caseId}/local-review', () => {
  let fixture: ReturnType<typeof world>;
  beforeEach(() => {
    fixture = world();
  });

  const commission = (caseId: string, caller: TestCaller = partnershipTeam) =>
    invoke(
      fixture.commissions,
      apiEvent({
        method: 'POST',
        path: `/api/cases/${caseId}/local-review`,
        routePath: '/api/cases/{caseId}/local-review',
        pathParameters: { caseId },
        caller,
      }),
    );

  it('commissions the review once: 201, then 200 with the same review; the Panel emailed and the workflow started once', async () => {
    const record = await openSampleCase(fixture.cases, {
      changes: { status: 'decided', decision: sampleDecision },
    });

    const first = await commission(record.caseId);
    const again = await commission(record.caseId);

    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      reference: record.reference.replace(/^RR-/, 'LCSPR-'),
      source: { kind: 'rapid-review', caseId: record.caseId, reference: record.reference },
      status: 'commissioned',
      decidedOn: '2026-03-23',
      completionDueOn: '2026-09-23',
    });
    expect(first.headers.location).toBe(`/api/local-reviews/${first.body.reviewId}`);
    expect(again.status).toBe(200);
    expect(again.body.reviewId).toBe(first.body.reviewId);
    expect(
      fixture.mailer.sent.filter((email) => email.message.subject.includes('local review commissioned')),
    ).toHaveLength(1);
    expect(fixture.started).toEqual([first.body.reviewId, first.body.reviewId]);
    expect(await fixture.localReviews.listLocalReviews()).toHaveLength(1);
  });

  it('refuses with 409 and the plain reason a case whose partners did not commission one and whose Panel did not ask', async () => {
    const record = await openSampleCase(fixture.cases, {
      changes: { status: 'decided', decision: { ...sampleDecision, commissionLocalReview: false } },
    });

    const refused = await commission(record.caseId);

    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(
      /can be started only from a Rapid Review whose safeguarding partners/,
    );
    expect(fixture.mailer.sent).toEqual([]);
    expect(fixture.started).toEqual([]);
  });

  it('answers 404 for an unknown case and 403 for anyone but the partnership team', async () => {
    const record = await openSampleCase(fixture.cases, {
      changes: { status: 'decided', decision: sampleDecision },
    });

    expect((await commission('4b7c1d2e-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await commission(record.caseId, reviewerCaller)).status).toBe(403);
    expect(fixture.started).toEqual([]);
  });
});
