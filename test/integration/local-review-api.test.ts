import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dateToParts } from '../../functions/web/pages/notify/answers.ts';
import { PagesClient } from '../../local/demo/local-review.ts';
import { ReviewClient } from '../../local/demo/review-client.ts';
import { runDemoReviewToDecision } from '../../local/demo/run-review.ts';
import { sampleNotification } from '../../local/sample-notification.ts';
import { startLocalStack } from '../../local/stack.ts';
import { sharedDynamoDbEndpoint } from '../support/dynamodb.ts';

/**
 * The local reviews' API (issue 13) over real HTTP on the local stack: the partnership team
 * commissions a Rapid Review's local review (201, then 200 with the same review), is refused one
 * for a case that led to none (409), lists the reviews through the table's list index, and reads
 * one; the review's own reviewer reads it too, without the fee; everyone else is refused.
 */
describe('the local reviews’ API on the local stack', () => {
  let stack: Awaited<ReturnType<typeof startLocalStack>>;
  let dataDirectory: string;
  let client: ReviewClient;
  let caseId = '';

  beforeAll(async () => {
    dataDirectory = mkdtempSync(join(tmpdir(), 'local-review-api-'));
    stack = await startLocalStack({
      dataDirectory,
      speed: 0,
      start: new Date('2026-03-04T10:00:00Z'),
      retryIntervalScale: 0,
      quiet: true,
      existingDynamoDb: { endpoint: sharedDynamoDbEndpoint() },
    });
    client = new ReviewClient(stack);
    ({ caseId } = await runDemoReviewToDecision(client, sampleNotification()));
  }, 240_000);

  afterAll(async () => {
    await stack?.stop();
    rmSync(dataDirectory, { recursive: true, force: true });
  });

  /** One HTTP request to the API as an invented user of `role`: its status, Location and JSON body. */
  async function call(role: string, method: 'GET' | 'POST', path: string) {
    const response = await fetch(`${client.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${await client.token(role)}` },
    });
    const text = await response.text();
    return {
      status: response.status,
      location: response.headers.get('location'),
      contentType: response.headers.get('content-type') ?? '',
      body: (text ? JSON.parse(text) : undefined) as Record<string, unknown>,
    };
  }

  it('commissions the local review once, lists it, and shows it to the team and its own reviewer only', async () => {
    const first = await call('partnership-team', 'POST', `/api/cases/${caseId}/local-review`);
    const again = await call('partnership-team', 'POST', `/api/cases/${caseId}/local-review`);
    const reviewId = String(first.body.reviewId);

    expect(first.status).toBe(201);
    expect(first.location).toBe(`/api/local-reviews/${reviewId}`);
    expect(first.body).toMatchObject({
      reference: expect.stringMatching(/^LCSPR-2026-/),
      source: { kind: 'rapid-review', caseId },
      status: 'commissioned',
      completionDueOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
    expect(again.status).toBe(200);
    expect(again.body.reviewId).toBe(reviewId);
    const panelTold = await client.waitForEmails('the Panel told of the local review', (email) =>
      email.subject.startsWith(`${String(first.body.reference)}: local review commissioned`),
    );
    expect(panelTold).toHaveLength(1);

    // The list, read through the table's list index.
    const listed = await call('partnership-team', 'GET', '/api/local-reviews');
    const published = await call('partnership-team', 'GET', '/api/local-reviews?status=published');
    const badFilter = await call('partnership-team', 'GET', '/api/local-reviews?status=finished');
    expect(listed.status).toBe(200);
    expect(listed.body.localReviews).toEqual([
      expect.objectContaining({
        reviewId,
        status: 'commissioned',
        source: expect.objectContaining({ caseId }),
      }),
    ]);
    expect(published.body.localReviews).toEqual([]);
    expect(badFilter.status).toBe(400);
    expect(badFilter.contentType).toContain('application/problem+json');
    expect((badFilter.body.errors as { field: string }[]).map((error) => error.field)).toEqual(['status']);

    // The team appoints the local stack's reviewer on its pages; the reviewer then reads the review.
    const pages = new PagesClient(client.apiUrl);
    await pages.signIn('partnership-team');
    const base = `/local-reviews/${reviewId}`;
    await pages.submit(`${base}/reviewer`, `${base}/reviewer/confirm`, {
      name: 'Reviewer (invented)',
      organisation: 'Independent Reviews (invented)',
      email: 'reviewer@example.org',
      'evidence.professionalKnowledge': 'Invented evidence.',
      'evidence.research': 'Invented evidence.',
      'evidence.complexCircumstances': 'Invented evidence.',
      'evidence.withoutHindsight': 'Invented evidence.',
      'evidence.communication': 'Invented evidence.',
      'evidence.conflicts': 'None',
      ...dateToParts('contractStartsOn', '2026-04-01'),
      ...dateToParts('contractEndsOn', '2026-10-01'),
      feePounds: '9,000',
    });

    const toTeam = await call('partnership-team', 'GET', `/api/local-reviews/${reviewId}`);
    const toReviewer = await call('reviewer', 'GET', `/api/local-reviews/${reviewId}`);
    expect(toTeam.status).toBe(200);
    expect(toTeam.body).toMatchObject({
      status: 'reviewer-appointed',
      reviewer: { organisation: 'Independent Reviews (invented)', feePence: 900_000 },
      informationRequests: 0,
      chronologyEntries: 0,
    });
    expect(toReviewer.status).toBe(200);
    expect(toReviewer.body.reviewer).toMatchObject({ name: 'Reviewer (invented)' });
    expect(toReviewer.body.reviewer).not.toHaveProperty('feePence');
    expect(JSON.stringify(toTeam.body)).not.toMatch(/\d{4}-\d{2}-\d{2}T/);

    // Anyone else: the reviewer may not list; other roles are refused; an unknown review is not found.
    expect((await call('reviewer', 'GET', '/api/local-reviews')).status).toBe(403);
    expect((await call('rrg-chair', 'GET', `/api/local-reviews/${reviewId}`)).status).toBe(403);
    expect((await call('notifier', 'POST', `/api/cases/${caseId}/local-review`)).status).toBe(403);
    expect(
      (await call('partnership-team', 'GET', '/api/local-reviews/4b7c1d2e-0000-4000-8000-000000000000'))
        .status,
    ).toBe(404);
  }, 120_000);

  it('refuses, with 409 and the plain reason, a case that led to no local review', async () => {
    const { caseId: undecided } = await client.submitNotification(
      sampleNotification(),
      `local-review-api-${Date.now()}`,
    );

    const refused = await call('partnership-team', 'POST', `/api/cases/${undecided}/local-review`);

    expect(refused.status).toBe(409);
    expect(refused.contentType).toContain('application/problem+json');
    expect(String(refused.body.detail)).toContain(
      'A local review can be started only from a Rapid Review whose safeguarding partners decided to commission one',
    );
  }, 60_000);
});
