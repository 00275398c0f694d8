/**
 * The partnership team steering a case (issue 10 part 3), in headless Chromium against one local
 * stack: an agency added from the case page (its errors, check your answers, confirmation, its
 * request email), then the review withdrawn (the case page tagged "Withdrawn", with the reason).
 * Each page checked with axe.
 */
import { randomUUID } from 'node:crypto';
import type { Page as BrowserPage } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { sampleNotification } from '../../local/sample-notification.ts';
import { expectNoAxeViolations } from './support/axe.ts';
import { screenshot, signInAs, usePage } from './support/browser.ts';
import { useLocalStack } from './support/stack.ts';

/** The text of the first element matching `selector`, whitespace collapsed ('' when absent). */
async function textOf(page: BrowserPage, selector: string): Promise<string> {
  const element = page.locator(selector).first();
  if ((await element.count()) === 0) return '';
  return ((await element.textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

/** The texts of every element matching `selector`, whitespace collapsed. */
async function textsOf(page: BrowserPage, selector: string): Promise<string[]> {
  return (await page.locator(selector).allTextContents()).map((text) => text.replace(/\s+/g, ' ').trim());
}

const addReason = 'Invented (demo): the family had a housing officer the notification did not list.';
const withdrawReason = 'Invented (demo): the criteria for a Rapid Review turned out not to be met.';

describe('the team adds an agency, then withdraws the review', () => {
  const stack = useLocalStack();
  const browser = usePage();
  let caseId = '';
  let reference = '';

  beforeAll(async () => {
    const notification = sampleNotification();
    ({ caseId, reference } = await stack.client.submitNotification(notification, randomUUID()));
    await stack.client.waitForEmails(
      'a summary request to every agency',
      (email) => email.subject.includes(reference) && email.subject.includes('summary requested'),
      { count: notification.agencies.length },
    );
  }, 120_000);

  it('adds an agency from the case page: the errors, check your answers, confirmation, and its request', async () => {
    // Prepare
    const page = browser.page;
    await signInAs(page, stack.apiUrl, 'partnership-team');
    await page.goto(`${stack.apiUrl}/cases/${caseId}`);
    await expectNoAxeViolations(page, 'the case page with the team’s controls');
    await screenshot(page, 'case-page-team-controls');

    // Act: the question page, from the case page; sent empty.
    await Promise.all([
      page.waitForURL(`**/cases/${caseId}/add-agency`),
      page.click('a:has-text("Add an agency")'),
    ]);
    expect(await textOf(page, 'main h1')).toBe('Add an agency');
    await expectNoAxeViolations(page, 'the add an agency question');
    await screenshot(page, 'add-agency-question');
    await Promise.all([page.waitForURL('**/add-agency/check'), page.click('button:has-text("Continue")')]);

    // Assess
    expect(await page.title()).toMatch(/^Error: /);
    expect(await textsOf(page, '.govuk-error-summary__list a')).toEqual([
      'Enter the agency’s name',
      'Enter the contact’s name',
      'Enter the contact’s email address',
      'Enter the reason',
    ]);
    await expectNoAxeViolations(page, 'the add an agency question with its errors');
    await screenshot(page, 'add-agency-question-with-errors');

    // Act: the answers; check; add.
    await page.fill('#name', 'Housing (demo)');
    await page.fill('#spocName', 'Spoc Housing (demo)');
    await page.fill('#spocEmail', 'spoc.housing@example.org');
    await page.fill('#reason', addReason);
    await Promise.all([page.waitForLoadState('load'), page.click('button:has-text("Continue")')]);
    expect(await textOf(page, 'main h1')).toBe('Check the agency before you add it');
    expect(await textsOf(page, '.govuk-summary-list__value')).toEqual([
      'Housing (demo)',
      'Spoc Housing (demo)',
      'spoc.housing@example.org',
      addReason,
    ]);
    await expectNoAxeViolations(page, 'check the agency before adding it');
    await screenshot(page, 'add-agency-check-answers');
    await Promise.all([
      page.waitForURL(`**/cases/${caseId}/add-agency/housing-demo/confirmation`),
      page.click('button:has-text("Add the agency and send the request")'),
    ]);

    // Assess: confirmed, the request emailed, the agency on the case page.
    expect(await textOf(page, '.govuk-panel__title')).toBe('Agency added');
    await expectNoAxeViolations(page, 'the agency added confirmation');
    await screenshot(page, 'add-agency-confirmation');
    await stack.client.waitForEmails('the new agency’s request', (email) =>
      email.destination.to.includes('spoc.housing@example.org'),
    );
    await page.goto(`${stack.apiUrl}/cases/${caseId}`);
    expect(await textsOf(page, '#agencies .govuk-summary-list__key')).toContain('Housing (demo)');
    expect(await page.locator('a:has-text("Replace contact")').count()).toBeGreaterThan(0);
  });

  it('withdraws the review: check your answers, confirmation, the case page tagged Withdrawn', async () => {
    // Prepare
    const page = browser.page;
    await signInAs(page, stack.apiUrl, 'partnership-team');
    await page.goto(`${stack.apiUrl}/cases/${caseId}`);

    // Act
    await Promise.all([
      page.waitForURL(`**/cases/${caseId}/withdraw`),
      page.click('a:has-text("Withdraw this review")'),
    ]);
    expect(await textOf(page, 'main h1')).toBe('Withdraw this review');
    await expectNoAxeViolations(page, 'the withdraw question');
    await screenshot(page, 'withdraw-question');
    await page.fill('#reason', withdrawReason);
    await Promise.all([page.waitForURL('**/withdraw/check'), page.click('button:has-text("Continue")')]);
    expect(await textOf(page, 'main h1')).toBe('Check before you withdraw the review');
    expect(await textOf(page, 'main .govuk-warning-text')).toContain('This cannot be undone.');
    await expectNoAxeViolations(page, 'check before withdrawing');
    await screenshot(page, 'withdraw-check-answers');
    await Promise.all([
      page.waitForURL(`**/cases/${caseId}/withdraw/confirmation`),
      page.click('button:has-text("Withdraw the review")'),
    ]);

    // Assess
    expect(await textOf(page, '.govuk-panel__title')).toBe('Review withdrawn');
    expect(await textOf(page, '.govuk-panel__body')).toContain(reference);
    await expectNoAxeViolations(page, 'the withdrawn confirmation');
    await screenshot(page, 'withdraw-confirmation');
    await page.goto(`${stack.apiUrl}/cases/${caseId}`);
    expect(await textOf(page, 'main h1 .govuk-tag')).toBe('Withdrawn');
    expect(await textOf(page, '#withdrawn')).toBe('Withdrawn');
    expect(await textOf(page, 'main')).toContain(withdrawReason);
    expect(await page.locator('a:has-text("Withdraw this review")').count()).toBe(0);
    expect(await page.locator('a:has-text("Add an agency")').count()).toBe(0);
    await expectNoAxeViolations(page, 'the case page of a withdrawn review');
    await screenshot(page, 'case-page-withdrawn');
  });
});
