import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InboxEmail, ReviewClient } from '../../local/demo/review-client.ts';
import { runDemoReviewToDecision } from '../../local/demo/run-review.ts';
import { sampleNotification } from '../../local/sample-notification.ts';
import { type LocalStack, startLocalStack } from '../../local/stack.ts';
import { reviewWorkflowFromEnvironment } from '../../shared/adapters/review-workflow.ts';
import { staffActor } from '../../shared/schemas/roles.ts';
import { environmentService } from '../../shared/service.ts';
import { caseStoreFromEnvironment } from '../../shared/stores/case-store.ts';
import { resumeFailedCase } from '../../shared/use-cases/resume-case.ts';
import { sharedDynamoDbEndpoint } from '../support/dynamodb.ts';
import { FaultProxy, type RefusalAnswer } from '../support/fault-proxy.ts';

/**
 * Issue 12 part 1 on the local stack, with real SDK calls to the emulators: a step made to fail
 * for a rehearsal shows the case failed, an operator resumes it and the review completes with no
 * email sent twice; a callback Step Functions refuses is owed on the case and delivered by the
 * resume sweep, not left until the deadline; and the last sign-off racing the wait's timeout is
 * never lost. The handlers reach Step Functions through a loopback proxy that can refuse its
 * callbacks.
 */

/** Step Functions' answer when it cannot take a request. */
const sfnUnavailable: RefusalAnswer = {
  status: 503,
  headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': 'ServiceUnavailable' },
  body: JSON.stringify({ __type: 'ServiceUnavailable', message: 'Invented outage for a test' }),
};

const operator = staffActor({ id: 'user-operator-test', name: 'Operator (test)' }, 'partnership-team');

