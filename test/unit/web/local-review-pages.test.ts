import { randomUUID } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, NoSuchKey, NotFound } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { pages } from '../../../functions/web/pages/index.ts';
import { localReviewPages } from '../../../functions/web/pages/local-review-pages.ts';
import { createWebApp } from '../../../functions/web/router.ts';
import { templateEnvironment } from '../../../functions/web/views.ts';
import { sampleNotification } from '../../../local/sample-notification.ts';
import type { ReviewWorkflow } from '../../../shared/adapters/review-workflow.ts';
import { openCase } from '../../../shared/cases/open-case.ts';
import type { CaseChanges } from '../../../shared/stores/case-store.ts';
import { InMemoryLocalReviewStore } from '../../support/in-memory-local-review-store.ts';
import { InMemoryCaseStore, SettableClock, testS3Client, testService } from '../api/support/api-fixtures.ts';
import { RecordingMailer, sampleDecision } from '../workflow/workflow-fakes.ts';
import { signedIn, testSessionSecret, testUser, testWebApp, webEvent } from './support/web-fixtures.ts';

/** The workflow port, recording the executions started and the waits ended. */
class RecordingWorkflow implements ReviewWorkflow {
  readonly started: string[] = [];
  readonly completed: string[] = [];
  async start(id: string) {
    this.started.push(id);
    return 'started' as const;
  }
  async completeTask(taskToken: string) {
    this.completed.push(taskToken);
  }
  async resume() {
    return 'started' as const;
  }
  async failTask() {}
  async progress() {
    return { status: 'RUNNING' };
  }
  async failedStep() {
    return undefined;
  }
}

const html = (body: unknown) => String(body).replaceAll('&#39;', "'");
const summaryLinks = (body: unknown) =>
  [...html(body).matchAll(/<a href="(#[A-Za-z0-9-]+)">([^<]+)<\/a>/g)].map((match) => [match[1], match[2]]);

