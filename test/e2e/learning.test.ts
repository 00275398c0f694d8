/**
 * Learning themes and action plans (issue 14 parts 1 and 2), in headless Chromium against one
 * local stack: a Rapid Review run to its report (local/demo/run-review.ts, through the API); then
 * the partnership team tags it with themes (first with an error), records a learning point, adds
 * an action (first with errors); the action's owner, by the link in their email and without
 * signing in, records progress and uploads evidence; the team verifies the action, and finds it at
 * /actions filtered by theme and status, and exports the progress report. Each page checked with
 * axe at desktop width and at 320 px.
 */
import type { Page as BrowserPage } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { runDemoReview } from '../../local/demo/run-review.ts';
import { sampleNotification } from '../../local/sample-notification.ts';
import { CalendarDate } from '../../shared/calendar/dates.ts';
import { isoDateOf } from '../../shared/workflow/london-time.ts';
import { expectNoAxeViolations } from './support/axe.ts';
import { signInAs, usePage } from './support/browser.ts';
import { useLocalStack } from './support/stack.ts';

/** Presses a button and waits for the page it leads to. */
async function press(page: BrowserPage, text: string): Promise<void> {
  await Promise.all([page.waitForLoadState('load'), page.click(`button:has-text("${text}")`)]);
}

describe('learning themes and action plans', () => {
  const stack = useLocalStack();
  const browser = usePage();
  let caseId = '';

  beforeAll(async () => {
    ({ caseId } = await runDemoReview(stack.client, sampleNotification()));
  }, 180_000);

  it('walks tagging, an action, the owner’s progress and evidence by their link, verification, and /actions filtered and exported', async () => {
    const page = browser.page;
    await signInAs(page, stack.apiUrl, 'partnership-team');

    // From the report to the review's learning.
    await page.goto(`${stack.apiUrl}/cases/${caseId}/report`);
    await Promise.all([
      page.waitForURL(`**/cases/${caseId}/learning`),
      page.click('a:has-text("Learning themes, repeated learning and actions")'),
    ]);
    await expectNoAxeViolations(page, 'the review’s learning');

    // Themes: none chosen first, then two.
    await press(page, 'Save the themes');
    expect(await page.textContent('.govuk-error-summary')).toContain('Choose at least one learning theme');
    await expectNoAxeViolations(page, 'the learning with an error');
    await page.check('input[name="themes"][value="safe-sleep"]');
    await page.check('input[name="themes"][value="neglect"]');
    await press(page, 'Save the themes');
    expect(await page.textContent('#earlier-reviews ~ p')).toContain('No earlier review shares these themes');

    // A learning point with its theme.
    await page.fill('#text', 'Where the baby slept was not asked about after the move (invented).');
    await page.check('input[name="theme"][value="safe-sleep"]');
    await press(page, 'Add the learning point');
    expect(await page.textContent('main')).toContain('New learning specific to this case');
    await expectNoAxeViolations(page, 'the learning with a point');

    // An action: errors first.
    await Promise.all([
      page.waitForURL('**/learning/actions/new'),
      page.click('a:has-text("Add an action")'),
    ]);
    await expectNoAxeViolations(page, 'the new action');
    await press(page, 'Add the action and email its owner');
    const errors = await page.textContent('.govuk-error-summary');
    expect(errors).toContain('Choose the agency that owns the action');
    expect(errors).toContain('Enter the due date');
    await expectNoAxeViolations(page, 'the new action with errors');
    const due = CalendarDate.from(isoDateOf((await stack.client.clock()).now, 'Europe/London')).add({
      days: 60,
    });
    await page.fill('#recommendation', 'Health visitors check safe sleep after a family moves (invented).');
    await page.fill(
      '#description',
      'Add a safe sleep check to the record for a change of address (invented).',
    );
    await page.selectOption('#theme', 'safe-sleep');
    await page.check('input[name="scope"][value="single-agency"]');
    await page.check('input[name="owningAgencyId"][value="health"]');
    await page.fill('#ownerRole', 'Named nurse for safeguarding');
    await page.fill('#ownerEmail', 'named.nurse.e2e@example.org');
    await page.fill('#dueOn-day', String(due.day));
    await page.fill('#dueOn-month', String(due.month));
    await page.fill('#dueOn-year', String(due.year));
    await press(page, 'Add the action and email its owner');
    expect(await page.textContent('h1')).toContain('Action A1 from');
    const actionUrl = page.url();
    await expectNoAxeViolations(page, 'the action');

    // The owner, by their link.
    const [email] = await stack.client.waitForEmails('the owner’s link', (candidate) =>
      candidate.destination.to.includes('named.nurse.e2e@example.org'),
    );
    const link = /https?:\/\/\S+\/action\/[A-Za-z0-9_-]{43}/.exec(email!.body.text ?? '')?.[0];
    expect(link).toBeDefined();
    const ownerPath = new URL(link!).pathname;
    // A browser of their own: no staff session.
    const ownerContext = await page
      .context()
      .browser()!
      .newContext({ viewport: { width: 1280, height: 800 } });
    const owner = await ownerContext.newPage();
    try {
      await owner.goto(`${stack.apiUrl}${ownerPath}`);
      await expectNoAxeViolations(owner, 'the owner’s page');
      await owner.check('input[name="status"][value="done"]');
      await press(owner, 'Record progress');
      expect(await owner.textContent('.govuk-error-summary')).toContain('Enter a value');
      await expectNoAxeViolations(owner, 'the owner’s page with an error');
      await owner.check('input[name="status"][value="done"]');
      await owner.fill('#note', 'The record now asks about sleep after every move (invented).');
      await press(owner, 'Record progress');
      expect(await owner.textContent('.govuk-notification-banner')).toContain('Progress recorded');
      await owner.fill('#evidenceNote', 'An audit of 20 visits found the check made in 19 (invented).');
      await owner.setInputFiles('#document', {
        name: 'audit.pdf',
        mimeType: 'application/pdf',
        buffer: Buffer.from('%PDF-1.4\n% invented audit\n%%EOF\n'),
      });
      await press(owner, 'Record the evidence');
      expect(await owner.textContent('.govuk-notification-banner')).toContain('Evidence recorded');
      expect(await owner.textContent('#evidence ~ ul')).toContain('audit.pdf');
      await expectNoAxeViolations(owner, 'the owner’s page with evidence');
    } finally {
      await ownerContext.close();
    }

    // The team verifies it.
    await page.goto(actionUrl);
    await press(page, 'Verify the action');
    expect(await page.textContent('#verify ~ p')).toContain('Verified');
    await expectNoAxeViolations(page, 'the verified action');

    // Every action, filtered, and the progress report.
    await page.goto(`${stack.apiUrl}/actions`);
    await expectNoAxeViolations(page, 'the actions');
    await page.selectOption('#theme', 'safe-sleep');
    await page.selectOption('#status', 'verified');
    await press(page, 'Show actions');
    expect(page.url()).toContain('theme=safe-sleep');
    expect(await page.textContent('#actions-table caption')).toContain('1 action');
    await expectNoAxeViolations(page, 'the actions filtered');
    const csvHref = await page.getAttribute('a:has-text("as a spreadsheet (CSV)")', 'href');
    const csv = await page.request.get(`${stack.apiUrl}${csvHref}`);
    expect(csv.headers()['content-type']).toBe('text/csv; charset=utf-8');
    expect(await csv.text()).toContain('"Named nurse for safeguarding, Health"');
    const pdfHref = await page.getAttribute('a:has-text("download as PDF")', 'href');
    const pdf = await page.request.get(`${stack.apiUrl}${pdfHref}`);
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
  }, 240_000);
});
