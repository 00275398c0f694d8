/**
 * Agencies answer the structured return through the link in the request email, in headless
 * Chromium against the local stack: one says it has had no involvement, another sets out its
 * involvement with two key practice episodes and then corrects it (version 2). Every page is
 * checked with axe.
 */
import { randomUUID } from 'node:crypto';
import type { Page as BrowserPage } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { InboxEmail, ReviewClient } from '../../local/demo/review-client.ts';
import { sampleNotification } from '../../local/sample-notification.ts';
import { expectNoAxeViolations } from './support/axe.ts';
import { screenshot, usePage } from './support/browser.ts';
import { useLocalStack } from './support/stack.ts';

/** The text of the first element matching `selector`, whitespace collapsed ('' when absent). */
async function textOf(page: BrowserPage, selector: string): Promise<string> {
  const element = page.locator(selector).first();
  if ((await element.count()) === 0) return '';
  return ((await element.textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

/** The agency page link in a request email, as the SPOC would click it. */
function agencyPageLinkIn(email: InboxEmail): string {
  const match = /https?:\/\/\S+?\/agency\/[A-Za-z0-9_-]{43}/.exec(email.body.text ?? '');
  if (!match) throw new Error(`No agency link in the email "${email.subject}"`);
  return match[0];
}

/** Submits the invented notification and answers each SPOC's request link. */
async function aCaseWithRequests(client: ReviewClient) {
  const notification = sampleNotification();
  const { caseId, reference } = await client.submitNotification(notification, randomUUID());
  const spocs = new Map(notification.agencies.map((agency) => [agency.spoc.email, agency.name]));
  const emails = await client.waitForEmails(
    'a summary request to every agency',
    (email) => email.subject.includes(reference) && email.destination.to.some((to) => spocs.has(to)),
    { count: spocs.size },
  );
  const linkFor = (spocEmail: string) => {
    const email = emails.find((candidate) => candidate.destination.to.includes(spocEmail));
    if (!email) throw new Error(`No request email to ${spocEmail}`);
    return agencyPageLinkIn(email);
  };
  return { caseId, reference, linkFor };
}

/** Presses a button and waits for the page it leads to. */
async function press(page: BrowserPage, name: string): Promise<void> {
  await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name }).click()]);
  await page.locator('main h1, main legend h1, main label h1').first().waitFor();
}

async function fillDate(page: BrowserPage, prefix: string, day: string, month: string, year: string) {
  await page.fill(`#${prefix}-day`, day);
  await page.fill(`#${prefix}-month`, month);
  await page.fill(`#${prefix}-year`, year);
}