describe('the local review pages (issue 13)', () => {
  let store: InMemoryCaseStore;
  let localReviews: InMemoryLocalReviewStore;
  let workflow: RecordingWorkflow;
  let mailer: RecordingMailer;
  let app: ReturnType<typeof createWebApp>;
  let webApp: ReturnType<typeof testWebApp>;
  const team = () => signedIn(testUser('partnership-team'));

  async function aCase(changes: CaseChanges): Promise<string> {
    const caseId = randomUUID();
    const { record, agencies } = openCase({
      caseId,
      notification: sampleNotification(),
      receivedAt: new Date('2026-03-02T10:00:00Z'),
      notificationDocumentKey: `cases/${caseId}/notification.json`,
    });
    const created = await store.createCase(record, agencies, {
      actor: { kind: 'system', id: 'test' },
      at: record.receivedAt,
      action: 'case.opened',
      reason: 'Serious incident notification received',
    });
    await store.updateCase(created, changes, {
      actor: { kind: 'system', id: 'test' },
      at: '2026-03-23T15:00:00Z',
      action: 'status.changed',
      reason: 'Invented (test)',
    });
    return caseId;
  }

  beforeEach(() => {
    store = new InMemoryCaseStore();
    localReviews = new InMemoryLocalReviewStore();
    workflow = new RecordingWorkflow();
    mailer = new RecordingMailer();
    // No bucket: the case page finds no documents at once, rather than reaching for AWS.
    const s3 = testS3Client();
    const buckets = mockClient(s3);
    buckets.on(HeadObjectCommand).rejects(new NotFound({ message: 'Not found', $metadata: {} }));
    buckets.on(GetObjectCommand).rejects(new NoSuchKey({ message: 'Not found', $metadata: {} }));
    const service = testService({
      store,
      clock: new SettableClock('2026-03-25T10:00:00Z'),
      s3,
      mailer,
      localReviews,
      localReviewWorkflow: workflow,
    });
    app = createWebApp({
      pages: localReviewPages,
      service: () => service,
      sessions: { secret: () => testSessionSecret, revocations: () => service.sessions },
      templates: templateEnvironment,
    });
    webApp = testWebApp(pages, { service });
  });

  const get = (path: string, browser = team()) => app(webEvent({ path, cookies: browser.cookies }));
  const post = (path: string, form: Record<string, string | string[]>, browser = team()) =>
    app(webEvent({ path, cookies: browser.cookies, csrfToken: browser.csrfToken, form }));

  async function started(): Promise<{ caseId: string; reviewId: string }> {
    const caseId = await aCase({ status: 'decided', decision: sampleDecision });
    expect((await post(`/cases/${caseId}/local-review/confirm`, {})).statusCode).toBe(303);
    const reviewId = (await localReviews.findLocalReviewOfCase(caseId)) as string;
    return { caseId, reviewId };
  }

  it('offers the team the local review on a case whose decision commissions one, and not otherwise', async () => {
    const commissioned = await aCase({ status: 'decided', decision: sampleDecision });
    const not = await aCase({
      status: 'decided',
      decision: { ...sampleDecision, commissionLocalReview: false },
    });

    const offered = await webApp(webEvent({ path: `/cases/${commissioned}`, cookies: team().cookies }));
    const notOffered = await webApp(webEvent({ path: `/cases/${not}`, cookies: team().cookies }));

    expect(html(offered.body)).toContain(`href="/cases/${commissioned}/local-review"`);
    expect(html(notOffered.body)).not.toContain('/local-review"');
  });

  it('starts the review from the case: what it carries, then started, the Panel emailed and its workflow begun', async () => {
    const caseId = await aCase({ status: 'decided', decision: sampleDecision });

    const start = await get(`/cases/${caseId}/local-review`);
    expect(start.statusCode).toBe(200);
    expect(html(start.body)).toContain('Start the local review');
    expect(html(start.body)).toContain('Wednesday 23 September 2026 (6 months from the decision)');

    const confirmed = await post(`/cases/${caseId}/local-review/confirm`, {});
    expect(confirmed.headers?.location).toBe(`/cases/${caseId}/local-review/confirmation`);
    const reviewId = await localReviews.findLocalReviewOfCase(caseId);
    expect(workflow.started).toEqual([reviewId]);
    expect(mailer.sent.map((email) => email.message.subject)).toEqual([
      expect.stringMatching(/^LCSPR-.*: local review commissioned/),
    ]);
    expect(html((await get(`/cases/${caseId}/local-review/confirmation`)).body)).toContain(
      'Local review started',
    );
    expect((await get(`/cases/${caseId}/local-review`)).headers?.location).toBe(`/local-reviews/${reviewId}`);
  });

  it('refuses in plain words to start one from a case that commissioned none', async () => {
    const caseId = await aCase({
      status: 'decided',
      decision: { ...sampleDecision, commissionLocalReview: false },
    });

    const refused = await get(`/cases/${caseId}/local-review`);
    const confirmed = await post(`/cases/${caseId}/local-review/confirm`, {});

    expect(refused.statusCode).toBe(409);
    expect(html(refused.body)).toContain('A local review can be started only from a Rapid Review whose');
    expect(html(confirmed.body)).toContain('A local review can be started only from a Rapid Review whose');
    expect(localReviews.reviews.size).toBe(0);
  });

  it('lets only the partnership team in', async () => {
    const { reviewId } = await started();

    expect((await get(`/local-reviews/${reviewId}`, signedIn(testUser('rrg-member')))).statusCode).toBe(403);
    expect((await app(webEvent({ path: `/local-reviews/${reviewId}` }))).statusCode).toBe(303);
  });

  it('shows the review: its milestones in words and its timeline, no ids or ISO instants', async () => {
    const { reviewId } = await started();

    const page = html((await get(`/local-reviews/${reviewId}`)).body);

    expect(page).toMatch(/<h1 class="govuk-heading-l">LCSPR-/);
    expect(page).toContain('Final report ready');
    expect(page).toContain('Wednesday 23 September 2026');
    expect(page).toContain('On track');
    expect(page).toContain('Commissioned from Rapid Review');
    expect(page).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    expect(page).not.toContain('user-');
  });

  it('records the terms of reference through question, check your answers and confirmation, naming each bad field', async () => {
    const { reviewId } = await started();
    const base = `/local-reviews/${reviewId}/terms`;

    const empty = await post(`${base}/check`, { method: '' });
    expect(empty.statusCode).toBe(400);
    expect(summaryLinks(empty.body)).toEqual([
      ['#method', 'Enter the method'],
      ['#periodFrom-day', 'Enter the start of the period in scope'],
      ['#periodTo-day', 'Enter the end of the period in scope'],
      ['#agencyIds', 'Choose at least one agency taking part'],
      ['#keyLinesOfEnquiry', 'Enter the key lines of enquiry'],
      ['#familyInvolvementPlan', 'Enter how the family will be involved'],
    ]);

    const agencyIds = localReviews.reviews.get(reviewId)!.agencies.map((agency) => agency.agencyId);
    const answers = {
      method: 'A systems approach (invented)',
      'periodFrom-day': '1',
      'periodFrom-month': '1',
      'periodFrom-year': '2025',
      'periodTo-day': '28',
      'periodTo-month': '2',
      'periodTo-year': '2026',
      agencyIds: agencyIds.slice(0, 2),
      keyLinesOfEnquiry: 'Invented lines of enquiry.',
      familyInvolvementPlan: 'Invented plan.',
    };
    const check = await post(`${base}/check`, answers);
    expect(check.statusCode).toBe(200);
    expect(html(check.body)).toContain('Wednesday 1 January 2025');
    expect(localReviews.reviews.get(reviewId)?.termsOfReference).toBeUndefined();

    const confirmed = await post(`${base}/confirm`, answers);
    expect(confirmed.headers?.location).toBe(`${base}/confirmation`);
    expect(localReviews.reviews.get(reviewId)?.termsOfReference?.agencyIds).toEqual(agencyIds.slice(0, 2));
    expect(html((await get(`${base}/confirmation`)).body)).toContain('Terms of reference recorded');
  });

  it('asks for a choice nobody made in words that name it', async () => {
    const { reviewId } = await started();

    const result = await post(`/local-reviews/${reviewId}/parallel-process/check`, {});

    expect(result.statusCode).toBe(400);
    expect(summaryLinks(result.body)).toEqual([
      ['#kind', 'Choose what kind of process it is'],
      ['#startedOn-day', 'Enter the date it started'],
      ['#holdsPublication', 'Say whether this process holds publication back'],
    ]);
  });

  it('refuses the publication while a criminal trial holds it back, saying so', async () => {
    const { reviewId } = await started();
    const base = `/local-reviews/${reviewId}`;
    await post(`${base}/parallel-process/confirm`, {
      kind: 'criminal-trial',
      'startedOn-day': '1',
      'startedOn-month': '3',
      'startedOn-year': '2026',
      holdsPublication: 'yes',
    });
    await post(`${base}/publication-plan/confirm`, {
      'plannedOn-day': '25',
      'plannedOn-month': '3',
      'plannedOn-year': '2026',
      inFull: 'yes',
    });

    const refused = await post(`${base}/publication/confirm`, {
      'publishedOn-day': '25',
      'publishedOn-month': '3',
      'publishedOn-year': '2026',
      address: 'https://example.org/reviews/invented',
    });

    expect(refused.statusCode).toBe(409);
    expect(html(refused.body)).toContain('Publication is held back');
    expect(localReviews.reviews.get(reviewId)?.status).toBe('awaiting-publication');
    expect(html((await get(base)).body)).toContain('Holds publication back');
  });
});
