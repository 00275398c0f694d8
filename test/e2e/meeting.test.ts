/**
 * The partnership team keeps the Rapid Review Group meeting in headless Chromium against the
 * local stack (issue 9 part 4): schedules it from the case page (an error, check your answers,
 * confirmation), records who attended (an attendee who has not agreed to confidentiality named,
 * "Add another attendee"), uploads the minutes, and the case page shows it all. Each page
 * checked with axe.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { sampleNotification } from '../../local/sample-notification.ts';
import { aPdf } from '../support/test-files.ts';
import { expectNoAxeViolations } from './support/axe.ts';
import { signInAs, usePage } from './support/browser.ts';
import { useLocalStack } from './support/stack.ts';

describe('the Rapid Review Group meeting pages', () => {
  const stack = useLocalStack();
  const browser = usePage();
  let caseId = '';

  beforeAll(async () => {
    ({ caseId } = await stack.client.submitNotification(sampleNotification(), randomUUID()));
  }, 60_000);

  it('schedules the meeting, records who attended and uploads the minutes', async () => {
    const { page } = browser;
    await signInAs(page, stack.apiUrl, 'partnership-team');
    await page.goto(`${stack.apiUrl}/cases/${caseId}`);
    expect(await page.locator('#meeting + p').textContent()).toContain('has not been scheduled yet');

    // Schedule: an error first, then the answers, check, confirm.
    await Promise.all([
      page.waitForURL(`**/cases/${caseId}/meeting`),
      page.click('a:has-text("Schedule the meeting")'),
    ]);
    await expectNoAxeViolations(page, 'the meeting question page');
    await Promise.all([page.waitForLoadState('load'), page.click('button:has-text("Continue")')]);
    expect(await page.locator('.govuk-error-summary').textContent()).toContain(
      'Enter the date of the meeting',
    );
    await expectNoAxeViolations(page, 'the meeting question page with its errors');
    await page.fill('#date-day', '20');
    await page.fill('#date-month', '3');
    await page.fill('#date-year', '2026');
    await page.fill('#time', '10:00');
    await page.check('#where');
    await page.fill('#place', 'Room 1, Town Hall (invented)');
    await Promise.all([
      page.waitForURL(`**/cases/${caseId}/meeting/check`),
      page.click('button:has-text("Continue")'),
    ]);
    expect(await page.locator('main').textContent()).toContain('10am on Friday 20 March 2026');
    await expectNoAxeViolations(page, 'the meeting check page');
    await Promise.all([
      page.waitForURL(`**/cases/${caseId}/meeting/confirmation`),
      page.click('button:has-text("Schedule the meeting and send the invitations")'),
    ]);
    expect(await page.locator('h1').textContent()).toContain('Meeting scheduled');
    await expectNoAxeViolations(page, 'the meeting confirmation');

    // Who attended: two attendees, the second not yet agreeing to confidentiality.
    await page.goto(`${stack.apiUrl}/cases/${caseId}`);
    await Promise.all([
      page.waitForURL(`**/cases/${caseId}/meeting/attendance`),
      page.click('a:has-text("Record who attended")'),
    ]);
    await page.fill('#attendees-0-name', 'Alex Example (invented)');
    await page.fill('#attendees-0-agency', 'Police');
    await page.fill('#attendees-0-role', 'Detective Inspector');
    await page.fill('#attendees-0-conflicts', 'none');
    await page.check('#attendees-0-confidentialityAgreed');
    await Promise.all([page.waitForLoadState('load'), page.click('button:has-text("Add another attendee")')]);
    await page.fill('#attendees-1-name', 'Sam Example (invented)');
    await page.fill('#attendees-1-agency', 'Integrated care board');
    await page.fill('#attendees-1-role', 'Designated nurse');
    await page.fill('#attendees-1-conflicts', 'Knows a family member through work (invented)');
    await Promise.all([page.waitForLoadState('load'), page.click('button:has-text("Continue")')]);
    expect(await page.locator('.govuk-error-summary').textContent()).toContain(
      'Attendee 2 must agree to keep the meeting confidential',
    );
    await expectNoAxeViolations(page, 'the attendance page with its error');
    await page.check('#attendees-1-confidentialityAgreed');
    await Promise.all([
      page.waitForURL(`**/meeting/attendance/check`),
      page.click('button:has-text("Continue")'),
    ]);
    await expectNoAxeViolations(page, 'the attendance check page');
    await Promise.all([
      page.waitForURL(`**/meeting/attendance/confirmation`),
      page.click('button:has-text("Record who attended")'),
    ]);

    // The minutes, as a file.
    await page.goto(`${stack.apiUrl}/cases/${caseId}/meeting/minutes`);
    await expectNoAxeViolations(page, 'the minutes upload page');
    await page.setInputFiles('#file', {
      name: 'minutes.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from(aPdf('Minutes (invented)')),
    });
    await Promise.all([
      page.waitForURL(`**/meeting/minutes/uploaded`),
      page.click('button:has-text("Upload")'),
    ]);
    expect(await page.locator('h1').textContent()).toContain('Minutes uploaded');

    await page.goto(`${stack.apiUrl}/cases/${caseId}`);
    const table = await page.locator('#meeting-attendees').textContent();
    expect(table).toContain('Sam Example (invented)');
    expect(table).toContain('Knows a family member through work (invented)');
    expect(table).toContain('None declared');
    expect(await page.locator('a', { hasText: 'minutes.pdf' }).count()).toBe(1);
    await expectNoAxeViolations(page, 'the case page with the meeting');
  });
});
