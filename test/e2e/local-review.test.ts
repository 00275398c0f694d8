/**
 * The Local Child Safeguarding Practice Review pages (issue 13), in headless Chromium against one
 * local stack: a Rapid Review whose decision commissions a local review (local/demo/run-review.ts,
 * through the API), then the partnership team in the browser starts the local review from the
 * case page, and records its terms of reference (first with errors), its reviewer and a criminal
 * trial, each through question, check your answers and confirmation; the review's page shows
 * them. Each page checked with axe at desktop width and at 320 px.
 */
import type { Page as BrowserPage } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { runDemoReview } from '../../local/demo/run-review.ts';
import { sampleNotification } from '../../local/sample-notification.ts';
import { expectNoAxeViolations } from './support/axe.ts';
import { signInAs, usePage } from './support/browser.ts';
import { useLocalStack } from './support/stack.ts';

/** Fills a GOV.UK date input named `name` with an ISO date. */
async function fillDate(page: BrowserPage, name: string, isoDate: string): Promise<void> {
  const [year, month, day] = isoDate.split('-');
  await page.fill(`#${name}-day`, String(Number(day)));
  await page.fill(`#${name}-month`, String(Number(month)));
  await page.fill(`#${name}-year`, String(year));
}

/** Presses a button and waits for the page it leads to. */
async function press(page: BrowserPage, text: string): Promise<void> {
  await Promise.all([page.waitForLoadState('load'), page.click(`button:has-text("${text}")`)]);
}

describe('the local review pages', () => {
  const stack = useLocalStack();
  const browser = usePage();
  let caseId = '';

  beforeAll(async () => {
    ({ caseId } = await runDemoReview(stack.client, sampleNotification()));
  }, 180_000);

  it('lets the team start the local review from the case and record its terms, reviewer and a trial', async () => {
    const page = browser.page;
    await signInAs(page, stack.apiUrl, 'partnership-team');
    await page.goto(`${stack.apiUrl}/cases/${caseId}`);

    await Promise.all([
      page.waitForURL(`**/cases/${caseId}/local-review`),
      page.click('a:has-text("Start or open the local review")'),
    ]);
    expect(await page.textContent('h1')).toContain('Start the local review');
    await expectNoAxeViolations(page, 'the start page');

    await Promise.all([
      page.waitForURL(`**/cases/${caseId}/local-review/confirmation`),
      page.click('button:has-text("Start the local review")'),
    ]);
    expect(await page.textContent('.govuk-panel')).toContain('LCSPR-');
    await expectNoAxeViolations(page, 'the confirmation');

    await Promise.all([
      page.waitForURL('**/local-reviews/*'),
      page.click('a:has-text("Go to the local review")'),
    ]);
    const reviewUrl = page.url();
    expect(await page.textContent('main')).toContain('Final report ready');
    await expectNoAxeViolations(page, 'the review’s page');

    // The terms of reference: errors first, then check your answers and the confirmation.
    await page.click('a:has-text("Record the terms of reference")');
    await expectNoAxeViolations(page, 'the terms of reference');
    await page.fill('#method', '');
    await press(page, 'Continue');
    expect(await page.textContent('.govuk-error-summary')).toContain('Enter the method');
    await expectNoAxeViolations(page, 'the terms of reference with errors');
    await page.fill('#method', 'A systems approach (invented)');
    await fillDate(page, 'periodFrom', '2025-01-01');
    await fillDate(page, 'periodTo', '2025-12-31');
    await page.fill('#keyLinesOfEnquiry', 'Invented: how the agencies shared what they knew.');
    await page.fill('#familyInvolvementPlan', 'Invented: the parents are invited to meet the reviewer.');
    await press(page, 'Continue');
    expect(await page.textContent('h1')).toContain('Check your answers');
    await expectNoAxeViolations(page, 'the terms’ check your answers');
    await press(page, 'Record the terms of reference');
    expect(await page.textContent('.govuk-panel')).toContain('Terms of reference recorded');

    // The reviewer, with the evidence against each of the six points.
    await page.goto(`${reviewUrl}/reviewer`);
    await expectNoAxeViolations(page, 'the reviewer');
    await page.fill('#name', 'Reviewer A (invented)');
    await page.fill('#organisation', 'Independent Reviews (invented)');
    await page.fill('#email', 'reviewer.a@example.org');
    for (const key of [
      'professionalKnowledge',
      'research',
      'complexCircumstances',
      'withoutHindsight',
      'communication',
      'conflicts',
    ]) {
      await page.fill(`#evidence-${key}`, key === 'conflicts' ? 'None' : `Invented evidence (${key}).`);
    }
    await fillDate(page, 'contractStartsOn', '2026-05-01');
    await fillDate(page, 'contractEndsOn', '2026-10-31');
    await page.fill('#feePounds', '12,500');
    await press(page, 'Continue');
    await expectNoAxeViolations(page, 'the reviewer’s check your answers');
    await press(page, 'Appoint the reviewer and tell the Panel');
    expect(await page.textContent('.govuk-panel')).toContain('Reviewer appointed');

    // A criminal trial that holds publication back.
    await page.goto(`${reviewUrl}/parallel-process`);
    await expectNoAxeViolations(page, 'a parallel process');
    await page.check('input[name="kind"][value="criminal-trial"]');
    await fillDate(page, 'startedOn', '2026-03-01');
    await page.check('input[name="holdsPublication"][value="yes"]');
    await press(page, 'Continue');
    await press(page, 'Record the parallel process');
    expect(await page.textContent('.govuk-panel')).toContain('Parallel process recorded');

    await page.goto(reviewUrl);
    const main = (await page.textContent('main')) ?? '';
    expect(main).toContain('Reviewer A (invented)');
    expect(main).toContain('Holds publication back');
    expect(main).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    await expectNoAxeViolations(page, 'the review’s page, filled in');

    for (const path of ['publication-plan', 'late-reason', 'parallel-processes/1/ended']) {
      await page.goto(`${reviewUrl}/${path}`);
      await expectNoAxeViolations(page, path);
    }
  }, 240_000);
});
