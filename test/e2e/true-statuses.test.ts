/**
 * Issue 11 part 1's true statuses, in the browser: the case page's timeline and its "Day N of 15"
 * counter say what happened, never what the calendar alone suggests, on three reviews on one
 * local stack:
 *
 * - a completed one (the demo's review, decided on time and sent to the Panel);
 * - a late one (its agencies asked and all but one returned, then nobody decides by the
 *   governing date, so the Panel is told it is late);
 * - a failed one: every agency returns, then one agency's file is lost from the document store
 *   before Day 11, so collating the report fails without retry, the workflow records the
 *   failure and the case is marked failed. The clock then runs on past its Day 15.
 *
 * The late and the failed reviews run side by side after the completed one, in the same virtual
 * time. The cases list's "Next deadline" is read for all three too: never a step already past.
 */
import { randomUUID } from 'node:crypto';
import { DeleteObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { Page as BrowserPage } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { agencyLinkIn } from '../../local/demo/review-client.ts';
import { demoSummaryPdf, runDemoReview } from '../../local/demo/run-review.ts';
import { localClientConfig } from '../../local/dynamodb-local.ts';
import { sampleNotification } from '../../local/sample-notification.ts';
import { localResourceNames } from '../../local/stack.ts';
import { isoDateOf } from '../../shared/workflow/london-time.ts';
import { engineeringWordsIn } from '../support/plain-words.ts';
import { axeViolations, describeViolations } from './support/axe.ts';
import { screenshot, signInAs, textOf, usePage } from './support/browser.ts';
import { narrowViewport, overflowProblems, sidewaysOverflow } from './support/layout.ts';
import { useLocalStack } from './support/stack.ts';

/** The texts of every element matching `selector`, whitespace collapsed. */
async function textsOf(page: BrowserPage, selector: string): Promise<string[]> {
  return (await page.locator(selector).allTextContents()).map((text) => text.replace(/\s+/g, ' ').trim());
}

/** The timeline's steps (not the "Today" marker), each as its class's state and its "Day N: name". */
async function timelineSteps(page: BrowserPage): Promise<{ state: string; step: string; text: string }[]> {
  const items = page.locator('.app-timeline__item:not(.app-timeline__item--today)');
  const steps: { state: string; step: string; text: string }[] = [];
  for (const item of await items.all()) {
    const classes = (await item.getAttribute('class')) ?? '';
    const text = ((await item.textContent()) ?? '').replace(/\s+/g, ' ').trim();
    steps.push({
      state: /app-timeline__item--([a-z-]+)/.exec(classes)?.[1] ?? 'none',
      step: /^(Day \d+: [^–]*?) \w+day \d/.exec(text)?.[1] ?? text,
      text,
    });
  }
  return steps;
}

/** The steps of the partnership's plan, in order, as the timeline names them. */
const planSteps = [
  'Day 1: Requests sent to agencies',
  'Day 7: Reminder to agencies',
  'Day 10: Agency summaries due',
  'Day 11: Summaries collated',
  'Day 12: Papers to the Rapid Review Group',
  'Day 14: Rapid Review Group meeting and decision',
  'Day 15: Outcome to the Panel',
];

describe('the case page’s true statuses', () => {
  const stack = useLocalStack();
  const browser = usePage();
  const cases = { completed: '', late: '', failed: '' };

  beforeAll(async () => {
    const { client } = stack;
    // A review decided on time and sent to the Panel, with the Panel's reply.
    cases.completed = (await runDemoReview(client, sampleNotification())).caseId;

    // Two reviews opened together, the Panel notified the same day, so the partnership's own
    // Days 1 to 15 govern both.
    const today = isoDateOf((await client.clock()).now, 'Europe/London');
    const notifiedToday = () => {
      const notification = sampleNotification();
      return {
        ...notification,
        incident: {
          ...notification.incident,
          occurredOn: today,
          localAuthorityAwareOn: today,
          panelNotifiedOn: today,
        },
      };
    };
    const late = await client.submitNotification(notifiedToday(), randomUUID());
    const failed = await client.submitNotification(notifiedToday(), randomUUID());
    cases.late = late.caseId;
    cases.failed = failed.caseId;
    const agencies = sampleNotification().agencies;
    const requests = await client.waitForEmails(
      'a summary request to every agency of both reviews',
      (email) =>
        (email.subject.includes(late.reference) || email.subject.includes(failed.reference)) &&
        agencies.some((agency) => email.destination.to.includes(agency.spoc.email)),
      { count: agencies.length * 2 },
    );
    const upload = async (reference: string, agency: (typeof agencies)[number]) => {
      const email = requests.find(
        (request) =>
          request.subject.includes(reference) && request.destination.to.includes(agency.spoc.email),
      );
      if (!email) throw new Error(`No request email to ${agency.name} for ${reference}`);
      await client.uploadSummary(agencyLinkIn(email), {
        name: `${agency.name} summary (demo).pdf`,
        type: 'application/pdf',
        bytes: demoSummaryPdf(agency.name),
      });
    };
    // The late review: every agency but the last returns. The failed one: every agency returns.
    for (const agency of agencies.slice(0, -1)) await upload(late.reference, agency);
    for (const agency of agencies) await upload(failed.reference, agency);
    await client.waitForCase(cases.failed, 'every return recorded', (view) =>
      view.agencies.every((agency) => agency.status === 'received'),
    );

    // One agency's file is lost from the document store: collating the report cannot read it.
    const s3 = new S3Client({ ...localClientConfig(stack.stack.s3Endpoint), forcePathStyle: true });
    try {
      const listed = await s3.send(
        new ListObjectsV2Command({
          Bucket: localResourceNames.documentBucket,
          Prefix: `cases/${cases.failed}/agency-returns/`,
        }),
      );
      const lost = listed.Contents?.[0]?.Key;
      if (!lost) throw new Error('The failed review has no agency file to lose');
      await s3.send(new DeleteObjectCommand({ Bucket: localResourceNames.documentBucket, Key: lost }));
    } finally {
      s3.destroy();
    }

    // Time runs on until the one review has failed and the other has gone late, then a week more.
    for (let jumps = 0; ; jumps += 1) {
      const [lateView, failedView] = await Promise.all([
        client.getCase(cases.late),
        client.getCase(cases.failed),
      ]);
      const toldLate = lateView.audit.some((event) => event.action === 'review.late');
      if (failedView.status === 'failed' && toldLate) break;
      if (jumps > 20) {
        throw new Error(
          `Still waiting: the late review is ${lateView.status}, the failed one ${failedView.status}`,
        );
      }
      await client.advanceToNext();
    }
    expect((await client.getCase(cases.late)).status).toBe('awaiting-decision');
  }, 300_000);

  it('marks every step of a completed review Done, with when, and counts the day it went to the Panel', async () => {
    // Act
    await signInAs(browser.page, stack.apiUrl, 'partnership-team');
    await browser.page.goto(`${stack.apiUrl}/cases/${cases.completed}`);

    // Assert
    expect(await textOf(browser.page, 'main h1 .govuk-tag')).toBe('Completed');
    expect(await textOf(browser.page, '#day-counter')).toMatch(/^Sent to the Panel on day \d{1,2} of 15$/);
    const steps = await timelineSteps(browser.page);
    expect(steps.map((step) => step.step)).toEqual(planSteps);
    expect(steps.map((step) => step.state)).toEqual(planSteps.map(() => 'done'));
    for (const step of steps) expect(step.text).toMatch(/ – Done Done at \S+ on \w+day \d{1,2} \w+ 2026$/);
    await screenshot(browser.page, 'completed-case-timeline');
  });

  it('marks what a late review missed, the decision next and overdue, and counts the working days late', async () => {
    // Act
    await signInAs(browser.page, stack.apiUrl, 'partnership-team');
    await browser.page.goto(`${stack.apiUrl}/cases/${cases.late}`);

    // Assert
    expect(await textOf(browser.page, 'main h1 .govuk-tag')).toBe('Awaiting decision');
    expect(await textOf(browser.page, '#late')).toBe('The review is late');
    expect(await textOf(browser.page, '#day-counter')).toMatch(
      /^(\d+ working days? late|Late): it was due by 5pm on \w+day \d{1,2} \w+ 2026$/,
    );
    const steps = await timelineSteps(browser.page);
    expect(steps.map((step) => step.step)).toEqual(planSteps);
    // One agency never returned, so Day 10 was missed; the decision is next, and past its time.
    expect(steps.map((step) => step.state)).toEqual([
      'done',
      'done',
      'missed',
      'done',
      'done',
      'next',
      'overdue',
    ]);
    expect(steps[2]?.text).toMatch(/ – Missed$/);
    expect(steps[5]?.text).toMatch(/ – Next It was due by 5pm on \w+day \d{1,2} \w+ 2026$/);
    expect(steps[6]?.text).toMatch(/ – Overdue$/);
    await screenshot(browser.page, 'late-case-timeline');
  });

  it('marks what a failed review did not do Missed, never Done or Next, and says in plain words what happened', async () => {
    // Act
    await signInAs(browser.page, stack.apiUrl, 'partnership-team');
    await browser.page.goto(`${stack.apiUrl}/cases/${cases.failed}`);

    // Assert
    expect(await textOf(browser.page, 'main h1 .govuk-tag')).toBe('Failed');
    // A review that stopped counts no days.
    expect(await browser.page.locator('#day-counter').count()).toBe(0);
    const steps = await timelineSteps(browser.page);
    expect(steps.map((step) => step.step)).toEqual(planSteps);
    // Every agency returned on Day 1, so no reminder was needed; collating failed on Day 11, and
    // nothing after it was done.
    expect(steps.map((step) => step.state)).toEqual([
      'done',
      'not-needed',
      'done',
      'missed',
      'missed',
      'missed',
      'missed',
    ]);
    for (const step of steps.slice(3)) {
      expect(step.text).toMatch(/ – Missed$/);
      expect(step.text).not.toContain('Done');
    }
    expect(await textsOf(browser.page, '.app-timeline__item--next')).toEqual([]);
    const main = await textOf(browser.page, 'main');
    expect(main).toMatch(
      /Something went wrong with this review’s timetable at \S+ on \w+day \d{1,2} \w+ 2026\. The service’s support team has been told\./,
    );
    expect(main).not.toMatch(/papers have not been distributed/i);
    expect(engineeringWordsIn(main)).toEqual([]);

    // The failed case is clean under axe and fits 320 px too (the page walk never meets one).
    const problems = [
      ...(await axeViolations(browser.page)).map(
        (violation) => `desktop: ${describeViolations([violation])}`,
      ),
    ];
    await screenshot(browser.page, 'failed-case');
    await browser.page.setViewportSize(narrowViewport);
    problems.push(
      ...overflowProblems(await sidewaysOverflow(browser.page)).map((problem) => `320 px: ${problem}`),
    );
    problems.push(
      ...(await axeViolations(browser.page)).map((violation) => `320 px: ${describeViolations([violation])}`),
    );
    await screenshot(browser.page, 'failed-case-320');
    expect(problems).toEqual([]);
  });

  it('never names a past step as the next deadline in the cases list', async () => {
    // Act
    await signInAs(browser.page, stack.apiUrl, 'partnership-team');
    await browser.page.goto(`${stack.apiUrl}/cases?closed=yes`);

    // Assert: each of the three reviews is past every step of its plan, so none has a next deadline.
    for (const caseId of Object.values(cases)) {
      const row = browser.page.locator('main table tbody tr', {
        has: browser.page.locator(`a[href="/cases/${caseId}"]`),
      });
      expect(await row.count()).toBe(1);
      const next = ((await row.locator('td[data-label="Next deadline"]').textContent()) ?? '').trim();
      expect(next).toBe('None');
    }
  });
});
