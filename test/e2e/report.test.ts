/**
 * The partnership team drafts the rapid review report in headless Chromium against the local
 * stack: the task list from the case page, a section's page (its error, then saved), every other
 * section through the API, the check page, and the report marked complete. Each page checked with axe.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { sampleNotification } from '../../local/sample-notification.ts';
import { reportSectionKeys } from '../../shared/schemas/report.ts';
import { expectNoAxeViolations } from './support/axe.ts';
import { signInAs, usePage } from './support/browser.ts';
import { useLocalStack } from './support/stack.ts';

describe('drafting the rapid review report', () => {
  const stack = useLocalStack();
  const browser = usePage();
  let caseId = '';

  beforeAll(async () => {
    ({ caseId } = await stack.client.submitNotification(sampleNotification(), randomUUID()));
  }, 60_000);

  it('takes the team from the case page through a section, the check page and completion', async () => {
    const { page } = browser;
    await signInAs(page, stack.apiUrl, 'partnership-team');
    await page.goto(`${stack.apiUrl}/cases/${caseId}`);
    expect(await page.locator('#report-progress').textContent()).toContain('Not yet started: 0 of 11');

    await Promise.all([
      page.waitForURL(`**/cases/${caseId}/report`),
      page.click('a:has-text("Write the rapid review report")'),
    ]);
    await expectNoAxeViolations(page, 'the report task list');
    await Promise.all([
      page.waitForURL(`**/report/sections/facts`),
      page.click('a:has-text("3. Summary of the facts and context")'),
    ]);
    await expectNoAxeViolations(page, 'a report section');
    await Promise.all([
      page.waitForLoadState('load'),
      page.click('button:has-text("Save and return to the report")'),
    ]);
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('Enter the text of');
    await expectNoAxeViolations(page, 'a report section with its error');
    await page.fill('#report-text', 'Invented facts (demo).\nA second line.');
    await Promise.all([
      page.waitForURL(`**/cases/${caseId}/report`),
      page.click('button:has-text("Save and return to the report")'),
    ]);
    expect(await page.locator('#report-progress').textContent()).toContain('In progress: 1 of 11');

    for (const key of reportSectionKeys.filter((key) => key !== 'facts')) {
      await stack.client.saveReportSection(caseId, key, `Invented text for ${key} (demo).`);
    }
    await Promise.all([
      page.waitForURL(`**/report/complete`),
      page.click('a:has-text("Mark the report complete")'),
    ]);
    await expectNoAxeViolations(page, 'the check page');
    await Promise.all([
      page.waitForURL(`**/cases/${caseId}/report`),
      page.click('button:has-text("Mark the report complete")'),
    ]);
    expect(await page.locator('#report-complete').textContent()).toContain('marked complete');

    await page.goto(`${stack.apiUrl}/cases/${caseId}`);
    const documents = await page.locator('a', { hasText: 'Rapid review report' }).allTextContents();
    expect(documents.join(' ')).toContain('Rapid review report (PDF)');
    expect(documents.join(' ')).toContain('Rapid review report (Word)');
  });
});
