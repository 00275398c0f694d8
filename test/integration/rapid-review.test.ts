import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReviewClient } from '../../local/demo/review-client.ts';
import { type DemoReviewResult, runDemoReview } from '../../local/demo/run-review.ts';
import { sampleNotification } from '../../local/sample-notification.ts';
import { startLocalStack } from '../../local/stack.ts';
import type { CaseView } from '../../shared/use-cases/show-case.ts';
import { isoDateOf } from '../../shared/workflow/london-time.ts';
import { sharedDynamoDbEndpoint } from '../support/dynamodb.ts';

/**
 * A whole Rapid Review on the local stack, through the HTTP API only, in virtual time: the clock
 * stands still (speed 0) and moves only when the client jumps it to the next deadline. Its cases
 * live in a table of its own on the run's shared DynamoDB Local.
 */
describe('a whole Rapid Review on the local stack', () => {
  let stack: Awaited<ReturnType<typeof startLocalStack>>;
  let dataDirectory: string;
  let client: ReviewClient;
  let result: DemoReviewResult;
  const notification = sampleNotification();

  beforeAll(async () => {
    dataDirectory = mkdtempSync(join(tmpdir(), 'rapid-review-'));
    stack = await startLocalStack({
      dataDirectory,
      speed: 0,
      start: new Date('2026-03-04T10:00:00Z'),
      retryIntervalScale: 0,
      quiet: true,
      existingDynamoDb: { endpoint: sharedDynamoDbEndpoint() },
    });
    client = new ReviewClient(stack);
    result = await runDemoReview(client, notification);
  });

  afterAll(async () => {
    await stack?.stop();
    rmSync(dataDirectory, { recursive: true, force: true });
  });

  it("ends with one email to the Panel mailbox carrying the covering letter, the partners' decision and the rapid review report", async () => {
    const panelEmails = (await client.emails()).filter((email) =>
      email.destination.to.includes('panel.mailbox@example.org'),
    );

    expect(panelEmails).toHaveLength(1);
    expect(panelEmails[0]!.subject).toContain(result.reference);
    expect(panelEmails[0]!.attachments.map((attachment) => attachment.filename)).toEqual([
      `covering-letter-${result.reference}.pdf`,
      `decision-${result.reference}.pdf`,
      `rapid-review-report-${result.reference}.pdf`,
      `rapid-review-report-${result.reference}.docx`,
      `meeting-record-${result.reference}.pdf`,
    ]);
    for (const attachment of panelEmails[0]!.attachments) {
      const bytes = Buffer.from(attachment.content, 'base64');
      if (attachment.filename?.endsWith('.docx'))
        expect(bytes.subarray(0, 4).toString('latin1')).toBe('PK\u0003\u0004');
      else expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    }
  });

  it('completes the case and the workflow', () => {
    expect(result.finalCase.status).toBe('completed');
    expect(result.finalCase.workflow.status).toBe('SUCCEEDED');
  });

  it('records the returns on time (one of no involvement, one from the agency added mid-case), and takes in the escalated agency’s late return', () => {
    const byName = Object.fromEntries(result.finalCase.agencies.map((agency) => [agency.name, agency]));

    expect(byName["Children's Social Care"]).toMatchObject({ status: 'received', late: false });
    expect(byName.Police).toMatchObject({ status: 'received', late: false });
    expect(byName.Health).toMatchObject({ status: 'received', late: false });
    expect(byName['Housing (demo)']).toMatchObject({ status: 'received', late: false });
    // Escalated on the ladder, then its return taken in after collation, as an addendum to the papers.
    expect(byName.Education).toMatchObject({ status: 'received', late: true });
    expect(byName.Education?.ladder?.map((rung: { kind: string }) => rung.kind)).toEqual([
      'reminder',
      'lead-copied',
      'formal-request',
    ]);
    expect(result.finalCase.documents.map((document) => document.name)).toContain('Addendum 1');
  });

  it('did each statutory step on its working day, in virtual time', () => {
    const dayOf = (action: string) =>
      result.finalCase.audit
        .filter((event) => event.action === action)
        .map((event) => result.timeline.find((entry) => entry.at === event.at)?.day);

    expect(dayOf('case.opened')).toEqual([1]);
    expect(dayOf('agency.reminded')).toEqual([7]);
    expect(dayOf('agency.escalated')).toEqual([10]);
    expect(
      result.timeline.some((entry) => entry.day === 11 && /collated|summaries received/i.test(entry.what)),
    ).toBe(true);
    expect(result.timeline.some((entry) => entry.day === 12 && /papers/i.test(entry.what))).toBe(true);
  });

  it('never names a child in any email', async () => {
    const childNames = notification.children.map((child) => child.name);
    const emails = await client.emails();

    expect(emails.length).toBeGreaterThan(10);
    for (const email of emails) {
      for (const name of childNames) {
        expect(`${email.subject}\n${email.body.text}`).not.toContain(name);
      }
    }
  });

  it('refuses a second decision', async () => {
    const second = client.recordDecision(result.caseId, {
      commissionLocalReview: false,
      localReviewReason: 'Invented second attempt',
      recommendNationalReview: false,
      nationalReviewReason: 'Invented second attempt',
    });

    await expect(second).rejects.toMatchObject({ status: 409 });
  });

  it("records the Panel's reply once over HTTP, marks a local review to commission and emails the Executive Board", async () => {
    const { now } = await client.clock();
    const second = client.recordPanelReply(result.caseId, {
      repliedOn: isoDateOf(now, 'Europe/London'),
      agreesWithDecision: false,
      nationalReview: false,
      asksForLocalReview: false,
      comments: 'Invented second attempt (demo).',
    });

    expect(result.finalCase).toMatchObject({
      panelReply: { agreesWithDecision: true, asksForLocalReview: true, recordedBy: expect.any(String) },
      localReviewToCommission: true,
    });
    expect(result.timeline.at(-1)?.what).toContain(
      "recorded the Panel's reply, which asks for a local review",
    );
    await expect(second).rejects.toMatchObject({ status: 409 });
    const view = (await client.getCase(result.caseId, 'rrg-member')) as CaseView;
    expect(view.panelReply?.agreesWithDecision).toBe(true);
    const boardEmails = (await client.emails()).filter(
      (email) =>
        email.destination.to.includes('executive.board@example.org') &&
        /the Panel's reply/.test(email.subject),
    );
    expect(boardEmails).toHaveLength(1);
    expect(boardEmails[0]!.body.text).not.toContain('Invented demo reply');
  });
});
