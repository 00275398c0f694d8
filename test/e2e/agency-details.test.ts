/**
 * An agency's contact finds out which child a case is about (issue 10 part 1), in headless
 * Chromium against the local stack: from the agency's page, asks for a code, enters a wrong one
 * (the tries left are shown), then the right one read from the local SES inbox, and sees the
 * child's details. The emails never name the child.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sampleNotification } from '../../local/sample-notification.ts';
import { expectNoAxeViolations } from './support/axe.ts';
import { screenshot, usePage } from './support/browser.ts';
import { useLocalStack } from './support/stack.ts';

describe('an agency sees which child a case is about, after a code emailed to its contact', () => {
  const stack = useLocalStack();
  const browser = usePage();

  it('asks for a code, is told the tries left after a wrong one, and sees the details with the right one', async () => {
    // Prepare
    const notification = sampleNotification();
    const child = notification.children[0]!;
    const { reference } = await stack.client.submitNotification(notification, randomUUID());
    const [request] = await stack.client.waitForEmails(
      'the request to the police',
      (email) =>
        email.subject.includes(reference) && email.destination.to.includes('spoc.police@example.org'),
    );
    const link = /https?:\/\/\S+?\/agency\/[A-Za-z0-9_-]{43}/.exec(request!.body.text ?? '')?.[0] ?? '';
    const page = browser.page;

    // Act: from the agency's page to the gate
    await page.goto(link);
    await page.getByRole('link', { name: 'See which child this is about' }).click();
    expect(await page.locator('main h1').textContent()).toContain(`See who case ${reference} is about`);
    expect(await page.locator('main').textContent()).toContain('s•••@example.org');
    await expectNoAxeViolations(page, 'the details gate');
    await screenshot(page, 'agency-details-gate');
    await page.getByRole('button', { name: 'Email me a code' }).click();

    const [codeEmail] = await stack.client.waitForEmails(
      'the code',
      (email) => email.subject === `${reference}: your code to see which child this case is about`,
    );
    const code = /Your code is (\d{6})\./.exec(codeEmail!.body.text ?? '')?.[1] ?? '';
    expect(code).toMatch(/^\d{6}$/);
    for (const personal of [child.name!, child.dateOfBirth!]) {
      expect(codeEmail!.subject).not.toContain(personal);
      expect(codeEmail!.body.text).not.toContain(personal);
    }

    // A wrong code
    await expectNoAxeViolations(page, 'the code entry');
    await page.getByLabel('Code').fill(code === '000000' ? '111111' : '000000');
    await page.getByRole('button', { name: 'Continue' }).click();
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('You have 4 tries left');
    await expectNoAxeViolations(page, 'a wrong code');
    await screenshot(page, 'agency-details-wrong-code');

    // The right code
    await page.getByLabel('Code').fill(code);
    await page.getByRole('button', { name: 'Continue' }).click();

    // Assess
    expect(await page.locator('main h1').textContent()).toContain(`Who case ${reference} is about`);
    const main = (await page.locator('main').textContent()) ?? '';
    expect(main).toContain(child.name!);
    expect(main).toContain('14 May 2019');
    expect(main).toContain('Do not copy these details into email');
    await expectNoAxeViolations(page, 'the child’s details');
    await screenshot(page, 'agency-details-shown');
  });
});
