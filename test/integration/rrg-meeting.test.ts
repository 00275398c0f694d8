import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReviewClient } from '../../local/demo/review-client.ts';
import { type DemoReviewResult, runDemoReview } from '../../local/demo/run-review.ts';
import { sampleNotification } from '../../local/sample-notification.ts';
import { startLocalStack } from '../../local/stack.ts';
import type { CaseView } from '../../shared/use-cases/show-case.ts';
import { sharedDynamoDbEndpoint } from '../support/dynamodb.ts';
import { aDocx, aPdf } from '../support/test-files.ts';

/**
 * The Rapid Review Group meeting over HTTP on the local stack (issue 9 part 4): a whole review
 * runs as the demo runs it, which schedules the meeting and records who attended before the
 * chair decides; then the minutes and the Panel's letter are uploaded through the API, and the
 * case shows them.
 */
describe('the Rapid Review Group meeting on the local stack', () => {
  let stack: Awaited<ReturnType<typeof startLocalStack>>;
  let dataDirectory: string;
  let client: ReviewClient;
  let review: DemoReviewResult;
  let team: string;

  beforeAll(async () => {
    dataDirectory = mkdtempSync(join(tmpdir(), 'rrg-meeting-'));
    stack = await startLocalStack({
      dataDirectory,
      speed: 0,
      start: new Date('2026-03-04T10:00:00Z'),
      retryIntervalScale: 0,
      quiet: true,
      existingDynamoDb: { endpoint: sharedDynamoDbEndpoint() },
    });
    client = new ReviewClient(stack);
    review = await runDemoReview(client, sampleNotification());
    team = await client.token('partnership-team');
  });

  afterAll(async () => {
    await stack?.stop();
    rmSync(dataDirectory, { recursive: true, force: true });
  });

  async function call(method: string, path: string, body?: unknown, token = team) {
    const response = await fetch(`${stack.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as CaseView & Record<string, unknown> };
  }

  it('invited the whole group once, with the papers, naming the case and never the child; the case shows the meeting and who attended', async () => {
    const invitations = await client.waitForEmails(
      'the meeting invitations',
      (email) => email.subject.includes(review.reference) && email.subject.includes('invitation'),
      { count: 4 },
    );
    expect(invitations.flatMap((email) => email.destination.to).sort()).toEqual([
      'rrg.chair@example.org',
      'rrg.health@example.org',
      'rrg.member@example.org',
      'rrg.police@example.org',
    ]);
    const text = invitations[0]?.body.text ?? '';
    expect(text).toMatch(/10am on \w+day \d+ March 2026/);
    expect(text).toContain('https://meet.example.org/rapid-review-demo');
    expect(text).toContain('The papers are on the case page');
    expect(text).toContain(`/cases/${review.caseId}`);
    for (const child of sampleNotification().children) {
      if (child.name) expect(JSON.stringify(invitations)).not.toContain(child.name);
    }

    const view = await call('GET', `/api/cases/${review.caseId}`);
    expect(view.body.meeting).toMatchObject({
      time: '10:00',
      callLink: 'https://meet.example.org/rapid-review-demo',
      version: 1,
      minutes: { present: false },
    });
    expect(view.body.meeting?.attendees).toHaveLength(3);
    expect(view.body.audit.map((event) => event.action)).toEqual(
      expect.arrayContaining(['meeting.scheduled', 'meeting.attendance-recorded']),
    );
  });

  it('refuses to reschedule once the review has gone to the Panel', async () => {
    const answer = await call('PUT', `/api/cases/${review.caseId}/meeting`, {
      date: '2026-12-01',
      time: '10:00',
      place: 'Room 1 (invented)',
    });
    expect(answer.status).toBe(409);
  });

  it('files the minutes and the Panel letter, checked by their bytes, and lists them with the case documents', async () => {
    const minutes = await call('POST', `/api/cases/${review.caseId}/meeting/minutes`, {
      fileName: 'minutes.docx',
      contentBase64: Buffer.from(aDocx()).toString('base64'),
    });
    const letter = await call('POST', `/api/cases/${review.caseId}/panel-reply/letter`, {
      fileName: 'Panel letter.pdf',
      contentBase64: Buffer.from(aPdf('Panel letter (invented)')).toString('base64'),
    });
    const notAFile = await call('POST', `/api/cases/${review.caseId}/meeting/minutes`, {
      fileName: 'minutes.pdf',
      contentBase64: Buffer.from('<html>not a pdf</html>').toString('base64'),
    });
    const asMember = await call(
      'POST',
      `/api/cases/${review.caseId}/meeting/minutes`,
      { fileName: 'm.pdf', contentBase64: Buffer.from(aPdf()).toString('base64') },
      await client.token('rrg-member'),
    );

    expect(minutes).toMatchObject({ status: 201, body: { fileName: 'minutes.docx' } });
    expect(letter).toMatchObject({ status: 201, body: { fileName: 'Panel letter.pdf' } });
    expect(notAFile.status).toBe(400);
    expect(asMember.status).toBe(403);
    const view = await call('GET', `/api/cases/${review.caseId}`);
    const names = view.body.documents.map((document) => document.name);
    expect(names).toEqual(
      expect.arrayContaining(['Rapid Review Group meeting minutes', 'The Panel’s letter']),
    );
    expect(view.body.meeting?.minutes).toMatchObject({ present: true, fileName: 'minutes.docx' });
    const link = view.body.documents.find((document) => document.name === 'The Panel’s letter')?.downloadUrl;
    const downloaded = new Uint8Array(await (await fetch(link as string)).arrayBuffer());
    expect(Buffer.from(downloaded.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
  });
});
