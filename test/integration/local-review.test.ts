import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditTableNameFor } from '../../local/case-table.ts';
import {
  type DemoLocalReviewResult,
  localReviewReport,
  runDemoLocalReview,
  walkDemoLocalReview,
} from '../../local/demo/local-review.ts';
import { commissionDemoLocalReviewFromReferral } from '../../local/demo/referral.ts';
import { ReviewClient } from '../../local/demo/review-client.ts';
import { runDemoReview } from '../../local/demo/run-review.ts';
import { sampleNotification } from '../../local/sample-notification.ts';
import { startLocalStack } from '../../local/stack.ts';
import { DynamoDbLocalReviewDraftsStore } from '../../shared/stores/local-review-drafts-store.ts';
import { DynamoDbLocalReviewEnquiryStore } from '../../shared/stores/local-review-enquiry-store.ts';
import { DynamoDbLocalReviewStore } from '../../shared/stores/local-review-store.ts';
import { DynamoDbPrgReferralStore } from '../../shared/stores/prg-referral-store.ts';
import { sharedDynamoDbEndpoint, useDynamoDbLocal } from '../support/dynamodb.ts';
import { describeLocalReviewDraftsStoreContract } from '../support/local-review-drafts-store-contract.ts';
import { describeLocalReviewEnquiryStoreContract } from '../support/local-review-enquiry-store-contract.ts';
import { describeLocalReviewStoreContract } from '../support/local-review-store-contract.ts';
import { describePrgReferralStoreContract } from '../support/prg-referral-store-contract.ts';

const dynamo = useDynamoDbLocal();

// The same contract the in-memory fake of the unit tests is held to, on real transactions and conditions.
describeLocalReviewStoreContract('the DynamoDB local review store', async () => {
  const tableName = await dynamo.freshTable();
  return new DynamoDbLocalReviewStore(dynamo.documentClient, tableName, auditTableNameFor(tableName));
});

// The referral store (issue 13, the Practice Review Group's way in) is held to its contract likewise.
describePrgReferralStoreContract('the DynamoDB referral store', async () => {
  const tableName = await dynamo.freshTable();
  return new DynamoDbPrgReferralStore(dynamo.documentClient, tableName, auditTableNameFor(tableName));
});

// The work in writing's store (learning events, family plan, supervision, drafts), likewise.
describeLocalReviewDraftsStoreContract('the DynamoDB local review drafts store', async () => {
  const tableName = await dynamo.freshTable();
  return new DynamoDbLocalReviewDraftsStore(dynamo.documentClient, tableName, auditTableNameFor(tableName));
});

// The enquiry's store (declarations and requests on one item, each chronology entry an item), likewise.
describeLocalReviewEnquiryStoreContract('the DynamoDB local review enquiry store', async () => {
  const tableName = await dynamo.freshTable();
  return new DynamoDbLocalReviewEnquiryStore(dynamo.documentClient, tableName, auditTableNameFor(tableName));
});

/** The steps of the enquiry and the work in writing, as the review's timeline says them. */
const enquiryAndWritingSteps = [
  /^Declaration of conflicts and confidentiality recorded by the reviewer/,
  /^Information requested in writing from /,
  /^Declaration of conflicts and confidentiality recorded for /,
  /added an entry to the chronology$/,
  /said it has provided the information asked for$/,
  /^Practitioner learning event recorded/,
  /^A family member was added to the family plan/,
  /^The partners asked the reviewer in writing for: a draft/,
  /^The reviewer’s answer to a request recorded/,
  /^Draft version 1 uploaded/,
  /^Draft version 1 sent to \d+ agenc(y|ies) for factual accuracy/,
  /commented on draft version 1$/,
  /^Draft version 1 checked against the framework/,
  /^Draft version 1 chosen as the final report/,
];

/**
 * Local Child Safeguarding Practice Reviews on the local stack (issue 13), in virtual time, as
 * `npm run demo -- --local-review` and `-- --referral` walk them: the Rapid Review through the
 * API, then the local review through the pages (local/demo/local-review.ts); then, on the same
 * stack, one from a Practice Review Group referral (local/demo/referral.ts). Both state machines
 * run on the one local Step Functions service.
 */