describe('an agency answers the structured return through the emailed link', () => {
  const stack = useLocalStack();
  const browser = usePage();

  it('takes no involvement from one agency, and an involvement with two episodes, then its correction, from another', async () => {
    // Prepare
    const { caseId, reference, linkFor } = await aCaseWithRequests(stack.client);
    const healthLink = linkFor('spoc.health@example.org');
    const policeLink = linkFor('spoc.police@example.org');
    const page = browser.page;

    // Act: the health SPOC has had no involvement.
    await page.goto(healthLink);
    expect(await textOf(page, 'main')).toContain('Not yet returned');
    await page.getByRole('button', { name: 'Start your return' }).click();
    await page.locator('input[name="kind"]').first().waitFor();
    await expectNoAxeViolations(page, 'the involvement question');
    await press(page, 'Continue');
    expect(await textOf(page, '.govuk-error-summary')).toContain(
      'Select whether your agency has had involvement with this child or family',
    );
    await expectNoAxeViolations(page, 'the involvement question with an error');
    await page.getByLabel('We have had no involvement with this child or family').check();
    await press(page, 'Continue');
    expect(await textOf(page, 'main h1')).toBe('Confirm that your agency has had no involvement');
    await expectNoAxeViolations(page, 'the no-involvement confirmation');
    await page.getByLabel(/I confirm that .+ has had no involvement/).check();
    await press(page, 'Send your return');

    // Assess: the receipt, the email and the agency page.
    expect(await textOf(page, '.govuk-panel__title')).toBe('Return received');
    const healthReceipt = await textOf(page, 'main');
    expect(healthReceipt).toContain('Version 1');
    expect(healthReceipt).toContain('We have had no involvement with this child or family');
    expect(healthReceipt).toMatch(/You can correct this return until .+ 2026/);
    for (const personal of ['Demo Child One', caseId, 'spoc.health@example.org'])
      expect(healthReceipt).not.toContain(personal);
    await expectNoAxeViolations(page, 'the receipt');
    await screenshot(page, 'no-involvement-received');
    const [healthEmail] = await stack.client.waitForEmails(
      'the health receipt',
      (email) =>
        email.subject.startsWith(`${reference}: `) &&
        email.subject.includes('return received') &&
        email.destination.to.includes('spoc.health@example.org'),
    );
    expect(healthEmail?.body.text).toContain('has had no involvement with this child or family');
    expect(healthEmail?.body.text).not.toContain('Demo Child One');
    await page.goto(healthLink);
    expect(await textOf(page, 'main')).toContain('(version 1)');

    // Act: the police SPOC sets out its involvement.
    await page.goto(policeLink);
    await page.getByRole('button', { name: 'Start your return' }).click();
    await page.getByLabel('We have had involvement with this child or family').check();
    await press(page, 'Continue');
    await fillDate(page, 'involved-from', '1', '9', '2025');
    await press(page, 'Continue');
    expect(await textOf(page, '.govuk-error-summary')).toContain(
      'Enter the date your involvement ended, or select that your agency is still involved',
    );
    await expectNoAxeViolations(page, 'the period with an error');
    await page.getByLabel('My agency is still involved with this child or family').check();
    await press(page, 'Continue');
    await expectNoAxeViolations(page, 'a text question');
    await page.fill('#rolesInvolved', 'Response officer; public protection unit detective sergeant (demo)');
    await press(page, 'Continue');
    await page.fill('#summary', 'Two call-outs to the family home (demo).');
    await press(page, 'Continue');
    expect(await textOf(page, 'main h1')).toBe('Key practice episode 1');
    await expectNoAxeViolations(page, 'a key practice episode');
    await fillDate(page, 'date', '2', '10', '2025');
    await page.fill('#whatHappened', 'A neighbour reported shouting (demo).');
    await page.fill('#decidedAndWhy', 'Officers attended; no further action as nobody was hurt (demo).');
    await press(page, 'Save episode');
    expect(await textOf(page, 'main h1')).toBe('You have added 1 key practice episode');
    await expectNoAxeViolations(page, 'the list of episodes');
    await page.getByRole('button', { name: 'Add another episode' }).click();
    await page.locator('#whatHappened').waitFor();
    await fillDate(page, 'date', '20', '10', '2025');
    await page.fill('#whatHappened', 'A referral from the school (demo).');
    await page.fill('#decidedAndWhy', 'Shared with children’s social care the same day (demo).');
    await press(page, 'Save episode');
    expect(await textOf(page, 'main h1')).toBe('You have added 2 key practice episodes');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.locator('#immediateActions').waitFor();
    await page.fill('#immediateActions', 'A review of open domestic abuse referrals (demo).');
    await press(page, 'Continue');
    await page.fill('#earlyLearning', 'The voice of the child was not recorded (demo).');
    await press(page, 'Continue');
    await press(page, 'Continue');

    // Assess: check your answers.
    expect(await textOf(page, 'main h1')).toBe('Check your answers before sending your return');
    const check = await textOf(page, 'main');
    expect(check).toContain('From 1 September 2025 (still involved)');
    expect(check).toContain('2. 20 October 2025: A referral from the school (demo).');
    await expectNoAxeViolations(page, 'check your answers');
    await screenshot(page, 'check-your-answers');
    await press(page, 'Send your return');
    expect(await textOf(page, '.govuk-panel__title')).toBe('Return received');
    expect(await textOf(page, 'main')).toContain('Version 1');

    // Act: the police SPOC corrects its summary.
    await page.getByRole('link', { name: 'Correct your return' }).click();
    await page.locator('main h1', { hasText: 'Check your answers' }).waitFor();
    await page.getByRole('link', { name: 'Change summary of involvement' }).click();
    await page.locator('#summary').waitFor();
    expect(await page.inputValue('#summary')).toBe('Two call-outs to the family home (demo).');
    await page.fill('#summary', 'Three call-outs to the family home (demo).');
    await press(page, 'Continue');
    const corrected = await textOf(page, 'main');
    expect(corrected).toContain('Three call-outs to the family home (demo).');
    expect(corrected).toContain('This will be version 2');
    await press(page, 'Send your return');

    // Assess: version 2, its own receipt email, and the agency page.
    expect(await textOf(page, 'main')).toContain('Version 2');
    await screenshot(page, 'corrected-return-received');
    const policeEmails = await stack.client.waitForEmails(
      'both police receipts',
      (email) =>
        email.subject.startsWith(`${reference}: `) &&
        email.subject.includes('return received') &&
        email.destination.to.includes('spoc.police@example.org'),
      { count: 2 },
    );
    expect(policeEmails.some((email) => email.subject.includes('corrected return received'))).toBe(true);
    await page.goto(policeLink);
    expect(await textOf(page, 'main')).toContain('(version 2)');
  });
});
