/**
 * The partnership team's list of local reviews (`/local-reviews`, issue 13) in headless Chromium
 * against one local stack: a Rapid Review whose decision commissions a local review
 * (local/demo/run-review.ts), the review commissioned through the API
 * (`POST /api/cases/{caseId}/local-review`), then the team reaches the list from the cases list,
 * filters it with the GET form, and meets a filter it cannot use. Each view checked with axe at
 * desktop width and at 320 px, where the table stacks.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runDemoReviewToDecision } from '../../local/demo/run-review.ts';
import { sampleNotification } from '../../local/sample-notification.ts';
import { expectNoAxeViolations } from './support/axe.ts';
import { screenshot, signInAs, textOf, usePage } from './support/browser.ts';
import { narrowViewport, overflowProblems, sidewaysOverflow } from './support/layout.ts';
import { useLocalStack } from './support/stack.ts';

describe('the list of local reviews', () => {
  const stack = useLocalStack();
  const browser = usePage();
  let reference = '';

  beforeAll(async () => {
    const { caseId } = await runDemoReviewToDecision(stack.client, sampleNotification());
    const response = await fetch(`${stack.apiUrl}/api/cases/${caseId}/local-review`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await stack.client.token('partnership-team')}` },
    });
    if (response.status !== 201) throw new Error(`Commissioning answered ${response.status}`);
    ({ reference } = (await response.json()) as { reference: string });
  }, 180_000);

  it('lists the review for the team, reached from the cases list, filtered by the GET form', async () => {
    const page = browser.page;
    await signInAs(page, stack.apiUrl, 'partnership-team');
    await page.goto(`${stack.apiUrl}/cases`);

    await Promise.all([page.waitForURL('**/local-reviews'), page.click('main a:has-text("local reviews")')]);
    expect(await textOf(page, 'h1')).toBe('Local reviews');
    const row = page.locator('tbody tr').first();
    expect(await row.locator('th a').textContent()).toBe(reference);
    expect(await row.textContent()).toContain('Commissioned');
    expect(await row.textContent()).toContain('Not appointed yet');
    expect(await textOf(page, 'main')).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    // "Local reviews" in the team's navigation, marked as where they are.
    expect(await page.locator('.govuk-service-navigation__item--active').textContent()).toContain(
      'Local reviews',
    );
    await expectNoAxeViolations(page, 'the list of local reviews');
    await screenshot(page, 'local-reviews');

    await page.check('input[name="status"][value="published"]');
    await Promise.all([
      page.waitForURL('**/local-reviews?status=published'),
      page.click('button:has-text("Show local reviews")'),
    ]);
    expect(await textOf(page, 'h1')).toBe('Published local reviews');
    expect(await textOf(page, 'main')).toContain('No local review has been published yet.');
    await expectNoAxeViolations(page, 'the published local reviews');

    await page.goto(`${stack.apiUrl}/local-reviews?status=finished`);
    expect(await textOf(page, '.govuk-error-summary')).toContain('Choose published or in progress');
    expect(await page.title()).toMatch(/^Error: /);
    await expectNoAxeViolations(page, 'the list with a filter it cannot use');

    // The reference leads to the review's own page.
    await page.goto(`${stack.apiUrl}/local-reviews?status=in-progress`);
    await Promise.all([page.waitForURL('**/local-reviews/*'), page.click(`a:has-text("${reference}")`)]);
    expect(await textOf(page, 'h1')).toContain(reference);
  }, 120_000);

  it('stacks each review at 320 px, each value under its column’s name, without scrolling sideways', async () => {
    const page = browser.page;
    await signInAs(page, stack.apiUrl, 'partnership-team');
    await page.setViewportSize(narrowViewport);
    await page.goto(`${stack.apiUrl}/local-reviews`);

    const headings = await page.locator('thead').boundingBox();
    // Evaluated in the page as a string: the project compiles without the DOM library.
    const style = (pseudo: string, property: string) =>
      page.evaluate(
        `getComputedStyle(document.querySelector('tbody td[data-label="Where it stands"]'), ${JSON.stringify(pseudo)}).getPropertyValue(${JSON.stringify(property)})`,
      );
    const label = await style('::before', 'content');

    expect(headings?.width ?? 0).toBeLessThanOrEqual(1);
    expect(await style('', 'display')).toBe('block');
    expect(label).toBe('"Where it stands"');
    expect(overflowProblems(await sidewaysOverflow(page))).toEqual([]);
    await expectNoAxeViolations(page, 'the list of local reviews (320 px)');
    await screenshot(page, 'local-reviews-320');
  }, 60_000);
});
