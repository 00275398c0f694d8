import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReviewClient } from '../../local/demo/review-client.ts';
import { runDemoReviewToDecision } from '../../local/demo/run-review.ts';
import { sampleNotification } from '../../local/sample-notification.ts';
import { startLocalStack } from '../../local/stack.ts';
import type { CaseView } from '../../shared/use-cases/show-case.ts';
import { sharedDynamoDbEndpoint } from '../support/dynamodb.ts';

/**
 * The safeguarding partners' sign-offs over HTTP on the local stack: a review runs as the demo
 * runs it up to the chair's decision (the report complete), then each partner's invented delegate
 * signs off with a token from POST /local/token, one disagrees, the Executive Board chair resolves
 * it, and only then does the review go to the Panel.
 */
describe("the partners' sign-offs on the local stack", () => {
  let stack: Awaited<ReturnType<typeof startLocalStack>>;
  let dataDirectory: string;
  let client: ReviewClient;
  let review: { caseId: string; reference: string };

  beforeAll(async () => {
    dataDirectory = mkdtempSync(join(tmpdir(), 'sign-offs-'));
    stack = await startLocalStack({
      dataDirectory,
      speed: 0,
      start: new Date('2026-03-04T10:00:00Z'),
      retryIntervalScale: 0,
      quiet: true,
      existingDynamoDb: { endpoint: sharedDynamoDbEndpoint() },
    });
    client = new ReviewClient(stack);
    review = await runDemoReviewToDecision(client, sampleNotification());
  });

  afterAll(async () => {
    await stack?.stop();
    rmSync(dataDirectory, { recursive: true, force: true });
  });

  async function call(path: string, token: string, body?: unknown) {
    const response = await fetch(`${stack.apiUrl}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as CaseView & Record<string, unknown> };
  }

  async function tokenFor(request: { role: string; partner?: string }) {
    const response = await fetch(`${stack.apiUrl}/local/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
    });
    return ((await response.json()) as { token: string }).token;
  }

  it('takes one sign-off per partner, refers a disagreement to the Board chair, and completes on the resolution', async () => {
    const caseId = review.caseId;
    const police = await tokenFor({ role: 'safeguarding-partner', partner: 'police' });
    const localAuthority = await tokenFor({ role: 'safeguarding-partner', partner: 'local-authority' });
    const health = await tokenFor({ role: 'safeguarding-partner', partner: 'health' });
    const board = await tokenFor({ role: 'executive-board' });

    const agreed = await call(`/api/cases/${caseId}/sign-offs`, police, { agrees: true });
    const again = await call(`/api/cases/${caseId}/sign-offs`, police, { agrees: true });
    await call(`/api/cases/${caseId}/sign-offs`, localAuthority, { agrees: true });
    const disagreed = await call(`/api/cases/${caseId}/sign-offs`, health, {
      agrees: false,
      reasons: 'Invented reasons (demo):\nthe health partner reads the criteria differently.',
    });

    expect(agreed).toMatchObject({
      status: 201,
      body: { partner: 'police', signedByName: 'Dale Police Delegate (demo)' },
    });
    expect(again.status).toBe(409);
    expect(disagreed).toMatchObject({ status: 201, body: { partner: 'health', agrees: false } });
    const toBoard = await client.waitForEmails(
      'the disagreement referred to the Executive Board chair',
      (email) =>
        email.destination.to.includes('executive.board@example.org') &&
        email.subject.includes(review.reference) &&
        email.subject.includes('disagrees'),
    );
    expect(toBoard).toHaveLength(1);
    expect(toBoard[0]?.body.text).not.toContain('reads the criteria differently');
    const waiting = await call(`/api/cases/${caseId}`, board);
    expect(waiting.body.partnersDecision).toMatchObject({ complete: false, awaitingResolution: true });
    expect(waiting.body.status).toBe('decided');
    await client.settle();
    const toPanelBefore = (await client.emails()).filter((email) =>
      email.subject.includes(': Rapid Review outcome'),
    );
    expect(toPanelBefore).toEqual([]);

    const resolved = await call(`/api/cases/${caseId}/sign-offs/resolution`, board, {
      outcome: 'decision-stands',
      reasons: 'Invented resolution (demo).',
    });
    const view = await call(`/api/cases/${caseId}`, board);

    expect(resolved.status).toBe(201);
    expect(view.body.partnersDecision).toMatchObject({ complete: true, completedBy: 'executive-board' });
    expect(
      view.body.signOffs.map((signOff: { partner: string; agrees: boolean }) => [
        signOff.partner,
        signOff.agrees,
      ]),
    ).toEqual([
      ['police', true],
      ['local-authority', true],
      ['health', false],
    ]);
    const toPanel = await client.waitForEmails(
      'the outcome email to the Panel, once the resolution completed the decision',
      (email) => email.subject.startsWith(`${review.reference}: Rapid Review outcome`),
    );
    expect(toPanel).toHaveLength(1);
  });
});