/** The same email to the same people twice: what must never happen. */
function duplicatesIn(emails: readonly InboxEmail[]): string[] {
  const seen = new Map<string, number>();
  for (const email of emails) {
    const key = JSON.stringify([email.destination.to, email.destination.cc, email.subject, email.body.text]);
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return [...seen].filter(([, count]) => count > 1).map(([key]) => key);
}

describe('failing, resuming and owed resumes on the local stack', () => {
  let stack: LocalStack;
  let dataDirectory: string;
  let client: ReviewClient;
  let sfnProxy: FaultProxy;

  beforeAll(async () => {
    dataDirectory = mkdtempSync(join(tmpdir(), 'recovery-'));
    sfnProxy = await FaultProxy.start();
    stack = await startLocalStack({
      dataDirectory,
      speed: 0,
      start: new Date('2026-03-04T10:00:00Z'),
      retryIntervalScale: 0,
      quiet: true,
      existingDynamoDb: { endpoint: sharedDynamoDbEndpoint() },
      handlerEndpoints: { sfn: sfnProxy.url },
    });
    sfnProxy.setTarget(stack.sfnEndpoint);
    client = new ReviewClient(stack);
  });

  afterAll(async () => {
    await stack?.stop();
    await sfnProxy?.stop();
    if (dataDirectory) rmSync(dataDirectory, { recursive: true, force: true });
  });

  /** The use cases as the operator's page runs them: the stack's own table and Step Functions. */
  const service = () =>
    environmentService({ cases: caseStoreFromEnvironment, workflow: reviewWorkflowFromEnvironment });

  it('shows a case whose step was made to fail as failed; resumed, its review completes and no email goes twice', async () => {
    // Prepare: a review, with collation made to fail once.
    const { caseId, reference } = await client.submitNotification(sampleNotification(), randomUUID());
    await stack.whenSettled();
    stack.rehearsal.plan(caseId, 'collate-report');
    let failed = await client.getCase(caseId);
    for (let jumps = 0; failed.status !== 'failed'; jumps += 1) {
      if (jumps > 12) throw new Error(`The case never failed (status ${failed.status})`);
      await client.advanceToNext();
      failed = await client.getCase(caseId);
    }
    const failureEmails = await client.waitForEmails('the failure email to the partnership team', (email) =>
      email.subject.startsWith(`${reference}: the review has stopped`),
    );

    // Act: the operator resumes it; the review then runs to the Panel.
    const resumed = await resumeFailedCase(service(), {
      caseId,
      actor: operator,
      reason: 'Invented reason: the rehearsed fault is over (test).',
    });
    await client.settle();
    const afterResume = await client.getCase(caseId);
    for (let jumps = 0; (await client.getCase(caseId)).status !== 'awaiting-decision'; jumps += 1) {
      if (jumps > 12) throw new Error('The resumed review never reached the decision');
      await client.advanceToNext();
    }
    await client.writeReport(caseId);
    await client.recordDecision(caseId, {
      commissionLocalReview: false,
      localReviewReason: 'Invented reason (test).',
      recommendNationalReview: false,
      nationalReviewReason: 'Invented reason (test).',
    });
    await client.allPartnersAgree(caseId);
    const done = await client.waitForCase(caseId, 'completed', (view) => view.status === 'completed');

    // Assess
    expect(failed.workflow.status).toBe('FAILED');
    expect(failureEmails).toHaveLength(1);
    expect(resumed).toEqual({ resumedFrom: "collating the agencies' summaries" });
    expect(afterResume.status).not.toBe('failed');
    expect(afterResume.workflow.status).toBe('RUNNING');
    expect(done.workflow.status).toBe('SUCCEEDED');
    expect(done.audit.filter((event) => event.action === 'case.resumed')).toHaveLength(1);
    const emails = (await client.emails()).filter((email) => email.subject.includes(reference));
    expect(duplicatesIn(emails)).toEqual([]);
    expect(
      emails.filter((email) => email.subject.startsWith(`${reference}: Rapid Review outcome`)),
    ).toHaveLength(1);
    expect(
      emails.filter((email) => email.subject.startsWith(`${reference}: the review has stopped`)),
    ).toHaveLength(1);
  });

  it('saves a sign-off whose callback Step Functions refuses (201), owes the resume, and the sweep delivers it without waiting for the deadline', async () => {
    // Prepare: the decision and report in, two partners signed off; then Step Functions refuses callbacks.
    const { caseId, reference } = await runDemoReviewToDecision(client, sampleNotification());
    await client.signOff(caseId, 'police', { agrees: true });
    await client.signOff(caseId, 'local-authority', { agrees: true });
    sfnProxy.refuse(
      (request) => request.headers['x-amz-target'] === 'AWSStepFunctions.SendTaskSuccess',
      sfnUnavailable,
    );
    const clockBefore = stack.clock.now();

    // Act
    const lastSignOff = await client.signOff(caseId, 'health', { agrees: true });
    await client.settle();
    const owed = await caseStoreFromEnvironment().getCase(caseId);
    const whileOwed = await client.getCase(caseId);
    const refused = sfnProxy.refused;
    sfnProxy.clear();
    const sweep = await stack.sweepOwedResumes();
    const done = await client.waitForCase(caseId, 'completed', (view) => view.status === 'completed');

    // Assess
    expect(lastSignOff).toMatchObject({ partner: 'health', agrees: true });
    expect(refused).toBeGreaterThan(0);
    expect(owed?.resumeOwed).toBeDefined();
    expect(whileOwed.workflow).toMatchObject({ status: 'RUNNING', currentStep: 'AwaitDecision' });
    expect(sweep).toEqual({ owed: 1, resumed: 1, failed: 0 });
    expect(done.workflow.status).toBe('SUCCEEDED');
    expect((await caseStoreFromEnvironment().getCase(caseId))?.resumeOwed).toBeUndefined();
    expect(stack.clock.now()).toEqual(clockBefore);
    const panel = (await client.emails()).filter((email) =>
      email.subject.startsWith(`${reference}: Rapid Review outcome`),
    );
    expect(panel).toHaveLength(1);
  });
  it('never loses the last sign-off arriving as the decision wait times out: the review completes with no further clock move', async () => {
    // Prepare: everything in but the last sign-off; the next thing on the clock is the wait's timeout.
    const { caseId, reference } = await runDemoReviewToDecision(client, sampleNotification());
    await client.signOff(caseId, 'police', { agrees: true });
    await client.signOff(caseId, 'local-authority', { agrees: true });
    const [timeout] = stack.clock.pending();

    // Act: the timeout and the sign-off at once.
    await Promise.all([client.advanceToNext(), client.signOff(caseId, 'health', { agrees: true })]);
    const clockAfter = stack.clock.now();
    const done = await client.waitForCase(caseId, 'completed', (view) => view.status === 'completed');

    // Assess
    expect(timeout?.label).toContain('AwaitDecision');
    expect(done.workflow.status).toBe('SUCCEEDED');
    expect(done.audit.some((event) => event.action === 'workflow.failed')).toBe(false);
    expect(stack.clock.now()).toEqual(clockAfter);
    const panel = (await client.emails()).filter((email) =>
      email.subject.startsWith(`${reference}: Rapid Review outcome`),
    );
    expect(panel).toHaveLength(1);
    expect((await caseStoreFromEnvironment().getCase(caseId))?.resumeOwed).toBeUndefined();
  });
});