describe('local reviews from each way in to their publication, on the local stack', () => {
  let stack: Awaited<ReturnType<typeof startLocalStack>>;
  let dataDirectory: string;
  let client: ReviewClient;
  let result: DemoLocalReviewResult;
  let fromReferral: DemoLocalReviewResult;
  const referralProgress: string[] = [];

  beforeAll(async () => {
    dataDirectory = mkdtempSync(join(tmpdir(), 'local-review-'));
    stack = await startLocalStack({
      dataDirectory,
      speed: 0,
      start: new Date('2026-03-04T10:00:00Z'),
      retryIntervalScale: 0,
      quiet: true,
      existingDynamoDb: { endpoint: sharedDynamoDbEndpoint() },
    });
    client = new ReviewClient(stack);
    const review = await runDemoReview(client, sampleNotification());
    result = await runDemoLocalReview(client, review.caseId);
    fromReferral = await walkDemoLocalReview(
      client,
      await commissionDemoLocalReviewFromReferral(client, (line) => referralProgress.push(line)),
      (line) => referralProgress.push(line),
    );
  }, 240_000);

  afterAll(async () => {
    await stack?.stop();
    rmSync(dataDirectory, { recursive: true, force: true });
  });

  it('emails the Panel on commissioning and on the reviewer, and the Panel and Secretary of State before publication, once each', async () => {
    const emails = await client.emails();
    const subjects = (address: string) =>
      emails.filter((email) => email.destination.to.includes(address)).map((email) => email.subject);

    expect(
      subjects('panel.mailbox@example.org').filter((subject) => subject.startsWith(result.reference)),
    ).toEqual([
      expect.stringContaining('local review commissioned'),
      expect.stringContaining('reviewer appointed'),
      expect.stringContaining('local review to be published'),
    ]);
    expect(
      subjects('secretary-of-state.local@example.org').filter((subject) =>
        subject.startsWith(`${result.reference}:`),
      ),
    ).toEqual([expect.stringContaining('local review to be published')]);
  });

  it('ends published, its timeline in words from commissioning to the minimum period’s alert', async () => {
    const whats = result.timeline.map((entry) => entry.what);

    expect(whats[0]).toMatch(/^Commissioned from Rapid Review RR-/);
    expect(whats).toContain('Publication held back while a parallel process is open');
    expect(
      whats.indexOf('Notice of the publication sent to the Panel and the Secretary of State'),
    ).toBeGreaterThan(whats.indexOf('Criminal trial ended'));
    expect(whats.at(-2)).toBe('The review was published, the reviewer named');
    expect(whats.at(-1)).toMatch(/must stay public/);
    expect(result.timeline.map((entry) => entry.when).join(' ')).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
  });

  it('walks the enquiry and the work in writing, in order, before the final report is ready', () => {
    const whats = result.timeline.map((entry) => entry.what);
    const found = enquiryAndWritingSteps.map((step) => whats.findIndex((what) => step.test(what)));

    expect(found.every((index) => index >= 0)).toBe(true);
    expect(found).toEqual([...found].sort((a, b) => a - b));
    expect(found.at(-1)).toBeLessThan(
      whats.indexOf('The final report is ready; publication planned in full'),
    );
  });

  it('comes in by a Practice Review Group referral (--referral) and ends on a line that says published', () => {
    const report = localReviewReport(fromReferral);
    const printed = report.timeline.join('\n');

    expect(referralProgress.slice(0, 5).join('\n')).toMatch(
      /referred a near miss[\s\S]*strategic lead approved[\s\S]*decided, against both criteria, on a local review[\s\S]*started local review LCSPR-PRG-/,
    );
    expect(fromReferral.timeline[0]?.what).toMatch(/^Commissioned from Practice Review Group referral PRG-/);
    for (const step of enquiryAndWritingSteps) {
      expect(
        fromReferral.timeline.some((entry) => step.test(entry.what)),
        String(step),
      ).toBe(true);
    }
    expect(printed).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    expect(report.published).toMatch(
      /^Local review LCSPR-PRG-\S+ published on \w+day \d+ \w+ \d{4} at https:/,
    );
  });
});
